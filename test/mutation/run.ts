/**
 * `npm run mutate -- <area> [stryker options]`: StrykerJS over one area at a time, so an area runs
 * on its own rather than everything in one long run. Each area keeps its incremental report in
 * the repository (test/mutation/incremental/<area>.json): a run after a change tests only the
 * mutants the change touched, and the next engineer starts from the last results.
 *
 *   core      shared/ rules, lifecycle, risk arithmetic, translations
 *   signing   electron/signing: structure, update, verifier, CMS, paths, algorithms, four eyes
 *   exchange  electron/exchange and the exchange service
 *   vault     electron/vault
 *   audit     the audit chain (electron/db/audit.ts)
 *   decisions four eyes by level (electron/areas/decisions: four-eyes, repository) and the
 *             letter's declaration
 *
 * Anything after the area goes to Stryker as is, e.g. `--mutate electron/vault/kdf.ts:40-90`,
 * except `--tests <file,file>`: only those test files run (the area's vitest config reads them from
 * AWB_MUTATION_TESTS), so one module is measured against the tests written for it in minutes:
 *
 *   npm run mutate -- signing --mutate electron/signing/path.ts \
 *     --tests test/integration/path-rules.test.ts,test/integration/certificates.test.ts
 */
import { spawnSync } from 'node:child_process';

const AREAS: Record<string, { config: string; mutate?: string[] }> = {
  core: { config: 'stryker.config.json' },
  signing: { config: 'stryker.signing.json' },
  exchange: {
    config: 'stryker.exchange.json',
    mutate: [
      'electron/exchange/*.ts',
      'electron/areas/exchange/*.ts',
      'electron/areas/risks/received.ts',
    ],
  },
  vault: {
    config: 'stryker.exchange.json',
    mutate: ['electron/vault/*.ts', '!electron/vault/kdf-worker.ts'],
  },
  audit: { config: 'stryker.exchange.json', mutate: ['electron/db/audit.ts'] },
  decisions: {
    config: 'stryker.exchange.json',
    mutate: [
      'electron/areas/decisions/four-eyes.ts',
      'electron/areas/decisions/repository.ts',
      'electron/documents/letter-keywords.ts',
    ],
  },
};

const [area, ...given] = process.argv.slice(2);
const at = given.indexOf('--tests');
const tests = at >= 0 ? given[at + 1] : undefined;
const rest = at >= 0 ? [...given.slice(0, at), ...given.slice(at + 2)] : given;
if (at >= 0 && !tests) {
  process.stderr.write('--tests needs a comma-separated list of test files\n');
  process.exit(2);
}
const chosen = area ? AREAS[area] : undefined;
if (!chosen) {
  process.stderr.write(
    `Usage: npm run mutate -- <${Object.keys(AREAS).join('|')}> [stryker options]\n`,
  );
  process.exit(2);
}
const args = [
  'stryker',
  'run',
  chosen.config,
  '--incrementalFile',
  `test/mutation/incremental/${area}.json`,
];
if (chosen.mutate && !rest.includes('--mutate')) {
  args.push('--mutate', chosen.mutate.join(','));
}
const run = spawnSync('npx', [...args, ...rest], {
  stdio: 'inherit',
  env: tests ? { ...process.env, AWB_MUTATION_TESTS: tests } : process.env,
});
process.exit(run.status ?? 1);
