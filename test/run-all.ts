/**
 * `npm test`: every suite in order — typecheck, lint, build, unit/integration (vitest), e2e
 * through the browser preview (Playwright + Debian Chromium, with the _electron suite skipping
 * itself where no runtime exists), and the security gate. Runs them all even after a failure,
 * prints a summary, and exits non-zero if any failed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const bin = (name: string): string => join(root, 'node_modules', '.bin', name);

const steps: { name: string; command: string; args: string[] }[] = [
  { name: 'native', command: bin('tsx'), args: ['electron/dev/native.ts'] },
  { name: 'typecheck', command: 'npm', args: ['run', '--silent', 'typecheck'] },
  { name: 'lint', command: 'npm', args: ['run', '--silent', 'lint'] },
  // The build comes first: the preview-server tests and the e2e suite serve its output.
  { name: 'build', command: bin('tsx'), args: ['electron/dev/build.ts'] },
  { name: 'unit', command: bin('vitest'), args: ['run'] },
  { name: 'e2e', command: bin('playwright'), args: ['test'] },
  { name: 'security', command: bin('tsx'), args: ['test/security/gate.ts'] },
];

// Missing system tools stop the run at once, with the package to install.
if (spawnSync(bin('tsx'), ['test/preflight.ts'], { cwd: root, stdio: 'inherit' }).status !== 0) {
  process.exit(1);
}
rmSync(join(root, 'test-results'), { recursive: true, force: true });
const outcomes: { name: string; ok: boolean; seconds: number }[] = [];
for (const step of steps) {
  const started = Date.now();
  console.log(
    `\n=== ${step.name}: ${[step.command.replace(root + '/', ''), ...step.args].join(' ')}`,
  );
  const run = spawnSync(step.command, step.args, { cwd: root, stdio: 'inherit' });
  outcomes.push({ name: step.name, ok: run.status === 0, seconds: (Date.now() - started) / 1000 });
}

// Test counts from the runners' JSON reports.
let passed = 0;
let failed = 0;
let skipped = 0;
const vitestReport = join(root, 'test-results', 'vitest.json');
if (existsSync(vitestReport)) {
  const v = JSON.parse(readFileSync(vitestReport, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
  };
  passed += v.numPassedTests;
  failed += v.numFailedTests;
  skipped += v.numPendingTests + v.numTodoTests;
}
const playwrightReport = join(root, 'test-results', 'playwright.json');
if (existsSync(playwrightReport)) {
  const p = JSON.parse(readFileSync(playwrightReport, 'utf8')) as {
    stats: { expected: number; unexpected: number; skipped: number; flaky: number };
  };
  passed += p.stats.expected + p.stats.flaky;
  failed += p.stats.unexpected;
  skipped += p.stats.skipped;
}

console.log('\n=== summary');
for (const o of outcomes) {
  console.log(`${o.ok ? 'ok  ' : 'FAIL'} ${o.name.padEnd(10)} ${o.seconds.toFixed(1)} s`);
}
const failedSteps = outcomes.filter((o) => !o.ok).length;
if (failedSteps > 0 && failed === 0) {
  failed = failedSteps; // a step without a test report (typecheck, lint, build, gate) failed
}
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failedSteps === 0 ? 0 : 1);
