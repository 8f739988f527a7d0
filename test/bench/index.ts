/**
 * `npm run bench [-- --sizes S,M,L]`: prints JSON figures for the targets the issues name.
 * Never a pass/fail: the figures are for people to read. Each scenario is a function of its
 * size and parameters; `npm test` runs every one once at a tiny size with the test KDF
 * (test/integration/bench.test.ts) so that a change breaking one fails there, and asserts only
 * that it completes with figures of the right shape. The defaults below are what the bench
 * measures; the main runs only when this file is executed directly.
 *
 * Vault (issue 3): unlock (KDF separately), save after one change (p50/p95), the save's ratio
 * to the physical floor measured in the same run (AES-256-GCM seal + write + fsync of the same
 * number of bytes), unlock without KDF against read + decrypt of the same bytes, and memory.
 */
import { issuedAccreditor } from '../helpers/accreditor';
import { execFileSync } from 'node:child_process';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open, readFile, unlink } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { verifyAuditChain } from '../../electron/db/audit';
import { checkIntegrity } from '../../electron/db/engine';
import { deriveKey } from '../../electron/vault/kdf';
import { createServices } from '../../electron/services';
import { RegisterService } from '../../electron/areas/register/use-cases';
import { RecordService } from '../../electron/areas/records/use-cases';
import { PRODUCTION_CONFIG, Vault, vaultPath, type VaultConfig } from '../../electron/vault/vault';
import { answerAll, introduce, judgeAll, makeParty } from '../helpers/parties';
import { TEST_CONFIG } from '../helpers/vault';
import { generate, SIZES, type SizeName } from './dataset';

const PASSPHRASE = 'bench-passphrase-ørred-lanterne';
const PROFILE = { name: 'Bench', organisation: 'Bench', role: 'accreditor' as const };

function rawQuantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

function quantile(values: number[], q: number): number {
  return Number(rawQuantile(values, q).toFixed(2));
}

/** a / b, two decimals, from the unrounded medians (a rounded floor of 0.00 would divide by 0). */
function ratioOfMedians(a: number[], b: number[]): number {
  return Number((rawQuantile(a, 0.5) / rawQuantile(b, 0.5)).toFixed(2));
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const value = await fn();
  return [performance.now() - t0, value];
}

/** The floor: seal the same number of bytes with AES-256-GCM, write, fsync. */
async function floor(folder: string, bytes: number): Promise<number> {
  const plain = randomBytes(bytes);
  const key = randomBytes(32);
  const path = join(folder, `floor-${randomBytes(4).toString('hex')}`);
  const [ms] = await timed(async () => {
    const cipher = createCipheriv('aes-256-gcm', key, randomBytes(12));
    const sealed = [cipher.update(plain), cipher.final(), cipher.getAuthTag()];
    const handle = await open(path, 'wx', 0o600);
    for (const part of sealed) {
      await handle.write(part);
    }
    await handle.sync();
    await handle.close();
  });
  await unlink(path);
  return ms;
}

/** Read + decrypt of the same number of bytes: the floor of an unlock without KDF. */
async function readDecryptFloor(file: string): Promise<number> {
  const key = randomBytes(32);
  const iv = randomBytes(12);
  const [ms] = await timed(async () => {
    const bytes = await readFile(file);
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.update(bytes);
  });
  return ms;
}

/**
 * The register's list queries as a user types and filters (issue 4): each keystroke of a search,
 * and each filter, is one full list query through the service (what the UI calls).
 */
