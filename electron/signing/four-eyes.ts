/**
 * Four eyes means two people: whether a countersigner is someone other than the first signer,
 * judged on certificates (the vault's own identities before a countersignature is made, and the
 * signatures of a letter received). The countersigner must
 *
 * - hold a different key: the public keys compared by value (an EC key's curve and point, an
 *   RSA key's modulus, whatever its exponent), never a fingerprint or a subject (a second certificate
 *   for the same key, however it writes the key, is the same signer) — SAME_KEY;
 * - not have been issued by the other signer's key, either way round: no certificate on one
 *   signer's chain or path holds the other's key or was signed by it (an accreditor's own key,
 *   even an old self-signed CA:TRUE identity, cannot make a "second accreditor", whichever of
 *   the two signs first) — ISSUED_BY_FIRST_SIGNER;
 * - name a different person by the policy in resources/decisions/four-eyes.json (names.ts:
 *   names read from the certificate's encoding, compared by letters and digits, by look and by
 *   words; a name mixing scripts tells nobody apart) — SAME_PERSON;
 * - chain to an anchor trusted as an authority, its revocation known — NOT_TRUSTED_AS_AUTHORITY;
 * - be certified by a CA that anchor stands for, never trusted pinned as itself, and so must the
 *   first signer: a self-signed identity names whoever made it (one person can make a second in
 *   any name, or sign first under one name of her own and second under the name a CA gave her),
 *   while an organisation's CA vouches for the names it certifies — NOT_CERTIFIED_BY_AUTHORITY.
 *   The names are still compared (the second line: one person holding two certificates).
 */
import type { SamePersonPolicy } from '../../shared/decisions';
import { FOUR_EYES_REFUSALS, type FourEyesRefusal } from '../../shared/signatures';
import { keyValueOf } from './algorithms';
import { cmsCertificates } from './cms';
import { validatePath } from './path';
import { samePerson } from './names';
import { PdfFile } from './pdf-structure';
import { fingerprintOf, readCertificate, x509 } from './x509';

export { FOUR_EYES_REFUSALS, type FourEyesRefusal };

export interface CountersignerInput {
  /** The first signer's certificate. */
  first: x509.X509Certificate;
  /** The countersigner's certificate, and the certificates it comes with (its chain). */
  second: x509.X509Certificate;
  chain: x509.X509Certificate[];
  /** The certificates the first signer's signature came with (its chain), when known. */
  firstChain?: x509.X509Certificate[];
  /** Anchors trusted as an authority, and the CRLs. */
  authority: { anchors: x509.X509Certificate[]; crls: x509.X509Crl[] };
  person: SamePersonPolicy;
  now: Date;
  claimed?: Date | null;
}

export interface FourEyesVerdict {
  reason: FourEyesRefusal;
  detail: string;
}

/** The same key by value, however each certificate writes it (compressed point, no NULL). */
const sameKey = (a: x509.X509Certificate, b: x509.X509Certificate) =>
  keyValueOf(a) === keyValueOf(b);

async function signedWith(
  cert: x509.X509Certificate,
  issuerKey: x509.X509Certificate,
): Promise<boolean> {
  try {
    return await cert.verify({ publicKey: issuerKey.publicKey, signatureOnly: true });
  } catch {
    return false;
  }
}

/** The first certificate among `certs` that holds `signer`'s key or was signed with it. */
async function issuedBy(
  signer: x509.X509Certificate,
  certs: x509.X509Certificate[],
): Promise<x509.X509Certificate | null> {
  for (const cert of certs) {
    if (sameKey(cert, signer) || (await signedWith(cert, signer))) {
      return cert;
    }
  }
  return null;
}

/** What an end entity's key does: sign documents, receive packages. */
const ENTITY_USAGES =
  x509.KeyUsageFlags.digitalSignature |
  x509.KeyUsageFlags.nonRepudiation |
  x509.KeyUsageFlags.keyEncipherment |
  x509.KeyUsageFlags.dataEncipherment |
  x509.KeyUsageFlags.keyAgreement;

/**
 * An anchor that is a certification authority and nothing else: CA:TRUE, allowed to certify,
 * and its key allowed nothing an identity's key does. A certificate whose key may also sign or
 * receive is someone's identity, whoever wrote CA:TRUE into it: it vouches for no name.
 */
