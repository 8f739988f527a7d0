/**
 * Certification path validation, offline: from a signer certificate to a trust anchor through
 * the certificates the signature carries and those in the trust store. Every certificate's
 * signature is checked against its issuer's key (a name that matches is not enough), every
 * certificate must be valid now and at the claimed signing time (no trusted time exists on an
 * air-gapped laptop), every issuer must be a CA allowed to sign certificates, the signer's key
 * usage must allow signing, and imported CRLs are consulted for every certificate on the path.
 *
 * Built on @peculiar/x509 for parsing and signature checks; the rules are RFC 5280 §6 reduced
 * to what document signatures need (no policy processing; name constraints refused when critical).
 */
import type {
  CertificateSummary,
  SignatureReason,
  SignatureWarning,
} from '../../shared/signatures';
import { allows, derOf, facts, x509, type KeyPurpose } from './x509';

const MAX_DEPTH = 8;

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

/** Extended key usages that allow signing documents (when the certificate names any). */
const SIGNING_EKUS = new Set([
  '2.5.29.37.0', // anyExtendedKeyUsage
  '1.3.6.1.5.5.7.3.4', // emailProtection
  '1.3.6.1.5.5.7.3.36', // documentSigning (RFC 9336)
  '1.2.840.113583.1.1.5', // Adobe Authentic Documents Trust
  '1.3.6.1.4.1.311.10.3.12', // Microsoft document signing
]);

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
}

export interface PathResult {
  reason: SignatureReason | null;
  detail: string | null;
  path: CertificateSummary[];
  warnings: SignatureWarning[];
}

const same = (a: x509.X509Certificate, b: x509.X509Certificate) => derOf(a).equals(derOf(b));

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

async function signedBy(
  cert: x509.X509Certificate,
  issuer: x509.X509Certificate,
): Promise<boolean> {
  try {
    return await cert.verify({ publicKey: issuer.publicKey, signatureOnly: true });
  } catch {
    return false;
  }
}

/**
 * Finds a path from `signer` to an anchor. Returns the path (signer first, anchor last) or the
 * reason none exists: SIGNER_NOT_TRUSTED when the chain ends in a root nobody trusts (or a
 * certificate claims a trusted issuer's name without its key), CHAIN_INCOMPLETE when an issuer
 * is missing altogether.
 */
async function buildPath(
  input: PathInput,
): Promise<{ path: x509.X509Certificate[] } | { reason: SignatureReason; detail: string }> {
  const candidates = [...input.anchors, ...input.pool];
  let failure: { reason: SignatureReason; detail: string } = {
    reason: 'CHAIN_INCOMPLETE',
    detail: 'no issuer certificate for the signer',
  };
  const rank = (r: SignatureReason) => (r === 'SIGNER_NOT_TRUSTED' ? 1 : 0);
  const note = (reason: SignatureReason, detail: string) => {
    if (rank(reason) >= rank(failure.reason)) {
      failure = { reason, detail };
    }
  };
  const walk = async (path: x509.X509Certificate[]): Promise<x509.X509Certificate[] | null> => {
    const cert = path.at(-1)!;
    if (input.anchors.some((a) => same(a, cert))) {
      return path;
    }
    if (path.length > MAX_DEPTH) {
      note('CHAIN_INCOMPLETE', 'the path is too long');
      return null;
    }
    const selfIssued = sameName(cert.subjectName, cert.issuerName);
    if (selfIssued && (await signedBy(cert, cert))) {
      note('SIGNER_NOT_TRUSTED', `the path ends at a root that is not trusted: ${cert.subject}`);
      return null;
    }
    const { aki } = keyIds(cert);
    const issuers = candidates.filter(
      (c) =>
        !path.some((p) => same(p, c)) &&
        sameName(c.subjectName, cert.issuerName) &&
        (aki === null || keyIds(c).ski === null || keyIds(c).ski === aki),
    );
    if (issuers.length === 0) {
      note('CHAIN_INCOMPLETE', `no certificate for the issuer ${cert.issuer}`);
      return null;
    }
    for (const issuer of issuers) {
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
  const path = await walk([input.signer]);
  return path ? { path } : failure;
}

function usages(cert: x509.X509Certificate): number | null {
  return cert.getExtension(x509.KeyUsagesExtension)?.usages ?? null;
}

/** Validates the signer's certificate path as of `now` (and the claimed time). */
export async function validatePath(input: PathInput): Promise<PathResult> {
  const warnings: SignatureWarning[] = [];
  const result = (
    reason: SignatureReason | null,
    detail: string | null,
    path: x509.X509Certificate[],
  ) => ({
    reason,
    detail,
    path: path.map(facts),
    warnings,
  });
  if (input.anchors.length === 0) {
    return result('SIGNER_NOT_TRUSTED', 'no trust anchors were given', [input.signer]);
  }
  const built = await buildPath(input);
  if (!('path' in built)) {
    return result(built.reason, built.detail, [input.signer]);
  }
  const { path } = built;
  const times = [input.now, ...(input.claimed ? [input.claimed] : [])];
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
      return result('KEY_USAGE', `${ca.subject} is not a CA`, path);
    }
    const below = path.slice(1, i).filter((c) => !sameName(c.subjectName, c.issuerName)).length;
    if (constraints.pathLength !== undefined && below > constraints.pathLength) {
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
  }
  const signer = path[0]!;
  if ((input.purpose ?? 'signing') === 'encryption') {
    if (!allows(signer, 'encryption')) {
      return result('KEY_USAGE', 'the certificate does not allow encryption', path);
    }
  } else {
    if (!allows(signer, 'signing')) {
      return result('KEY_USAGE', 'the signer certificate does not allow digital signatures', path);
    }
    const eku = signer.getExtension(x509.ExtendedKeyUsageExtension);
    if (eku && !eku.usages.some((u) => SIGNING_EKUS.has(String(u)))) {
      return result('KEY_USAGE', 'the signer certificate is limited to other purposes', path);
    }
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
    for (const crl of crls) {
      const entry = crl.findRevoked(cert);
      if (entry && entry.reason !== x509.X509CrlReason.removeFromCRL) {
        return result(
          'CERTIFICATE_REVOKED',
          `${cert.subject} was revoked ${entry.revocationDate.toISOString()}`,
          path,
        );
      }
    }
    const newest = crls.reduce((a, b) => (b.thisUpdate > a.thisUpdate ? b : a));
    if (newest.nextUpdate && newest.nextUpdate < input.now && !warnings.includes('CRL_STALE')) {
      warnings.push('CRL_STALE');
    }
  }
  return result(null, null, path);
}
