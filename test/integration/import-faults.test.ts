/**
 * An import that fails loses nothing: when only its save fails, the change stays in the vault
 * (the next save writes it) with every file it refers to; when the package is refused, the
 * files it added go — except one that something came to refer to meanwhile (the same document
 * uploaded and attached while the package was read is one file in the store) or that an upload
 * waiting to be attached holds.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkVault } from '../../electron/vault/check';
import { nodeFs, type SaveStep } from '../../electron/vault/fsops';
import { Vault, type VaultConfig } from '../../electron/vault/vault';
import { tempFolder } from '../helpers/context';
import { answerAll, introduce, makeParty, type Party } from '../helpers/parties';
import { PASSPHRASE, TEST_CONFIG } from '../helpers/vault';

/** A file system whose save fails at `failAt` while it is set. */
const fault: { failAt: SaveStep | null } = { failAt: null };
const faulty: VaultConfig = {
  ...TEST_CONFIG,
  fs: {
    ...nodeFs,
    step(step) {
      if (fault.failAt === step) {
        throw Object.assign(new Error(`injected failure at ${step}`), { code: 'EIO' });
      }
    },
  },
};

let folder: ReturnType<typeof tempFolder>;
let owner: Party;
let authority: Party;
let n = 0;
/** The last test closes the authority's vault to check its folder. */
let closed = false;

beforeAll(async () => {
  folder = tempFolder('awb-import-faults-');
  const party = (name: string, role: 'accreditor' | 'system_owner', config = TEST_CONFIG) =>
    makeParty(
      folder.path,
      name,
      {
        name: `${name} person`,
        organisation: `${name} org`,
        role,
        referencePrefix: name.slice(0, 3).toUpperCase(),
      },
      { encryption: role === 'accreditor' ? 'rsa-3072' : 'ec-p256', config },
    );
  owner = await party('owner', 'system_owner');
  authority = await party('authority', 'accreditor', faulty);
  await introduce(owner, authority);
});
afterAll(async () => {
  await owner.vault.close({ discard: true });
  if (!closed) {
    await authority.vault.close({ discard: true });
  }
  folder.cleanup();
});

const evidence = (title: string) => ({
  type: 'ssrs',
  title,
  version: '1.0',
  requirementIds: ['DOC-01'],
});

/** A submission of a new system's case with `count` evidence files, exported by the owner. */
async function submission(count: number): Promise<{ file: string; docs: Buffer[] }> {
  const o = owner.services;
  const systemId = await o.register.createSystem({
    ref: `OWN-SYS-${++n}`,
    name: `Net ${n}`,
    phase: 'operational',
    mode: 'system_high',
    levels: [{ domain: 'nato', level: 'SECRET' }],
    userCount: 40,
    minClearance: 'SECRET',
  });
  const caseId = await o.cases.createCase({ systemId, type: 'initial' });
  await answerAll(o, caseId);
  const docs: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const bytes = Buffer.from(`evidence ${i} of system ${n} `.repeat(50));
    docs.push(bytes);
    const blob = await owner.vault.blobs.put(Readable.from([bytes]));
    await o.cases.addEvidence(caseId, { ...blob, name: `doc-${i}.pdf` }, evidence(`Doc ${i}`));
  }
  await o.cases.transition(caseId, 'submitted', 'Dossier complete');
  const out = join(folder.path, 'packages');
  const { file } = await o.exchange.exportPackage('submission', caseId, out, {
    identityId: owner.signingId,
  });
  return { file, docs };
}

const count = (sql: string) => Number(authority.vault.database.exec(sql)[0]?.values[0]?.[0] ?? 0);
const blobFiles = () =>
  (authority.vault.database.exec('SELECT blob_address FROM evidence')[0]?.values ?? []).map((r) =>
    join(authority.vault.folder, 'blobs', String(r[0])),
  );

describe('an import that fails loses nothing', () => {
  it('refused after a file it added came to be the accreditor’s own: that file stays', async () => {
    const { file, docs } = await submission(1);
    const a = authority.services;
    const local = await a.cases.createCase({
      systemId: await a.register.createSystem({
        ref: `OWN-SYS-${n}`,
        name: 'Local',
        phase: 'operational',
        mode: 'system_high',
        levels: [{ domain: 'nato', level: 'SECRET' }],
        userCount: 5,
        minClearance: 'SECRET',
      }),
      type: 'initial',
    });
    // While the package is read, the same document is attached here; then the package is
    // refused (its system's reference is the local one's: REFERENCE_CLASH).
    const store = authority.vault.blobs;
    const put = store.put.bind(store);
    let attached: string | null = null;
    store.put = async (...args: Parameters<typeof put>) => {
      const blob = await put(...args);
      if (attached === null) {
        const mine = await put(Readable.from([docs[0]!]));
        expect(mine).toMatchObject({ address: blob.address, created: false });
        await a.cases.addEvidence(local, { ...mine, name: 'copy.pdf' }, evidence('Local copy'));
        attached = mine.address;
      }
      return blob;
    };
    try {
      await expect(a.exchange.importPackage(file)).rejects.toMatchObject({
        details: { reason: 'REFERENCE_CLASH' },
      });
    } finally {
      store.put = put;
    }
    expect(attached).not.toBeNull();
    expect(existsSync(join(authority.vault.folder, 'blobs', attached!))).toBe(true);
    const [row] = authority.vault.database.exec('SELECT id FROM evidence WHERE case_id = ?', [
      local,
    ])[0]!.values;
    await expect(a.cases.evidenceContent(String(row![0]))).resolves.toBeDefined();
  });

  // Last: it closes the authority's vault to check its folder as saved.
  it('only the save failed: the import stays, with its files, and the next save writes it whole', async () => {
    const { file } = await submission(3);
    const before = count('SELECT count(*) FROM evidence');
    fault.failAt = 'rename';
    try {
      await expect(authority.services.exchange.importPackage(file)).rejects.toMatchObject({
        code: 'SAVE_FAILED',
      });
    } finally {
      fault.failAt = null;
    }
    // In the vault, with every file its rows refer to.
    expect(count('SELECT count(*) FROM evidence')).toBe(before + 3);
    expect(blobFiles().every((f) => existsSync(f))).toBe(true);
    // Taken already: importing it again is a replay, not a second copy.
    await expect(authority.services.exchange.importPackage(file)).rejects.toMatchObject({
      details: { reason: 'PACKAGE_REPLAYED' },
    });
    await authority.vault.save();
    const at = authority.vault.folder;
    await authority.vault.close();
    closed = true;
    const report = await checkVault(at, { passphrase: PASSPHRASE }, TEST_CONFIG);
    expect(report.evidence.missing).toEqual([]);
    expect(report.ok, JSON.stringify(report)).toBe(true);
    const reopened = await Vault.open(at, { passphrase: PASSPHRASE }, TEST_CONFIG);
    try {
      expect(
        Number(reopened.database.exec('SELECT count(*) FROM evidence')[0]!.values[0]![0]),
      ).toBe(before + 3);
    } finally {
      await reopened.close({ discard: true });
    }
  });
});