export function registerFigures(vault: Vault) {
  const service = new RegisterService(() => vault);
  const recordService = new RecordService(() => vault, service);
  const keystrokes: number[] = [];
  for (const word of ['SYS-00', 'Ledelsesnet', 'Portal 9', 'xyz']) {
    for (let n = 1; n <= word.length; n++) {
      const t0 = performance.now();
      service.listSystems({ search: word.slice(0, n) });
      keystrokes.push(performance.now() - t0);
    }
  }
  const filters: number[] = [];
  const cases = [
    {},
    { domain: 'nato' },
    { domain: 'eu', level: 'SECRET' },
    { mode: 'multilevel' },
    { phase: 'operational', sort: 'level', descending: true },
    { sort: 'nextReview' },
  ] as const;
  for (let round = 0; round < 3; round++) {
    for (const filter of cases) {
      const t0 = performance.now();
      service.listSystems(filter);
      filters.push(performance.now() - t0);
    }
  }
  // What the records register asks for: a page of 200 and how many match (as records:list).
  const records: number[] = [];
  const recordsAll: number[] = [];
  for (let round = 0; round < 10; round++) {
    for (const filter of [{}, { dueWithinDays: 30 }, { search: 'Record 12' }]) {
      const t0 = performance.now();
      recordService.list({ ...filter, limit: 200 });
      recordService.count(filter);
      records.push(performance.now() - t0);
    }
    const t0 = performance.now();
    recordService.list({});
    recordsAll.push(performance.now() - t0);
  }
  return {
    systemsSearchPerKeystrokeMs: {
      p50: quantile(keystrokes, 0.5),
      p95: quantile(keystrokes, 0.95),
      n: keystrokes.length,
    },
    systemsFilterMs: {
      p50: quantile(filters, 0.5),
      p95: quantile(filters, 0.95),
      n: filters.length,
    },
    recordsListMs: { p50: quantile(records, 0.5), p95: quantile(records, 0.95), n: records.length },
    recordsAllAtOnceMs: {
      p50: quantile(recordsAll, 0.5),
      p95: quantile(recordsAll, 0.95),
      n: recordsAll.length,
      note: 'informational: every record in one list (CSV export, the CLI)',
    },
    target: 'p95 ≤ 50 ms per keystroke filter (L)',
  };
}

/**
 * The portfolio dashboard (issue 6): the whole aggregation the first screen after unlock asks
 * for, and the risk register list, through the services the UI calls.
 */
export function dashboardFigures(vault: Vault) {
  const { dashboard, risks } = createServices(() => vault);
  const summaries: number[] = [];
  for (let round = 0; round < 20; round++) {
    const t0 = performance.now();
    dashboard.summary('2026-06-01');
    summaries.push(performance.now() - t0);
  }
  const lists: number[] = [];
  for (let round = 0; round < 5; round++) {
    const t0 = performance.now();
    risks.listRisks({});
    lists.push(performance.now() - t0);
  }
  return {
    summaryMs: {
      p50: quantile(summaries, 0.5),
      p95: quantile(summaries, 0.95),
      n: summaries.length,
    },
    riskRegisterAllMs: { p50: quantile(lists, 0.5), p95: quantile(lists, 0.95), n: lists.length },
    target: 'dashboard aggregation p95 ≤ 100 ms (L)',
  };
}

/**
 * Day two (issue 14): the risk register of one system and of one case (what the system page and
 * the case list, before any filter in the page), and an edit that re-evaluates the consistency
 * rules: a system's field changed through the service, then the system read back with its
 * violations checked again, as the system page does after a save.
 */
export async function dayTwoFigures(vault: Vault) {
  const { risks, register, cases } = createServices(() => vault);
  const systems = register.listSystems({}).slice(0, 40);
  const caseIds = cases
    .listCases()
    .slice(0, 40)
    .map((c) => c.id);
  const bySystem: number[] = [];
  const byCase: number[] = [];
  for (let round = 0; round < 2; round++) {
    for (const s of systems) {
      const t0 = performance.now();
      risks.listRisks({ systemId: s.id });
      bySystem.push(performance.now() - t0);
    }
    for (const id of caseIds) {
      const t0 = performance.now();
      risks.listRisks({ caseId: id });
      byCase.push(performance.now() - t0);
    }
  }
  const edits: number[] = [];
  for (const s of systems.slice(0, 20)) {
    const { id, ...system } = register.getSystem(s.id).system;
    const t0 = performance.now();
    await register.updateSystem(id, { ...system, userCount: system.userCount + 1 });
    register.getSystem(id);
    edits.push(performance.now() - t0);
  }
  const p = (list: number[]) => ({
    p50: quantile(list, 0.5),
    p95: quantile(list, 0.95),
    n: list.length,
  });
  return {
    riskRegisterOfSystemMs: p(bySystem),
    riskRegisterOfCaseMs: p(byCase),
    editAndRulesMs: {
      ...p(edits),
      what: 'update a system (validated, audited) and read it back with its rules evaluated',
    },
    target: 'p95 ≤ 50 ms each (L)',
  };
}

/** The vault configurations a bench child process can be told to use by name. */
function configName(config: VaultConfig): 'production' | 'test' {
  if (config === PRODUCTION_CONFIG) {
    return 'production';
  }
  if (config === TEST_CONFIG) {
    return 'test';
  }
  throw new Error('the bench runs with PRODUCTION_CONFIG, or TEST_CONFIG when a test asks');
}

