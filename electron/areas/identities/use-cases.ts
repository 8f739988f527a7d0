/**
 * Signing identities and the trust store of a vault (issue 11). An identity is a key with its
 * certificate chain: created here (self-signed, RSA or EC), imported from the organisation's
 * PKCS#12 (its chain validated on import), or on a smart card or HSM (PKCS#11: the vault keeps
 * the certificate and the key's id, never the key, never the PIN). The trust store holds the
 * anchors (roots, or single certificates) and CRLs every verification in this vault uses.
 *
 * Trust is by role: a document is verified against anchors trusted for documents or as an
 * authority (an anchor trusted as a system owner vouches for that owner's submissions only); a
 * decision letter only against anchors trusted as an authority (and, for letters this vault
 * issues, the signer's own identity certificate, pinned).
 *
 * The use cases: one method per user intention, composing the repository (the only SQL), the
 * signing engine (electron/signing) and the vault's change with its audit row.
 *
 * Longer than 500 lines: identities (three kinds) and the trust store (anchors in roles, CRLs)
 * with their verifications are one area; every method is one intention.
 */
import { createPrivateKey, randomUUID } from 'node:crypto';
import { DEFAULT_SAME_PERSON, SelfSignedInput } from '../../../shared/decisions';
import { AppError } from '../../../shared/errors';
import type { TrustRole } from '../../../shared/exchange';
import { normaliseFingerprint } from '../../../shared/fingerprint';
import { refuseFile, type PdfVerification } from '../../../shared/signatures';
import { keyWeakness } from '../../signing/algorithms';
import type { CmsSigner } from '../../signing/cms';
import {
  createSelfSigned,
  importPkcs12,
  legacyIdentity,
  softwareSigner,
  type SoftwareIdentity,
} from '../../signing/identity';
import { judgeLetter } from '../../signing/four-eyes';
import { validatePath } from '../../signing/path';
import { Pkcs11Token } from '../../signing/pkcs11';
import { signedInfo, verifyPdf, type TrustStore } from '../../signing/verify';
import type { DecryptionKey } from '../../exchange/envelope';
import {
  allows,
  derOf,
  facts,
  fingerprintOf,
  readCertificate,
  readCertificates,
  readCrl,
  toPem,
  type CertificateFacts,
  type KeyPurpose,
  type x509,
} from '../../signing/x509';
import type { Vault } from '../../vault/vault';
import { fourEyesPolicy } from '../../services/policy';
import type { RegisterService } from '../register/use-cases';
import { letterDeclares, signaturesDeclared } from '../../documents/letter-keywords';
import { today } from '../../services/clock';
import * as repo from './repository';

export type { IdentityKind } from './repository';

/**
 * A verified PDF with four eyes judged on it, as the Exchange screen and `awb verify` judge it:
 * where two signed it, or its signed keywords say its decision needs two
 * (documents/letter-keywords.ts, letterDeclares: by what it declares and by this installation's
 * rules for the type and level it names), whether two people signed, through `authority` only
 * (four-eyes.ts). A file whose signers are not is TOTAL-FAILED, each signature's report kept,
 * with the reason in `fourEyes`; what the letter declares is in `declaration` either way.
 */
export async function withFourEyes(
  pdf: Uint8Array,
  verification: PdfVerification,
  options: { authority: TrustStore; rankOf: (code: string) => number; now: Date },
): Promise<PdfVerification> {
  const declaration = letterDeclares(signedInfo(pdf), fourEyesPolicy(), options.rankOf);
  const judged = { ...verification, declaration };
  if (
    !verification.valid ||
    (verification.signatures.length < 2 && signaturesDeclared(declaration) !== 2)
  ) {
    return judged;
  }
  const fourEyes = await judgeLetter(pdf, {
    authority: options.authority,
    person: fourEyesPolicy().samePerson ?? DEFAULT_SAME_PERSON,
    now: options.now,
  });
  return fourEyes ? { ...refuseFile(judged), fourEyes } : judged;
}

/**
 * A verified letter taken as a decision: only where its keywords declare one as the workbench
 * writes them (a letter that declares none, or one not read as written, is not valid for a
 * decision whatever its signatures; `notADecision`).
 */
export function asDecision(verification: PdfVerification): PdfVerification {
  return verification.valid && verification.declaration?.kind !== 'declared'
    ? { ...refuseFile(verification), notADecision: true }
    : verification;
}

/**
 * The SHA-256 fingerprints of the certificates in a PEM bundle or DER certificate: what a party
 * that holds both ends (a test, the demo) compared, in the form `trust` takes.
 */
