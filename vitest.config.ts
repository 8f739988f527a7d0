import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/fault/**/*.test.ts'],
    environment: 'node',
    // A timeout guards against a hang, never judges speed: with two CPU-bound processes beside
    // the suite on 2 cores, a long exchange test (many vaults, packages signed and read) has
    // taken over 30 s, so the bound sits well above anything a working test needs.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Two files at once on two cores: much of the suite waits on child processes (pdfsig, qpdf,
    // openssl, the PDF layout worker, the kill loop's children), and one file at a time left a
    // core idle through all of it.
    maxWorkers: 2,
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
  },
});
