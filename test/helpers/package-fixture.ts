/**
 * The parties and parts the package format's tests write packages with, without a vault: a
 * sender under its organisation's root, RSA and EC recipients and a stranger, and a submission
 * of a JSON part and 700 kB of evidence. Shared by `package-format.test.ts` (standard tools open
 * what is written) and `package-rules.test.ts` (what is read, and what is refused).
 */
import { createPrivateKey, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll } from 'vitest';
import {
  writePackage,
  type Manifest,
  type PartSource,
  type ReadOptions,
} from '../../electron/exchange/package';
import { softwareSigner } from '../../electron/signing/identity';
import { x509 } from '../../electron/signing/x509';
import { tempFolder } from './context';
import { sha256 } from './packages';
import { issue, type Party } from './pki';

export interface PackageParties {
  root: Party;
  sender: Party;
  rsaRecipient: Party;
  ecRecipient: Party;
  stranger: Party;
}

export async function packageParties(): Promise<PackageParties> {
  const root = await issue({ name: 'CN=Owner Org Root', ca: true });
  return {
    root,
    sender: await issue({ name: 'CN=Sender Person,O=Owner Org', issuer: root }),
    rsaRecipient: await issue({
      name: 'CN=Authority Encryption',
      usages: x509.KeyUsageFlags.keyEncipherment,
    }),
    ecRecipient: await issue({
      name: 'CN=Authority Encryption EC',
      usages: x509.KeyUsageFlags.keyAgreement,
      algorithm: 'ec-p256',
    }),
    stranger: await issue({
      name: 'CN=Stranger Encryption',
      usages: x509.KeyUsageFlags.keyEncipherment,
    }),
  };
}

export const evidence = randomBytes(700_000);
export const json = Buffer.from(JSON.stringify({ hello: 'world', æøå: 'Ærø' }));
export const parts: PartSource[] = [
  {
    path: 'parts/submission.json',
    type: 'json',
    sha256: sha256(json),
    size: json.length,
    open: () => Readable.from([json]),
  },
  {
    path: 'parts/evidence-0001',
    type: 'evidence',
    sha256: sha256(evidence),
    size: evidence.length,
    open: () => Readable.from([evidence.subarray(0, 300_000), evidence.subarray(300_000)]),
  },
];
export const header: Omit<Manifest, 'format' | 'version' | 'parts' | 'recipient'> = {
  kind: 'submission',
  createdAt: '2026-12-01T10:00:00.000Z',
  sender: { name: 'Sender Person', organisation: 'Owner Org', role: 'system_owner' },
  case: { id: 'case-1', ref: 'ACME-CASE-2026-0001' },
  system: { id: 'system-1', ref: 'SYS-001' },
  sequence: 1,
  previous: null,
  replyTo: null,
  marking: { text: 'NATO RESTRICTED', rank: 2 },
  auditAnchor: { rows: 12, head: 'ab'.repeat(32) },
};

export const keysOf = (p: Party) => [
  { certificate: p.cert, key: createPrivateKey({ key: p.key, format: 'der', type: 'pkcs8' }) },
];
export const signerOf = (p: Party, chain: Party[] = []) =>
  softwareSigner(p.key, [p.der, ...chain.map((c) => c.der)]);

/** The submission above, written by `parties.sender` to `recipient` as `folder/name`. */
export async function writtenPackage(
  folder: string,
  parties: PackageParties,
  name: string,
  recipient: Party,
) {
  const file = join(folder, name);
  const result = await writePackage(file, {
    manifest: header,
    parts,
    signer: signerOf(parties.sender, [parties.root]),
    recipient: recipient.cert,
  });
  return { file, ...result };
}

export const accept: ReadOptions['authorize'] = () => undefined;

/**
 * The parties of a test file, made once before its tests, and a temporary folder removed after
 * them; `written` writes the submission above into that folder.
 */
export function usePackageParties(prefix: string) {
  const work = tempFolder(prefix);
  let made: PackageParties | undefined;
  const ready = (): PackageParties => {
    if (!made) {
      throw new Error('the package parties are made before the tests (beforeAll)');
    }
    return made;
  };
  beforeAll(async () => {
    made = await packageParties();
  }, 60_000);
  afterAll(() => work.cleanup());
  const parties: PackageParties = {
    get root() {
      return ready().root;
    },
    get sender() {
      return ready().sender;
    },
    get rsaRecipient() {
      return ready().rsaRecipient;
    },
    get ecRecipient() {
      return ready().ecRecipient;
    },
    get stranger() {
      return ready().stranger;
    },
  };
  const written = (name: string, recipient: Party) =>
    writtenPackage(work.path, parties, name, recipient);
  return { work, parties, written };
}
