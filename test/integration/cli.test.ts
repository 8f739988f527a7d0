import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/index';
import { softwareSigner } from '../../electron/signing/identity';
import { signPdf } from '../../electron/signing/sign';
import { fingerprintsOf } from '../../electron/areas/identities/use-cases';
import { Vault, vaultPath } from '../../electron/vault/vault';
import { projectRoot, tempFolder } from '../helpers/context';
import { appendUpdate, contentStreamOf, letter, signLetter, SLOTS, stream } from '../helpers/pdf';
import { withoutLastRevision } from '../helpers/forge';
import { overlappingWords, pdfWords } from '../helpers/pdf-words';
import { crl, issue } from '../helpers/pki';
import { PASSPHRASE, rewriteVault, TEST_CONFIG } from '../helpers/vault';

const work = tempFolder('awb-cli-');
const pass = join(work.path, 'pass.txt');
const newPass = join(work.path, 'new.txt');
const weak = join(work.path, 'weak.txt');

beforeAll(() => {
  writeFileSync(pass, `${PASSPHRASE}\n`);
  writeFileSync(newPass, 'trompet-hegn-morgengry-1987');
  writeFileSync(weak, 'password1');
});
afterAll(() => work.cleanup());

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, {
    out: (t) => (out += t),
    err: (t) => (err += t),
    config: TEST_CONFIG,
    cwd: work.path,
  });
  return { code, out, err };
}

describe('awb vault (in process)', () => {
  it('create prints the recovery key once; check passes; change-passphrase and recover work', async () => {
    const created = await cli(
      'vault',
      'create',
      'v1',
      '--passphrase-file',
      pass,
      '--name',
      'Ole',
      '--json',
    );
    expect(created.code).toBe(0);
    const { recoveryKey } = JSON.parse(created.out) as { recoveryKey: string };
    expect(recoveryKey).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){10}$/);

    const check = await cli('vault', 'check', 'v1', '--passphrase-file', pass, '--json');
    expect(check.code).toBe(0);
    expect(JSON.parse(check.out)).toMatchObject({
      ok: true,
      main: { ok: true, integrity: 'ok', audit: { intact: true, rows: 1 } },
      generations: [],
      evidence: { checked: 0, damaged: [], missing: [], orphaned: [] },
    });

    // Changing the passphrase re-keys the vault and issues a new recovery key.
    const changed = await cli(
      'vault',
      'change-passphrase',
      'v1',
      '--passphrase-file',
      pass,
      '--new-passphrase-file',
      newPass,
      '--json',
    );
    expect(changed.code, changed.err).toBe(0);
    const rekeyed = (JSON.parse(changed.out) as { recoveryKey: string }).recoveryKey;
    expect(rekeyed).not.toBe(recoveryKey);
    expect((await cli('vault', 'check', 'v1', '--passphrase-file', pass)).err).toContain(
      'error: WRONG_PASSPHRASE',
    );
    expect((await cli('vault', 'check', 'v1', '--passphrase-file', newPass)).code).toBe(0);

    // The old recovery key opens nothing; the new one does.
    writeFileSync(join(work.path, 'old-rk.txt'), recoveryKey);
    const stale = await cli(
      'vault',
      'recover',
      'v1',
      '--recovery-key-file',
      'old-rk.txt',
      '--new-passphrase-file',
      pass,
    );
    expect(stale.err).toContain('error: WRONG_RECOVERY_KEY');
    writeFileSync(join(work.path, 'rk.txt'), rekeyed);
    const recovered = await cli(
      'vault',
      'recover',
      'v1',
      '--recovery-key-file',
      'rk.txt',
      '--new-passphrase-file',
      pass,
    );
    expect(recovered.code).toBe(0);
    expect((await cli('vault', 'check', 'v1', '--passphrase-file', pass)).code).toBe(0);
  });

  it('refuses a weak passphrase, and usage errors exit 2', async () => {
    const r = await cli('vault', 'create', 'v2', '--passphrase-file', weak);
    expect(r.code).toBe(1);
    expect(r.err).toContain('error: WEAK_PASSPHRASE');
    expect((await cli('vault', 'create', 'v3')).code).toBe(2);
    expect((await cli('nonsense')).code).toBe(2);
    expect((await cli('vault', 'check', 'v1', '--bogus')).code).toBe(2);
  });

  it('reports a broken audit chain as AUDIT_CHAIN_BROKEN', async () => {
    await cli('vault', 'create', 'v4', '--passphrase-file', pass);
    // Edited with a tool of one's own (the app itself saves no broken trail), anchor updated.
    await rewriteVault(
      join(work.path, 'v4'),
      (db) => db.run("UPDATE audit_log SET action = 'rewritten' WHERE seq = 1"),
      'update',
    );
    const r = await cli('vault', 'check', 'v4', '--passphrase-file', pass, '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({
      ok: false,
      error: 'AUDIT_CHAIN_BROKEN',
      main: { ok: false, audit: { intact: false, brokenAt: 1 } },
    });
  });
});

describe('awb vault (real process, shipped KDF)', () => {
  const run = (...args: string[]) =>
    spawnSync(
      join(projectRoot, 'node_modules', '.bin', 'tsx'),
      [join(projectRoot, 'electron', 'cli', 'index.ts'), ...args],
      {
        cwd: work.path,
        encoding: 'utf8',
        timeout: 60_000,
      },
    );

  it('a sound vault exits 0; wrong passphrase, flipped byte, truncation and a weakened KDF each give their code', () => {
    const created = run('vault', 'create', 'real', '--passphrase-file', pass);
    expect(created.status, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/recoveryKey: [0-9A-Z-]{54}/);
    expect(run('vault', 'check', 'real', '--passphrase-file', pass).status).toBe(0);

    const wrong = run('vault', 'check', 'real', '--passphrase-file', weak);
    expect([wrong.status, wrong.stderr.split('\n')[0]]).toEqual([1, 'error: WRONG_PASSPHRASE']);

    const file = vaultPath(join(work.path, 'real'));
    const pristine = readFileSync(file);
    const flipped = Buffer.from(pristine);
    flipped[flipped.length - 40] = (flipped[flipped.length - 40] ?? 0) ^ 1;
    writeFileSync(file, flipped);
    expect(run('vault', 'check', 'real', '--passphrase-file', pass).stderr).toMatch(
      /^error: CORRUPTED_BODY/,
    );

    writeFileSync(file, pristine.subarray(0, pristine.length - 100));
    expect(run('vault', 'check', 'real', '--passphrase-file', pass).stderr).toMatch(
      /^error: TRUNCATED/,
    );

    // A vault written with a KDF below the shipped floor (here: the test KDF) is refused.
    const weakKdf = readFileSync(vaultPath(join(work.path, 'v1')));
    writeFileSync(file, weakKdf);
    expect(run('vault', 'check', 'real', '--passphrase-file', pass).stderr).toMatch(
      /^error: UNSAFE_PARAMETERS/,
    );
  }, 120_000);
});

