/**
 * The identities and trust area's repository: the only code that speaks SQL for its tables —
 * `signing_identities` (keys or token references with their certificates), `trusted_certificates`
 * (the anchors, each in a role) and `trusted_crls`. Rows are typed here; the use cases never see
 * a column name.
 */
import type { Database, SqlValue } from 'sql.js';
import type { TrustRole } from '../../../shared/exchange';
import { optional, queryRows, text } from '../../db/query';
import type { CertificateFacts, KeyPurpose } from '../../signing/x509';

const all = queryRows;
const s = text;

export type IdentityKind = 'pkcs12' | 'self_signed' | 'pkcs11';

/** An identity as lists show it: its certificate's facts, never its key. */
export interface IdentityRecord extends CertificateFacts {
  id: string;
  label: string;
  kind: IdentityKind;
  usage: KeyPurpose;
  tokenLabel: string | null;
  certPem: string;
  createdAt: string;
}

/** What signs: the key (or a token's reference to it), the certificate and its chain. */
export interface SigningRecord {
  usage: string;
  kind: IdentityKind;
  notBefore: string;
  notAfter: string;
  certPem: string;
  /** The chain after the certificate, PEM each. */
  chainPem: string[];
  keyDer: Uint8Array | null;
  tokenSerial: string;
  keyId: string;
  /** An older version's PKCS#12 and its password, where no key was kept apart. */
  legacy: { p12: Uint8Array; password: string } | null;
}

export interface NewIdentity extends CertificateFacts {
  id: string;
  label: string;
  kind: IdentityKind;
  usage: KeyPurpose;
  keyDer: Buffer | null;
  token: { serial: string; label: string; keyId: string } | null;
  certPem: string;
  chainPem: string[];
  createdAt: string;
  createdBy: string;
}

export interface AnchorRecord extends Pick<
  CertificateFacts,
  'fingerprint' | 'subject' | 'issuer' | 'notAfter'
> {
  certPem: string;
  addedAt: string;
  addedBy: string;
  role: TrustRole;
}

export interface CrlRecord {
  fingerprint: string;
  issuer: string;
  thisUpdate: string;
  nextUpdate: string | null;
  entries: number;
  addedAt: string;
  addedBy: string;
}

// ---- identities ----------------------------------------------------------------------------

export function identities(db: Database): IdentityRecord[] {
  return all(
    db,
    'SELECT id, label, kind, usage, token_label, subject, issuer, serial, not_before, not_after, fingerprint, cert_pem, created_at FROM signing_identities ORDER BY created_at',
  ).map((r) => ({
    id: s(r.id),
    label: s(r.label),
    kind: s(r.kind) as IdentityKind,
    usage: s(r.usage) as KeyPurpose,
    tokenLabel: optional(r.token_label),
    subject: s(r.subject),
    issuer: s(r.issuer),
    serial: s(r.serial),
    notBefore: s(r.not_before),
    notAfter: s(r.not_after),
    fingerprint: s(r.fingerprint),
    certPem: s(r.cert_pem),
    createdAt: s(r.created_at),
  }));
}

/** The identity whose certificate has this fingerprint (null: none here). */
export function identityIdByFingerprint(db: Database, fingerprint: string): string | null {
  const row = all(db, 'SELECT id FROM signing_identities WHERE fingerprint = ?', [fingerprint])[0];
  return row ? s(row.id) : null;
}