/** How the vault scenario runs; the defaults are what the bench measures. */
export interface VaultBenchOptions {
  /** PRODUCTION_CONFIG; a test passes TEST_CONFIG (cheap KDF) — never the bench itself. */
  config?: VaultConfig;
  /** Unlocks timed, and memory processes run (medians reported). */
  rounds?: number;
  /** Saves after one change timed. */
  saves?: number;
}

/**
 * Memory of one unlocked vault, in processes of its own (test/bench/memory-child.ts), `runs`
 * times: RSS after unlock (checks done) and after a save, against the database size; and the
 * peak, sampled, while the checks ran.
 */
export function memoryFigures(
  folder: string,
  bytes: number,
  { config = PRODUCTION_CONFIG, runs = 3 }: { config?: VaultConfig; runs?: number } = {},
) {
  const runsDone = Array.from({ length: runs }, (_, i) => i).map(
    () =>
      JSON.parse(
        execFileSync(
          process.execPath,
          [
            '--expose-gc',
            '--import',
            'tsx',
            join(import.meta.dirname, 'memory-child.ts'),
            folder,
            PASSPHRASE,
            configName(config),
          ],
          { encoding: 'utf8' },
        ),
      ) as { baseline: number; unlocked: number; saved: number; peak: number },
  );
  const ratio = (pick: (r: (typeof runsDone)[number]) => number) =>
    Number((rawQuantile(runsDone.map(pick), 0.5) / bytes).toFixed(2));
  return {
    processRssAfterUnlock: ratio((r) => r.unlocked),
    processRssAfterSave: ratio((r) => r.saved),
    processRssPeak: ratio((r) => r.peak),
    processBaselineBytes: quantile(
      runsDone.map((r) => r.baseline),
      0.5,
    ),
    runs,
    note: `ratios to the database size; RSS of a process holding one unlocked vault (median of ${runs}), with Node and sql.js loaded`,
    target: 'process memory ≤ 4 × database size',
  };
}

/**
 * The vault (issues 3, 4, 6, 14): a vault of the dataset `size` made, then unlock, checks after
 * unlock, save after one change, the register, dashboard and day-two queries, and memory.
 */
