/**
 * The bench cannot silently break: every scenario of `npm run bench` (test/bench/index.ts) runs
 * once here at a tiny size — the T dataset, 1 MiB of evidence, one round, a one-page dossier —
 * with the test KDF passed in by parameter (the bench itself measures the shipped one). Only
 * that each completes and returns its figures is asserted, never how fast.
 */
import { describe, expect, it } from 'vitest';
import { exchangeFigures, vaultFigures } from '../bench/index';
import { TEST_CONFIG } from '../helpers/vault';

/** A measured figure: a number, and a real one (not NaN, not infinite). */
const figure = {
  asymmetricMatch: (value: unknown) => typeof value === 'number' && Number.isFinite(value),
  toString: () => 'a finite number',
  toAsymmetricMatcher: () => 'a finite number',
};
const spread = { p50: figure, p95: figure, n: figure };

// Generous: a busy machine may be slow, and nothing here is about speed.
const LIMIT = 300_000;

describe('npm run bench, every scenario once at a tiny size', () => {
  it(
    'the vault: unlock, save, checks, register, dashboard, day two and memory',
    async () => {
      const figures = await vaultFigures('T', { config: TEST_CONFIG, rounds: 1, saves: 1 });
      expect(figures).toMatchObject({
        size: 'T',
        dataset: { size: 'T', systems: figure, cases: figure, risks: figure, auditRows: figure },
        databaseBytes: figure,
        unlock: {
          kdfMs: { p50: figure, params: TEST_CONFIG.kdf },
          withoutKdfMs: { p50: figure },
          readDecryptFloorMs: { p50: figure },
          ratioToFloor: figure,
          checksAfterUnlock: {
            untilDoneMs: figure,
            inThisThreadMs: {
              integrityAndForeignKeyCheck: figure,
              auditChainVerification: figure,
              auditRowsVerified: figure,
            },
          },
        },
        saveAfterOneChange: {
          ms: { p50: figure, p95: figure },
          floorMs: { p50: figure, p95: figure },
          ratioToFloor: figure,
        },
        register: {
          systemsSearchPerKeystrokeMs: spread,
          systemsFilterMs: spread,
          recordsListMs: spread,
          recordsAllAtOnceMs: spread,
        },
        dashboard: { summaryMs: spread, riskRegisterAllMs: spread },
        dayTwo: {
          riskRegisterOfSystemMs: spread,
          riskRegisterOfCaseMs: spread,
          editAndRulesMs: spread,
        },
        memory: {
          processRssAfterUnlock: figure,
          processRssAfterSave: figure,
          processRssPeak: figure,
          processBaselineBytes: figure,
          runs: 1,
        },
      });
      expect(figures.unlock.checksAfterUnlock.inThisThreadMs.auditRowsVerified).toBeGreaterThan(0);
    },
    LIMIT,
  );

  it(
    'the exchange: a package exported and imported, the decision signed by four eyes, a dossier',
    async () => {
      const figures = await exchangeFigures(1, {
        config: TEST_CONFIG,
        rounds: 1,
        dossierPages: 1,
      });
      expect(figures).toMatchObject({
        evidenceBytes: 1024 * 1024,
        rounds: 1,
        floorMs: figure,
        packageExport: {
          ms: figure,
          ratioToFloor: figure,
          opensslEncryptAndHashMs: figure,
          ratioToOpenssl: figure,
          encrypted: true,
        },
        packageImport: {
          ms: figure,
          ratioToFloor: figure,
          opensslDecryptAndHashMs: figure,
          ratioToOpenssl: figure,
        },
        decisionLetterRenderAndSignMs: figure,
        // The bench's case is at SECRET: its decision needs, and gets, a second signature.
        decisionCountersignMs: figure,
        decisionSignatures: 2,
        dossierReport: { pages: figure, ms: figure },
      });
      for (const samples of Object.values(figures.samplesMs)) {
        expect(samples).toEqual([figure]);
      }
      expect(figures.dossierReport.pages).toBeGreaterThan(0);
    },
    LIMIT,
  );
});
