/**
 * Process killed during save: a child saves in a loop; the parent kills it (SIGKILL) at random
 * moments, reopens the vault every time and checks it is a complete generation: it opens, the
 * integrity checks and the audit chain pass, and it holds at least every save the child had
 * reported as finished. AWB_KILL_LOOPS sets the count (default 200).
 *
 * The kills are timed from the saves the parent sees, not by a clock: after the child reports
 * 1 to 3 saves, the kill comes a random part of the last save's duration later, which lands it
 * inside (or between) the saves however fast or loaded the machine is.
 */
import { spawn } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Vault } from '../../electron/vault/vault';
import { projectRoot, tempFolder } from '../helpers/context';
import { PASSPHRASE, PROFILE, TEST_CONFIG } from '../helpers/vault';

const LOOPS = Number(process.env.AWB_KILL_LOOPS ?? 200);
const work = tempFolder('awb-kill-');
// Inside the project tree, so the child resolves sql.js from node_modules like the app does.
const childScript = join(projectRoot, 'test-results', `kill-child-${process.pid}.mjs`);
const vaultFolder = join(work.path, 'vault');

beforeAll(async () => {
  // Bundled once so each child starts in plain Node in tens of milliseconds.
  await build({
    entryPoints: [join(projectRoot, 'test', 'fault', 'kill-child.ts')],
    outfile: childScript,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['sql.js', 'hash-wasm'],
    logLevel: 'silent',
  });
  const { vault } = await Vault.create(vaultFolder, PASSPHRASE, PROFILE, TEST_CONFIG);
  await vault.close();
});
afterAll(() => {
  work.cleanup();
  rmSync(childScript, { force: true });
});

function runAndKill(savesBeforeKill: number, fraction: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childScript, vaultFolder], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let lastSaved = -1;
    let seen = 0;
    let last = 0;
    let buffer = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        const now = performance.now();
        if (line === 'ready') {
          last = now;
        } else if (line.startsWith('saved ')) {
          lastSaved = Number(line.slice(6));
          seen++;
          if (seen === savesBeforeKill) {
            // A part of the last save's duration from now: inside the next save, or between.
            setTimeout(() => child.kill('SIGKILL'), (now - last) * fraction);
          }
          last = now;
        }
      }
    });
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') {
        reject(new Error(`child ended without being killed: ${stderr}`));
      } else {
        resolve(lastSaved);
      }
    });
  });
}

describe('kill loop', () => {
  it(`reopens at a complete generation after each of ${LOOPS} kills`, async () => {
    let highest = 0;
    let aheadOfReport = 0;
    for (let i = 0; i < LOOPS; i++) {
      const reported = await runAndKill(1 + Math.floor(Math.random() * 3), Math.random() * 1.5);
      const vault = await Vault.open(vaultFolder, { passphrase: PASSPHRASE }, TEST_CONFIG);
      await vault.checksDone();
      const counter = Number(vault.meta('counter') ?? '0');
      expect(vault.integrity, `kill ${i}`).toBe('ok');
      expect(vault.audit.intact, `kill ${i}`).toBe(true);
      expect(counter, `kill ${i}: lost a save the child had finished`).toBeGreaterThanOrEqual(
        Math.max(reported, highest),
      );
      if (counter > reported) {
        aheadOfReport++; // killed after a save reached disk but before it was reported
      }
      highest = counter;
      await vault.close({ discard: true });
      expect(readdirSync(vaultFolder).filter((n) => n.includes('.tmp-'))).toEqual([]);
    }
    // Every child reported at least one save before its kill, and none of them was lost.
    expect(highest).toBeGreaterThanOrEqual(LOOPS);
    console.log(
      `kill loop: ${LOOPS} kills, ${highest} saves survived, ${aheadOfReport} kills after an unreported save`,
    );
  }, 600_000);
});
