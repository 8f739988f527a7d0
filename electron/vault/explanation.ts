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
import { canonicalJson, explanationRows, type Actor, type AuditBreak } from '../db/audit';
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
 * Whether `fingerprint` may sign an explanation whose earliest cited break (or, citing none,
 * whose own row) is `before`: only an identity the trail shows added before it. Someone who
 * cut or edited the trail and then added a key of their own (a self-made certificate, say)
 * cannot vouch for the damage with it. Null when it may, else why not.
 */
export function explanationSignerFault(
  added: ReadonlyMap<string, number>,
  fingerprint: string,
  before: number,
): string | null {
  const at = added.get(fingerprint);
  return at !== undefined && at < before ? null : 'SIGNER_NOT_BEFORE_BREAK';
}

/**
 * The explanation rows of a trail whose signatures do not verify, or whose signer is not an
 * identity the trail shows added before what it explains: each a `signature` break at its row
 * (`content` is the row's stored hash, so a later explanation can cite it).
 */
export function explanationFaults(db: Database, vaultId: string): AuditBreak[] {
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
      }) ??
      explanationSignerFault(
        added,
        c.signer?.fingerprint ?? '',
        Math.min(row.seq, ...row.breaks.map((b) => b.row)),
      );
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

/** Every trail head an explanation or a restore acknowledged (generations not reached). */
export function acknowledgedHeads(db: Database): Set<string> {
  const out = new Set<string>();
  const rows = db.exec(
    "SELECT changes FROM audit_log WHERE action IN ('vault.breakExplained', 'vault.restoreGeneration')",
  )[0]?.values;
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