export async function vaultFigures(
  size: SizeName,
  { config = PRODUCTION_CONFIG, rounds = 3, saves: saveCount = 15 }: VaultBenchOptions = {},
) {
  const folder = mkdtempSync(join(tmpdir(), `awb-bench-${size}-`));
  try {
    const { vault } = await Vault.create(join(folder, 'v'), PASSPHRASE, PROFILE, config);
    const dataset = generate(vault.database, vault.actor, size);
    await vault.save();
    await vault.close();
    const file = vaultPath(join(folder, 'v'));
    const bytes = statSync(file).size;

    const kdf: number[] = [];
    const unlockTotal: number[] = [];
    const readDecrypt: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const [k] = await timed(() => deriveKey(PASSPHRASE, randomBytes(32), config.kdf));
      kdf.push(k);
      const [u, v] = await timed(() =>
        Vault.open(join(folder, 'v'), { passphrase: PASSPHRASE }, config),
      );
      unlockTotal.push(u);
      await v.close();
      readDecrypt.push(await readDecryptFloor(file));
    }
    const unlockNoKdf = unlockTotal.map((u, i) => u - (kdf[i] ?? 0));

    const [openMs, v] = await timed(() =>
      Vault.open(join(folder, 'v'), { passphrase: PASSPHRASE }, config),
    );
    // The checks after unlock (SQLite's and the whole audit chain) run in a worker beside the
    // app: how long until they finish, and what they would cost in the unlock path.
    const [checksMs] = await timed(() => v.checksDone());
    const [integrityMs] = await timed(async () => checkIntegrity(v.database));
    const [auditChainMs, chain] = await timed(async () => verifyAuditChain(v.database));
    const saves: number[] = [];
    const floors: number[] = [];
    for (let i = 0; i < saveCount; i++) {
      await v.change(
        { action: 'bench', entityType: 'vault_meta', entityId: String(i), changes: {} },
        (db) =>
          db.run('INSERT OR REPLACE INTO vault_meta (key, value) VALUES (?, ?)', [
            'bench',
            String(i),
          ]),
      );
      const [s] = await timed(() => v.save());
      saves.push(s);
      floors.push(await floor(join(folder, 'v'), bytes));
    }
    const register = registerFigures(v);
    const dashboard = dashboardFigures(v);
    const dayTwo = await dayTwoFigures(v);
    await v.close();
    return {
      size,
      dataset,
      databaseBytes: bytes,
      unlock: {
        kdfMs: { p50: quantile(kdf, 0.5), params: config.kdf },
        withoutKdfMs: {
          p50: quantile(unlockNoKdf, 0.5),
          note: 'open total minus a KDF run of the same parameters',
        },
        readDecryptFloorMs: { p50: quantile(readDecrypt, 0.5) },
        ratioToFloor: ratioOfMedians(unlockNoKdf, readDecrypt),
        checksAfterUnlock: {
          untilDoneMs: Number((openMs + checksMs).toFixed(0)),
          note: 'integrity_check, foreign_key_check and the whole audit chain, in a worker after unlock; nothing is saved before they pass',
          inThisThreadMs: {
            integrityAndForeignKeyCheck: Number(integrityMs.toFixed(2)),
            auditChainVerification: Number(auditChainMs.toFixed(2)),
            auditRowsVerified: chain.rows,
          },
        },
        target: 'withoutKdf ≤ 3 × read+decrypt',
      },
      saveAfterOneChange: {
        ms: { p50: quantile(saves, 0.5), p95: quantile(saves, 0.95) },
        floorMs: {
          p50: quantile(floors, 0.5),
          p95: quantile(floors, 0.95),
          what: 'AES-256-GCM seal + write + fsync of the same bytes',
        },
        ratioToFloor: ratioOfMedians(saves, floors),
        target: 'save ≤ 1.5 × floor (L)',
      },
      register,
      dashboard,
      dayTwo,
      memory: memoryFigures(join(folder, 'v'), bytes, { config, runs: rounds }),
    };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** How the exchange scenario runs; the defaults are what the bench measures. */
export interface ExchangeBenchOptions {
  /** PRODUCTION_CONFIG; a test passes TEST_CONFIG (cheap KDF) — never the bench itself. */
  config?: VaultConfig;
  /** Packages exported and imported, one per authority (medians reported). */
  rounds?: number;
  /** Pages of the dossier report rendered. */
  dossierPages?: number;
}

/**
 * Documents and exchange (issue 7): a package of `evidenceMiB` evidence exported and imported,
 * against the floor of hashing and encrypting (and writing) the same bytes once and against
 * openssl cms; then the decision on that case — the letter rendered and signed, and, as a
 * decision at SECRET needs four eyes, countersigned by a second accreditor — and a dossier
 * report of `dossierPages` pages.
 */
export async function exchangeFigures(
  evidenceMiB: number,
  { config = PRODUCTION_CONFIG, rounds = 3, dossierPages = 200 }: ExchangeBenchOptions = {},
) {
  const folder = mkdtempSync(join(tmpdir(), 'awb-bench-exchange-'));
  try {
    const openParty = async (name: string, role: 'accreditor' | 'system_owner') => {
      const party = await makeParty(
        folder,
        name,
        { ...PROFILE, name: `${name} signer`, role },
        // An accreditor certified by a CA: four eyes takes no self-signed signer.
        { config, certified: role === 'accreditor' },
      );
      await party.services.risks.setCriteria({
        matrixId: 'nist-5x5',
        ownerAcceptsUpTo: 'low',
        accreditorAcceptsUpTo: 'high',
        maxAcceptanceMonths: 24,
      });
      return party;
    };
    // Several rounds, medians reported (a single run on a shared disk swings by a factor of
    // two). A case's first package goes to one authority only (the next one answers it), so
    // each round is a case of its own, with the same evidence, sent to an authority of its own.
    const owner = await openParty('owner', 'system_owner');
    const authorities = [];
    for (let i = 0; i < rounds; i++) {
      const party = await openParty(`authority-${i}`, 'accreditor');
      await introduce(owner, party);
      authorities.push(party);
    }
    const authority = authorities[0]!;
    const o = owner.services;
    const systemId = await o.register.createSystem({
      ref: 'SYS-1',
      name: 'Bench system',
      phase: 'operational',
      mode: 'system_high',
      levels: [{ domain: 'nato', level: 'SECRET' }],
      userCount: 10,
      minClearance: 'SECRET',
    });
    const evidenceBytes = Math.round(evidenceMiB * 1024 * 1024);
    // The evidence, also as a plain file for openssl to do the same work by hand.
    const plainFile = join(folder, 'evidence.bin');
    const blob = await owner.vault.blobs.put(
      (async function* () {
        const chunk = randomBytes(4 * 1024 * 1024);
        const handle = await open(plainFile, 'wx', 0o600);
        for (let sent = 0; sent < evidenceBytes; sent += chunk.length) {
          const piece = chunk.subarray(0, Math.min(chunk.length, evidenceBytes - sent));
          await handle.write(piece);
          yield piece;
        }
        await handle.close();
      })(),
    );
    const caseIds: string[] = [];
    for (let i = 0; i < rounds; i++) {
      const caseId = await o.cases.createCase({ systemId, type: 'initial' });
      await answerAll(o, caseId);
      await o.cases.transition(caseId, 'submitted', 'Bench');
      await o.cases.addEvidence(
        caseId,
        { ...blob, name: 'big.bin' },
        { type: 'other', title: 'Big evidence' },
      );
      caseIds.push(caseId);
    }

    // The floor: SHA-256 and AES-256-GCM over the same bytes, written and synced once.
    const floorOnce = async () => {
      const key = randomBytes(32);
      const chunk = randomBytes(4 * 1024 * 1024);
      const path = join(folder, 'floor.bin');
      const [ms] = await timed(async () => {
        const hash = createHash('sha256');
        const cipher = createCipheriv('aes-256-gcm', key, randomBytes(12));
        const handle = await open(path, 'wx', 0o600);
        for (let done = 0; done < evidenceBytes; done += chunk.length) {
          const piece = chunk.subarray(0, Math.min(chunk.length, evidenceBytes - done));
          hash.update(piece);
          await handle.write(cipher.update(piece));
        }
        await handle.write(cipher.final());
        await handle.sync();
        await handle.close();
        hash.digest();
      });
      await unlink(path);
      return ms;
    };

    // The same by hand with openssl: encrypt to the authority's certificate + SHA-256, and
    // decrypt + SHA-256 (as the issue measured it).
    const recipientPem = join(folder, 'recipient.pem');
    const recipientKey = join(folder, 'recipient.key');
    writeFileSync(recipientPem, authority.services.signing.certificatePem(authority.encryptionId));
    writeFileSync(
      recipientKey,
      authority.services.signing
        .decryptionKeys()[0]!
        .key.export({ type: 'pkcs8', format: 'pem' })
        .toString(),
      { mode: 0o600 },
    );
    const openssl = (...args: string[]) =>
      timed(async () => {
        execFileSync('openssl', args, { stdio: 'ignore', maxBuffer: 1 << 20 });
      }).then(([ms]) => ms);
    const sealed = join(folder, 'openssl.p7m');
    const opened = join(folder, 'openssl.out');

    // Interleaved, so a slow spell of the disk weighs on all of them alike.
    const floors: number[] = [];
    const exports: number[] = [];
    const imports: number[] = [];
    const opensslEncrypt: number[] = [];
    const opensslDecrypt: number[] = [];
    for (const [i, party] of authorities.entries()) {
      floors.push(await floorOnce());
      const recipient = party.services.signing.identity(party.encryptionId).fingerprint;
      const [exportMs, written] = await timed(() =>
        o.exchange.exportPackage('submission', caseIds[i]!, join(folder, `out-${i}`), {
          identityId: owner.signingId,
          recipient,
        }),
      );
      exports.push(exportMs);
      imports.push((await timed(() => party.services.exchange.importPackage(written.file)))[0]);
      rmSync(join(folder, `out-${i}`), { recursive: true, force: true });
      opensslEncrypt.push(
        (await openssl(
          ...['cms', '-encrypt', '-binary', '-aes-256-gcm', '-in', plainFile],
          ...['-out', sealed, '-outform', 'DER', recipientPem],
        )) + (await openssl('dgst', '-sha256', plainFile)),
      );
      opensslDecrypt.push(
        (await openssl(
          ...['cms', '-decrypt', '-binary', '-inform', 'DER', '-in', sealed],
          ...['-recip', recipientPem, '-inkey', recipientKey, '-out', opened],
        )) + (await openssl('dgst', '-sha256', opened)),
      );
      rmSync(sealed, { force: true });
      rmSync(opened, { force: true });
    }
    const median = (values: number[]) => rawQuantile(values, 0.5);
    const floorMs = median(floors);
    const exportMs = median(exports);
    const importMs = median(imports);
    const opensslEncryptMs = median(opensslEncrypt);
    const opensslDecryptMs = median(opensslDecrypt);

    // Documents: the decision on the first round's case, as the authority takes it — reviewed
    // (a verdict on every item, which the approval policy asks for before decision_pending),
    // the letter rendered and signed, and (a decision at SECRET needs four eyes) countersigned
    // by a second accreditor the vault trusts as the authority, as the demo does it.
    const a = authority.services;
    const caseId = caseIds[0]!;
    for (const to of ['intake', 'under_review'] as const) {
      await a.cases.transition(caseId, to, to);
    }
    await judgeAll(a, caseId);
    await a.cases.transition(caseId, 'decision_pending', 'Reviewed');
    const { identityId: secondId } = await issuedAccreditor(a, {
      label: 'Bench second accreditor',
      commonName: 'Bench Countersigner',
      organisation: PROFILE.organisation,
    });
    const [letterMs, issued] = await timed(() =>
      a.decisions.issueDecision(caseId, {
        type: 'full_approval',
        identityId: authority.signingId,
        reason: 'Bench.',
      }),
    );
    const [countersignMs] =
      issued.status === 'awaiting_countersignature'
        ? await timed(() =>
            a.decisions.countersign(caseId, { identityId: secondId, reason: 'Bench (four eyes).' }),
          )
        : [null];
    const spec = a.decisions.dossierSpec(caseId, 'en');
    const compliance = spec.sections.find((x) => x.type === 'table');
    if (compliance?.type === 'table') {
      const rows = compliance.rows;
      while (compliance.rows.length < dossierPages * 32) {
        compliance.rows.push(...rows.slice(0, dossierPages * 32 - compliance.rows.length));
      }
    }
    const [dossierMs, dossier] = await timed(() => a.decisions.render(spec));
    const pages = (dossier.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    await owner.vault.close({ discard: true });
    for (const party of authorities) {
      await party.vault.close({ discard: true });
    }
    return {
      evidenceBytes,
      rounds,
      samplesMs: {
        floor: floors.map(Math.round),
        export: exports.map(Math.round),
        import: imports.map(Math.round),
        opensslEncrypt: opensslEncrypt.map(Math.round),
        opensslDecrypt: opensslDecrypt.map(Math.round),
      },
      floorMs: Number(floorMs.toFixed(0)),
      packageExport: {
        ms: Number(exportMs.toFixed(0)),
        ratioToFloor: Number((exportMs / floorMs).toFixed(2)),
        opensslEncryptAndHashMs: Number(opensslEncryptMs.toFixed(0)),
        ratioToOpenssl: Number((exportMs / opensslEncryptMs).toFixed(2)),
        encrypted: true,
      },
      packageImport: {
        ms: Number(importMs.toFixed(0)),
        ratioToFloor: Number((importMs / floorMs).toFixed(2)),
        opensslDecryptAndHashMs: Number(opensslDecryptMs.toFixed(0)),
        ratioToOpenssl: Number((importMs / opensslDecryptMs).toFixed(2)),
      },
      target:
        'package export and import ≤ 1.5 × hashing + encrypting the same bytes, and faster than openssl cms (ratioToOpenssl < 1)',
      decisionLetterRenderAndSignMs: Number(letterMs.toFixed(0)),
      decisionCountersignMs: countersignMs === null ? null : Number(countersignMs.toFixed(0)),
      decisionSignatures: issued.status === 'awaiting_countersignature' ? 2 : 1,
      dossierReport: { pages, ms: Number(dossierMs.toFixed(0)) },
    };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** The figures of one run, as printed: the vault at each size, then the exchange (or null). */
export async function runBench(args: readonly string[]) {
  const value = (name: string) => {
    const at = args.indexOf(name);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const sizes = (value('--sizes') ?? 'S,M,L').split(',').filter((s): s is SizeName => s in SIZES);
  const vault = [];
  for (const size of sizes) {
    vault.push(await vaultFigures(size));
  }
  const exchange = args.includes('--vault-only')
    ? null
    : await exchangeFigures(Number(value('--evidence-mib') ?? 200));
  return {
    machine: { node: process.version, platform: process.platform, cpus: cpus().length },
    vault,
    exchange,
  };
}

// The main: only when this file is run (`npm run bench`), never when a test imports it.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${JSON.stringify(await runBench(process.argv.slice(2)), null, 2)}\n`);
}
