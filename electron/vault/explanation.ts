/**
 * The signed explanation of a broken audit trail (docs/vault.md, "A broken trail"). A vault
 * whose trail is broken opens read-only; the accreditor records what happened in an audit row
 * that cites every break (row, kind, expected and found hashes), signed with one of the vault's
 * signing identities, and the next save anchors the trail at that row again.
 *
 * What is signed is a statement built from the row itself (its time and actor) and what it
 * cites, so it is checked again at every unlock from the row alone: an explanation whose
 * signature does not verify, or whose signer is not the certificate it names, explains nothing
 * and is itself a break.
 */
import { createHash } from 'node:crypto';
import type { Database } from 'sql.js';
import {
  anchorMismatch,
  canonicalJson,
  explanationRows,
  type Actor,
  type AuditBreak,
} from '../db/audit';
import type { ExplanationSignerReason } from '../../shared/signatures';
import { buildPadesCms, CmsError, verifyCms, type CmsSigner } from '../signing/cms';

const PURPOSE = 'Accreditation Workbench: explanation of a broken audit trail';

/** A head of the trail (rows, hash of the last row), as a header or a document anchors it. */
export interface TrailHead {
  rows: number;
  head: string;
}

/** What an explanation row records (its `changes`). */
export interface ExplanationRecord {
  breaks: AuditBreak[];
  text: string;
  /** The trail's head the explanation follows (the row before it). */
  previousHead: TrailHead;
  /** Kept generations whose trail the main file does not reach, acknowledged here. */
  generations: TrailHead[];
  signer: { fingerprint: string; subject: string };
  /** The detached CMS signature over the statement, base64. */
  signature: string;
}

/** The bytes that are signed: the statement, canonical JSON. */
export function explanationStatement(input: {
  vaultId: string;
  at: string;
  actor: Actor;
  record: Omit<ExplanationRecord, 'signature'>;
}): Buffer {
  const { record } = input;
  return Buffer.from(
    canonicalJson({
      purpose: PURPOSE,
      version: 1,
      vault: input.vaultId,
      at: input.at,
      actor: input.actor,
      breaks: record.breaks,
      text: record.text,
      previousHead: record.previousHead,
      generations: record.generations,
      signer: record.signer,
    }),
  );
}

/** Signs a statement with a signer of the vault (a software key or a token). */
export async function signStatement(statement: Buffer, signer: CmsSigner): Promise<string> {
  const cms = await buildPadesCms(createHash(signer.hash).update(statement).digest(), signer);
  return cms.toString('base64');
}

/**
 * Whether an explanation's signature verifies over its statement and was made by the
 * certificate it names. Null when it does, else why not.
 */
export function explanationFault(
  statement: Buffer,
  record: Pick<ExplanationRecord, 'signature' | 'signer'>,
): string | null {
  if (typeof record.signature !== 'string' || typeof record.signer?.fingerprint !== 'string') {
    return 'UNSIGNED';
  }
  try {
    const reading = verifyCms(Buffer.from(record.signature, 'base64'), [statement]);
    const fingerprint = createHash('sha256').update(reading.signer).digest('hex');
    return fingerprint === record.signer.fingerprint ? null : 'SIGNER_MISMATCH';
  } catch (error) {
    return error instanceof CmsError ? error.reason : 'MALFORMED_SIGNATURE';
  }
}

/**
 * The row at which each signing identity of the vault was added (`identity.add`), by its
 * certificate's fingerprint: the first such row.
 */
export function identitiesAdded(db: Database): Map<string, number> {
  const out = new Map<string, number>();
  const rows =
    db.exec("SELECT seq, changes FROM audit_log WHERE action = 'identity.add' ORDER BY seq")[0]
      ?.values ?? [];
  for (const [seq, changes] of rows) {
    try {
      const fingerprint = (JSON.parse(String(changes)) as { fingerprint?: unknown }).fingerprint;
      if (typeof fingerprint === 'string' && !out.has(fingerprint)) {
        out.set(fingerprint, Number(seq));
      }
    } catch {
      // an unreadable row adds no identity (and breaks the chain anyway)
    }
  }
  return out;
}

/**
 * What this machine's head memory vouches for, judging an explanation whose damage begins at
 * row `damage` (its earliest cited break; for a rollback, which cites none, its own row): the
 * largest remembered head (rows r, hash h) below `damage` whose row r in this trail has hash h —
 * everything up to r is as this machine saw it. 0 when the machine remembers heads below the
 * damage but the trail reaches none of them (the trail was rewritten before anything it still
 * agrees with: nothing is vouched). Null when it remembers nothing below the damage (a vault
 * opened here for the first time after it, or a memory lost): then only the weaker fallback
 * of `explanationSignerFault` applies.
 *
 * Why only an anchor from outside the vault: a consistent prefix proves nothing by itself, as
 * whoever has the passphrase can re-hash as many rows as they like (move their own
 * `identity.add` into a gap they cut, say, so that the chain breaks only after it).
 */
export function vouchedPrefix(
  db: Database,
  remembered: readonly TrailHead[],
  damage: number,
): number | null {
  const below = remembered.filter((h) => h.rows < damage);
  if (!below.length) {
    return null;
  }
  let vouched = 0;
  for (const h of below) {
    if (h.rows > vouched && anchorMismatch(db, h) === null) {
      vouched = h.rows;
    }
  }
  return vouched;
}

