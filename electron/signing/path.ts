/**
 * Certification path validation, offline: from a signer certificate to a trust anchor through
 * the certificates the signature carries and those in the trust store. Every certificate's
 * signature is checked against its issuer's key (a name that matches is not enough), every
 * certificate must be valid now and at the claimed signing time (no trusted time exists on an
 * air-gapped laptop), every issuer must be a CA allowed to sign certificates, the signer's key
 * usage must allow signing (and its extended key usage, and every CA's, include emailProtection
 * when it names any, as pdfsig requires), and imported CRLs are consulted for every certificate
 * on the path.
 *
 * Built on @peculiar/x509 for parsing and signature checks; the rules are RFC 5280 §6 reduced
 * to what document signatures need (no policy processing; a CA carrying name constraints vouches for nobody; only complete CRLs, not deltas or partial ones, say a certificate is not revoked).
 *
 * Also:
 * - algorithms are policy (algorithms.ts): every certificate's key, and the algorithm every
 *   certificate but the anchor is signed with, must be accepted, else WEAK_ALGORITHM. An
 *   anchor's self-signature is never relied upon (the anchor is trusted input), its key is;
 * - an anchor may be a pinned end entity (the signer's own certificate, byte-equal, in the
 *   store); an anchor that is not a CA with keyCertSign issues nothing (KEY_USAGE); a pinned
 *   signer a CA certified is still revoked by that CA's CRL when the store holds both;
 * - path building has a budget (signature checks and candidate issuers explored); a crafted
 *   mesh of cross-certificates that exhausts it is CHAIN_TOO_COMPLEX, not a long wait.
 */
import * as pkijs from 'pkijs';
import type {
  CertificateSummary,
  SignatureReason,
  SignatureWarning,
} from '../../shared/signatures';
import { certificateWeakness, signatureAlgorithmWeakness } from './algorithms';
import { allows, derOf, facts, x509, type KeyPurpose } from './x509';

const MAX_DEPTH = 8;

/**
 * How much work one path may cost: issuer signatures checked (each pair once) and candidate
 * issuers explored. A real chain needs a handful of each; a mesh of cross-certificates needs
 * exponentially many and stops here with CHAIN_TOO_COMPLEX.
 */
export const PATH_BUDGET = { signatures: 64, candidates: 256 } as const;
export type PathBudget = { signatures: number; candidates: number };

const KNOWN_EXTENSIONS = new Set([
  '2.5.29.14', // subjectKeyIdentifier
  '2.5.29.15', // keyUsage
  '2.5.29.17', // subjectAltName
  '2.5.29.18', // issuerAltName
  '2.5.29.19', // basicConstraints
  '2.5.29.31', // cRLDistributionPoints
  '2.5.29.32', // certificatePolicies (recorded, not enforced)
  '2.5.29.35', // authorityKeyIdentifier
  '2.5.29.37', // extKeyUsage
  '1.3.6.1.5.5.7.1.1', // authorityInfoAccess
  '1.3.6.1.5.5.7.1.3', // qcStatements
]);

const NAME_CONSTRAINTS = '2.5.29.30';
const ISSUING_DISTRIBUTION_POINT = '2.5.29.28';
const DELTA_CRL = '2.5.29.27';
/** CRL extensions understood: the CRL number, the authority key identifier. */
const CRL_EXTENSIONS = new Set(['2.5.29.20', '2.5.29.35']);

/**
 * The extended key usage a certificate that names any must include to sign documents:
 * emailProtection. pdfsig (NSS) verifies a PDF's signer for certificateUsageEmailSigner, which,
 * where the extension is present, requires emailProtection of the signer and of every CA on its
 * path, the anchor included; documentSigning (RFC 9336), Adobe's or Microsoft's document-signing
 * purposes, or anyExtendedKeyUsage without it are refused there, and so here (never looser than
 * pdfsig). A certificate without the extension is limited to nothing.
 */
const EMAIL_PROTECTION = '1.3.6.1.5.5.7.3.4';

