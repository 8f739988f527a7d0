/**
 * The security-authority records (EU/NATO and national correspondence, certificates, visits):
 * each kept with the systems it concerns, its follow-up and its attachments, closed with its
 * outcome rather than deleted. Every change goes through the vault's writer queue with its audit
 * row; reads never mutate. What a record refers to — systems, its marking's level — is the
 * register's, asked through its use cases.
 */
import { randomUUID } from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import type { Database } from 'sql.js';
import { AppError } from '../../../shared/errors';
import { RecordClosing, RecordFilter, RecordInput, type RecordRow } from '../../../shared/register';
import { closingSense, recordSense } from '../../../shared/sense';
import { optional } from '../../db/query';
import { namedRead } from '../../vault/blobs';
import type { Vault } from '../../vault/vault';
import { today } from '../../services/clock';
import { refuseNonsense, senseToday } from '../../services/sense';
import { entityChanges, insertEntity, invalidField, updateEntity } from '../entities';
import type { RegisterService } from '../register/use-cases';
import { PREVIEW_MAX_BYTES } from '../register/use-cases';
import * as repo from './repository';

export class RecordService {
  constructor(
    private readonly vault: () => Vault,
    private readonly register: RegisterService,
  ) {}

  private get db(): Database {
    return this.vault().database;
  }

  /** The input checked against the scheme and the systems it names. */
  private validated(raw: unknown) {
    const input = RecordInput.parse(raw);
    this.register.checkLevel(input.markingLevel, 'markingLevel');
    input.systemIds.forEach((s, i) => this.register.mustExist('systems', s, `systemIds.${i}`));
    return input;
  }

  async create(raw: unknown): Promise<string> {
    const input = this.validated(raw);
    // Sent and received not in the future; the follow-up not already past.
    refuseNonsense(recordSense(input, { today: senseToday() }));
    const id = randomUUID();
    await this.vault().change(
      { action: 'record.create', entityType: 'record', entityId: id, changes: input },
      (db) => {
        insertEntity(db, repo.RECORDS, id, input);
        repo.writeRecordSystems(db, id, input);
      },
    );
    return id;
  }

  /**
   * Corrects a record: validated as at creation, held to the same sense against its stored
   * follow-up and closing, the audit row naming each changed field from → to (its systems too);
   * nothing written if nothing changed.
   */
  async update(id: string, raw: unknown): Promise<boolean> {
    const current = repo.recordRow(this.db, id);
    if (!current) {
      throw new AppError('NOT_FOUND', 'No such record');
    }
    const input = this.validated(raw);
    refuseNonsense(
      recordSense(input, {
        today: senseToday(),
        before: {
          followUpDue: optional(current.follow_up_due),
          closedOn: optional(current.closed_on),
        },
      }),
    );
    const changes: Record<string, unknown> = entityChanges(current, repo.RECORDS, input);
    const before = repo.recordSystems(this.db, id);
    const after = [...input.systemIds].sort();
    if (JSON.stringify(before) !== JSON.stringify(after)) {
      changes.systemIds = [before, after];
    }
    if (Object.keys(changes).length === 0) {
      return false;
    }
    await this.vault().change(
      { action: 'record.update', entityType: 'record', entityId: id, changes },
      (db) => {
        updateEntity(db, repo.RECORDS, id, input);
        repo.writeRecordSystems(db, id, input);
      },
    );
    return true;
  }

  /** Closes a record with its outcome (what came of it) and the day it closed. */
  async close(id: string, raw: unknown): Promise<void> {
    const { outcome, closedOn } = RecordClosing.parse(raw);
    const current = repo.recordRow(this.db, id);
    if (!current) {
      throw new AppError('NOT_FOUND', 'No such record');
    }
    // Not on a day still to come, nor before the record was sent or received.
    refuseNonsense(
      closingSense(
        { closedOn },
        {
          today: senseToday(),
          sentOn: optional(current.sent_on),
          receivedOn: optional(current.received_on),
        },
      ),
    );
    await this.vault().change(
      {
        action: 'record.close',
        entityType: 'record',
        entityId: id,
        changes: {
          status: [current.status, 'closed'],
          outcome: [current.outcome, outcome],
          closedOn: [current.closed_on, closedOn],
        },
      },
      (db) => repo.closeRecord(db, id, outcome, closedOn),
    );
  }

  /** Attaches a stored blob to a record (audited). */
  async attach(
    recordId: string,
    blob: { address: string; name: string; sha256: string; size: number },
  ): Promise<void> {
    if (!repo.recordRow(this.db, recordId)) {
      throw invalidField('recordId', 'refers to something that does not exist');
    }
    const name = blob.name.replace(/[\\/\u0000-\u001f]/g, '_').slice(0, 255) || 'file';
    await this.vault().change(
      {
        action: 'record.attach',
        entityType: 'record',
        entityId: recordId,
        changes: { name, sha256: blob.sha256, size: blob.size },
      },
      (db) => repo.attach(db, recordId, { ...blob, name }),
    );
  }

  /** An attachment's bytes, to open it inside the app (the same size limit as evidence). */
  async attachmentContent(recordId: string, address: string, maxBytes = PREVIEW_MAX_BYTES) {
    const found = repo.attachment(this.db, recordId, address);
    if (!found) {
      throw new AppError('NOT_FOUND', 'No such attachment');
    }
    if (found.size > maxBytes) {
      throw new AppError('PREVIEW_TOO_LARGE', 'The file is too large to preview', {
        size: found.size,
      });
    }
    return {
      fileName: found.name,
      data: await buffer(namedRead(this.vault().blobs.read(address), address, found.name)),
    };
  }

  attachments(recordId: string) {
    return repo.attachments(this.db, recordId);
  }

  list(raw: unknown = {}, day = today()): RecordRow[] {
    return repo.records(this.db, RecordFilter.parse(raw), day);
  }

  /** How many records match the filter (its `limit` aside). */
  count(raw: unknown = {}, day = today()): number {
    return repo.countRecords(this.db, RecordFilter.parse(raw), day);
  }
}