function certifierOnly(anchor: x509.X509Certificate): boolean {
  const usage = anchor.getExtension(x509.KeyUsagesExtension)?.usages ?? 0;
  return (
    anchor.getExtension(x509.BasicConstraintsExtension)?.ca === true &&
    (usage & x509.KeyUsageFlags.keyCertSign) !== 0 &&
    (usage & ENTITY_USAGES) === 0
  );
}

/**
 * A signer's path from a CA trusted as the authority, or why there is none: only through an
 * anchor that is a CA and nothing else (certifierOnly), never through one holding the signer's
 * own key (its certificate trusted pinned, however written), which vouches for nobody but
 * itself — NOT_CERTIFIED_BY_AUTHORITY where only such anchors trust it,
 * NOT_TRUSTED_AS_AUTHORITY where none does or its revocation is not known.
 */
export async function certifiedPath(
  signer: x509.X509Certificate,
  pool: x509.X509Certificate[],
  input: Pick<CountersignerInput, 'authority' | 'now'>,
  who: string,
  claimed?: Date | null,
): Promise<{ refused: FourEyesVerdict } | { certificates: x509.X509Certificate[] }> {
  const anchors = input.authority.anchors;
  const pathTo = (trusted: x509.X509Certificate[]) =>
    validatePath({
      signer,
      pool,
      anchors: trusted,
      crls: input.authority.crls,
      now: input.now,
      claimed: claimed ?? null,
    });
  const others = anchors.filter((anchor) => !sameKey(anchor, signer));
  const path = await pathTo(others.filter(certifierOnly));
  if (path.reason) {
    // Refused through CAs alone but trusted through an identity's certificate (round 20h: a
    // self-signed "encryption certificate" with CA:TRUE, handed to the owner, certified a
    // made-up colleague), or through its own: not certified.
    if (!(await pathTo(others)).reason) {
      return {
        refused: {
          reason: 'NOT_CERTIFIED_BY_AUTHORITY',
          detail: `${who}, ${signer.subject}, is certified only through an anchor that is also someone's identity (its key signs or receives as well): four eyes needs certificates issued by a certification authority trusted as the authority`,
        },
      };
    }
    if (!(await pathTo(anchors)).reason) {
      return {
        refused: {
          reason: 'NOT_CERTIFIED_BY_AUTHORITY',
          detail: `${who}, ${signer.subject}, is trusted only as itself: four eyes needs certificates issued by a certification authority trusted as the authority`,
        },
      };
    }
    return {
      refused: {
        reason: 'NOT_TRUSTED_AS_AUTHORITY',
        detail: `${who}: ${path.reason}: ${path.detail ?? 'no path to an anchor trusted as an authority'}`,
      },
    };
  }
  // Trusted means known not to be revoked: a CA-issued signer needs a current CRL (the
  // verifier would call the letter indeterminate without one), so it is refused before it signs.
  const unknown = path.warnings.find((w) => w === 'REVOCATION_UNCHECKED' || w === 'CRL_STALE');
  if (unknown) {
    return {
      refused: {
        reason: 'NOT_TRUSTED_AS_AUTHORITY',
        detail: `${unknown}: whether ${who}'s certificate is revoked is not known here (import its CA's current CRL)`,
      },
    };
  }
  return { certificates: path.certificates };
}

/**
 * Whether `second` may countersign after `first`: null when it may, else the reason it may not
 * (in the order of FOUR_EYES_REFUSALS: the same key, issued by the first signer, the same
 * person, not trusted as an authority, not certified by one).
 */