describe('awb demo, systems list, records list (in process)', () => {
  it('builds a demo vault and lists it as JSON', async () => {
    const demo = await cli('demo', 'demo-v', '--passphrase-file', pass, '--json');
    expect(demo.code).toBe(0);
    expect(JSON.parse(demo.out)).toMatchObject({
      systems: 14,
      records: 32,
      cases: 6,
      risks: 10,
      lifecycle: 2,
    });
    // Every document as a reader sees it: no word runs into the next (a risk's reference in its
    // column, a Danish compound in the records extract's narrow type column).
    const { exports } = JSON.parse(demo.out) as { exports: Record<string, string> };
    const pdfs = Object.values(exports).filter((f) => f.endsWith('.pdf'));
    expect(pdfs).toHaveLength(4);
    for (const pdf of pdfs) {
      const words = pdfWords(pdf);
      expect(words.length, pdf).toBeGreaterThan(100);
      expect(overlappingWords(words), pdf).toEqual([]);
    }
    expect(pdfWords(exports['risk-acceptance']!).map((w) => w.text)).toContain('NISD-RISK-0006');
    expect(
      pdfWords(exports['records-extract']!).filter((w) => w.text === 'Overensstemmelseserklæring')
        .length,
    ).toBeGreaterThan(0);
    const systems = await cli(
      'systems',
      'list',
      '--vault',
      'demo-v',
      '--passphrase-file',
      pass,
      '--json',
    );
    expect(systems.code).toBe(0);
    const listed = JSON.parse(systems.out) as {
      count: number;
      systems: { ref: string; levels: unknown[] }[];
    };
    // The demo's fourteen systems, and the one a system owner's submission brought.
    expect(listed.count).toBe(15);
    expect(listed.systems.map((s) => s.ref)).toEqual(
      expect.arrayContaining(['SYS-001', 'SYS-014', 'FDE-SYS-001']),
    );
    const all = JSON.parse(
      (await cli('records', 'list', '--vault', 'demo-v', '--passphrase-file', pass, '--json')).out,
    ) as { count: number };
    const due = JSON.parse(
      (
        await cli(
          'records',
          'list',
          '--vault',
          'demo-v',
          '--passphrase-file',
          pass,
          '--due-within',
          '30',
          '--json',
        )
      ).out,
    ) as {
      count: number;
      records: { followUpDue: string; status: string }[];
    };
    expect(all.count).toBe(32);
    expect(due.count).toBeGreaterThan(0);
    expect(due.count).toBeLessThan(all.count);
    expect(due.records.every((r) => r.status !== 'closed')).toBe(true);
    expect(
      (
        await cli(
          'records',
          'list',
          '--vault',
          'demo-v',
          '--passphrase-file',
          pass,
          '--due-within',
          'soon',
        )
      ).code,
    ).toBe(2);
    expect((await cli('systems', 'list', '--passphrase-file', pass)).code).toBe(2);

    const listed2 = JSON.parse(
      (await cli('cases', 'list', '--vault', 'demo-v', '--passphrase-file', pass, '--json')).out,
    ) as {
      count: number;
      cases: { ref: string; state: string }[];
    };
    // Eight cases of its own (one approval suspended and reinstated — an approval to test, so
    // soon due for re-accreditation — one system disposed of and closed), and the one received
    // from the demo system owner.
    expect(listed2.count).toBe(9);
    expect(new Set(listed2.cases.map((c) => c.state))).toEqual(
      new Set([
        'draft',
        'submitted',
        'under_review',
        'awaiting_remediation',
        'in_force',
        'cancelled',
        'closed',
        'reaccreditation_due',
      ]),
    );
    const review = listed2.cases.find((c) => c.state === 'under_review');
    const shown = JSON.parse(
      (
        await cli(
          'cases',
          'show',
          review?.ref ?? '',
          '--vault',
          'demo-v',
          '--passphrase-file',
          pass,
          '--json',
        )
      ).out,
    ) as {
      state: string;
      history: { to: string }[];
      progressByArea: { area: string; assessed: number; total: number }[];
      findings: { severity: string }[];
      evidence: { sha256: string }[];
    };
    expect(shown.state).toBe('under_review');
    expect(shown.history.map((h) => h.to)).toEqual(['submitted', 'intake', 'under_review']);
    expect(shown.progressByArea.every((a) => a.assessed === a.total)).toBe(true);
    expect(shown.findings).toHaveLength(1);
    expect(shown.evidence[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(
      (await cli('cases', 'show', 'CASE-0000', '--vault', 'demo-v', '--passphrase-file', pass)).err,
    ).toContain('error: NOT_FOUND');

    type RiskList = {
      criteria: { matrixId: string };
      count: number;
      risks: {
        ref: string;
        case: string | null;
        inherent: { level: string | null };
        residual: { likelihood: number; impact: number; level: string };
        acceptance: { status: string; by: string | null };
      }[];
    };
    const risks = JSON.parse(
      (await cli('risks', 'list', '--vault', 'demo-v', '--passphrase-file', pass, '--json')).out,
    ) as RiskList;
    expect(risks.criteria.matrixId).toBe('nist-5x5');
    expect(risks.count).toBe((JSON.parse(demo.out) as { risks: number }).risks);
    expect(new Set(risks.risks.map((r) => r.acceptance.status))).toEqual(
      new Set(['none', 'accepted', 'reaccept']),
    );
    expect(risks.risks.every((r) => r.residual.level && r.inherent.level)).toBe(true);
    const accepted = risks.risks.find((r) => r.acceptance.status === 'accepted');
    expect(accepted?.acceptance.by).toBe('Demo Accreditor');
    const ofCase = JSON.parse(
      (
        await cli(
          'risks',
          'list',
          '--case',
          review?.ref ?? '',
          '--vault',
          'demo-v',
          '--passphrase-file',
          pass,
          '--json',
        )
      ).out,
    ) as RiskList;
    expect(ofCase.count).toBeGreaterThan(0);
    expect(ofCase.risks.every((r) => r.case === review?.ref)).toBe(true);
    expect(
      (
        await cli(
          'risks',
          'list',
          '--system',
          'SYS-999',
          '--vault',
          'demo-v',
          '--passphrase-file',
          pass,
        )
      ).code,
    ).toBe(1);
    const dashboard = JSON.parse(
      (await cli('dashboard', '--vault', 'demo-v', '--passphrase-file', pass, '--json')).out,
    ) as { pipeline: { state: string; count: number }[]; risks: unknown[] };
    expect(dashboard.pipeline.reduce((n, p) => n + p.count, 0)).toBe(9);
    expect(dashboard.risks.length).toBeGreaterThan(0);
  });
});

describe('awb demo exports, export and verify (in process)', () => {
  const text = (file: string) =>
    spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
      .stdout.split('\f')
      .filter((p) => p.trim() !== '');

  it('the demo writes a signed decision letter, a dossier report, a signed risk acceptance and a records extract', async () => {
    const demo = await cli('demo', 'demo-x', '--passphrase-file', pass, '--json');
    expect(demo.code, demo.err).toBe(0);
    const exports = (JSON.parse(demo.out) as { exports: Record<string, string> }).exports;
    const cert = exports['signer-certificate']!;
    const crlFile = exports['demo-ca']!;
    for (const name of ['decision-letter', 'risk-acceptance']) {
      const report = spawnSync('pdfsig', [exports[name]!], { encoding: 'utf8' }).stdout;
      expect(report, name).toContain('Signature is Valid.');
      expect(report).toContain('Total document signed');
      expect((await cli('verify', exports[name]!, '--trust', cert, '--crl', crlFile)).code).toBe(0);
    }
    // What four eyes was judged by, in the words the Exchange screen uses.
    const judged = await cli(
      ...['verify', exports['decision-letter']!, '--trust', cert, '--crl', crlFile, '--json'],
    );
    expect((JSON.parse(judged.out) as { judged: string }).judged).toMatch(
      /^It declares Full approval NISD-DEC-\d{4}-\d{4} at level SECRET, which needs 2 signatures\.$/,
    );
    // The countersigner is certified by the demo's CA: without its CRL, whether it is revoked
    // is not known, and the letter is indeterminate (exit 3).
    const noCrl = await cli('verify', exports['decision-letter']!, '--trust', cert, '--json');
    expect(noCrl.code).toBe(3);
    expect(JSON.parse(noCrl.out)).toMatchObject({ reason: 'REVOCATION_UNKNOWN' });
    for (const name of [
      'decision-letter',
      'dossier-report',
      'risk-acceptance',
      'records-extract',
    ]) {
      expect(spawnSync('qpdf', ['--check', exports[name]!]).status, name).toBe(0);
      const pages = text(exports[name]!);
      expect(pages.length, name).toBeGreaterThan(0);
      for (const page of pages) {
        // The demo's systems are national and NATO SECRET: the marking names both.
        expect(page, name).toMatch(/HEMMELIGT|TIL TJENESTEBRUG|FORTROLIGT/);
        expect(page, name).toMatch(/Side \d+ af \d+/);
      }
    }
    expect(text(exports['dossier-report']!).length).toBeGreaterThan(3);

    // A flipped byte fails verification with its reason; an unsigned PDF is not valid either.
    const flipped = readFileSync(exports['decision-letter']!);
    flipped[300] = (flipped[300] ?? 0) ^ 1;
    writeFileSync(join(work.path, 'flipped.pdf'), flipped);
    const bad = await cli('verify', 'flipped.pdf');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('error: SIGNATURE_INVALID (DIGEST_MISMATCH)');
    const unsigned = await cli('verify', exports['dossier-report']!, '--json');
    expect(unsigned.code).toBe(3);
    expect(JSON.parse(unsigned.out)).toMatchObject({
      valid: false,
      reason: 'NOT_SIGNED',
      indication: 'INDETERMINATE',
    });
    // Without trust anchors nothing is trusted: a valid letter is INDETERMINATE (exit 3).
    const anchorless = await cli('verify', exports['decision-letter']!);
    expect(anchorless.code).toBe(3);
    expect(anchorless.err).toContain('error: SIGNATURE_INDETERMINATE (SIGNER_NOT_TRUSTED)');
    // The letter as it stood before its countersignature: every signature valid, a field empty.
    writeFileSync(
      join(work.path, 'awaiting.pdf'),
      withoutLastRevision(readFileSync(exports['decision-letter']!)),
    );
    const awaiting = await cli(
      'verify',
      'awaiting.pdf',
      '--trust',
      cert,
      '--crl',
      crlFile,
      '--json',
    );
    expect(awaiting.code).toBe(4);
    expect(awaiting.err).toContain('error: AWAITING_COUNTERSIGNATURE (Signature2)');
    expect(JSON.parse(awaiting.out)).toMatchObject({
      valid: false,
      status: 'awaiting_countersignature',
      indication: 'TOTAL_PASSED',
      unsignedFields: ['Signature2'],
    });
    // --json lists every signature (the demo's approval is countersigned) with its path: both
    // accreditors through the demo's CA.
    const listedSignatures = JSON.parse(
      (
        await cli(
          'verify',
          exports['decision-letter']!,
          '--trust',
          cert,
          '--crl',
          crlFile,
          '--json',
        )
      ).out,
    ) as { valid: boolean; signatures: { field: string; status: string; path: unknown[] }[] };
    expect(listedSignatures.valid).toBe(true);
    expect(listedSignatures.signatures.map((x) => [x.field, x.status, x.path.length])).toEqual([
      ['Signature1', 'valid', 2],
      ['Signature2', 'valid', 2],
    ]);
    // The letter edited after signing (an incremental update replacing the page's text) is refused.
    const letterBytes = readFileSync(exports['decision-letter']!);
    writeFileSync(
      join(work.path, 'edited.pdf'),
      appendUpdate(letterBytes, [
        { num: contentStreamOf(letterBytes), body: stream('DECISION: REFUSED') },
      ]),
    );
    const edited = await cli('verify', 'edited.pdf', '--trust', cert, '--json');
    expect(edited.code).toBe(1);
    expect(edited.err).toContain('error: SIGNATURE_INVALID (MODIFIED_AFTER_SIGNING)');
    expect(JSON.parse(edited.out)).toMatchObject({ indication: 'TOTAL_FAILED' });
    expect(JSON.parse(edited.out)).toMatchObject({
      valid: false,
      reason: 'MODIFIED_AFTER_SIGNING',
    });
    const listed = JSON.parse(
      (await cli('cases', 'list', '--vault', 'demo-x', '--passphrase-file', pass, '--json')).out,
    ) as { cases: { ref: string; state: string; system: string }[] };
    const inForce = listed.cases.find(
      (c) => c.state === 'in_force' && c.system.startsWith('SYS-011'),
    );
    expect(inForce).toBeTruthy();

    // The signed letter kept in the vault is the one exported.
    const out = await cli(
      'export',
      'decision',
      '--vault',
      'demo-x',
      '--passphrase-file',
      pass,
      '--case',
      inForce!.ref,
      '--out',
      'letter.pdf',
      '--json',
    );
    expect(out.code, out.err).toBe(0);
    expect(
      readFileSync(join(work.path, 'letter.pdf')).equals(readFileSync(exports['decision-letter']!)),
    ).toBe(true);
    const dossier = await cli(
      'export',
      'dossier',
      '--vault',
      'demo-x',
      '--passphrase-file',
      pass,
      '--case',
      inForce!.ref,
      '--out',
      'dossier.pdf',
      '--language',
      'en',
    );
    expect(dossier.code, dossier.err).toBe(0);
    expect(text(join(work.path, 'dossier.pdf')).join('\n')).toContain('Compliance matrix');
    expect(
      (
        await cli(
          'export',
          'decision',
          '--vault',
          'demo-x',
          '--passphrase-file',
          pass,
          '--case',
          'CASE-0000',
          '--out',
          'x.pdf',
        )
      ).err,
    ).toContain('error: NOT_FOUND');
    expect(
      (await cli('export', 'decision', '--vault', 'demo-x', '--passphrase-file', pass)).code,
    ).toBe(2);

    // The letter cites its dossier: exported as canonical JSON, it verifies with the letter;
    // a dossier changed by one character does not.
    const dossierJson = await cli(
      ...['export', 'dossier', '--format', 'json', '--vault', 'demo-x'],
      ...['--passphrase-file', pass, '--case', inForce!.ref, '--out', 'dossier.json', '--json'],
    );
    expect(dossierJson.code, dossierJson.err).toBe(0);
    expect(JSON.parse(dossierJson.out)).toMatchObject({ decided: true });
    const withDossier = await cli(
      ...['verify', exports['decision-letter']!, '--trust', cert, '--crl', crlFile],
      ...['--dossier', 'dossier.json', '--json'],
    );
    expect(withDossier.code, withDossier.err).toBe(0);
    expect(JSON.parse(withDossier.out)).toMatchObject({
      valid: true,
      dossier: { matches: true, problem: null },
    });
    writeFileSync(
      join(work.path, 'dossier-changed.json'),
      readFileSync(join(work.path, 'dossier.json'), 'utf8').replace('"compliant"', '"complian1"'),
    );
    const changed = await cli(
      ...['verify', exports['decision-letter']!, '--trust', cert, '--crl', crlFile],
      ...['--dossier', 'dossier-changed.json', '--json'],
    );
    expect(changed.code).toBe(1);
    expect(changed.err).toContain('error: DOSSIER_MISMATCH');

    // The round trip the demo made with its system owner: both packages are standard tars.
    for (const name of ['decision-package', 'submission-package']) {
      expect(readFileSync(exports[name]!).subarray(257, 262).toString()).toBe('ustar');
    }
    const ownerVault = join(work.path, 'demo-x', 'exports', 'owner-vault');
    // The owner's vault verifies the decision package through: signer, parts, letter, dossier.
    const verified = await cli(
      ...['verify', exports['decision-package']!, '--vault', ownerVault],
      ...['--passphrase-file', pass, '--json'],
    );
    expect(verified.code, verified.err).toBe(0);
    expect(JSON.parse(verified.out)).toMatchObject({
      valid: true,
      kind: 'decision',
      dossier: { matches: true },
    });
    // Imported before: refused, the reason in text and in JSON.
    const replay = await cli(
      ...['import', 'package', exports['decision-package']!, '--vault', ownerVault],
      ...['--passphrase-file', pass, '--json'],
    );
    expect(replay.code).toBe(1);
    expect(replay.err).toContain('error: PACKAGE_REJECTED (PACKAGE_REPLAYED)');
    expect(replay.err).toContain('it was imported before');
    expect(JSON.parse(replay.out)).toMatchObject({
      error: 'PACKAGE_REJECTED',
      reason: 'PACKAGE_REPLAYED',
      reasonMessage: 'it was imported before',
    });
    // Another vault is not the recipient; a wrong recipient reads differently from a replay.
    expect((await cli('vault', 'create', 'receiver', '--passphrase-file', pass)).code).toBe(0);
    const elsewhere = await cli(
      ...['import', 'package', exports['submission-package']!, '--vault', 'receiver'],
      ...['--passphrase-file', pass, '--json'],
    );
    expect(elsewhere.code).toBe(1);
    expect(JSON.parse(elsewhere.out)).toMatchObject({ reason: 'WRONG_RECIPIENT' });
    // The authority's vault, asked to take the owner's submission again: a replay too.
    const again = await cli(
      ...['import', 'package', exports['submission-package']!, '--vault', 'demo-x'],
      ...['--passphrase-file', pass, '--dry-run', '--json'],
    );
    expect(JSON.parse(again.out)).toMatchObject({ reason: 'PACKAGE_REPLAYED' });
  }, 120_000);
});

describe('awb identity and awb trust (in process)', () => {
  it('creates and imports identities, keeps anchors and CRLs, and verifies against the vault', async () => {
    const vault = ['--vault', 'pki-vault', '--passphrase-file', pass];
    expect((await cli('vault', 'create', 'pki-vault', '--passphrase-file', pass)).code).toBe(0);
    const created = await cli(
      'identity',
      'create',
      '--label',
      'Ærø key',
      '--name',
      'Åse Ærø – Łukasz',
      '--organisation',
      'Myndigheden',
      '--algorithm',
      'ec-p256',
      ...vault,
      '--json',
    );
    expect(created.code, created.err).toBe(0);
    // An organisation's PKCS#12 with its chain, made by openssl.
    const root = await issue({ name: 'CN=CLI Root, O=Org, C=DK', ca: true });
    const signer = await issue({ name: 'CN=CLI Signer, O=Org, C=DK', issuer: root });
    const dir = work.path;
    writeFileSync(join(dir, 'cli-key.der'), signer.key);
    writeFileSync(join(dir, 'cli-cert.pem'), signer.pem);
    writeFileSync(join(dir, 'cli-root.pem'), root.pem);
    writeFileSync(join(dir, 'cli-p12-pass'), 'Cli-secret-9\n');
    spawnSync('openssl', [
      'pkcs8',
      '-inform',
      'DER',
      '-nocrypt',
      '-in',
      join(dir, 'cli-key.der'),
      '-out',
      join(dir, 'cli-key.pem'),
    ]);
    spawnSync('openssl', [
      'pkcs12',
      '-export',
      '-inkey',
      join(dir, 'cli-key.pem'),
      '-in',
      join(dir, 'cli-cert.pem'),
      '-certfile',
      join(dir, 'cli-root.pem'),
      '-out',
      join(dir, 'cli.p12'),
      '-passout',
      'pass:Cli-secret-9',
    ]);
    const imported = await cli(
      'identity',
      'import',
      'cli.p12',
      '--password-file',
      'cli-p12-pass',
      '--label',
      'Org key',
      ...vault,
    );
    expect(imported.code, imported.err).toBe(0);
    const listed = JSON.parse((await cli('identity', 'list', ...vault, '--json')).out) as {
      identities: { label: string; kind: string; algorithm: string; subject: string }[];
    };
    expect(listed.identities.map((i) => [i.label, i.kind, i.algorithm])).toEqual([
      ['Ærø key', 'self_signed', 'EC P-256'],
      ['Org key', 'pkcs12', 'RSA 2048'],
    ]);
    expect(listed.identities[0]!.subject).toContain('Åse Ærø – Łukasz');
    // The organisation's root and its CRL in the trust store.
    // Trusted once its fingerprint was compared with the sender (given as --fingerprint).
    const rootPrint = fingerprintsOf(root.pem).join(',');
    expect((await cli('trust', 'add', 'cli-root.pem', ...vault)).code).not.toBe(0);
    expect(
      (await cli('trust', 'add', 'cli-root.pem', '--fingerprint', rootPrint, ...vault)).code,
    ).toBe(0);
    writeFileSync(join(dir, 'cli.crl'), Buffer.from((await crl(root, [])).rawData));
    expect((await cli('trust', 'add', 'cli.crl', ...vault)).code).toBe(0);
    const trust = JSON.parse((await cli('trust', 'list', ...vault, '--json')).out) as {
      trusted: { fingerprint: string; subject: string }[];
      crls: { issuer: string; entries: number }[];
    };
    expect(trust.trusted.map((t) => t.subject)).toEqual(
      expect.arrayContaining(['CN=CLI Root, O=Org, C=DK']),
    );
    expect(trust.crls).toEqual([
      expect.objectContaining({ issuer: 'CN=CLI Root, O=Org, C=DK', entries: 0 }),
    ]);
    // A letter signed by the organisation's key verifies against the vault's store, CRL checked.
    const signed = await signPdf(
      await letter(),
      softwareSigner(signer.key, [signer.der, root.der]),
      {
        field: 'Signature1',
        slot: SLOTS[0],
        appearance: { title: 'CLI Signer', lines: [] },
        name: 'CLI Signer',
        reason: 'Test',
        location: 'Test',
        signingTime: new Date(),
      },
    );
    writeFileSync(join(dir, 'org-letter.pdf'), signed);
    const verified = await cli('verify', 'org-letter.pdf', ...vault, '--json');
    expect(verified.code, verified.err).toBe(0);
    expect(JSON.parse(verified.out)).toMatchObject({ valid: true, signatures: [{ warnings: [] }] });
    // Without the root the same letter is not trusted.
    const rootFingerprint = trust.trusted.find(
      (t) => t.subject === 'CN=CLI Root, O=Org, C=DK',
    )!.fingerprint;
    expect((await cli('trust', 'remove', rootFingerprint, ...vault)).code).toBe(0);
    const untrusted = await cli('verify', 'org-letter.pdf', ...vault);
    expect(untrusted.code).toBe(3);
    expect(untrusted.err).toContain('error: SIGNATURE_INDETERMINATE (SIGNER_NOT_TRUSTED)');
  });
});

describe('awb identity export-key (in process)', () => {
  it('exports a software encryption key only when its label is typed again; never a signing key', async () => {
    const vault = ['--vault', 'key-vault', '--passphrase-file', pass];
    expect((await cli('vault', 'create', 'key-vault', '--passphrase-file', pass)).code).toBe(0);
    for (const [label, usage] of [
      ['Signing', 'signing'],
      ['Receiving', 'encryption'],
    ] as const) {
      const made = await cli(
        ...['identity', 'create', '--label', label, '--name', `Key ${label}`],
        ...['--organisation', 'Org', '--usage', usage, ...vault],
      );
      expect(made.code, made.err).toBe(0);
    }
    const exportKey = (...args: string[]) =>
      cli('identity', 'export-key', '--out', 'receiving.pem', ...args, ...vault);
    // Without the typed label, with a wrong one, or for a signing key: refused, nothing written.
    for (const [args, reason] of [
      [['--identity', 'Receiving'], 'NOT_CONFIRMED'],
      [['--identity', 'Receiving', '--confirm', 'receiving'], 'NOT_CONFIRMED'],
      [['--identity', 'Signing', '--confirm', 'Signing'], 'SIGNING_KEY'],
    ] as const) {
      const refused = await exportKey(...args);
      expect(refused.code, args.join(' ')).toBe(1);
      expect(refused.err).toContain(`error: KEY_EXPORT_REFUSED (${reason})`);
      expect(spawnSync('test', ['-e', join(work.path, 'receiving.pem')]).status).not.toBe(0);
    }
    const exported = await exportKey('--identity', 'Receiving', '--confirm', 'Receiving', '--json');
    expect(exported.code, exported.err).toBe(0);
    expect(exported.err).toMatch(/^warning: receiving\.pem holds the private key of "Receiving"/);
    const pem = readFileSync(join(work.path, 'receiving.pem'), 'utf8');
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----[\s\S]*-----BEGIN CERTIFICATE-----/);
    // The key and the certificate belong together (openssl says so), and a second export does
    // not overwrite the first.
    const modulus = (kind: 'rsa' | 'x509') =>
      spawnSync('openssl', [kind, '-in', 'receiving.pem', '-noout', '-modulus'], {
        cwd: work.path,
        encoding: 'utf8',
      }).stdout;
    expect(modulus('rsa')).toBe(modulus('x509'));
    // A file of that name exists now: never overwritten, and said so.
    const again = await exportKey('--identity', 'Receiving', '--confirm', 'Receiving');
    expect(again.err).toContain('error: KEY_EXPORT_REFUSED (FILE_EXISTS)');
    expect(again.err).toContain('a file of that name exists already; it is not overwritten');
    // The export is in the audit trail (the refused second one is not).
    const opened = await Vault.open(
      join(work.path, 'key-vault'),
      { passphrase: PASSPHRASE },
      TEST_CONFIG,
    );
    try {
      const rows = opened.database.exec(
        "SELECT changes FROM audit_log WHERE action = 'identity.keyExported'",
      )[0]?.values;
      expect(rows?.map((r) => JSON.parse(String(r[0])) as { label: string })).toMatchObject([
        { label: 'Receiving', format: 'PKCS#8 PEM, unencrypted' },
      ]);
    } finally {
      await opened.close({ discard: true });
    }
  });
});

describe('awb scripting: register, case, checklist, lifecycle and decision without the app', () => {
  it('loads a system from JSON, opens a case, answers and judges it from CSV, moves it and issues the decision', async () => {
    const v = ['--vault', 'script-v', '--passphrase-file', pass];
    expect(
      (await cli('vault', 'create', 'script-v', '--passphrase-file', pass, '--json')).code,
    ).toBe(0);
    writeFileSync(
      join(work.path, 'systems.json'),
      JSON.stringify([
        {
          ref: 'SCR-1',
          name: 'Scripted net',
          phase: 'operational',
          mode: 'dedicated',
          levels: [{ domain: 'national', level: 'RESTRICTED' }],
          userCount: 3,
        },
      ]),
    );
    const created = await cli('systems', 'create', '--from', 'systems.json', ...v, '--json');
    expect(created.code).toBe(0);
    expect(JSON.parse(created.out)).toMatchObject({ created: 1 });
    // A bad file: the problem named by its path, nothing written.
    writeFileSync(join(work.path, 'bad.json'), JSON.stringify({ ref: 'SCR 2', name: '' }));
    const bad = await cli('systems', 'create', '--from', 'bad.json', ...v);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('error: VALIDATION_FAILED');
    expect(bad.err).toContain('ref:');

    const opened = await cli(
      'cases',
      'open',
      '--system',
      'SCR-1',
      '--type',
      'initial',
      ...v,
      '--json',
    );
    expect(opened.code).toBe(0);
    const { ref, items } = JSON.parse(opened.out) as { ref: string; items: number };
    expect(items).toBeGreaterThan(10);
    const show = async () =>
      JSON.parse((await cli('cases', 'show', ref, ...v, '--json')).out) as {
        state: string;
        items: { requirementId: string; status: string; verdict: string }[];
        blockers: { requirementId: string; problem: string }[];
      };
    const ids = (await show()).items.map((i) => i.requirementId);
    writeFileSync(
      join(work.path, 'answers.csv'),
      `requirement,status,statement\n${ids.map((id) => `${id},compliant,"In place, see SSRS"`).join('\n')}\n`,
    );
    writeFileSync(join(work.path, 'unknown.csv'), 'requirement,status\nNOPE-01,compliant\n');
    expect((await cli('cases', 'answers', ref, '--from', 'unknown.csv', ...v)).err).toContain(
      'NOPE-01 is not a requirement of the case',
    );
    expect((await cli('cases', 'answers', ref, '--from', 'answers.csv', ...v)).code).toBe(0);
    for (const to of ['submitted', 'intake', 'under_review']) {
      expect((await cli('cases', 'move', ref, '--to', to, '--reason', `to ${to}`, ...v)).code).toBe(
        0,
      );
    }
    // The policy holds from the command line too: no decision before every verdict.
    const early = await cli(
      'cases',
      'move',
      ref,
      '--to',
      'decision_pending',
      '--reason',
      'x',
      ...v,
    );
    expect(early.code).toBe(1);
    expect(early.err).toContain('TRANSITION_REFUSED (VERDICTS_MISSING)');
    expect((await show()).blockers.every((b) => b.problem === 'no_verdict')).toBe(true);
    writeFileSync(
      join(work.path, 'verdicts.csv'),
      `requirement,verdict,comment\n${ids.map((id) => `${id},agreed,Verified`).join('\n')}\n`,
    );
    expect((await cli('cases', 'verdicts', ref, '--from', 'verdicts.csv', ...v)).code).toBe(0);
    expect((await show()).blockers).toEqual([]);
    expect(
      (await cli('cases', 'move', ref, '--to', 'decision_pending', '--reason', 'Reviewed', ...v))
        .code,
    ).toBe(0);
    expect(
      (
        await cli(
          'identity',
          'create',
          '--label',
          'Scripted',
          '--name',
          'Ann Accreditor',
          '--organisation',
          'Authority',
          ...v,
        )
      ).code,
    ).toBe(0);
    const issued = await cli(
      'decisions',
      'issue',
      ref,
      '--type',
      'full_approval',
      '--identity',
      'Scripted',
      '--reason',
      'All requirements met.',
      ...v,
      '--json',
    );
    expect(issued.code).toBe(0);
    expect(JSON.parse(issued.out)).toMatchObject({ status: 'issued', state: 'decided' });
    expect(
      (await cli('cases', 'move', ref, '--to', 'in_force', '--reason', 'Sent', ...v)).code,
    ).toBe(0);
    expect((await show()).state).toBe('in_force');
    expect((await cli('cases', 'move', ref, '--to', 'nowhere', '--reason', 'x', ...v)).code).toBe(
      2,
    );
  });
});

describe('awb decisions countersign: four eyes from the command line', () => {
  it('refuses the first signer, an untrusted colleague and a self-signed one trusted as the authority, then takes a colleague certified by a CA trusted as the authority', async () => {
    const v = ['--vault', 'four-eyes-v', '--passphrase-file', pass];
    expect((await cli('vault', 'create', 'four-eyes-v', '--passphrase-file', pass)).code).toBe(0);
    writeFileSync(
      join(work.path, 'secret-system.json'),
      JSON.stringify({
        ref: 'FE-1',
        name: 'Secret net',
        phase: 'operational',
        mode: 'system_high',
        levels: [{ domain: 'nato', level: 'SECRET' }],
        userCount: 5,
        minClearance: 'SECRET',
      }),
    );
    expect((await cli('systems', 'create', '--from', 'secret-system.json', ...v)).code).toBe(0);
    const opened = await cli(
      'cases',
      'open',
      '--system',
      'FE-1',
      '--type',
      'initial',
      ...v,
      '--json',
    );
    const { ref } = JSON.parse(opened.out) as { ref: string };
    const shown = JSON.parse((await cli('cases', 'show', ref, ...v, '--json')).out) as {
      items: { requirementId: string }[];
    };
    const ids = shown.items.map((i) => i.requirementId);
    writeFileSync(
      join(work.path, 'fe-answers.csv'),
      `requirement,status,statement\n${ids.map((id) => `${id},compliant,In place`).join('\n')}\n`,
    );
    writeFileSync(
      join(work.path, 'fe-verdicts.csv'),
      `requirement,verdict\n${ids.map((id) => `${id},agreed`).join('\n')}\n`,
    );
    expect((await cli('cases', 'answers', ref, '--from', 'fe-answers.csv', ...v)).code).toBe(0);
    for (const to of ['submitted', 'intake', 'under_review']) {
      expect((await cli('cases', 'move', ref, '--to', to, '--reason', `to ${to}`, ...v)).code).toBe(
        0,
      );
    }
    expect((await cli('cases', 'verdicts', ref, '--from', 'fe-verdicts.csv', ...v)).code).toBe(0);
    expect(
      (await cli('cases', 'move', ref, '--to', 'decision_pending', '--reason', 'Reviewed', ...v))
        .code,
    ).toBe(0);
    for (const [label, name] of [
      ['First', 'Ann First'],
      ['Second', 'Bo Second'],
    ] as const) {
      expect(
        (
          await cli(
            ...['identity', 'create', '--label', label, '--name', name],
            ...['--organisation', 'Authority', '--algorithm', 'ec-p256', ...v],
          )
        ).code,
      ).toBe(0);
    }
    const issueAs = (identity: string) =>
      cli(
        ...['decisions', 'issue', ref, '--type', 'full_approval', '--identity', identity],
        ...['--reason', 'All requirements met.', ...v, '--json'],
      );
    // Four eyes holds both signers to a CA trusted as the authority: a self-signed identity
    // does not even make the first signature.
    const selfSigned = await issueAs('First');
    expect(selfSigned.code).toBe(1);
    expect(selfSigned.err).toContain(
      'error: FOUR_EYES_SIGNER_NOT_CERTIFIED (NOT_TRUSTED_AS_AUTHORITY)',
    );
    // The accreditors' own PKCS#12 files from the authority's CA, and the CA trusted.
    const ca = await issue({ name: 'CN=Authority CA, O=Authority, C=DK', ca: true });
    writeFileSync(join(work.path, 'authority-ca.pem'), ca.pem);
    writeFileSync(join(work.path, 'authority-ca.crl'), Buffer.from((await crl(ca, [])).rawData));
    writeFileSync(join(work.path, 'p12-password'), 'p12-secret');
    const openssl = (...args: string[]) =>
      expect(spawnSync('openssl', args, { cwd: work.path }).status).toBe(0);
    for (const [label, name] of [
      ['Ann', 'Ann First'],
      ['Third', 'Cy Third'],
    ] as const) {
      const person = await issue({ name: `CN=${name}, O=Authority, C=DK`, issuer: ca });
      writeFileSync(join(work.path, `${label}.key.der`), person.key);
      writeFileSync(join(work.path, `${label}.pem`), person.pem);
      openssl(
        ...['pkcs8', '-inform', 'DER', '-nocrypt', '-in', `${label}.key.der`],
        ...['-out', `${label}.key.pem`],
      );
      openssl(
        ...['pkcs12', '-export', '-inkey', `${label}.key.pem`, '-in', `${label}.pem`],
        ...['-certfile', 'authority-ca.pem', '-out', `${label}.p12`],
        ...['-passout', 'pass:p12-secret'],
      );
      const imported = await cli(
        ...['identity', 'import', `${label}.p12`, '--password-file', 'p12-password'],
        ...['--label', label, ...v],
      );
      expect(imported.code, imported.err).toBe(0);
    }
    const caPrint = fingerprintsOf(ca.pem).join(',');
    const trustCa = await cli(
      ...['trust', 'add', 'authority-ca.pem', '--role', 'authority', '--fingerprint', caPrint],
      ...v,
    );
    expect(trustCa.code, trustCa.err).toBe(0);
    // Trusted, but whether the certificate is revoked is not known without the CA's CRL.
    const withoutCrl = await issueAs('Ann');
    expect(withoutCrl.err).toContain('(NOT_TRUSTED_AS_AUTHORITY)');
    expect(withoutCrl.err).toContain('REVOCATION_UNCHECKED');
    expect((await cli('trust', 'add', 'authority-ca.crl', ...v)).code).toBe(0);
    const issued = await issueAs('Ann');
    expect(issued.code, issued.err).toBe(0);
    expect(JSON.parse(issued.out)).toMatchObject({ status: 'awaiting_countersignature' });
    const countersign = (identity: string) =>
      cli(
        ...['decisions', 'countersign', '--case', ref, '--identity', identity],
        ...['--reason', 'Four eyes.', ...v, '--json'],
      );
    const same = await countersign('Ann');
    expect(same.code).toBe(1);
    expect(same.err).toContain('error: COUNTERSIGNATURE_REFUSED (SAME_KEY)');
    expect(JSON.parse(same.out)).toMatchObject({
      error: 'COUNTERSIGNATURE_REFUSED',
      reason: 'SAME_KEY',
    });
    const untrusted = await countersign('Second');
    expect(untrusted.code).toBe(1);
    expect(untrusted.err).toContain('(NOT_TRUSTED_AS_AUTHORITY)');
    expect(untrusted.err).toContain('trusts as an authority');
    // The colleague's self-signed certificate, trusted as the authority: still trusted only as
    // itself (it names whoever made it), so four eyes takes it from nobody.
    expect(
      (await cli('identity', 'certificates', '--identity', 'Second', '--out', 'second.pem', ...v))
        .code,
    ).toBe(0);
    const secondPrint = fingerprintsOf(readFileSync(join(work.path, 'second.pem'))).join(',');
    expect(
      (
        await cli(
          ...['trust', 'add', 'second.pem', '--role', 'authority'],
          ...['--fingerprint', secondPrint, ...v],
        )
      ).code,
    ).toBe(0);
    const pinned = await countersign('Second');
    expect(pinned.code).toBe(1);
    expect(pinned.err).toContain('error: COUNTERSIGNATURE_REFUSED (NOT_CERTIFIED_BY_AUTHORITY)');
    // A colleague the CA certified: then the countersignature stands.
    const signed = await countersign('Third');
    expect(signed.code, signed.err).toBe(0);
    expect(JSON.parse(signed.out)).toMatchObject({
      status: 'issued',
      state: 'decided',
      signatures: [expect.stringContaining('Ann First'), expect.stringContaining('Cy Third')],
    });
    expect(
      (await cli('export', 'decision', '--case', ref, '--out', 'fe-letter.pdf', ...v)).code,
    ).toBe(0);
    const asLetter = await cli('verify', 'fe-letter.pdf', ...v, '--role', 'authority', '--json');
    expect(asLetter.code, asLetter.err).toBe(0);
    // A countersignature needs a decision that awaits one; a PIN file that is empty is a field error.
    expect((await countersign('Third')).err).toContain('(NOT_AWAITING)');
    writeFileSync(join(work.path, 'empty-pin'), '');
    const again = await cli(
      ...['decisions', 'countersign', '--case', ref, '--identity', 'Third'],
      ...['--reason', 'Again.', '--pin-file', 'empty-pin', ...v],
    );
    expect(again.code).toBe(1);
    expect(again.err).toContain('error: VALIDATION_FAILED');
    expect(again.err).toContain('pin:');
  }, 120_000);
});

describe('awb verify: two signatures are two people', () => {
  it('a letter signed twice with one key, or twice by one person, does not exit 0; two people do', async () => {
    const root = await issue({ name: 'CN=Verify Root, O=Authority, C=DK', ca: true });
    const anne = await issue({ name: 'CN=Anne Verify, O=Authority, C=DK', issuer: root });
    // The same key under another name and serial: the same signer.
    const anneAgain = await issue({
      name: 'CN=Second Accreditor, O=Authority, C=DK',
      issuer: root,
      keyOf: anne,
    });
    const bo = await issue({ name: 'CN=Bo Verify, O=Authority, C=DK', issuer: root });
    // A new key under the same name: the same person by the policy.
    const anneNewKey = await issue({ name: 'CN=Anne Verify, O=Authority, C=DK', issuer: root });
    writeFileSync(join(work.path, 'verify-root.pem'), root.pem);
    writeFileSync(join(work.path, 'verify-root.crl'), Buffer.from((await crl(root, [])).rawData));
    const sign = (pdf: Buffer, who: typeof anne, field: 'Signature1' | 'Signature2') =>
      signLetter(pdf, softwareSigner(who.key, [who.der, root.der]), field, {
        title: who.cert.subject,
        reserve: field === 'Signature1',
      });
    const awaiting = await sign(await letter(), anne, 'Signature1');
    const verify = async (name: string, pdf: Buffer) => {
      writeFileSync(join(work.path, name), pdf);
      return cli(
        ...['verify', name, '--trust', 'verify-root.pem', '--crl', 'verify-root.crl', '--json'],
      );
    };
    const two = await verify('two-people.pdf', await sign(awaiting, bo, 'Signature2'));
    expect(two.code, two.err).toBe(0);
    expect(JSON.parse(two.out)).toMatchObject({ valid: true, status: 'valid' });
    expect(JSON.parse(two.out)).not.toHaveProperty('fourEyes');

    const same = await verify('same-key.pdf', await sign(awaiting, anneAgain, 'Signature2'));
    expect(same.code).toBe(1);
    expect(same.err).toContain('error: SIGNATURE_INVALID (FOUR_EYES_SAME_KEY)');
    const report = JSON.parse(same.out) as Record<string, unknown>;
    expect(report).toMatchObject({
      valid: false,
      status: 'invalid',
      indication: 'TOTAL_FAILED',
      reason: 'FOUR_EYES_SAME_KEY',
      fourEyes: { reason: 'SAME_KEY' },
    });
    // Each signature on its own still verifies: the refusal is the pair's, not a signature's.
    expect((report.signatures as { status: string }[]).map((s) => s.status)).toEqual([
      'valid',
      'valid',
    ]);
    const person = await verify('same-person.pdf', await sign(awaiting, anneNewKey, 'Signature2'));
    expect(person.code).toBe(1);
    expect(person.err).toContain('error: SIGNATURE_INVALID (FOUR_EYES_SAME_PERSON)');

    // One person, two names (round 20g): a self-signed name of her own first, trusted by the
    // verifier as itself, and the name the CA gave her second. No CA certified a second person.
    const own = await issue({ name: 'CN=Anne Own Name, O=Authority, C=DK' });
    writeFileSync(join(work.path, 'own.pem'), own.pem);
    const ownFirst = await signLetter(
      await letter(),
      softwareSigner(own.key, [own.der]),
      'Signature1',
      {
        title: own.cert.subject,
        reserve: true,
      },
    );
    writeFileSync(join(work.path, 'two-names.pdf'), await sign(ownFirst, anne, 'Signature2'));
    const twoNames = await cli(
      ...['verify', 'two-names.pdf', '--trust', 'own.pem', '--trust', 'verify-root.pem'],
      ...['--crl', 'verify-root.crl', '--json'],
    );
    expect(twoNames.code).toBe(1);
    expect(twoNames.err).toContain(
      'error: SIGNATURE_INVALID (FOUR_EYES_NOT_CERTIFIED_BY_AUTHORITY)',
    );
    expect(JSON.parse(twoNames.out)).toMatchObject({
      fourEyes: { reason: 'NOT_CERTIFIED_BY_AUTHORITY' },
    });
  });
});

describe('documents laid out from any working folder (real process)', () => {
  it('the layout worker starts when the command line runs outside the project', () => {
    const script = join(work.path, 'render-here.mts');
    writeFileSync(
      script,
      `import { renderPdf } from ${JSON.stringify(join(projectRoot, 'electron', 'documents', 'render.ts'))};
const pdf = await renderPdf({
  kind: 'records-extract', language: 'en', title: 'Extract', marking: 'RESTRICTED',
  reference: 'REF-1', version: '1', pageLabel: 'Page {page} of {pages}', issuer: 'Authority',
  date: '2026-11-27', sections: [{ type: 'paragraphs', paragraphs: ['One paragraph.'] }],
});
process.stdout.write(pdf.subarray(0, 5).toString('latin1'));
`,
    );
    // The working folder holds no node_modules: tsx is found beside the worker, not here.
    const r = spawnSync(join(projectRoot, 'node_modules', '.bin', 'tsx'), [script], {
      cwd: work.path,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect([r.status, r.stdout], r.stderr).toEqual([0, '%PDF-']);
  });
});
