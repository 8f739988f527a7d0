/**
 * The tests that guard the exchange, the vault and the audit chain, for StrykerJS
 * (`npm run mutate:exchange`): each mutant of those files must make one of them fail. The fault
 * tests that kill child processes are left out: a child does not run the mutant under test.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: process.env.AWB_MUTATION_TESTS?.split(',') ?? [
      'test/integration/audit-chain.test.ts',
      'test/integration/exchange.test.ts',
      'test/integration/package-format.test.ts',
      'test/integration/package-rules.test.ts',
      'test/unit/envelope.test.ts',
      'test/integration/vault.test.ts',
      'test/integration/vault-hostile.test.ts',
      'test/integration/vault-kdf.test.ts',
      'test/integration/vault-check.test.ts',
      'test/integration/vault-service.test.ts',
      'test/integration/blobs.test.ts',
      'test/integration/damaged-evidence.test.ts',
      'test/integration/export-lock.test.ts',
      'test/integration/idle-drafts.test.ts',
      'test/unit/kdf-floor.test.ts',
      'test/fault/container.test.ts',
      'test/fault/save-faults.test.ts',
    ],
    environment: 'node',
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