/** Whether `cert`'s extended key usage, if it names any, allows signing documents. */
function signingEku(cert: x509.X509Certificate): boolean {
  const eku = cert.getExtension(x509.ExtendedKeyUsageExtension);
  return !eku || eku.usages.some((u) => String(u) === EMAIL_PROTECTION);
}

export interface PathInput {
  signer: x509.X509Certificate;
  /** Certificates carried by the signature (may include anything, trusted or not). */
  pool: x509.X509Certificate[];
  anchors: x509.X509Certificate[];
  crls: x509.X509Crl[];
  now: Date;
  /** The time the signature claims, checked as well when present. */
  claimed?: Date | null;
  /** What the end certificate must allow: signatures (the default), or encryption. */
  purpose?: KeyPurpose;
  /** The work path building may do (PATH_BUDGET by default; tests lower it). */
  budget?: Partial<PathBudget>;
}

export interface PathResult {
  reason: SignatureReason | null;
  detail: string | null;
  path: CertificateSummary[];
  /** The certificates of `path` (signer first, anchor last), for checks beyond this one. */
  certificates: x509.X509Certificate[];
  warnings: SignatureWarning[];
  /** The work path building did: issuer signatures checked, candidate issuers explored. */
  stats: { signatureChecks: number; candidates: number };
}

function sameName(a: x509.Name, b: x509.Name): boolean {
  const da = Buffer.from(a.toArrayBuffer());
  const db = Buffer.from(b.toArrayBuffer());
  return da.equals(db) || a.toString().toLowerCase() === b.toString().toLowerCase();
}

function keyIds(cert: x509.X509Certificate) {
  const ski = cert.getExtension(x509.SubjectKeyIdentifierExtension);
  const aki = cert.getExtension(x509.AuthorityKeyIdentifierExtension);
  return { ski: ski?.keyId ?? null, aki: aki?.keyId ?? null };
}

class TooComplex extends Error {}

/**
 * Finds a path from `signer` to an anchor. Returns the path (signer first, anchor last) or the
 * reason none exists: SIGNER_NOT_TRUSTED when the chain ends in a root nobody trusts (or a
 * certificate claims a trusted issuer's name without its key), CHAIN_INCOMPLETE when an issuer
 * is missing altogether, WEAK_ALGORITHM when the only way on is through a weak certificate or
 * key, CHAIN_TOO_COMPLEX when the budget runs out first.
 */
async function buildPath(input: PathInput): Promise<
  ({ path: x509.X509Certificate[] } | { reason: SignatureReason; detail: string }) & {
    stats: PathResult['stats'];
  }
