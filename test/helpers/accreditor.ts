/**
 * An accreditor as four eyes takes one (first signer or countersigner): certified by a CA the
 * vault trusts as the authority (with the CA's current CRL), made by the product's own small CA
 * (electron/signing/authority.ts), as the demo makes its accreditors.
 */
import type { VaultServices } from '../../electron/services';
import { fingerprintsOf } from '../../electron/areas/identities/use-cases';
import {
  createAuthority,
  issueIdentity,
  revocationList,
  type CertificationAuthority,
} from '../../electron/signing/authority';
import type { KeyAlgorithm } from '../../electron/signing/identity';
import { derOf, toPem } from '../../electron/signing/x509';

export interface IssuedAccreditor {
  identityId: string;
  ca: CertificationAuthority;
  /** The CA's certificate (PEM) and its CRL (DER), for another vault or a verifier. */
  caPem: string;
  crl: Buffer;
}

/**
 * A signing identity in `services`' vault, certified by a new CA (or `ca`), the CA trusted as
 * the authority and its CRL imported.
 */
export async function issuedAccreditor(
  services: Pick<VaultServices, 'signing'>,
  input: {
    commonName: string;
    organisation?: string;
    algorithm?: KeyAlgorithm;
    label?: string;
    ca?: CertificationAuthority;
  },
): Promise<IssuedAccreditor> {
  const organisation = input.organisation ?? 'Myndigheden';
  const ca =
    input.ca ??
    (await createAuthority({
      commonName: `${organisation} CA`,
      organisation,
      algorithm: 'ec-p256',
    }));
  const identityId = await services.signing.addIssued(
    await issueIdentity(ca, {
      commonName: input.commonName,
      organisation,
      algorithm: input.algorithm ?? 'ec-p256',
    }),
    input.label ?? `${input.commonName} (issued by ${organisation} CA)`,
  );
  const caPem = toPem(derOf(ca.cert));
  const trusted = new Set(services.signing.trusted().map((t) => t.fingerprint));
  const [caFingerprint] = fingerprintsOf(caPem);
  if (!trusted.has(caFingerprint!)) {
    await services.signing.trust(caPem, 'authority', fingerprintsOf(caPem));
  }
  const crl = await revocationList(ca);
  await services.signing.addCrl(crl);
  return { identityId, ca, caPem, crl };
}