export function fingerprintsOf(input: string | Buffer): string[] {
  return readCertificates(input).map((c) => facts(c).fingerprint);
}

/** The roles whose anchors vouch for a signed document; an owner's only for its submissions. */
export const DOCUMENT_ROLES: readonly TrustRole[] = ['documents', 'authority'];

/** A token's PIN was not given: a problem on the PIN field, in the user's language. */
function pinRequired(): AppError {
  return new AppError('VALIDATION_FAILED', 'The token needs its PIN', {
    issues: [
      {
        path: ['pin'],
        code: 'too_small',
        origin: 'string',
        minimum: 1,
        message: 'the token needs its PIN',
      },
    ],
  });
}

export interface SigningOptions {
  /** The PKCS#11 module to use for tokens (a preference; null when none is configured). */
  pkcs11Module?: () => string | null;
  now?: () => Date;
}

export class SigningService {
  constructor(
    private readonly vault: () => Vault,
    /** The register's scheme ranks the levels a letter declares. */
    private readonly register: Pick<RegisterService, 'scheme'>,
    private readonly options: SigningOptions = {},
  ) {}

  private get db() {
    return this.vault().database;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  // ---- identities --------------------------------------------------------------------------

  identities() {
    const day = today();
    return repo.identities(this.db).map((r) => {
      const cert = readCertificate(r.certPem);
      const algorithm = cert?.publicKey.algorithm as
        { name?: string; namedCurve?: string; modulusLength?: number } | undefined;
      return {
        id: r.id,
        label: r.label,
        kind: r.kind,
        /** Signing (documents, packages) or encryption (receiving packages): never both. */
        usage: r.usage,
        token: r.tokenLabel,
        algorithm:
          algorithm?.name === 'ECDSA'
            ? `EC ${algorithm.namedCurve ?? ''}`.trim()
            : `RSA ${algorithm?.modulusLength ?? ''}`.trim(),
        subject: r.subject,
        issuer: r.issuer,
        serial: r.serial,
        notBefore: r.notBefore,
        notAfter: r.notAfter,
        fingerprint: r.fingerprint,
        expired: r.notAfter.slice(0, 10) < day,
        /** Days until the certificate expires (negative once it has). */
        daysLeft: Math.floor(
          (Date.parse(r.notAfter) - Date.parse(`${day}T00:00:00Z`)) / 86_400_000,
        ),
      };
    });
  }

  private async store(
    identity: {
      facts: CertificateFacts;
      chain: Buffer[];
      key?: Buffer;
      token?: { serial: string; label: string; keyId: string };
    },
    label: string,
    kind: repo.IdentityKind,
    usage: KeyPurpose = 'signing',
  ): Promise<string> {
    const f = identity.facts;
    if (repo.identityIdByFingerprint(this.db, f.fingerprint) !== null) {
      throw new AppError(
        'SIGNING_IDENTITY_INVALID',
        'That certificate is already a signing identity',
        {
          reason: 'DUPLICATE',
        },
      );
    }
    const id = randomUUID();
    const actor = this.vault().actor;
    const [own, ...rest] = identity.chain;
    await this.vault().change(
      {
        action: 'identity.add',
        entityType: 'signing_identity',
        entityId: id,
        // Never the key or a PIN: the audit log names the certificate only.
        changes: { label, kind, usage, subject: f.subject, fingerprint: f.fingerprint },
      },
      (db) => {
        repo.insertIdentity(db, {
          id,
          label,
          kind,
          usage,
          keyDer: identity.key ?? null,
          token: identity.token ?? null,
          certPem: toPem(own!),
          chainPem: rest.map((c) => toPem(c)),
          subject: f.subject,
          issuer: f.issuer,
          serial: f.serial,
          notBefore: f.notBefore,
          notAfter: f.notAfter,
          fingerprint: f.fingerprint,
          createdAt: this.now().toISOString(),
          createdBy: actor.name,
        });
        // One trusts one's own self-signed signing certificate (to verify one's own letters); an
        // organisation's root is added explicitly.
        if (kind === 'self_signed' && usage === 'signing') {
          this.insertAnchor(db, own!, actor.name, 'documents');
        }
      },
    );
    return id;
  }

  async createSelfSigned(raw: unknown): Promise<string> {
    const input = SelfSignedInput.parse(raw);
    const identity = await createSelfSigned({ ...input, now: this.now() });
    return this.store(identity, input.label, 'self_signed', input.usage);
  }

  /**
   * Keeps a signing identity whose key and chain were made in this process by a certification
   * authority (signing/authority.ts: the demo's CA stands for an organisation's), as an imported
   * one: its certificate must allow signing and chain to its issuer.
   */
  async addIssued(identity: SoftwareIdentity, label: string): Promise<string> {
    const cert = readCertificate(identity.chain[0]!);
    const issuer = identity.chain[1] ? readCertificate(identity.chain[1]) : null;
    if (
      !cert ||
      !issuer ||
      !allows(cert, 'signing') ||
      !(await cert.verify({ publicKey: issuer.publicKey, signatureOnly: true }))
    ) {
      throw new AppError('SIGNING_IDENTITY_INVALID', 'Not a signing certificate and its issuer', {
        reason: 'NOT_ISSUED',
      });
    }
    return this.store(identity, label, 'pkcs12', 'signing');
  }

  /** Imports a PKCS#12 as a signing or an encryption identity; its key usage must allow that. */
  async importPkcs12(
    bytes: Buffer,
    password: string,
    label: string,
    usage: KeyPurpose = 'signing',
  ): Promise<string> {
    const identity: SoftwareIdentity = await importPkcs12(bytes, password, this.now(), usage);
    return this.store(identity, label, 'pkcs12', usage);
  }

  /**
   * The certificates on the configured PKCS#11 module's tokens, to choose an identity from, in
   * a stable order (a token lists its objects in any order).
   */
  tokenCertificates() {
    const token = Pkcs11Token.at(this.options.pkcs11Module?.());
    const key = (c: { tokenLabel: string; label: string; keyId: string }) =>
      `${c.tokenLabel}\u0000${c.label}\u0000${c.keyId}`;
    return [...token.certificates()]
      .sort((a, b) => key(a).localeCompare(key(b)))
      .map((c) => {
        const cert = readCertificate(c.der)!;
        return {
          tokenSerial: c.tokenSerial,
          tokenLabel: c.tokenLabel,
          keyId: c.keyId,
          label: c.label,
          ...facts(cert),
        };
      });
  }

  /**
   * Registers an identity whose key stays on a token: the certificate (found on the token by its
   * fingerprint) and, if given, its chain. Nothing secret is kept.
   */
  async addTokenIdentity(input: {
    fingerprint: string;
    label: string;
    chainPem?: string;
  }): Promise<string> {
    const token = Pkcs11Token.at(this.options.pkcs11Module?.());
    const found = token.certificates().find((c) => fingerprintOf(c.der) === input.fingerprint);
    if (!found) {
      throw new AppError(
        'TOKEN_NOT_FOUND',
        'No certificate with that fingerprint on the present tokens',
      );
    }
    const own = readCertificate(found.der)!;
    const weak = keyWeakness(Buffer.from(own.publicKey.rawData), 'the key on the token');
    if (weak) {
      throw new AppError('SIGNING_IDENTITY_INVALID', weak, {
        reason: 'WEAK_ALGORITHM',
        detail: weak,
      });
    }
    // The token's public key beside the certificate must be the certificate's key (when the
    // token keeps none, the first signature is checked against the certificate instead).
    if (token.publicKeyMatches(found.tokenSerial, found.keyId, own) === 'mismatch') {
      throw new AppError(
        'TOKEN_KEY_MISMATCH',
        "The certificate on the token does not belong to the token's key",
        { fingerprint: input.fingerprint },
      );
    }
    const chain = input.chainPem ? readCertificates(input.chainPem) : [];
    const check = await validatePath({
      signer: own,
      pool: chain,
      anchors: [chain.at(-1) ?? own],
      crls: [],
      now: this.now(),
    });
    if (check.reason && check.reason !== 'SIGNER_NOT_TRUSTED') {
      throw new AppError(
        'SIGNING_IDENTITY_INVALID',
        check.detail ?? 'The certificate chain is not valid',
        {
          reason: check.reason,
          ...(check.detail ? { detail: check.detail } : {}),
        },
      );
    }
    return this.store(
      {
        facts: facts(own),
        chain: [found.der, ...chain.map(derOf)],
        token: { serial: found.tokenSerial, label: found.tokenLabel, keyId: found.keyId },
      },
      input.label,
      'pkcs11',
    );
  }

  /** The identity's certificate and chain, for verifiers (PEM). */
  certificatePem(identityId: string): string {
    return this.certificates(identityId).certPem;
  }

  private certificates(identityId: string) {
    const found = repo.certificatesOf(this.db, identityId);
    if (!found) {
      throw new AppError('NO_SIGNING_IDENTITY', 'No such signing identity');
    }
    return found;
  }

  /** The identity whose certificate has this fingerprint, if this vault holds it. */
  identityIdByFingerprint(fingerprint: string): string | null {
    return repo.identityIdByFingerprint(this.db, fingerprint);
  }

  /** Facts of an identity (no key material). */
  identity(identityId: string) {
    const found = this.identities().find((i) => i.id === identityId);
    if (!found) {
      throw new AppError('NO_SIGNING_IDENTITY', 'No such signing identity');
    }
    return found;
  }

  /**
   * A signer for a stored identity: its software key, or its token (asking `pin`). An expired
   * or not-yet-valid certificate signs nothing.
   */
  signer(identityId: string, pin?: string | null): CmsSigner {
    const row = repo.signingRecord(this.db, identityId);
    if (!row) {
      throw new AppError('NO_SIGNING_IDENTITY', 'No such signing identity');
    }
    if (row.usage !== 'signing') {
      throw new AppError('SIGNING_IDENTITY_INVALID', 'An encryption key does not sign', {
        reason: 'KEY_USAGE',
      });
    }
    const now = this.now().toISOString();
    if (row.notAfter < now || row.notBefore > now) {
      throw new AppError('SIGNING_IDENTITY_INVALID', 'The signing certificate is not valid now', {
        reason: row.notAfter < now ? 'CERTIFICATE_EXPIRED' : 'CERTIFICATE_NOT_YET_VALID',
      });
    }
    const chainPem = [row.certPem, ...row.chainPem];
    if (row.kind === 'pkcs11') {
      if (!pin) {
        throw pinRequired();
      }
      const chain = chainPem.flatMap((p) => readCertificates(p));
      return Pkcs11Token.at(this.options.pkcs11Module?.()).signer(
        row.tokenSerial,
        row.keyId,
        chain,
        pin,
      );
    }
    const chain = chainPem.map((p) => derOf(readCertificate(p)!));
    if (row.keyDer) {
      return softwareSigner(Buffer.from(row.keyDer), chain);
    }
    if (!row.legacy) {
      // The table's CHECK keeps a key or a key file on every row not on a token.
      throw new AppError('SIGNING_IDENTITY_INVALID', 'The identity holds no key');
    }
    const legacy = legacyIdentity(Buffer.from(row.legacy.p12), row.legacy.password);
    return softwareSigner(legacy.key, chain);
  }

  /** The keys that open packages sent to this vault: every encryption identity's. */
  decryptionKeys(): DecryptionKey[] {
    return repo.encryptionKeys(this.db).flatMap((r) => {
      const certificate = readCertificate(r.certPem);
      return certificate
        ? [
            {
              certificate,
              key: createPrivateKey({ key: Buffer.from(r.keyDer), format: 'der', type: 'pkcs8' }),
            },
          ]
        : [];
    });
  }

  /**
   * The certificates to give a counterpart so it can trust this vault's packages and send it
   * its own: the signing identity's chain and every encryption certificate (PEM bundle).
   */
  exchangeCertificates(signingId: string): string {
    const signing = repo.certificatesOf(this.db, signingId);
    if (!signing || signing.usage !== 'signing') {
      throw new AppError('NO_SIGNING_IDENTITY', 'No such signing identity');
    }
    return [
      signing.certPem,
      ...signing.chainPem,
      ...repo.certificatesOfUsage(this.db, 'encryption'),
    ].join('');
  }

  // ---- trust store -------------------------------------------------------------------------

  private insertAnchor(
    db: Parameters<typeof repo.putAnchor>[0],
    der: Buffer,
    by: string,
    role: TrustRole,
  ): string {
    const f = facts(readCertificate(der)!);
    repo.putAnchor(db, {
      fingerprint: f.fingerprint,
      subject: f.subject,
      issuer: f.issuer,
      notAfter: f.notAfter,
      certPem: toPem(der),
      addedAt: this.now().toISOString(),
      addedBy: by,
      role,
    });
    return f.fingerprint;
  }

  trusted() {
    return repo.anchors(this.db).map((r) => {
      const cert = readCertificate(r.certPem);
      return {
        fingerprint: r.fingerprint,
        subject: r.subject,
        issuer: r.issuer,
        notAfter: r.notAfter,
        addedAt: r.addedAt,
        addedBy: r.addedBy,
        /** What packages it may send: none ('documents'), decisions ('authority'), submissions ('owner'). */
        role: r.role,
        canSign: cert ? allows(cert, 'signing') : false,
        canEncrypt: cert ? allows(cert, 'encryption') : false,
      };
    });
  }

  /** What a PEM bundle (or DER certificate) holds, to compare before it is trusted. */
  inspect(input: string | Buffer): CertificateFacts[] {
    const certs = readCertificates(input);
    if (certs.length === 0) {
      throw new AppError('SIGNING_IDENTITY_INVALID', 'The file holds no certificate', {
        reason: 'NOT_A_CERTIFICATE',
      });
    }
    return certs.map((c) => facts(c));
  }

  /**
   * Adds every certificate of a PEM bundle (or one DER certificate) as a trust anchor, in a role:
   * 'documents' verifies signed documents; 'authority' may also send decision packages and
   * receive submissions (its encryption certificate); 'owner' may send submissions and receive
   * decisions. Adding a certificate again changes its role.
   *
   * Trust after comparison (issue 22): `compared` are the SHA-256 fingerprints the user compared
   * with the sender by another channel (read aloud by telephone, say). Every certificate's must
   * be among them: none given is TRUST_NOT_COMPARED, another is TRUST_FINGERPRINT_MISMATCH, and
   * nothing is added. The audit row names each fingerprint.
   */
  async trust(
    input: string | Buffer,
    role: TrustRole,
    compared: readonly string[],
  ): Promise<string[]> {
    const found = this.inspect(input);
    const certs = readCertificates(input);
    const fingerprints = found.map((f) => f.fingerprint);
    if (compared.length === 0) {
      throw new AppError('TRUST_NOT_COMPARED', 'Compare the fingerprint with the sender first', {
        fingerprints,
      });
    }
    const said = new Set(compared.map((f) => normaliseFingerprint(f)));
    const missing = fingerprints.filter((f) => !said.has(f));
    if (missing.length) {
      throw new AppError('TRUST_FINGERPRINT_MISMATCH', 'Not the fingerprint that was compared', {
        fingerprints,
        missing,
      });
    }
    const actor = this.vault().actor;
    return this.vault().change(
      {
        action: 'trust.add',
        entityType: 'certificate',
        entityId: fingerprints[0]!,
        changes: {
          subjects: found.map((f) => f.subject),
          fingerprints,
          role,
          comparedWithSender: true,
        },
      },
      (db) => certs.map((c) => this.insertAnchor(db, derOf(c), actor.name, role)),
    );
  }

  /**
   * The encryption certificates a package can go to: trusted in `role`, allowing encryption, and
   * valid now.
   */
  recipients(role: Exclude<TrustRole, 'documents'>) {
    const now = this.now();
    return repo.anchorCertificates(this.db, [role]).flatMap((pem) => {
      const cert = readCertificate(pem);
      return cert && allows(cert, 'encryption') && cert.notBefore <= now && now <= cert.notAfter
        ? [{ ...facts(cert), certificate: cert }]
        : [];
    });
  }

  /** Changes what a trusted certificate may do (its role). */
  async setTrustRole(fingerprint: string, role: TrustRole): Promise<void> {
    const row = this.anchor(fingerprint);
    await this.vault().change(
      {
        action: 'trust.role',
        entityType: 'certificate',
        entityId: fingerprint,
        changes: { subject: row.subject, role: [row.role, role] },
      },
      (db) => repo.setAnchorRole(db, fingerprint, role),
    );
  }

  async untrust(fingerprint: string): Promise<void> {
    const row = this.anchor(fingerprint);
    await this.vault().change(
      {
        action: 'trust.remove',
        entityType: 'certificate',
        entityId: fingerprint,
        changes: { subject: row.subject },
      },
      (db) => repo.removeAnchor(db, fingerprint),
    );
  }

  private anchor(fingerprint: string): repo.AnchorRecord {
    const row = repo.anchor(this.db, fingerprint);
    if (!row) {
      throw new AppError('NOT_FOUND', 'That certificate is not in the trust store');
    }
    return row;
  }

  crls() {
    const now = this.now().toISOString();
    return repo.crls(this.db).map((r) => ({
      ...r,
      stale: r.nextUpdate !== null && r.nextUpdate < now,
    }));
  }

  /** Imports a CRL (PEM or DER); it is checked against its issuer whenever a path uses it. */
  async addCrl(input: string | Buffer): Promise<string> {
    const crl = readCrl(input);
    if (!crl) {
      throw new AppError(
        'SIGNING_IDENTITY_INVALID',
        'The file is not a certificate revocation list',
        { reason: 'NOT_A_CRL' },
      );
    }
    const der = Buffer.from(crl.rawData);
    const fingerprint = fingerprintOf(der);
    await this.vault().change(
      {
        action: 'trust.addCrl',
        entityType: 'crl',
        entityId: fingerprint,
        changes: { issuer: crl.issuer, entries: crl.entries.length },
      },
      (db) =>
        repo.putCrl(db, {
          fingerprint,
          issuer: crl.issuer,
          thisUpdate: crl.thisUpdate.toISOString(),
          nextUpdate: crl.nextUpdate?.toISOString() ?? null,
          entries: crl.entries.length,
          der,
          addedAt: this.now().toISOString(),
          addedBy: this.vault().actor.name,
        }),
    );
    return fingerprint;
  }

  async removeCrl(fingerprint: string): Promise<void> {
    await this.vault().change(
      { action: 'trust.removeCrl', entityType: 'crl', entityId: fingerprint, changes: {} },
      (db) => repo.removeCrl(db, fingerprint),
    );
  }

  /**
   * The anchors (all, or those trusted in `role`, or in any of several roles) and the CRLs
   * verification in this vault uses.
   */
  trustStore(role?: TrustRole | readonly TrustRole[]): TrustStore {
    const roles = role === undefined ? null : typeof role === 'string' ? [role] : [...role];
    return {
      anchors: repo.anchorCertificates(this.db, roles).flatMap((p) => readCertificate(p) ?? []),
      crls: repo.crlBytes(this.db).flatMap((der) => readCrl(der) ?? []),
    };
  }

  /**
   * Verifies every signature of a PDF against the anchors trusted for documents (in the roles
   * 'documents' and 'authority'; an anchor trusted only as a system owner makes no PDF valid).
   */
  verify(pdf: Uint8Array): Promise<PdfVerification> {
    return this.verifyAs(pdf, DOCUMENT_ROLES);
  }

  /**
   * Verifies every signature of a PDF against the anchors trusted in `role` (or roles) only,
   * and `pinned`: certificates trusted for this verification alone (a signer's own identity).
   */
  verifyAs(
    pdf: Uint8Array,
    role: TrustRole | readonly TrustRole[],
    pinned: x509.X509Certificate[] = [],
  ): Promise<PdfVerification> {
    const store = this.trustStore(role);
    return verifyPdf(pdf, { ...store, anchors: [...store.anchors, ...pinned] }, this.now());
  }

  /** The certificate of a signing identity of this vault. */
  identityCertificate(identityId: string): x509.X509Certificate {
    return readCertificate(this.certificatePem(identityId))!;
  }

  /** The chain an identity signs with, after its own certificate. */
  identityChain(identityId: string): x509.X509Certificate[] {
    return this.certificates(identityId).chainPem.flatMap((p) => readCertificates(p));
  }

  /** The certificates of this vault's signing identities (what it signs its own letters with). */
  ownSigningCertificates(): x509.X509Certificate[] {
    return repo.certificatesOfUsage(this.db, 'signing').flatMap((p) => readCertificate(p) ?? []);
  }

  /**
   * A decision letter as this vault judges it: through anchors trusted as an authority only;
   * in an accreditor's vault also through its own signing identities' certificates, pinned
   * (the letters it issued itself). A letter trusted only for documents, or through an owner's
   * anchor, is not valid for a decision.
   */
  verifyLetter(pdf: Uint8Array): Promise<PdfVerification> {
    const own = this.vault().actor.role === 'accreditor' ? this.ownSigningCertificates() : [];
    return this.verifyAs(pdf, 'authority', own);
  }

  /**
   * A PDF as the Exchange screen (and `awb verify --vault`) checks it: its signatures, through
   * the anchors trusted for documents (or, `role` authority, as a decision letter is judged
   * here: verifyLetter), and four eyes through anchors trusted as an authority whatever the role
   * (withFourEyes; round 20g: a CA trusted for documents only made a second person).
   */
  async verifyDocument(
    pdf: Uint8Array,
    role: 'documents' | 'authority' = 'documents',
  ): Promise<PdfVerification> {
    const scheme = this.register.scheme();
    const verification = await withFourEyes(
      pdf,
      await (role === 'authority' ? this.verifyLetter(pdf) : this.verify(pdf)),
      { authority: this.trustStore('authority'), rankOf: (c) => scheme.rank(c), now: this.now() },
    );
    return role === 'authority' ? asDecision(verification) : verification;
  }
}