> {
  const budget = { ...PATH_BUDGET, ...input.budget };
  const stats = { signatureChecks: 0, candidates: 0 };
  // One entry per distinct certificate (identical DER carried twice is one certificate); an
  // anchor is taken as the anchor even when the signature carries it too.
  const ders = new Map<x509.X509Certificate, Buffer>();
  const byDer = new Map<string, x509.X509Certificate>();
  const anchors = new Set<x509.X509Certificate>();
  const add = (cert: x509.X509Certificate, anchor: boolean) => {
    const der = derOf(cert);
    const key = der.toString('base64');
    const known = byDer.get(key);
    if (known) {
      return known;
    }
    byDer.set(key, cert);
    ders.set(cert, der);
    if (anchor) {
      anchors.add(cert);
    }
    return cert;
  };
  input.anchors.forEach((a) => add(a, true));
  input.pool.forEach((c) => add(c, false));
  const signer = add(input.signer, false);
  // Each candidate issuer indexed once by its subject as sameName compares it (the DER being
  // equal implies the text is): a step looks up its issuer's name instead of comparing it with
  // the whole pool, so certificates carried only to pad the pool cost nothing per step.
  // Stryker disable next-line MethodExpression: upper or lower case, both sides alike, the same names meet
  const nameKey = (name: x509.Name) => name.toString().toLowerCase();
  const bySubject = new Map<string, x509.X509Certificate[]>();
  for (const c of byDer.values()) {
    const key = nameKey(c.subjectName);
    bySubject.set(key, [...(bySubject.get(key) ?? []), c]);
  }
  const weaknesses = new Map<x509.X509Certificate, string | null>();
  const weaknessOf = (cert: x509.X509Certificate) => {
    // Stryker disable next-line ConditionalExpression: a cache; asked again, the policy answers the same
    if (!weaknesses.has(cert)) {
      weaknesses.set(cert, certificateWeakness(cert));
    }
    return weaknesses.get(cert)!;
  };
  const checked = new Map<x509.X509Certificate, Map<x509.X509Certificate, boolean>>();
  const signedBy = async (cert: x509.X509Certificate, issuer: x509.X509Certificate) => {
    let row = checked.get(cert);
    if (!row) {
      row = new Map();
      checked.set(cert, row);
    }
    const known = row.get(issuer);
    if (known !== undefined) {
      return known;
    }
    if (++stats.signatureChecks > budget.signatures) {
      throw new TooComplex();
    }
    const verifying = cert.verify({ publicKey: issuer.publicKey, signatureOnly: true });
    // Stryker disable next-line ArrowFunction,BooleanLiteral: @peculiar/x509 answers false rather than throwing for a key it cannot use (tried: another algorithm, DSA); kept so a library change cannot make a throw pass
    const ok = await verifying.catch(() => false);
    row.set(issuer, ok);
    return ok;
  };
  // Stryker disable ObjectLiteral,StringLiteral: never returned — every way the walk fails notes its own reason over this one
  let failure: { reason: SignatureReason; detail: string } = {
    reason: 'CHAIN_INCOMPLETE',
    detail: 'no issuer certificate for the signer',
  };
  // Stryker restore ObjectLiteral,StringLiteral
  const RANK: Partial<Record<SignatureReason, number>> = {
    SIGNER_NOT_TRUSTED: 1,
    WEAK_ALGORITHM: 2,
  };
  const note = (reason: SignatureReason, detail: string) => {
    if ((RANK[reason] ?? 0) >= (RANK[failure.reason] ?? 0)) {
      failure = { reason, detail };
    }
  };
  const walk = async (path: x509.X509Certificate[]): Promise<x509.X509Certificate[] | null> => {
    const cert = path.at(-1)!;
    if (anchors.has(cert)) {
      return path;
    }
    if (path.length > MAX_DEPTH) {
      note('CHAIN_INCOMPLETE', 'the path is too long');
      return null;
    }
    // A weak certificate leads nowhere: its signature is not even checked.
    const weak = weaknessOf(cert);
    if (weak) {
      note('WEAK_ALGORITHM', weak);
      return null;
    }
    const selfIssued = sameName(cert.subjectName, cert.issuerName);
    if (selfIssued && (await signedBy(cert, cert))) {
      note('SIGNER_NOT_TRUSTED', `the path ends at a root that is not trusted: ${cert.subject}`);
      return null;
    }
    const { aki } = keyIds(cert);
    const issuers = (bySubject.get(nameKey(cert.issuerName)) ?? []).filter((c) => {
      const { ski } = keyIds(c);
      return !path.includes(c) && (aki === null || ski === null || ski === aki);
    });
    if (issuers.length === 0) {
      note('CHAIN_INCOMPLETE', `no certificate for the issuer ${cert.issuer}`);
      return null;
    }
    for (const issuer of issuers) {
      if (++stats.candidates > budget.candidates) {
        throw new TooComplex();
      }
      if (!(await signedBy(cert, issuer))) {
        note(
          'SIGNER_NOT_TRUSTED',
          `a certificate bears the issuer's name (${cert.issuer}) but did not issue ${cert.subject}`,
        );
        continue;
      }
      const found = await walk([...path, issuer]);
      if (found) {
        return found;
      }
    }
    return null;
  };
  try {
    const path = await walk([signer]);
    return path ? { path, stats } : { ...failure, stats };
  } catch (error) {
    if (error instanceof TooComplex) {
      return {
        reason: 'CHAIN_TOO_COMPLEX',
        detail: `path building stopped after ${Math.min(stats.signatureChecks, budget.signatures)} signature checks and ${Math.min(stats.candidates, budget.candidates)} candidate issuers`,
        stats,
      };
    }
    throw error;
  }
}

function usages(cert: x509.X509Certificate): number | null {
  return cert.getExtension(x509.KeyUsagesExtension)?.usages ?? null;
}

