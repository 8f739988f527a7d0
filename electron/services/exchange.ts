/**
 * The air-gap exchange of dossiers (issue 7). A submission package carries a case from the
 * system owner to the authority (system profile, catalogue, checklist answers, evidence, risk
 * register, audit excerpt); a decision package carries the authority's answer back (signed
 * decision letter, decision record, findings, conditions, verdicts and comments). Packages are
 * signed by the sender's identity and may be encrypted to the recipient's certificate.
 *
 * Import verifies the whole package first (container.ts), then says what it will change
 * (`inspect`), then applies everything in one vault change: either all of it lands, or nothing.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import type { Database, SqlValue } from 'sql.js';
import { parseCatalogue } from '../../shared/catalogue';
import { AppError } from '../../shared/errors';
import { parseMatrix } from '../../shared/risk';
import { sha256Hex } from '../signing/hash';
import { readCertificate } from '../signing/x509';
import { auditHead } from '../db/audit';
import { queryRows, text } from '../db/query';
import {
  openPackage,
  reject,
  writePackage,
  type Limits,
  type ManifestPart,
  type OpenPackage,
  type PackageKind,
  type PartSource,
} from '../exchange/container';
import { namedRead, type StoredBlob } from '../vault/blobs';
import type { Vault } from '../vault/vault';
import type { CaseService } from './cases';
import type { DecisionService } from './decisions';
import type { SigningService } from './signing';
import { RISK_FIELDS } from './risks';

const all = queryRows;
const s = text;

type Row = Record<string, SqlValue>;

/** The risk columns a package may set (a fixed list: column names never come from the package). */
const RISK_COLUMNS = ['id', 'ref', 'system_id', 'created_at', ...RISK_FIELDS];

/**
 * References are numbered per vault, so the sender's "CASE-2026-0001" may already name another
 * case here: then the imported one keeps its id and gets its reference with a suffix.
 */
function freeRef(
  db: Database,
  table: 'systems' | 'cases' | 'risks' | 'decisions',
  ref: string,
  id: string,
): string {
  const holder = all(db, `SELECT id FROM ${table} WHERE ref = ?`, [ref])[0];
  return !holder || s(holder.id) === id ? ref : `${ref}-${id.slice(0, 6)}`;
}

function jsonPart(path: string, value: unknown): PartSource & { buffer: Buffer } {
  const buffer = Buffer.from(JSON.stringify(value));
  return {
    path,
    type: 'json',
    sha256: sha256Hex(buffer),
    size: buffer.length,
    buffer,
    open: () => Readable.from([buffer]),
  };
}

interface SubmissionContent {
  case: Row;
  catalogue: unknown;
  system: Row;
  levels: Row[];
  checklist: Row[];
  evidence: (Row & { part: string })[];
  risks: Row[];
  riskLinks: Row[];
  acceptances: Row[];
  matrices: unknown[];
  audit: Row[];
}

interface DecisionContent {
  case: Row;
  transitions: Row[];
  decision: Row & { part: string };
  findings: Row[];
  verdicts: Row[];
}

export interface ImportPreview {
  kind: PackageKind;
  caseRef: string;
  caseExists: boolean;
  sender: string;
  signer: string;
  encrypted: boolean;
  changes: string[];
}

export class ExchangeService {
  constructor(
    private readonly vault: () => Vault,
    private readonly cases: CaseService,
    private readonly decisions: DecisionService,
    private readonly signing: SigningService,
    private readonly limits?: Limits,
  ) {}

  private get db(): Database {
    return this.vault().database;
  }

  private signer(identityId: string, pin?: string | null) {
    const signer = this.signing.signer(identityId, pin);
    const actor = this.vault().actor;
    return {
      certPem: this.signing.certificatePem(identityId),
      sign: (data: Buffer) => signer.sign(data),
      hash: signer.hash,
      name: actor.name,
      organisation: actor.organisation,
    };
  }

