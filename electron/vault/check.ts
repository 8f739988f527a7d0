/**
 * `vault check`: every part of a vault folder, each with its verdict. The main file (opened,
 * SQLite's checks, the whole audit chain, and the chain against an anchor a signed document
 * cites), every kept generation (does it open with the same secret, is its database sound),
 * every evidence file (read through, each chunk authenticated), evidence referenced but missing,
 * files nobody references, and temp files a crash left. Damage anywhere makes the report fail.
 */
import { readdirSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { AppError, isAppError, type ErrorCode } from '../../shared/errors';
import { anchorMismatch, verifyAuditChain, type ChainReport } from '../db/audit';
import { checkIntegrity, loadSqlJs, LATEST_SCHEMA_VERSION } from '../db/engine';
import { decodeContainer, openBody } from './container';
import { checkConfigKdf } from './kdf';
import {
  BLOB_DIR,
  listGenerations,
  unlockDataKey,
  Vault,
  vaultPath,
  type Secret,
  type VaultConfig,
} from './vault';

export interface PartVerdict {
  part: string;
  ok: boolean;
  code?: ErrorCode;
  detail?: string;
}

export interface VaultCheckReport {
  folder: string;
  ok: boolean;
  main: PartVerdict & { integrity?: 'ok' | 'failed'; audit?: ChainReport };
  anchor?: PartVerdict;
  generations: (PartVerdict & { generation: number; usable: boolean })[];
  evidence: { checked: number; damaged: PartVerdict[]; missing: string[]; orphaned: string[] };
  temps: string[];
}

const ADDRESS = /^[0-9a-f]{64}$/;

function codeOf(error: unknown): ErrorCode {
  return isAppError(error) ? error.code : 'INTERNAL';
}

/** Every blob address the database refers to, with what refers to it. */
function referencedBlobs(db: Database): Map<string, string> {
  const refs = new Map<string, string>();
  const add = (sql: string, what: string) => {
    for (const row of db.exec(sql)[0]?.values ?? []) {
      refs.set(String(row[0]), `${what} ${String(row[1])}`);
    }
  };
  add('SELECT blob_address, title FROM evidence', 'evidence');
  add('SELECT blob_address, name FROM record_attachments', 'record attachment');
  add('SELECT pdf_blob, ref FROM decisions', 'decision letter');
  add('SELECT blob_address, title FROM documents', 'document');
  return refs;
}

/** Whether a kept generation opens with `secret` and holds a sound database. */
async function checkGeneration(
  folder: string,
  generation: number,
  secret: Secret,
  config: VaultConfig,
): Promise<PartVerdict & { generation: number; usable: boolean }> {
  const part = `vault.awb.${generation}`;
  try {
    const bytes = await config.fs.readFile(vaultPath(folder, generation));
    const decoded = decodeContainer(bytes, {
      maxSchemaVersion: LATEST_SCHEMA_VERSION,
      limits: config.limits,
    });
    const key = await unlockDataKey(decoded, secret);
    const image = openBody(decoded, key);
    const SQL = await loadSqlJs();
    const db = new SQL.Database(image);
    try {
      checkIntegrity(db);
      const chain = verifyAuditChain(db);
      if (!chain.intact) {
        return {
          part,
          generation,
          ok: false,
          usable: false,
          code: 'AUDIT_CHAIN_BROKEN',
          detail: `row ${chain.brokenAt}`,
        };
      }
    } finally {
      db.close();
    }
    return { part, generation, ok: true, usable: true };
  } catch (error) {
    const code = codeOf(error);
    // A generation written before the passphrase changed is not damaged: it is just not
    // usable with this secret.
    const stale = code === 'WRONG_PASSPHRASE' || code === 'WRONG_RECOVERY_KEY';
    return { part, generation, ok: stale, usable: false, code };
  }
}

/**
 * Checks the whole folder. `anchor` is a trail head a signed letter or package cites
 * ("rows:hash"): the vault's trail must still reach it.
 */
export async function checkVault(
  folder: string,
  secret: Secret,
  config: VaultConfig,
  options: { anchor?: { rows: number; head: string } } = {},
): Promise<VaultCheckReport> {
  // A configuration below the shipped floor checks nothing (its limits would pass weak headers).
  checkConfigKdf(config);
  const temps: string[] = [];
  for (const dir of [folder, join(folder, BLOB_DIR)]) {
    try {
      temps.push(
        ...readdirSync(dir)
          .filter((n) => n.includes('.tmp-'))
          .map((n) => join(dir, n)),
      );
    } catch {
      // no such folder
    }
  }
  const report: VaultCheckReport = {
    folder,
    ok: true,
    main: { part: 'vault.awb', ok: true },
    generations: [],
    evidence: { checked: 0, damaged: [], missing: [], orphaned: [] },
    temps,
  };
  let vault: Vault | null = null;
  try {
    // A check reads: a passphrase slot below the floor is re-wrapped at the next real unlock.
    vault = await Vault.open(folder, secret, config, { upgradeKdf: false });
  } catch (error) {
    report.main = { part: 'vault.awb', ok: false, code: codeOf(error) };
  }
  for (const g of listGenerations(folder, config)) {
    report.generations.push(await checkGeneration(folder, g.generation, secret, config));
  }
  if (vault) {
    try {
      await vault.checksDone();
      const db = vault.database;
      report.main = {
        part: 'vault.awb',
        ok: vault.integrity === 'ok' && vault.audit.intact,
        integrity: vault.integrity === 'failed' ? 'failed' : 'ok',
        audit: vault.audit,
        ...(vault.integrity === 'failed'
          ? { code: 'CORRUPTED_CONTENT' as const }
          : !vault.audit.intact
            ? { code: 'AUDIT_CHAIN_BROKEN' as const, detail: `row ${vault.audit.brokenAt}` }
            : {}),
      };
      if (options.anchor) {
        const at = anchorMismatch(db, options.anchor);
        report.anchor =
          at === null
            ? { part: 'anchor', ok: true }
            : { part: 'anchor', ok: false, code: 'AUDIT_CHAIN_BROKEN', detail: `row ${at}` };
      }
      const refs = referencedBlobs(db);
      const dir = join(folder, BLOB_DIR);
      let names: string[] = [];
      try {
        names = readdirSync(dir).filter((n) => !n.includes('.tmp-'));
      } catch {
        names = [];
      }
      const present = new Set(names);
      for (const name of names) {
        const what = refs.get(name);
        if (!ADDRESS.test(name)) {
          report.evidence.damaged.push({
            part: `blobs/${name}`,
            ok: false,
            code: 'BLOB_CORRUPTED',
            detail: 'not an evidence file name',
          });
          continue;
        }
        if (!what) {
          report.evidence.orphaned.push(name);
        }
        try {
          if (!lstatSync(join(dir, name)).isFile()) {
            throw new AppError('BLOB_CORRUPTED', 'not a regular file');
          }
          await vault.blobs.verify(name);
          report.evidence.checked++;
        } catch (error) {
          report.evidence.damaged.push({
            part: `blobs/${name}`,
            ok: false,
            code: codeOf(error) === 'NOT_FOUND' ? 'BLOB_CORRUPTED' : codeOf(error),
            detail: what ?? 'not referenced',
          });
        }
      }
      report.evidence.missing = [...refs.entries()]
        .filter(([address]) => !present.has(address))
        .map(([address, what]) => `${what} (${address.slice(0, 16)})`);
    } finally {
      await vault.close({ discard: true });
    }
  }
  report.ok =
    report.main.ok &&
    (report.anchor?.ok ?? true) &&
    report.generations.every((g) => g.ok) &&
    report.evidence.damaged.length === 0 &&
    report.evidence.missing.length === 0;
  return report;
}

/** The code a failed check answers with: the first damaged part's. */
export function failureCode(report: VaultCheckReport): ErrorCode | null {
  if (report.ok) {
    return null;
  }
  return (
    report.main.code ??
    report.anchor?.code ??
    report.evidence.damaged[0]?.code ??
    (report.evidence.missing.length ? 'BLOB_CORRUPTED' : undefined) ??
    report.generations.find((g) => !g.ok)?.code ??
    'CORRUPTED_CONTENT'
  );
}
