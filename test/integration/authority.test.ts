/**
 * The small CA the demo (and the tests) certify accreditors with (electron/signing/authority.ts):
 * what it issues is a path the verifier takes, its CRL says who is revoked and until when, and
 * the vault keeps an issued identity only with the issuer that signed it.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type VaultServices } from '../../electron/services';
import { createAuthority, issueIdentity, revocationList } from '../../electron/signing/authority';
import { validatePath } from '../../electron/signing/path';
import { readCertificate, readCrl, x509 } from '../../electron/signing/x509';
import { Vault } from '../../electron/vault/vault';
import { tempFolder } from '../helpers/context';
import { PASSPHRASE, PROFILE, TEST_CONFIG } from '../helpers/vault';

const DAY = 86_400_000;
let folder: ReturnType<typeof tempFolder>;
let vault: Vault;
let services: VaultServices;

beforeAll(async () => {
  folder = tempFolder('awb-authority-');
  ({ vault } = await Vault.create(join(folder.path, 'v'), PASSPHRASE, PROFILE, TEST_CONFIG));
  services = createServices(() => vault);
});
afterAll(async () => {
  await vault.close({ discard: true });
  folder.cleanup();
});

describe('a CA of the demo’s', () => {
  it('issues a signing end entity under a CA of no deeper path, which the verifier takes with its CRL', async () => {
    const now = new Date();
    const ca = await createAuthority({ commonName: 'Test CA', organisation: 'Org', now });
    const basic = ca.cert.getExtension(x509.BasicConstraintsExtension)!;
    expect([basic.ca, basic.pathLength]).toEqual([true, 0]);
    expect(ca.cert.getExtension(x509.KeyUsagesExtension)!.usages).toBe(
      x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
    );
    const identity = await issueIdentity(ca, {
      commonName: 'Ann Issued',
      organisation: 'Org',
      algorithm: 'ec-p256',
      now,
      validYears: 20,
    });
    const leaf = readCertificate(identity.chain[0]!)!;
    expect(leaf.subject).toBe('CN=Ann Issued, O=Org, C=DK');
    expect(leaf.getExtension(x509.BasicConstraintsExtension)!.ca).toBe(false);
    expect(leaf.getExtension(x509.KeyUsagesExtension)!.usages).toBe(
      x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation,
    );
    // Never beyond its CA's validity (ten years), whatever is asked.
    expect(leaf.notAfter.getTime()).toBe(ca.cert.notAfter.getTime());
    const crl = readCrl(await revocationList(ca, { now, nextUpdateDays: 10 }))!;
    // (A CRL's times are to the second.)
    expect(crl.nextUpdate!.getTime()).toBe(Math.floor((now.getTime() + 10 * DAY) / 1000) * 1000);
    const path = await validatePath({
      signer: leaf,
      pool: [],
      anchors: [ca.cert],
      crls: [crl],
      now,
    });
    expect(path).toMatchObject({ reason: null, warnings: [] });
    expect(path.certificates).toHaveLength(2);
    // Revoked by its serial number.
    const revoked = readCrl(await revocationList(ca, { revoked: [leaf.serialNumber], now }))!;
    expect(
      (await validatePath({ signer: leaf, pool: [], anchors: [ca.cert], crls: [revoked], now }))
        .reason,
    ).toBe('CERTIFICATE_REVOKED');
  });

  it('the vault keeps an issued identity only with the issuer that signed it', async () => {
    const ca = await createAuthority({ commonName: 'Keeping CA', organisation: 'Org' });
    const other = await createAuthority({ commonName: 'Other CA', organisation: 'Org' });
    const identity = await issueIdentity(ca, { commonName: 'Bo Issued', organisation: 'Org' });
    for (const chain of [
      [identity.chain[0]!],
      [identity.chain[0]!, Buffer.from(other.cert.rawData)],
    ]) {
      await expect(services.signing.addIssued({ ...identity, chain }, 'Bo')).rejects.toMatchObject({
        code: 'SIGNING_IDENTITY_INVALID',
        details: { reason: 'NOT_ISSUED' },
      });
    }
    expect(services.signing.identities()).toEqual([]);
    const id = await services.signing.addIssued(identity, 'Bo');
    expect(services.signing.identities()).toMatchObject([{ id, kind: 'pkcs12', usage: 'signing' }]);
  });
});