  private caseRow(caseId: string): Row {
    const row = all(this.db, 'SELECT * FROM cases WHERE id = ?', [caseId])[0];
    if (!row) {
      throw new AppError('NOT_FOUND', 'No such case');
    }
    return row;
  }

  // ---- export ------------------------------------------------------------------------------

  /** Owner → authority: everything the authority needs to assess the case. */
  async exportSubmission(
    caseId: string,
    file: string,
    options: {
      identityId: string;
      recipientCertPem?: string | null;
      onProgress?: (done: number, total: number) => void;
    },
  ) {
    const db = this.db;
    const c = this.caseRow(caseId);
    const evidence = all(db, 'SELECT * FROM evidence WHERE case_id = ? ORDER BY uploaded_at', [
      caseId,
    ]);
    const risks = all(
      db,
      'SELECT * FROM risks WHERE case_id = ? OR (system_id = ? AND case_id IS NULL) ORDER BY ref',
      [caseId, s(c.system_id)],
    );
    const riskIds = risks.map((r) => s(r.id));
    const inRisks = riskIds.map(() => '?').join(',');
    const content: SubmissionContent = {
      case: c,
      catalogue: JSON.parse(
        s(
          all(db, 'SELECT json FROM catalogues WHERE id = ? AND version = ?', [
            c.catalogue_id!,
            c.catalogue_version!,
          ])[0]?.json,
        ),
      ) as unknown,
      system: all(db, 'SELECT * FROM systems WHERE id = ?', [c.system_id!])[0]!,
      levels: all(db, 'SELECT * FROM system_levels WHERE system_id = ?', [c.system_id!]),
      checklist: all(db, 'SELECT * FROM checklist_items WHERE case_id = ? ORDER BY position', [
        caseId,
      ]),
      evidence: evidence.map((e, i) => ({
        ...e,
        part: `parts/evidence-${String(i + 1).padStart(4, '0')}`,
      })),
      risks,
      riskLinks: riskIds.length
        ? all(db, `SELECT * FROM risk_links WHERE risk_id IN (${inRisks})`, riskIds)
        : [],
      acceptances: riskIds.length
        ? all(
            db,
            `SELECT * FROM risk_acceptances WHERE risk_id IN (${inRisks}) ORDER BY seq`,
            riskIds,
          )
        : [],
      matrices: all(
        db,
        'SELECT json FROM risk_matrices WHERE id IN (SELECT DISTINCT matrix_id FROM risks WHERE case_id = ?)',
        [caseId],
      ).map((m) => JSON.parse(s(m.json)) as unknown),
      audit: all(
        db,
        `SELECT seq, at, actor_name, action, entity_type, entity_id, changes FROM audit_log
         WHERE entity_id = ? OR entity_id IN (SELECT id FROM evidence WHERE case_id = ?) ORDER BY seq`,
        [caseId, caseId],
      ),
    };
    const main = jsonPart('parts/submission.json', content);
    const parts: PartSource[] = [
      main,
      ...content.evidence.map((e) => ({
        path: e.part,
        type: 'evidence',
        sha256: s(e.sha256),
        size: Number(e.size),
        open: () => namedRead(this.vault().blobs.read(s(e.blob_address)), s(e.id), s(e.title)),
      })),
    ];
    return this.finishExport('submission', c, file, parts, options);
  }