/** Validates the signer's certificate path as of `now` (and the claimed time). */
export async function validatePath(input: PathInput): Promise<PathResult> {
  const warnings: SignatureWarning[] = [];
  let stats: PathResult['stats'] = { signatureChecks: 0, candidates: 0 };
  const result = (
    reason: SignatureReason | null,
    detail: string | null,
    path: x509.X509Certificate[],
  ): PathResult => ({
    reason,
    detail,
    path: path.map(facts),
    certificates: path,
    warnings,
    stats,
  });
  if (input.anchors.length === 0) {
    return result('SIGNER_NOT_TRUSTED', 'no trust anchors were given', [input.signer]);
  }
  const built = await buildPath(input);
  stats = built.stats;
  if (!('path' in built)) {
    return result(built.reason, built.detail, [input.signer]);
  }
  const { path } = built;
  // Algorithms: the walk refused a weak key or signature below the anchor; the anchor's key is
  // judged here (its self-signature is never relied upon).
  const anchorWeakness = certificateWeakness(path.at(-1)!, { anchor: true });
  if (anchorWeakness) {
    return result('WEAK_ALGORITHM', anchorWeakness, path);
  }
  const times = input.claimed ? [input.now, input.claimed] : [input.now];
  for (const cert of path) {
    for (const at of times) {
      if (at < cert.notBefore) {
        return result(
          'CERTIFICATE_NOT_YET_VALID',
          `${cert.subject} is valid from ${cert.notBefore.toISOString()}`,
          path,
        );
      }
      if (at > cert.notAfter) {
        return result(
          'CERTIFICATE_EXPIRED',
          `${cert.subject} expired ${cert.notAfter.toISOString()}`,
          path,
        );
      }
    }
    const unknown = cert.extensions.find((e) => e.critical && !KNOWN_EXTENSIONS.has(e.type));
    if (unknown) {
      return result(
        'UNSUPPORTED_CRITICAL_EXTENSION',
        `${cert.subject} has critical extension ${unknown.type}`,
        path,
      );
    }
  }
  // Every issuer on the path is a CA that may sign certificates, within its path length.
  for (let i = 1; i < path.length; i++) {
    const ca = path[i]!;
    const constraints = ca.getExtension(x509.BasicConstraintsExtension);
    if (!constraints?.ca) {
      return result(
        'KEY_USAGE',
        i === path.length - 1
          ? `${ca.subject} is trusted as an end entity (not a CA) and issues nothing`
          : `${ca.subject} is not a CA`,
        path,
      );
    }
    const below = path.slice(1, i).filter((c) => !sameName(c.subjectName, c.issuerName)).length;
    if (below > (constraints.pathLength ?? Infinity)) {
      return result(
        'KEY_USAGE',
        `${ca.subject} allows ${constraints.pathLength} CAs below it`,
        path,
      );
    }
    const ku = usages(ca);
    if (ku !== null && !(ku & x509.KeyUsageFlags.keyCertSign)) {
      return result('KEY_USAGE', `${ca.subject} may not sign certificates`, path);
    }
    // Name constraints are not judged here, so a CA that carries them, marked critical or not,
    // vouches for nobody: a CA limited to another organisation's names issued an accreditor.
    if (ca.extensions.some((e) => e.type === NAME_CONSTRAINTS)) {
      return result(
        'UNSUPPORTED_CRITICAL_EXTENSION',
        `${ca.subject} constrains the names below it, which is not judged here`,
        path,
      );
    }
    // A CA whose extended usage names purposes only vouches for those (as NSS reads it).
    if ((input.purpose ?? 'signing') === 'signing' && !signingEku(ca)) {
      return result('KEY_USAGE', `${ca.subject} is limited to other purposes than signing`, path);
    }
  }
  const signer = path[0]!;
  const purpose = input.purpose ?? 'signing';
  if (!allows(signer, purpose)) {
    return result(
      'KEY_USAGE',
      purpose === 'signing'
        ? 'the signer certificate does not allow digital signatures'
        : 'the certificate does not allow encryption',
      path,
    );
  }
  // For encryption the extended usage is not judged (packages are sealed to the key).
  if (purpose === 'signing' && !signingEku(signer)) {
    return result('KEY_USAGE', 'the signer certificate is limited to other purposes', path);
  }
  // Revocation: each certificate below the anchor, against the CRLs its issuer signed.
  for (let i = 0; i < path.length - 1; i++) {
    const cert = path[i]!;
    const issuer = path[i + 1]!;
    const issuerKu = usages(issuer);
    const crls: x509.X509Crl[] = [];
    for (const crl of input.crls) {
      if (!sameName(crl.issuerName, issuer.subjectName)) {
        continue;
      }
      if (issuerKu !== null && !(issuerKu & x509.KeyUsageFlags.cRLSign)) {
        continue;
      }
      // A CRL signed with a weak algorithm says nothing either; nor does one that is not a
      // complete CRL of the issuer (its scope limited, a delta, an extension not understood), nor
      // one dated ahead of now (it would hide a stale one).
      if (crlWeakness(crl) || !completeCrl(crl) || crl.thisUpdate > input.now) {
        continue;
      }
      try {
        if (await crl.verify({ publicKey: issuer.publicKey })) {
          crls.push(crl);
        }
      } catch {
        // a CRL that does not verify says nothing
      }
    }
    if (crls.length === 0) {
      if (!warnings.includes('REVOCATION_UNCHECKED')) {
        warnings.push('REVOCATION_UNCHECKED');
      }
      continue;
    }
    // Listed is revoked, whatever the reason: removeFromCRL belongs in a delta CRL, never read.
    for (const crl of crls) {
      const entry = crl.findRevoked(cert);
      if (entry) {
        return result(
          'CERTIFICATE_REVOKED',
          `${cert.subject} was revoked ${entry.revocationDate.toISOString()}`,
          path,
        );
      }
    }
    // Stryker disable next-line EqualityOperator: two CRLs issued at the same instant are equally new
    const newest = crls.reduce((a, b) => (b.thisUpdate > a.thisUpdate ? b : a));
    // A CRL that names no next update (RFC 5280 requires one) is current for no time at all:
    // else one years old would still say "not revoked" (round 20g).
    if ((!newest.nextUpdate || newest.nextUpdate < input.now) && !warnings.includes('CRL_STALE')) {
      warnings.push('CRL_STALE');
    }
  }
  // A signer trusted pinned whose issuer is in the store as well is still revoked by that
  // issuer's CRL (round 20i: an accreditor's revoked certificate, trusted pinned beside her CA,
  // kept signing valid letters). Pinning trusts the certificate, not past its CA's word.
  if (path.length === 1) {
    const others = input.anchors.filter((anchor) => !derOf(anchor).equals(derOf(signer)));
    const through = await validatePath({ ...input, anchors: others });
    if (through.reason === 'CERTIFICATE_REVOKED') {
      return result(through.reason, through.detail, path);
    }
  }
  return result(null, null, path);
}

/**
 * A complete CRL of its issuer: no issuingDistributionPoint (a scope limited to CA or end
 * certificates, some reasons or one distribution point), no deltaCRLIndicator, and no critical
 * extension but the CRL number's kind. Only such a CRL says a certificate is not revoked.
 */
function completeCrl(crl: x509.X509Crl): boolean {
  return !crl.extensions.some(
    (e) =>
      e.type === ISSUING_DISTRIBUTION_POINT ||
      e.type === DELTA_CRL ||
      (e.critical && !CRL_EXTENSIONS.has(e.type)),
  );
}

function crlWeakness(crl: x509.X509Crl): string | null {
  try {
    const parsed = pkijs.CertificateRevocationList.fromBER(crl.rawData);
    return signatureAlgorithmWeakness(
      parsed.signatureAlgorithm.algorithmId,
      parsed.signatureAlgorithm.algorithmParams,
      // Stryker disable next-line StringLiteral: only whether the CRL is weak is used, not why
      `the CRL of ${crl.issuer}`,
    );
  } catch {
    // Stryker disable next-line StringLiteral: as above
    return `the CRL of ${crl.issuer} cannot be read`;
  }
}
