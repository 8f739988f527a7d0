/**
 * Issue 22, item 8: trust after comparison. A certificate becomes a trust anchor only once the
 * user compared its SHA-256 fingerprint with the sender by another channel: the core refuses
 * without the comparison (TRUST_NOT_COMPARED) and with another fingerprint
 * (TRUST_FINGERPRINT_MISMATCH), through the app's contract and the command line alike, and the
 * audit row names the fingerprint.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/index';
import { dispatch } from '../../electron/ipc/dispatch';
import { handlers } from '../../electron/ipc/handlers';
import { Vault } from '../../electron/vault/vault';
import { fingerprintGroups, normaliseFingerprint, readAloud } from '../../shared/fingerprint';
import { makeTestContext, tempFolder, type TestContext } from '../helpers/context';
import { issue, type Party } from '../helpers/pki';
import { PASSPHRASE, PROFILE, TEST_CONFIG } from '../helpers/vault';

const work = tempFolder('awb-trust-compare-');
let tc: TestContext;
let sender: Party;
let other: Party;
let fingerprint: string;

beforeAll(async () => {
  sender = await issue({ name: 'CN=Sender Authority,O=NSM' });
  other = await issue({ name: 'CN=Someone Else' });
  tc = makeTestContext(join(work.path, 'data'));
  await tc.ctx.vault.create(join(work.path, 'vault'), PASSPHRASE, PROFILE);
  fingerprint = tc.ctx.signing.inspect(sender.pem)[0]!.fingerprint;
});
afterAll(async () => {
  await tc.ctx.vault.lock().catch(() => undefined);
  work.cleanup();
});

function auditRows(vault: { database: Vault['database'] }, action: string) {
  return (
    vault.database.exec('SELECT entity_id, changes FROM audit_log WHERE action = ?', [action])[0]
      ?.values ?? []
  ).map(([id, changes]) => ({ id: String(id), changes: JSON.parse(String(changes)) as unknown }));
}

describe('the fingerprint as people read it aloud', () => {
  it('groups pairs of hex four bytes to a group, and reads back what was typed in any form', () => {
    const hex = '3f2a9c017b44e0d1'.repeat(4);
    expect(fingerprintGroups(hex)).toHaveLength(8);
    expect(fingerprintGroups(hex)[0]).toBe('3F 2A 9C 01');
    expect(readAloud(hex).startsWith('3F 2A 9C 01  7B 44 E0 D1  3F')).toBe(true);
    expect(normaliseFingerprint(readAloud(hex))).toBe(hex);
    expect(normaliseFingerprint(readAloud(hex).replace(/ +/g, ':'))).toBe(hex);
    expect(normaliseFingerprint(hex.slice(2))).toBeNull();
    expect(normaliseFingerprint(`${hex.slice(2)}zz`)).toBeNull();
  });
});

describe('trust:add through the contract', () => {
  it('shows the subject and SHA-256 fingerprint of the file before anything is trusted', async () => {
    const r = await dispatch(handlers, 'trust:inspect', { pem: sender.pem }, tc.ctx);
    expect(r).toMatchObject({
      ok: true,
      value: {
        certificates: [
          { subject: expect.stringContaining('Sender Authority') as string, fingerprint },
        ],
      },
    });
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(tc.ctx.signing.trusted()).toEqual([]);
  });

  it('refuses without the comparison and with another fingerprint; nothing is trusted', async () => {
    const audit = () => tc.ctx.vault.current().audit.rows;
    const before = audit();
    expect(
      await dispatch(handlers, 'trust:add', { pem: sender.pem, role: 'authority' }, tc.ctx),
    ).toMatchObject({ ok: false, error: { code: 'TRUST_NOT_COMPARED' } });
    expect(
      await dispatch(
        handlers,
        'trust:add',
        { pem: sender.pem, role: 'authority', compared: [] },
        tc.ctx,
      ),
    ).toMatchObject({ ok: false, error: { code: 'TRUST_NOT_COMPARED' } });
    const otherPrint = tc.ctx.signing.inspect(other.pem)[0]!.fingerprint;
    for (const compared of [[otherPrint], [fingerprint.slice(0, 62) + '00'], ['not hex']]) {
      expect(
        await dispatch(
          handlers,
          'trust:add',
          { pem: sender.pem, role: 'authority', compared },
          tc.ctx,
        ),
      ).toMatchObject({ ok: false, error: { code: 'TRUST_FINGERPRINT_MISMATCH' } });
    }
    // A bundle: every certificate's fingerprint must have been compared, not just one.
    expect(
      await dispatch(
        handlers,
        'trust:add',
        { pem: sender.pem + other.pem, role: 'documents', compared: [fingerprint] },
        tc.ctx,
      ),
    ).toMatchObject({ ok: false, error: { code: 'TRUST_FINGERPRINT_MISMATCH' } });
    expect(tc.ctx.signing.trusted()).toEqual([]);
    expect(audit()).toBe(before);
  });

  it('trusts once the fingerprint, as read aloud, was compared; the audit row holds it', async () => {
    const r = await dispatch(
      handlers,
      'trust:add',
      { pem: sender.pem, role: 'authority', compared: [readAloud(fingerprint)] },
      tc.ctx,
    );
    expect(r).toEqual({ ok: true, value: { fingerprints: [fingerprint] } });
    expect(tc.ctx.signing.trusted().map((c) => c.fingerprint)).toEqual([fingerprint]);
    const rows = auditRows(tc.ctx.vault.current(), 'trust.add');
    expect(rows).toEqual([
      {
        id: fingerprint,
        changes: expect.objectContaining({
          fingerprints: [fingerprint],
          role: 'authority',
          comparedWithSender: true,
        }) as unknown,
      },
    ]);
  });
});

describe('awb trust add', () => {
  const pass = join(work.path, 'pass.txt');
  const certFile = join(work.path, 'sender.pem');
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

  it('shows the fingerprint and refuses without --fingerprint or with another; adds with it', async () => {
    writeFileSync(pass, `${PASSPHRASE}\n`);
    writeFileSync(certFile, sender.pem);
    expect((await cli('vault', 'create', 'cli-v', '--passphrase-file', pass)).code).toBe(0);
    const v = ['--vault', 'cli-v', '--passphrase-file', pass];

    const bare = await cli('trust', 'add', certFile, '--role', 'authority', ...v);
    expect(bare.code).not.toBe(0);
    expect(bare.err).toContain('error: TRUST_NOT_COMPARED');
    expect(bare.err).toContain(`SHA-256: ${readAloud(fingerprint)}`);
    expect(bare.err).toContain('Sender Authority');

    const otherPrint = tc.ctx.signing.inspect(other.pem)[0]!.fingerprint;
    const wrong = await cli('trust', 'add', certFile, '--fingerprint', otherPrint, ...v);
    expect(wrong.code).not.toBe(0);
    expect(wrong.err).toContain('error: TRUST_FINGERPRINT_MISMATCH');
    const listed = await cli('trust', 'list', ...v, '--json');
    expect(JSON.parse(listed.out)).toMatchObject({ trusted: [] });

    const added = await cli(
      'trust',
      'add',
      certFile,
      '--fingerprint',
      readAloud(fingerprint).replace(/ +/g, ':'),
      '--role',
      'authority',
      ...v,
      '--json',
    );
    expect(added.code).toBe(0);
    expect(JSON.parse(added.out)).toMatchObject({ added: [fingerprint], role: 'authority' });

    const opened = await Vault.open(
      join(work.path, 'cli-v'),
      { passphrase: PASSPHRASE },
      TEST_CONFIG,
    );
    try {
      expect(auditRows(opened, 'trust.add')).toEqual([
        {
          id: fingerprint,
          changes: expect.objectContaining({ fingerprints: [fingerprint] }) as unknown,
        },
      ]);
    } finally {
      await opened.close({ discard: true });
    }
  });
});
