/**
 * The tests that guard the trust core (the PDF signature verifier, certificate paths, the
 * algorithm policy, four eyes), for StrykerJS (`npm run mutate:signing`): each mutant of those
 * files must make one of them fail.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // AWB_MUTATION_TESTS (comma-separated paths, set by `npm run mutate -- … --tests …`) runs a
    // focused part of the suite: one module's mutants against the tests written for it, in minutes.
    include: process.env.AWB_MUTATION_TESTS?.split(',') ?? [
      'test/integration/signatures.test.ts',
      'test/integration/forgeries.test.ts',
      'test/integration/forgeries-content.test.ts',
      'test/integration/certificates.test.ts',
      'test/integration/four-eyes.test.ts',
      'test/integration/four-eyes-rules.test.ts',
      'test/unit/signing-core.test.ts',
      'test/integration/countersignature-update.test.ts',
      'test/integration/algorithms.test.ts',
      'test/integration/forgeries-structure.test.ts',
      'test/integration/path-rules.test.ts',
      'test/integration/cms-rules.test.ts',
      'test/integration/verify-rules.test.ts',
      'test/integration/verify-faults.test.ts',
      'test/integration/pdf-structure-rules.test.ts',
      'test/integration/static-content-rules.test.ts',
      'test/integration/static-content-budget.test.ts',
      'test/unit/content-stream.test.ts',
    ],
    environment: 'node',
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    env: { AWB_MUTATION: '1' },
  },
});
