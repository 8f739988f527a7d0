/**
 * The unit tests that guard the pure core in shared/ (rules, lifecycle, risk arithmetic,
 * translations and their formats), for StrykerJS (`npm run mutate`): each mutant of these files
 * must make one of them fail.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: process.env.AWB_MUTATION_TESTS?.split(',') ?? [
      'test/unit/rules.test.ts',
      'test/unit/lifecycle.test.ts',
      'test/unit/risk.test.ts',
      'test/unit/i18n.test.ts',
      'test/unit/issues.test.ts',
    ],
    environment: 'node',
    pool: 'forks',
  },
});
