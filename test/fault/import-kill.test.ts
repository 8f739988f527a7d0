/**
 * A kill during an import leaves no evidence nothing refers to. The child is killed (SIGKILL)
 * after each evidence file it seals, and just before the vault would be saved; every time, the
 * next unlock finds the vault as it was before the import — no case, no journal left, and every
 * file in the evidence store referred to by the vault. An import left to finish is all there.
 */
import { spawn } from 'node:child_process';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../electron/services';
import { referencedAddresses, Vault } from '../../electron/vault/vault';
import { projectRoot, tempFolder } from '../helpers/context';
import { answerAll, introduce, makeParty } from '../helpers/parties';
import { PASSPHRASE, PROFILE, TEST_CONFIG } from '../helpers/vault';

const work = tempFolder('awb-import-kill-');
// Two folders down, as the built app sits in dist/electron: it finds resources/ as the app does.
const childScript = join(projectRoot, 'test-results', 'import-child', `${process.pid}.mjs`);
const pristine = join(work.path, 'authority');
// The authority's vault is made once, then copied for each run.
const EVIDENCE = 3;
let packageFile = '';
let caseId = '';

beforeAll(async () => {
  await build({
    entryPoints: [join(projectRoot, 'test', 'fault', 'import-child.ts')],
    outfile: childScript,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['sql.js', 'hash-wasm', 'pkcs11js'],
    // CommonJS dependencies (tar-stream's) require Node's built-ins.
    banner: {
      js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);",
    },
    logLevel: 'silent',
  });
  const owner = await makeParty(work.path, 'owner', {
    ...PROFILE,
    role: 'system_owner',
    name: 'Olga Owner',
  });
  const authority = await makeParty(work.path, 'authority', PROFILE);
  await introduce(owner, authority);
  const o = owner.services;
  const systemId = await o.register.createSystem({
    ref: 'SYS-K',
    name: 'Killnet',
    phase: 'operational',
    mode: 'dedicated',
    levels: [{ domain: 'national', level: 'RESTRICTED' }],
    userCount: 2,
    minClearance: 'RESTRICTED',
  });
  caseId = await o.cases.createCase({ systemId, type: 'initial' });
  await answerAll(o, caseId);
  for (let i = 0; i < EVIDENCE; i++) {
    const blob = await owner.vault.blobs.put(
      (async function* () {
        yield Buffer.alloc(300_000 + i, i + 1);
      })(),
    );
    await o.cases.addEvidence(
      caseId,
      { ...blob, name: `e${i}.pdf` },
      { type: 'other', title: `Evidence ${i}` },
    );
  }
  await o.cases.transition(caseId, 'submitted', 'Complete');
  packageFile = (
    await o.exchange.exportPackage('submission', caseId, join(work.path, 'packages'), {
      identityId: owner.signingId,
    })
  ).file;
  await owner.vault.close();
  await authority.vault.close();
}, 120_000);

afterAll(() => {
  work.cleanup();
  rmSync(childScript, { force: true });
});

function run(folder: string, mode: string): Promise<{ killed: boolean; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [childScript, folder, packageFile, mode], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (_code, signal) => resolve({ killed: signal === 'SIGKILL', out }));
  });
}

/** The vault after the child: what it holds, and what lies in its folder. */
async function after(folder: string) {
  const blobs = () => readdirSync(join(folder, 'blobs')).filter((n) => /^[0-9a-f]{64}$/.test(n));
  const before = blobs().length;
  const vault = await Vault.open(folder, { passphrase: PASSPHRASE }, TEST_CONFIG);
  try {
    const referenced = new Set(referencedAddresses(vault.database));
    return {
      blobsBeforeUnlock: before,
      orphans: blobs().filter((b) => !referenced.has(b)),
      referenced: referenced.size,
      journals: readdirSync(folder).filter((n) => n.endsWith('.pending')),
      imported: createServices(() => vault).cases.listCases().length,
    };
  } finally {
    await vault.close({ discard: true });
  }
}

describe('a kill during an import', () => {
  const points = [...Array.from({ length: EVIDENCE }, (_, i) => `blob:${i + 1}`), 'save'];
  for (const point of points) {
    it(`at ${point}: the next unlock removes what the import had written`, async () => {
      const folder = join(work.path, point.replace(':', '-'));
      cpSync(pristine, folder, { recursive: true });
      const { killed, out } = await run(folder, point);
      expect(killed, out).toBe(true);
      const state = await after(folder);
      // The killed import had written evidence files (nothing refers to them yet)…
      expect(state.blobsBeforeUnlock).toBeGreaterThan(0);
      // …and the unlock removed them, with the journal that named them.
      expect(state).toMatchObject({ orphans: [], journals: [], referenced: 0, imported: 0 });
    });
  }

  it('left to finish, the import is all there, every file referred to', async () => {
    const folder = join(work.path, 'finished');
    cpSync(pristine, folder, { recursive: true });
    const { killed, out } = await run(folder, 'none');
    expect(killed).toBe(false);
    expect(out).toContain('imported');
    const state = await after(folder);
    expect(state).toMatchObject({ orphans: [], journals: [], referenced: EVIDENCE, imported: 1 });
  });
});
