/**
 * The two sides of an exchange, as tests and the bench set them up: a vault with a signing
 * identity and a separate encryption identity, and the certificates each side gives the other,
 * trusted in their roles.
 */
import { join } from 'node:path';
import type { KEY_ALGORITHMS } from '../../shared/decisions';
import { createServices, type VaultServices } from '../../electron/services';
import { fingerprintsOf } from '../../electron/areas/identities/use-cases';
import { Vault, type Profile, type VaultConfig } from '../../electron/vault/vault';
import { issuedAccreditor } from './accreditor';
import { PASSPHRASE, TEST_CONFIG } from './vault';

export interface Party {
  vault: Vault;
  services: VaultServices;
  signingId: string;
  encryptionId: string;
}

/** A vault in `folder/<name>` for `profile`, with its signing and encryption identities. */
export async function makeParty(
  folder: string,
  name: string,
  profile: Profile,
  options: {
    config?: VaultConfig;
    encryption?: (typeof KEY_ALGORITHMS)[number];
    /**
     * The signing identity certified by a CA of the vault's own, trusted there as the authority
     * with its CRL (an accreditor four eyes takes), instead of self-signed.
     */
    certified?: boolean;
  } = {},
): Promise<Party> {
  const { vault } = await Vault.create(
    join(folder, name),
    PASSPHRASE,
    profile,
    options.config ?? TEST_CONFIG,
  );
  const services = createServices(() => vault);
  const signingId = options.certified
    ? (
        await issuedAccreditor(services, {
          label: `${profile.name} signing`,
          commonName: profile.name,
          organisation: profile.organisation,
          algorithm: 'rsa-3072',
        })
      ).identityId
    : await services.signing.createSelfSigned({
        label: `${profile.name} signing`,
        commonName: profile.name,
        organisation: profile.organisation,
      });
  const encryptionId = await services.signing.createSelfSigned({
    label: `${profile.name} encryption`,
    commonName: `${profile.name} encryption`,
    organisation: profile.organisation,
    algorithm: options.encryption ?? 'rsa-3072',
    usage: 'encryption',
  });
  return { vault, services, signingId, encryptionId };
}

/** The certificates exchanged out of band: each side trusts the other's in its role. */
export async function introduce(owner: Party, authority: Party): Promise<void> {
  const ownerPem = owner.services.signing.exchangeCertificates(owner.signingId);
  await authority.services.signing.trust(ownerPem, 'owner', fingerprintsOf(ownerPem));
  const authorityPem = authority.services.signing.exchangeCertificates(authority.signingId);
  await owner.services.signing.trust(authorityPem, 'authority', fingerprintsOf(authorityPem));
  // And the authority's CAs' CRLs, so that its signers' revocation is known at the owner's.
  for (const crl of authority.services.signing.trustStore('authority').crls) {
    await owner.services.signing.addCrl(Buffer.from(crl.rawData));
  }
}

/** Answers every checklist item of a case (compliant, unless `status` says otherwise). */
export async function answerAll(
  services: VaultServices,
  caseId: string,
  status: (requirementId: string) => 'compliant' | 'non_compliant' = () => 'compliant',
  statement = 'In place.',
): Promise<void> {
  for (const item of services.cases.getCase(caseId).items) {
    await services.cases.updateItem(caseId, item.requirementId, {
      status: status(item.requirementId),
      statement,
    });
  }
}

/** The accreditor's verdict on every checklist item of a case (agreed, unless told otherwise). */
export async function judgeAll(
  services: Pick<VaultServices, 'cases'>,
  caseId: string,
  verdict: 'agreed' | 'disagreed' = 'agreed',
): Promise<void> {
  const ids = services.cases.getCase(caseId).items.map((i) => i.requirementId);
  await services.cases.updateItems(caseId, ids, { verdict });
}

/** A new case of the system taken to "decision pending": every item answered and judged. */
export async function toDecisionPending(
  services: VaultServices,
  systemId: string,
  type: 'initial' | 'reaccreditation' | 'decommissioning' = 'initial',
): Promise<string> {
  const { cases } = services;
  const caseId = await cases.createCase({ systemId, type });
  await answerAll(services, caseId);
  for (const to of ['submitted', 'intake', 'under_review'] as const) {
    await cases.transition(caseId, to, `to ${to}`);
  }
  await judgeAll(services, caseId);
  await cases.transition(caseId, 'decision_pending', 'Reviewed');
  return caseId;
}
