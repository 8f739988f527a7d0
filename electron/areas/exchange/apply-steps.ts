/**
 * What every package's change does alike: the state change, the exchange's bookkeeping and the
 * log line of a received package; a case moved only by a step the lifecycle gives the sender;
 * a database error inside the change refusing the package.
 */

import { ExchangeStage, all, s, IN_FORCE, type ExchangeDeps, type Verified } from './stage';
import type { PackageRead } from './read';
import type { RowScope } from './authorise';
import type { ImportPlan } from './plan';
import { logRow } from './repository';
import { commonName } from '../../exchange/names';
import type { Database } from 'sql.js';
import { AppError } from '../../../shared/errors';
import { canTransition, stepTakers, type CaseState } from '../../../shared/lifecycle';
import { reject } from '../../exchange/package';
import { derOf, fingerprintOf } from '../../signing/x509';
import type { Vault } from '../../vault/vault';
import { recordStep } from '../cases/steps';
import type { CaseService } from '../cases/use-cases';

/** The pieces of a package's change that every kind shares. */
export abstract class ApplyStage extends ExchangeStage {
  constructor(
    deps: ExchangeDeps,
    protected readonly reader: PackageRead,
    protected readonly scoping: RowScope,
    protected readonly planner: ImportPlan,
  ) {
    super(deps);
  }

  /** What the audit row of a received package names: the package, and who signed it. */
  protected receivedAudit(read: Verified): Record<string, unknown> {
    const { manifest, digest, sender } = read;
    return {
      kind: manifest.kind,
      sha256: digest,
      sequence: manifest.sequence,
      signer: sender.certificate.subject,
      signerFingerprint: fingerprintOf(derOf(sender.certificate)),
    };
  }

  /** The state change, the bookkeeping of the exchange, and the log line of a received package. */
  protected received(
    db: Database,
    read: Verified,
    summary: Record<string, unknown>,
    transitionsUpto: number,
  ) {
    const { manifest, digest, sender } = read;
    db.run(
      `INSERT INTO case_exchange (case_id, seq, digest, transitions_upto, at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (case_id) DO UPDATE SET seq = excluded.seq, digest = excluded.digest,
         transitions_upto = max(transitions_upto, excluded.transitions_upto), at = excluded.at`,
      [manifest.case.id, manifest.sequence, digest, transitionsUpto, new Date().toISOString()],
    );
    logRow(db, this.vault().actor.name, {
      direction: 'received',
      kind: manifest.kind,
      caseId: manifest.case.id,
      caseRef: manifest.case.ref,
      counterpart: `${commonName(read.sender)}`,
      fingerprint: fingerprintOf(derOf(sender.certificate)),
      digest,
      size: read.size,
      seq: manifest.sequence,
      marking: manifest.marking.text,
      summary: {
        ...summary,
        claimedSender: `${manifest.sender.name}, ${manifest.sender.organisation}`,
      },
      anchor: { ...manifest.auditAnchor, madeAt: manifest.createdAt },
    });
  }

  /** Moves the case to `to` inside the import's change, if the lifecycle allows it from here. */
  protected step(
    db: Database,
    caseId: string,
    to: CaseState,
    who: { actor: string; role: 'accreditor' | 'system_owner'; reason: string; at: string },
    adjust: (ctx: ReturnType<CaseService['transitionContext']>) => void = () => undefined,
  ) {
    const from = s(
      all(db, 'SELECT state FROM cases WHERE id = ?', [caseId])[0]?.state,
    ) as CaseState;
    const ctx = { ...this.cases.transitionContext(caseId, who.reason), role: who.role };
    adjust(ctx);
    if (from === to && IN_FORCE.includes(to)) {
      return; // the approval's time-based step, taken here already
    }
    // A package takes only its sender's steps (shared/lifecycle.ts, stepTakers).
    if (!stepTakers(from, to).includes(who.role)) {
      throw reject('STEP_NOT_SENDERS', `${from} -> ${to} is not the ${who.role}'s step`);
    }
    const verdict = canTransition(from, to, ctx);
    if (!verdict.ok) {
      throw reject('TRANSITION_NOT_ALLOWED', `${from} -> ${to}: ${verdict.code}`);
    }
    recordStep(db, caseId, from, to, {
      name: who.actor,
      role: who.role,
      reason: who.reason,
      at: who.at,
    });
    // One approval in force per system, here as at the authority.
    if (from === 'decided' && to === 'in_force') {
      this.cases.supersedeOthers(db, caseId, who.at);
    }
  }

  /** A vault change whose database errors (a constraint the content breaks) refuse the package. */
  protected change<T>(entry: Parameters<Vault['change']>[0], job: (db: Database) => T): Promise<T> {
    return this.vault()
      .change(entry, job)
      .catch((error: unknown) => {
        if (error instanceof AppError) {
          throw error;
        }
        throw reject('MALFORMED', 'the content does not fit this vault');
      });
  }
}