export function insertIdentity(db: Database, i: NewIdentity): void {
  db.run(
    `INSERT INTO signing_identities (id, label, kind, usage, key_der, token_serial, token_label, key_id, cert_pem, chain_pem, subject, issuer, serial, not_before, not_after, fingerprint, created_at, created_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      i.id,
      i.label,
      i.kind,
      i.usage,
      i.keyDer ? new Uint8Array(i.keyDer) : null,
      i.token?.serial ?? null,
      i.token?.label ?? null,
      i.token?.keyId ?? null,
      i.certPem,
      JSON.stringify(i.chainPem),
      i.subject,
      i.issuer,
      i.serial,
      i.notBefore,
      i.notAfter,
      i.fingerprint,
      i.createdAt,
      i.createdBy,
    ],
  );
}

/** An identity's certificate and chain (null: no such identity). */
export function certificatesOf(
  db: Database,
  id: string,
): { certPem: string; chainPem: string[]; usage: string } | null {
  const row = all(db, 'SELECT cert_pem, chain_pem, usage FROM signing_identities WHERE id = ?', [
    id,
  ])[0];
  return row
    ? {
        certPem: s(row.cert_pem),
        chainPem: JSON.parse(s(row.chain_pem)) as string[],
        usage: s(row.usage),
      }
    : null;
}

/** What an identity signs with (null: no such identity). */
export function signingRecord(db: Database, id: string): SigningRecord | null {
  const row = all(db, 'SELECT * FROM signing_identities WHERE id = ?', [id])[0];
  if (!row) {
    return null;
  }
  return {
    usage: s(row.usage),
    kind: s(row.kind) as IdentityKind,
    notBefore: s(row.not_before),
    notAfter: s(row.not_after),
    certPem: s(row.cert_pem),
    chainPem: JSON.parse(s(row.chain_pem)) as string[],
    keyDer: row.key_der instanceof Uint8Array ? row.key_der : null,
    tokenSerial: s(row.token_serial),
    keyId: s(row.key_id),
    legacy: row.p12 instanceof Uint8Array ? { p12: row.p12, password: s(row.p12_password) } : null,
  };
}

/** Every encryption identity's certificate and key (kept here: not on a token). */
export function encryptionKeys(db: Database): { certPem: string; keyDer: Uint8Array }[] {
  return all(
    db,
    "SELECT cert_pem, key_der FROM signing_identities WHERE usage = 'encryption' AND key_der IS NOT NULL",
  ).map((r) => ({ certPem: s(r.cert_pem), keyDer: r.key_der as Uint8Array }));
}

/** The certificates of the identities of one usage, oldest first (PEM). */
export function certificatesOfUsage(db: Database, usage: KeyPurpose): string[] {
  return all(db, 'SELECT cert_pem FROM signing_identities WHERE usage = ? ORDER BY created_at', [
    usage,
  ]).map((r) => s(r.cert_pem));
}

// ---- the trust store -----------------------------------------------------------------------

/** Adds an anchor, or gives a known one a new role. */
export function putAnchor(db: Database, a: AnchorRecord): void {
  db.run(
    `INSERT OR REPLACE INTO trusted_certificates (fingerprint, subject, issuer, not_after, cert_pem, added_at, added_by, role)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    [a.fingerprint, a.subject, a.issuer, a.notAfter, a.certPem, a.addedAt, a.addedBy, a.role],
  );
}

export function anchors(db: Database): AnchorRecord[] {
  return all(db, 'SELECT * FROM trusted_certificates ORDER BY added_at').map(anchorOf);
}

export function anchor(db: Database, fingerprint: string): AnchorRecord | null {
  const row = all(db, 'SELECT * FROM trusted_certificates WHERE fingerprint = ?', [fingerprint])[0];
  return row ? anchorOf(row) : null;
}

function anchorOf(r: Record<string, SqlValue>): AnchorRecord {
  return {
    fingerprint: s(r.fingerprint),
    subject: s(r.subject),
    issuer: s(r.issuer),
    notAfter: s(r.not_after),
    certPem: s(r.cert_pem),
    addedAt: s(r.added_at),
    addedBy: s(r.added_by),
    role: s(r.role) as TrustRole,
  };
}

/** The anchors' certificates: all, or those trusted in one of `roles` (PEM). */
export function anchorCertificates(db: Database, roles: readonly TrustRole[] | null): string[] {
  return all(
    db,
    roles
      ? `SELECT cert_pem FROM trusted_certificates WHERE role IN (${roles.map(() => '?').join(', ')})`
      : 'SELECT cert_pem FROM trusted_certificates',
    roles ? [...roles] : [],
  ).map((r) => s(r.cert_pem));
}

export function setAnchorRole(db: Database, fingerprint: string, role: TrustRole): void {
  db.run('UPDATE trusted_certificates SET role = ? WHERE fingerprint = ?', [role, fingerprint]);
}

export function removeAnchor(db: Database, fingerprint: string): void {
  db.run('DELETE FROM trusted_certificates WHERE fingerprint = ?', [fingerprint]);
}

export function crls(db: Database): CrlRecord[] {
  return all(
    db,
    'SELECT fingerprint, issuer, this_update, next_update, entries, added_at, added_by FROM trusted_crls ORDER BY issuer, this_update',
  ).map((r) => ({
    fingerprint: s(r.fingerprint),
    issuer: s(r.issuer),
    thisUpdate: s(r.this_update),
    nextUpdate: optional(r.next_update),
    entries: Number(r.entries),
    addedAt: s(r.added_at),
    addedBy: s(r.added_by),
  }));
}

/** Every CRL's bytes, as imported. */
export function crlBytes(db: Database): Uint8Array[] {
  return all(db, 'SELECT der FROM trusted_crls').map((r) => r.der as Uint8Array);
}

export function putCrl(db: Database, crl: CrlRecord & { der: Buffer }): void {
  db.run(
    `INSERT OR REPLACE INTO trusted_crls (fingerprint, issuer, this_update, next_update, entries, der, added_at, added_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      crl.fingerprint,
      crl.issuer,
      crl.thisUpdate,
      crl.nextUpdate,
      crl.entries,
      new Uint8Array(crl.der),
      crl.addedAt,
      crl.addedBy,
    ],
  );
}

export function removeCrl(db: Database, fingerprint: string): void {
  db.run('DELETE FROM trusted_crls WHERE fingerprint = ?', [fingerprint]);
}
