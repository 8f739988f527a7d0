/**
 * `vault check`: every part of a vault folder, each with its verdict. The main file (opened,
 * SQLite's checks, the whole audit chain with every break and every signed explanation, and
 * the chain against an anchor a signed document cites), every kept generation (does it open
 * with the same secret, is its database sound, does the main file's trail reach its trail: if
 * not, ROLLBACK_SUSPECTED), every kept damaged copy, every evidence file (read through, each
 * chunk authenticated), evidence referenced but missing, files nobody references, temp files a
 * crash left, and every other file of the folder by kind. Damage anywhere makes the report
 * fail; so does a broken trail until it is explained, and a suspected rollback (a generation,
 * or the newest head this machine remembers, that the main trail does not reach).
 */
import { readdirSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { AppError, isAppError, type ErrorCode } from '../../shared/errors';
import {
  anchorMismatch,
  explainedBreaks,
  walkAuditChain,
  type AuditBreak,
  type ChainReport,
} from '../db/audit';
import { checkIntegrity, loadSqlJs, LATEST_SCHEMA_VERSION } from '../db/engine';
import { decodeContainer, openBody } from './container';
import { DRAFTS_FILE, readDraftsFile } from './drafts';
import { folderInventory, type FileKind, type FolderFile } from './inventory';
import { checkConfigKdf } from './kdf';
import { readJournal } from './rekey-journal';
import {
  BLOB_DIR,
  COPY_GENERATION,
  listGenerations,
  unlockDataKey,
  Vault,
  vaultPath,
  type RekeyNotice,
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
  main: PartVerdict & {
    integrity?: 'ok' | 'failed';
    audit?: ChainReport;
    /** The container format read (1: no anchor; migrated at the next unlock). */
    format?: number;
    /** Every break no signed explanation covers (row, kind, expected and found hashes). */
    breaks?: AuditBreak[];
    /** Breaks a signed explanation covers: the row, and the explanation's row. */
    explained?: { row: number; by: number }[];
  };
  anchor?: PartVerdict;
  generations: (PartVerdict & { generation: number; usable: boolean })[];
  /** Kept damaged copies (`vault.awb.damaged-*`): whether this secret opens them. */
  copies: (PartVerdict & { usable: boolean })[];
  /**
   * Copies of vault data under names the workbench never writes (a vault file, evidence or kept
   * form text copied by a backup tool, an editor or a person): each fails the check, as data
   * outside the vault's bookkeeping that an old secret may open; a re-key removes them.
   */
  strays: PartVerdict[];
  evidence: { checked: number; damaged: PartVerdict[]; missing: string[]; orphaned: string[] };
  temps: string[];
  /** Kept form text (`drafts.awb`), when present: whether the vault's current key opens it. */
  drafts?: PartVerdict;
  /** Every file of the folder, by kind. */
  files: FolderFile[];
  kinds: Partial<Record<FileKind, number>>;
  /** A re-key the unlock found unfinished, and whether its new recovery key is still unshown. */
  rekey?: { notice: RekeyNotice | null; recoveryKeyPending: boolean };
}

const ADDRESS = /^[0-9a-f]{64}$/;

function codeOf(error: unknown): ErrorCode {
  return isAppError(error) ? error.code : 'INTERNAL';
}

/** Every blob address the database refers to, with what refers to it. */
export function referencedBlobs(db: Database): Map<string, string> {
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

/**
 * Whether a kept generation opens with `secret` and holds a sound database. Its chain is walked
 * with the explanations its own trail holds and those the main file's holds (`explained`): a
 * break the main trail explains is explained in the older copies too.
 */
async function checkGeneration(
  folder: string,
  generation: number,
  secret: Secret,
  config: VaultConfig,
  explained: Map<string, number>,
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
      const chain = walkAuditChain(db, {
        explained: new Map([...explainedBreaks(db), ...explained]),
      });
      const first = chain.breaks[0];
      if (first) {
        return {
          part,
          generation,
          ok: false,
          usable: false,
          code: 'AUDIT_CHAIN_BROKEN',
          detail: `row ${first.row}`,
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

/** Whether a kept damaged copy opens with `secret` (it is kept on purpose: never a failure). */
async function checkCopy(
  folder: string,
  name: string,
  secret: Secret,
  config: VaultConfig,
): Promise<PartVerdict & { usable: boolean }> {
  try {
    const decoded = decodeContainer(await config.fs.readFile(join(folder, name)), {
      maxSchemaVersion: LATEST_SCHEMA_VERSION,
      limits: config.limits,
    });
    openBody(decoded, await unlockDataKey(decoded, secret));
    return { part: name, ok: true, usable: true };
  } catch (error) {
    return { part: name, ok: true, usable: false, code: codeOf(error) };
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
    copies: [],
    strays: [],
    evidence: { checked: 0, damaged: [], missing: [], orphaned: [] },
    temps,
    files: [],
    kinds: {},
  };
  let vault: Vault | null = null;
  try {
    // A check reads: a passphrase slot below the floor is re-wrapped, and a first-format file
    // migrated, at the next real unlock. (An unfinished re-key is finished, as by any unlock.)
    vault = await Vault.open(folder, secret, config, { upgradeKdf: false, migrateFormat: false });
  } catch (error) {
    report.main = { part: 'vault.awb', ok: false, code: codeOf(error) };
  }
  let explained = new Map<string, number>();
  if (vault) {
    try {
      await vault.checksDone();
      explained = explainedBreaks(vault.database);
    } catch {
      explained = new Map();
    }
  }
  const rollback = new Map((vault?.rollback ?? []).map((r) => [r.generation, r]));
  for (const g of listGenerations(folder, config)) {
    const verdict = await checkGeneration(folder, g.generation, secret, config, explained);
    const suspect = rollback.get(g.generation);
    report.generations.push(
      suspect && verdict.ok
        ? {
            ...verdict,
            ok: false,
            code: 'ROLLBACK_SUSPECTED',
            detail: `its trail has ${suspect.rows} rows the main file (${suspect.mainRows}) does not reach`,
          }
        : verdict,
    );
  }
  for (const file of folderInventory(folder)) {
    if (file.kind === 'damaged-copy') {
      report.copies.push(await checkCopy(folder, file.path, secret, config));
    }
    if (file.kind === 'stray-copy') {
      report.strays.push({
        part: file.path,
        ok: false,
        code: 'STRAY_COPY',
        detail: 'a copy of vault data under a name the workbench does not write',
      });
    }
  }
  if (vault) {
    try {
      const db = vault.database;
      const breaks = vault.audit.intact ? [] : vault.breaks();
      const walk = walkAuditChain(db, { explained, all: true });
      // The newest head this machine remembers for the vault, not reached (generation 0), or
      // a kept damaged copy's (COPY_GENERATION): the main file went back past either.
      const remembered = vault.rollback.find(
        (r) => r.generation === 0 || r.generation === COPY_GENERATION,
      );
      report.main = {
        part: 'vault.awb',
        ok: vault.integrity === 'ok' && vault.audit.intact && !remembered,
        integrity: vault.integrity === 'failed' ? 'failed' : 'ok',
        audit: vault.audit,
        format: vault.format,
        ...(breaks.length ? { breaks } : {}),
        ...(walk.explained.length ? { explained: walk.explained } : {}),
        ...(vault.integrity === 'failed'
          ? { code: 'CORRUPTED_CONTENT' as const }
          : !vault.audit.intact
            ? { code: 'AUDIT_CHAIN_BROKEN' as const, detail: `row ${vault.audit.brokenAt}` }
            : remembered
              ? {
                  code: 'ROLLBACK_SUSPECTED' as const,
                  detail:
                    remembered.generation === 0
                      ? `this machine saw its trail at ${remembered.rows} rows (${remembered.head.slice(0, 16)}); the main file (${remembered.mainRows}) does not reach it`
                      : `a kept damaged copy holds ${remembered.rows} rows (${remembered.head.slice(0, 16)}); the main file (${remembered.mainRows}) does not reach them`,
                }
              : {}),
      };
      const journal = readJournal(folder);
      if (vault.rekeyNotice || journal) {
        report.rekey = {
          notice: vault.rekeyNotice,
          recoveryKeyPending: Boolean(journal?.committed && journal.recoveryKey),
        };
      }
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
          if (report.strays.some((s) => s.part === `${BLOB_DIR}/${name}`)) {
            continue; // reported as a stray copy
          }
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
      // A drafts file the current key does not open was sealed under an old one.
      const drafts = readDraftsFile(folder);
      if (drafts) {
        report.drafts = vault.openDrafts(drafts)
          ? { part: DRAFTS_FILE, ok: true }
          : { part: DRAFTS_FILE, ok: false, code: 'DRAFTS_STALE' };
      }
    } finally {
      await vault.close({ discard: true });
    }
  }
  report.files = folderInventory(folder);
  for (const file of report.files) {
    report.kinds[file.kind] = (report.kinds[file.kind] ?? 0) + 1;
  }
  report.ok =
    report.main.ok &&
    (report.anchor?.ok ?? true) &&
    report.generations.every((g) => g.ok) &&
    report.evidence.damaged.length === 0 &&
    report.evidence.missing.length === 0 &&
    report.strays.length === 0 &&
    (report.drafts?.ok ?? true);
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
    report.drafts?.code ??
    report.strays[0]?.code ??
    'CORRUPTED_CONTENT'
  );
}