  /** Authority → owner: the signed decision and everything the owner must act on. */
  async exportDecision(
    caseId: string,
    file: string,
    options: {
      identityId: string;
      recipientCertPem?: string | null;
      onProgress?: (done: number, total: number) => void;
    },
  ) {
    const db = this.db;
    const c = this.caseRow(caseId);
    const decision = all(
      db,
      'SELECT * FROM decisions WHERE case_id = ? ORDER BY created_at DESC LIMIT 1',
      [caseId],
    )[0];
    if (!decision) {
      throw new AppError('NOT_FOUND', 'The case has no decision to send');
    }
    const pdf = await this.decisions.decisionPdf(caseId);
    const content: DecisionContent = {
      case: c,
      transitions: all(db, 'SELECT * FROM case_transitions WHERE case_id = ? ORDER BY seq', [
        caseId,
      ]),
      decision: { ...decision, part: 'parts/decision.pdf' },
      findings: all(db, 'SELECT * FROM findings WHERE case_id = ? ORDER BY created_at', [caseId]),
      verdicts: all(
        db,
        "SELECT requirement_id, verdict, assessor_comment FROM checklist_items WHERE case_id = ? AND (verdict <> 'none' OR assessor_comment <> '')",
        [caseId],
      ),
    };
    const main = jsonPart('parts/decision.json', content);
    const parts: PartSource[] = [
      main,
      {
        path: 'parts/decision.pdf',
        type: 'pdf',
        sha256: sha256Hex(pdf),
        size: pdf.length,
        open: () => Readable.from([pdf]),
      },
    ];
    return this.finishExport('decision', c, file, parts, options);
  }

  private async finishExport(
    kind: PackageKind,
    c: Row,
    file: string,
    parts: PartSource[],
    options: {
      identityId: string;
      recipientCertPem?: string | null;
      onProgress?: (done: number, total: number) => void;
    },
  ) {
    const signer = this.signer(options.identityId);
    const written = await writePackage(file, {
      kind,
      caseId: s(c.id),
      caseRef: s(c.ref),
      auditAnchor: auditHead(this.db),
      signer,
      parts,
      recipientCertPem: options.recipientCertPem ?? null,
      onProgress: options.onProgress,
    });
    const recipient = options.recipientCertPem
      ? (readCertificate(options.recipientCertPem)?.subject ?? '')
      : '';
    await this.vault().change(
      {
        action: 'package.sent',
        entityType: 'case',
        entityId: s(c.id),
        changes: { kind, sha256: written.sha256, recipient },
      },
      (db) =>
        this.logRow(
          db,
          'sent',
          kind,
          { id: s(c.id), ref: s(c.ref) },
          recipient,
          written.manifest.sender.fingerprint,
          // Both sides log the package by its signed manifest; the file's own hash is kept too.
          written.manifestDigest,
          {
            parts: parts.length,
            encrypted: Boolean(options.recipientCertPem),
            fileSha256: written.sha256,
          },
        ),
    );
    return {
      file,
      sha256: written.sha256,
      size: written.size,
      parts: parts.length,
      encrypted: Boolean(options.recipientCertPem),
    };
  }