export async function judgeCountersigner(
  input: CountersignerInput,
): Promise<FourEyesVerdict | null> {
  const { first, second } = input;
  if (sameKey(first, second)) {
    return {
      reason: 'SAME_KEY',
      detail: `${second.subject} holds the same public key as ${first.subject}`,
    };
  }
  const byFirst = await issuedBy(first, [second, ...input.chain]);
  if (byFirst) {
    return {
      reason: 'ISSUED_BY_FIRST_SIGNER',
      detail: `${byFirst.subject} on the countersigner's chain was issued with the first signer's key`,
    };
  }
  // And the other way round: whoever signs first, a puppet of the other is no second person.
  const bySecond = await issuedBy(second, [first, ...(input.firstChain ?? [])]);
  if (bySecond) {
    return {
      reason: 'ISSUED_BY_FIRST_SIGNER',
      detail: `${bySecond.subject} on the first signer's chain was issued with the countersigner's key`,
    };
  }
  const person = samePerson(first, second, input.person);
  if (person) {
    return { reason: 'SAME_PERSON', detail: person };
  }
  const secondPath = await certifiedPath(
    second,
    input.chain,
    input,
    'the countersigner',
    input.claimed,
  );
  if ('refused' in secondPath) {
    return secondPath.refused;
  }
  // The path may run through certificates the store holds: none of them may be the first signer's.
  const onPath = await issuedBy(first, secondPath.certificates.slice(1));
  if (onPath) {
    return {
      reason: 'ISSUED_BY_FIRST_SIGNER',
      detail: `${onPath.subject} on the countersigner's path holds or was issued with the first signer's key`,
    };
  }
  // The first signer is held to the same: a name of its own making beside a certified one is
  // one person's two names (round 20g: a self-signed "Anne Accreditor" first, a CA's "Anne
  // Holm" second, the CA never asked to certify a second person).
  const firstPath = await certifiedPath(
    first,
    input.firstChain ?? [],
    input,
    'the first signer',
    null,
  );
  if ('refused' in firstPath) {
    return firstPath.refused;
  }
  // And the first signer's path through the store, the other way round: a CA the
  // countersigner's key made, trusted here, that made the first signer.
  const onFirstPath = await issuedBy(second, firstPath.certificates.slice(1));
  if (onFirstPath) {
    return {
      reason: 'ISSUED_BY_FIRST_SIGNER',
      detail: `${onFirstPath.subject} on the first signer's path holds or was issued with the countersigner's key`,
    };
  }
  return null;
}

/** One signature of a letter, by its certificates (nothing verified here). */
export interface LetterSigner {
  field: string;
  /** SHA-256 of the signer's certificate. */
  fingerprint: string;
  certificate: x509.X509Certificate;
  /** Every other certificate the signature carries. */
  chain: x509.X509Certificate[];
}

/**
 * The signers of a PDF's signatures as the document stands (the fields of its last revision,
 * which is what the verifier reports and a viewer shows), in the order of the revisions their
 * signatures cover, read the way the verifier reads them (the CMS signer by its sid). A
 * signature dictionary left in an earlier revision but no longer a field of the document is no
 * signer. For judging four eyes on a letter the verifier has already found valid; nothing is
 * verified here.
 */
export function letterSigners(pdf: Uint8Array): LetterSigner[] {
  let file: PdfFile;
  let values;
  try {
    file = PdfFile.parse(pdf);
    values = file.signatureValues(file.last.number);
  } catch {
    return [];
  }
  // The revision a signature covers (where its ByteRange ends); one that covers none goes last.
  const order = (range: number[] | null) => {
    const at = range ? file.revisions.findIndex((r) => r.end === range[2]! + range[3]!) : -1;
    return at < 0 ? Number.MAX_SAFE_INTEGER : at;
  };
  return values
    .map((value) => ({ value, order: order(value.byteRange) }))
    .sort((a, b) => a.order - b.order)
    .flatMap(({ value }) => {
      const read = value.contents ? cmsCertificates(value.contents) : null;
      const certificate = read ? readCertificate(read.signer) : null;
      if (!read || !certificate) {
        return [];
      }
      return [
        {
          field: value.field,
          fingerprint: fingerprintOf(read.signer),
          certificate,
          chain: read.certificates
            .filter((der) => !der.equals(read.signer))
            .flatMap((der) => readCertificate(der) ?? []),
        },
      ];
    });
}

/**
 * Four eyes on a letter: its first two signers judged as a countersignature is judged before it
 * is made. Null when they are two people (the countersigner trusted as an authority); the
 * reason otherwise. A letter with fewer than two signatures is NO_SECOND_SIGNATURE.
 */
export async function judgeLetter(
  pdf: Uint8Array,
  options: Omit<CountersignerInput, 'first' | 'second' | 'chain'>,
): Promise<FourEyesVerdict | null> {
  const [first, second] = letterSigners(pdf);
  if (!first || !second) {
    return { reason: 'NO_SECOND_SIGNATURE', detail: 'the letter has no second signature' };
  }
  return judgeCountersigner({
    ...options,
    first: first.certificate,
    second: second.certificate,
    chain: second.chain,
    firstChain: first.chain,
  });
}