/**
 * Whether `fingerprint` may sign an explanation whose damage begins at row `damage` (its
 * earliest cited break; citing none, its own row), `vouched` being `vouchedPrefix` for it:
 * only an identity whose `identity.add` row is before the damage and within what this
 * machine vouches for. Someone who cut or edited the trail and then added a key of their own
 * (a self-made certificate, say, on a forked copy or moved into the gap they cut) cannot vouch
 * for the damage with it. With nothing remembered (`vouched` null) the add row must be before
 * the row preceding the damage (a `link` break at row n means row n-1 may itself be forged).
 * Null when it may, else why not.
 */
export function explanationSignerFault(
  added: ReadonlyMap<string, number>,
  fingerprint: string,
  damage: number,
  vouched: number | null,
): ExplanationSignerReason | null {
  const at = added.get(fingerprint);
  if (at === undefined) {
    return 'SIGNER_NOT_BEFORE_BREAK';
  }
  if (vouched === null) {
    return at < damage - 1 ? null : 'SIGNER_NOT_BEFORE_BREAK';
  }
  if (at >= damage) {
    return 'SIGNER_NOT_BEFORE_BREAK';
  }
  return at <= vouched ? null : 'SIGNER_NOT_VOUCHED';
}

/**
 * The explanation rows of a trail whose signatures do not verify, or whose signer is not an
 * identity the trail shows added before what it explains and within what `remembered` (this
 * machine's head memory for the vault, `HeadMemory.history`) vouches for: each a `signature`
 * break at its row (`content` is the row's stored hash, so a later explanation can cite it).
 * Each machine re-judges by its own memory, the one that judged at explanation time included
 * (the head that vouched is pinned there, so thinning never takes it away).
 */
export function explanationFaults(
  db: Database,
  vaultId: string,
  remembered: readonly TrailHead[] = [],
): AuditBreak[] {
  const out: AuditBreak[] = [];
  const rows = explanationRows(db);
  // The identities' history is read only when there is an explanation to judge by it.
  const added = rows.length > 0 ? identitiesAdded(db) : new Map<string, number>();
  for (const row of rows) {
    const meta = db.exec(
      'SELECT at, actor_id, actor_name, actor_organisation, actor_role, hash FROM audit_log WHERE seq = ?',
      [row.seq],
    )[0]?.values[0];
    if (!meta) {
      continue;
    }
    const c = row.changes as Partial<ExplanationRecord>;
    const statement = explanationStatement({
      vaultId,
      at: String(meta[0]),
      actor: {
        id: String(meta[1]),
        name: String(meta[2]),
        organisation: String(meta[3]),
        role: String(meta[4]) as Actor['role'],
      },
      record: {
        breaks: row.breaks,
        text: String(c.text ?? ''),
        previousHead: c.previousHead ?? { rows: 0, head: '' },
        generations: Array.isArray(c.generations) ? c.generations : [],
        signer: c.signer ?? { fingerprint: '', subject: '' },
      },
    });
    const fault =
      explanationFault(statement, {
        signature: c.signature ?? '',
        signer: c.signer ?? { fingerprint: '', subject: '' },
      }) ?? signerFaultAt(added, c.signer?.fingerprint ?? '', db, remembered, row);
    if (fault) {
      out.push({
        row: row.seq,
        kind: 'signature',
        expected: c.signer?.fingerprint ?? '',
        found: fault,
        content: String(meta[5]),
      });
    }
  }
  return out;
}

/** `explanationSignerFault` for the explanation row `row` of `db`. */
function signerFaultAt(
  added: ReadonlyMap<string, number>,
  fingerprint: string,
  db: Database,
  remembered: readonly TrailHead[],
  row: { seq: number; breaks: AuditBreak[] },
): string | null {
  const damage = explanationDamage(row.seq, row.breaks);
  return explanationSignerFault(added, fingerprint, damage, vouchedPrefix(db, remembered, damage));
}

/** Where the damage an explanation at row `seq` citing `breaks` explains begins. */
export function explanationDamage(seq: number, breaks: readonly AuditBreak[]): number {
  return Math.min(seq, ...breaks.map((b) => b.row));
}

/**
 * Every trail head a signed explanation acknowledged (generations not reached, the head this
 * machine remembered). A restore's row names the heads it leaves behind but acknowledges none: it
 * is not signed, so whoever holds the passphrase could write one (or restore an old copy placed
 * as a generation) and roll the vault back past every kept generation unexplained.
 */
export function acknowledgedHeads(db: Database): Set<string> {
  const out = new Set<string>();
  const rows = db.exec("SELECT changes FROM audit_log WHERE action = 'vault.breakExplained'")[0]
    ?.values;
  for (const r of rows ?? []) {
    try {
      const c = JSON.parse(String(r[0])) as {
        generations?: TrailHead[];
        breaks?: AuditBreak[];
      };
      for (const g of c.generations ?? []) {
        out.add(`${g.rows}:${g.head}`);
      }
      for (const b of c.breaks ?? []) {
        if (b.kind === 'anchor' && b.anchorRows !== undefined) {
          out.add(`${b.anchorRows}:${b.expected}`);
        }
      }
    } catch {
      // a row that is not JSON acknowledges nothing
    }
  }
  return out;
}