  /** One line of the exchange log, written inside the caller's vault change. */
  private logRow(
    db: Database,
    direction: 'sent' | 'received',
    kind: PackageKind,
    c: { id: string; ref: string },
    counterpart: string,
    fingerprint: string,
    file: { sha256: string; size: number },
    summary: unknown,
  ): void {
    db.run(
      `INSERT INTO exchange_log (id, direction, kind, case_id, case_ref, counterpart, fingerprint, sha256, size, summary, at, actor)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        randomUUID(),
        direction,
        kind,
        c.id,
        c.ref,
        counterpart,
        fingerprint,
        file.sha256,
        file.size,
        JSON.stringify(summary),
        new Date().toISOString(),
        this.vault().actor.name,
      ],
    );
  }

  exchangeLog() {
    return all(this.db, 'SELECT * FROM exchange_log ORDER BY at DESC').map((r) => ({
      direction: s(r.direction),
      kind: s(r.kind),
      caseRef: s(r.case_ref),
      counterpart: s(r.counterpart),
      fingerprint: s(r.fingerprint),
      sha256: s(r.sha256),
      size: Number(r.size),
      at: s(r.at),
      actor: s(r.actor),
    }));
  }

  // ---- import ------------------------------------------------------------------------------

  private async open(
    file: string,
    onProgress?: (done: number, total: number) => void,
    consume?: (part: ManifestPart, stream: Readable) => Promise<{ sha256: string }> | null,
  ): Promise<OpenPackage> {
    const trusted = this.signing.trusted().map((t) => t.fingerprint);
    return openPackage(file, {
      trusted,
      limits: this.limits,
      onProgress,
      consume,
      privateKeyFor: (fingerprint) => {
        const id = this.signing.identityIdByFingerprint(fingerprint);
        return id ? this.signing.decryptionKey(id) : null;
      },
    });
  }

  /** Verifies a package completely and says what importing it would change; the vault is not touched. */
  async inspect(file: string): Promise<ImportPreview> {
    const pkg = await this.open(file);
    try {
      return await this.preview(pkg);
    } finally {
      pkg.close();
    }
  }

  private async preview(pkg: OpenPackage): Promise<ImportPreview> {
    const { manifest } = pkg;
    const exists = all(this.db, 'SELECT state FROM cases WHERE id = ?', [manifest.caseId])[0];
    const changes: string[] = [];
    if (manifest.kind === 'submission') {
      const content = await pkg.json<SubmissionContent>('parts/submission.json');
      const systemExists =
        all(this.db, 'SELECT 1 FROM systems WHERE id = ?', [content.system.id ?? null]).length > 0;
      changes.push(
        systemExists
          ? `system ${s(content.system.ref)}: kept`
          : `system ${s(content.system.ref)}: added`,
      );
      changes.push(
        exists
          ? `case ${manifest.caseRef}: answers updated`
          : `case ${manifest.caseRef}: added as submitted`,
      );
      changes.push(
        `${content.checklist.length} checklist answers`,
        `${content.evidence.length} evidence files`,
        `${content.risks.length} risks`,
      );
    } else {
      if (!exists) {
        throw reject('MALFORMED', `case ${manifest.caseRef} is not in this vault`);
      }
      const content = await pkg.json<DecisionContent>('parts/decision.json');
      changes.push(
        `decision ${s(content.decision.ref)} (${s(content.decision.type)})`,
        `case ${manifest.caseRef}: ${s(exists.state)} -> ${s(content.case.state)}`,
        `${content.findings.length} findings and conditions`,
        `${content.verdicts.length} verdicts`,
      );
    }
    return {
      kind: manifest.kind,
      caseRef: manifest.caseRef,
      caseExists: Boolean(exists),
      sender: `${manifest.sender.name}, ${manifest.sender.organisation}`,
      signer: pkg.signer.subject,
      encrypted: pkg.encrypted,
      changes,
    };
  }

  /** Imports a verified package in one vault change; on any failure the vault is as it was. */
  async importPackage(
    file: string,
    options: { expect?: PackageKind; onProgress?: (done: number, total: number) => void } = {},
  ): Promise<ImportPreview> {
    const created: StoredBlob[] = [];
    // Evidence goes into the blob store as it is verified (one read of the package); if anything
    // fails, the blobs written here are removed again.
    const stored = new Map<string, StoredBlob>();
    let pkg: OpenPackage | null = null;
    try {
      pkg = await this.open(file, options.onProgress, (part, stream) =>
        part.type === 'evidence'
          ? this.vault()
              .blobs.put(stream as AsyncIterable<Uint8Array>)
              .then((blob) => {
                created.push(blob);
                stored.set(part.path, blob);
                return blob;
              })
          : null,
      );
      if (options.expect && pkg.manifest.kind !== options.expect) {
        throw reject('WRONG_KIND', pkg.manifest.kind);
      }
      const preview = await this.preview(pkg);
      // The log names the package by its signed manifest (which lists every part's hash).
      const fileFacts = pkg.manifestDigest;
      if (pkg.manifest.kind === 'submission') {
        await this.applySubmission(pkg, fileFacts, stored);
      } else {
        await this.applyDecision(pkg, created, fileFacts);
      }
      return preview;
    } catch (error) {
      // Blobs written for this import and referenced by nothing are removed again.
      for (const blob of created) {
        if (blob.created) {
          await this.vault().blobs.remove(blob.address);
        }
      }
      throw error;
    } finally {
      pkg?.close();
    }
  }

  private async applySubmission(
    pkg: OpenPackage,
    file: { sha256: string; size: number },
    stored: ReadonlyMap<string, StoredBlob>,
  ) {
    const content = await pkg.json<SubmissionContent>('parts/submission.json');
    const c = content.case;
    if (s(c.id) !== pkg.manifest.caseId) {
      throw reject('MALFORMED', 'case id');
    }
    const catalogue = parseCatalogue(content.catalogue);
    if (!catalogue.ok) {
      throw reject('MALFORMED', 'catalogue');
    }
    const matrices = content.matrices.map((m) => parseMatrix(m));
    if (matrices.some((m) => !m.ok)) {
      throw reject('MALFORMED', 'risk matrix');
    }
    const blobs = new Map<string, StoredBlob>();
    for (const e of content.evidence) {
      // Evidence parts were stored while the package was verified; anything else is not evidence.
      const blob = stored.get(e.part);
      if (!blob) {
        throw reject('MALFORMED', e.part);
      }
      if (blob.sha256 !== s(e.sha256)) {
        throw reject('HASH_MISMATCH', e.part);
      }
      blobs.set(s(e.id), blob);
    }
    const now = new Date().toISOString();
    const sender = pkg.manifest.sender;
    await this.vault().change(
      {
        action: 'package.received',
        entityType: 'case',
        entityId: s(c.id),
        changes: { kind: 'submission', sha256: file.sha256, sender: sender.fingerprint },
      },
      (db) => {
        db.run(
          'INSERT OR IGNORE INTO catalogues (id, version, json, imported_at) VALUES (?, ?, ?, ?)',
          [
            catalogue.catalogue.id,
            catalogue.catalogue.version,
            JSON.stringify(catalogue.catalogue),
            now,
          ],
        );
        for (const m of matrices) {
          if (m.ok) {
            db.run(
              'INSERT OR IGNORE INTO risk_matrices (id, json, builtin, imported_at) VALUES (?, ?, 0, ?)',
              [m.matrix.id, JSON.stringify(m.matrix), now],
            );
          }
        }
        const sys = content.system;
        if (!all(db, 'SELECT 1 FROM systems WHERE id = ?', [s(sys.id)]).length) {
          db.run(
            `INSERT INTO systems (id, ref, name, purpose, phase, mode, user_count, min_clearance, boundary, next_review, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            [
              s(sys.id),
              freeRef(db, 'systems', s(sys.ref), s(sys.id)),
              s(sys.name),
              s(sys.purpose),
              s(sys.phase),
              s(sys.mode),
              Number(sys.user_count ?? 0),
              sys.min_clearance ?? null,
              s(sys.boundary),
              sys.next_review ?? null,
              now,
              now,
            ],
          );
          for (const l of content.levels) {
            db.run('INSERT INTO system_levels (system_id, domain, level) VALUES (?, ?, ?)', [
              s(sys.id),
              s(l.domain),
              s(l.level),
            ]);
          }
        }
        const existing = all(db, 'SELECT system_id FROM cases WHERE id = ?', [s(c.id)])[0];
        if (existing && s(existing.system_id) !== s(sys.id)) {
          throw reject('MALFORMED', 'the case belongs to another system here');
        }
        if (!existing) {
          db.run(
            `INSERT INTO cases (id, ref, system_id, type, state, title, catalogue_id, catalogue_version, deadline, created_at, updated_at)
             VALUES (?, ?, ?, ?, 'submitted', ?, ?, ?, ?, ?, ?)`,
            [
              s(c.id),
              freeRef(db, 'cases', s(c.ref), s(c.id)),
              s(sys.id),
              s(c.type),
              s(c.title),
              s(c.catalogue_id),
              s(c.catalogue_version),
              c.deadline ?? null,
              now,
              now,
            ],
          );
          db.run(
            'INSERT INTO case_transitions (case_id, from_state, to_state, actor_name, actor_role, reason, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
            [
              s(c.id),
              'draft',
              'submitted',
              sender.name,
              'system_owner',
              `Submission package ${file.sha256.slice(0, 16)}`,
              now,
            ],
          );
        }
        for (const item of content.checklist) {
          db.run(
            `INSERT INTO checklist_items (case_id, requirement_id, area, position, status, statement, justification, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (case_id, requirement_id) DO UPDATE SET status = excluded.status, statement = excluded.statement,
               justification = excluded.justification, updated_at = excluded.updated_at`,
            [
              s(c.id),
              s(item.requirement_id),
              s(item.area),
              Number(item.position),
              s(item.status),
              s(item.statement),
              s(item.justification),
              now,
            ],
          );
        }
        for (const e of content.evidence) {
          const blob = blobs.get(s(e.id))!;
          db.run(
            `INSERT OR IGNORE INTO evidence (id, case_id, type, title, version, author, effective_date, marking_level, marking_domain, blob_address, file_name, sha256, size, review_status, uploaded_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'submitted', ?)`,
            [
              s(e.id),
              s(c.id),
              s(e.type),
              s(e.title),
              s(e.version),
              s(e.author),
              e.effective_date ?? null,
              e.marking_level ?? null,
              e.marking_domain ?? null,
              blob.address,
              s(e.file_name),
              blob.sha256,
              blob.size,
              s(e.uploaded_at),
            ],
          );
        }
        for (const r of content.risks) {
          const row = { ...r, ref: freeRef(db, 'risks', s(r.ref), s(r.id)) };
          const columns = RISK_COLUMNS.filter((k) => k in row);
          // An upsert, not a replace: a replace would cascade away this vault's reviews and acceptances.
          db.run(
            `INSERT INTO risks (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})
             ON CONFLICT (id) DO UPDATE SET ${columns
               .filter((k) => k !== 'id' && k !== 'ref')
               .map((k) => `${k} = excluded.${k}`)
               .join(', ')}`,
            columns.map((k) => (row as Row)[k] ?? null),
          );
        }
        for (const l of content.riskLinks) {
          db.run('INSERT OR IGNORE INTO risk_links (risk_id, kind, target) VALUES (?, ?, ?)', [
            s(l.risk_id),
            s(l.kind),
            s(l.target),
          ]);
        }
        for (const a of content.acceptances) {
          const seen = all(db, 'SELECT 1 FROM risk_acceptances WHERE risk_id = ? AND at = ?', [
            s(a.risk_id),
            s(a.at),
          ]).length;
          if (!seen) {
            db.run(
              `INSERT INTO risk_acceptances (risk_id, accepted_by, role, authority, justification, accepted_on, expires_on, fingerprint, snapshot, at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
              [
                s(a.risk_id),
                s(a.accepted_by),
                s(a.role),
                s(a.authority),
                s(a.justification),
                s(a.accepted_on),
                s(a.expires_on),
                s(a.fingerprint),
                s(a.snapshot),
                s(a.at),
              ],
            );
          }
        }
        this.logRow(
          db,
          'received',
          'submission',
          { id: s(c.id), ref: s(c.ref) },
          `${sender.name}, ${sender.organisation}`,
          sender.fingerprint,
          file,
          {
            evidence: content.evidence.length,
            risks: content.risks.length,
            auditEntries: content.audit.length,
          },
        );
      },
    );
  }

  private async applyDecision(
    pkg: OpenPackage,
    created: StoredBlob[],
    file: { sha256: string; size: number },
  ) {
    const content = await pkg.json<DecisionContent>('parts/decision.json');
    const caseId = pkg.manifest.caseId;
    if (s(content.case.id) !== caseId || s(content.decision.case_id) !== caseId) {
      throw reject('MALFORMED', 'case id');
    }
    // The letter itself must carry a valid signature by the package's signer.
    const pdf = await buffer(await pkg.read(content.decision.part));
    // The letter must verify against this vault's trust store, and be signed by the sender.
    const check = await this.signing.verify(pdf);
    if (
      !check.valid ||
      !check.signatures.some((x) => x.signer?.fingerprint === pkg.signer.fingerprint)
    ) {
      throw reject(
        'SIGNATURE_INVALID',
        `decision letter: ${check.reason ?? 'not signed by the sender'}`,
      );
    }
    const blob = await this.vault().blobs.put(Readable.from([pdf]));
    created.push(blob);
    const d = content.decision;
    const now = new Date().toISOString();
    const before = this.cases.getCase(caseId).state;
    const sender = pkg.manifest.sender;
    await this.vault().change(
      {
        action: 'package.received',
        entityType: 'case',
        entityId: caseId,
        changes: {
          kind: 'decision',
          sha256: file.sha256,
          sender: sender.fingerprint,
          decision: s(d.ref),
        },
      },
      (db) => {
        db.run(
          `INSERT OR IGNORE INTO decisions (id, ref, case_id, type, levels, mode, sites, interconnections, valid_from, valid_to, accepted_risks, dossier_sha256, language,
             signer_subject, signer_fingerprint, signed_at, pdf_blob, pdf_sha256, created_at, created_by)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            s(d.id),
            freeRef(db, 'decisions', s(d.ref), s(d.id)),
            caseId,
            s(d.type),
            s(d.levels),
            s(d.mode),
            s(d.sites),
            s(d.interconnections),
            d.valid_from ?? null,
            d.valid_to ?? null,
            s(d.accepted_risks),
            s(d.dossier_sha256),
            s(d.language),
            s(d.signer_subject),
            s(d.signer_fingerprint),
            s(d.signed_at),
            blob.address,
            blob.sha256,
            s(d.created_at),
            s(d.created_by),
          ],
        );
        for (const f of content.findings) {
          db.run(
            `INSERT INTO findings (id, case_id, requirement_id, kind, severity, title, description, recommended_action, owner, due_date, status, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET severity = excluded.severity, title = excluded.title, description = excluded.description,
               recommended_action = excluded.recommended_action, owner = excluded.owner, due_date = excluded.due_date, status = excluded.status, updated_at = excluded.updated_at`,
            [
              s(f.id),
              caseId,
              f.requirement_id ?? null,
              s(f.kind),
              s(f.severity),
              s(f.title),
              s(f.description),
              s(f.recommended_action),
              s(f.owner),
              f.due_date ?? null,
              s(f.status),
              s(f.created_at),
              s(f.updated_at),
            ],
          );
        }
        for (const v of content.verdicts) {
          db.run(
            'UPDATE checklist_items SET verdict = ?, assessor_comment = ?, updated_at = ? WHERE case_id = ? AND requirement_id = ?',
            [s(v.verdict), s(v.assessor_comment), now, caseId, s(v.requirement_id)],
          );
        }
        const to = s(content.case.state);
        if (to !== before) {
          db.run('UPDATE cases SET state = ?, updated_at = ? WHERE id = ?', [to, now, caseId]);
          db.run(
            'INSERT INTO case_transitions (case_id, from_state, to_state, actor_name, actor_role, reason, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
            [
              caseId,
              before,
              to,
              sender.name,
              'accreditor',
              `Decision ${s(d.ref)} received in package ${file.sha256.slice(0, 16)}`,
              now,
            ],
          );
        }
        this.logRow(
          db,
          'received',
          'decision',
          { id: caseId, ref: pkg.manifest.caseRef },
          `${sender.name}, ${sender.organisation}`,
          sender.fingerprint,
          file,
          { decision: s(d.ref), findings: content.findings.length },
        );
      },
    );
  }
}
