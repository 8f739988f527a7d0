/**
 * The first stage of an import: who may send this, is it for us, is it newer, does its marking
 * hold what this vault knows. Asked of the signed manifest and its signer's certificate before
 * a single part is read.
 */
import { ExchangeStage, all, s, RECEIVER, SENDER_ROLE } from './stage';
import { exchangeOf } from './repository';
import { knownLevels, systemKnown } from '../register/received';
import { organisationOf } from '../../exchange/names';
import type { Database } from 'sql.js';
import { PACKAGE_CLOCK_SKEW_MINUTES } from '../../../shared/exchange';
import type { ClassificationScheme, InfoDomain } from '../../../shared/classification';
import type { SignatureReason } from '../../../shared/signatures';
import type { SubmissionContent } from '../../exchange/content';
import { markingText, reject, type Manifest, type Sender } from '../../exchange/package';
import { validatePath } from '../../signing/path';
import type { x509 } from '../../signing/x509';
import { derOf, fingerprintOf, readCertificate } from '../../signing/x509';
import { now as clockNow } from '../../services/clock';

/**
 * The marking `items` call for when the signed marking `text` does not carry it (null: it
 * does): the text must stand for a level above their highest, or for that level in every
 * domain present at it — "HEMMELIGT" does not mark what this vault knows as NATO SECRET,
 * though the levels are equivalent: NATO information travels under its own label.
 */
function markingShort(
  scheme: ClassificationScheme,
  text: string,
  items: { domain: InfoDomain; level: string }[],
): string | null {
  const top = scheme.highestMarking(items);
  if (!top) {
    return null;
  }
  const topRank = scheme.rank(top.code);
  const signed = scheme.levelsOfMarking(text);
  const rank = signed.length ? scheme.rank(signed[0]!.level) : 0;
  const carried = items
    .filter((i) => scheme.rank(i.level) === topRank)
    .every((i) => signed.some((s) => s.domain === i.domain));
  return rank > topRank || (rank === topRank && carried) ? null : top.text;
}

function reasonText(reason: SignatureReason, detail: string | null): string {
  return detail ? `${reason}: ${detail}` : reason;
}

/**
 * Who sent a package and whether it is for this vault, newer and in sequence: every check made
 * from the manifest and its signer before a single part is read (docs/package-format.md), and
 * the signed marking against what this vault knows of the system and the evidence.
 */
export class SenderCheck extends ExchangeStage {
  /**
   * Whether the package is for this vault and from a sender trusted to send its kind: the
   * recipient it names, the marking outside, and the signer's path to an anchor trusted in the
   * role. Returns the anchor the sender's path reached.
   */
  async checkSender(
    manifest: Manifest,
    sender: Sender,
    outerMarking: string,
    markingFile: string,
  ): Promise<string> {
    const own = this.signing.decryptionKeys().map((k) => fingerprintOf(derOf(k.certificate)));
    if (!own.includes(manifest.recipient)) {
      throw reject('WRONG_RECIPIENT', 'the signed manifest names another recipient');
    }
    if (outerMarking !== manifest.marking.text) {
      throw reject(
        'MARKING_MISMATCH',
        `outside "${outerMarking}", signed "${manifest.marking.text}"`,
      );
    }
    // Every line of MARKING.txt, not only the first: what it says is what the manifest says.
    if (markingFile !== markingText(manifest)) {
      const line = markingFile
        .split('\n')
        .findIndex((l, i) => l !== markingText(manifest).split('\n')[i]);
      throw reject('MARKING_MISMATCH', `MARKING.txt line ${line + 1} is not the signed text`);
    }
    // The sender is whoever signed: its path must reach an anchor trusted for this kind.
    const role = SENDER_ROLE[manifest.kind];
    const store = this.signing.trustStore(role);
    const path = await validatePath({
      signer: sender.certificate,
      pool: sender.certificates,
      anchors: store.anchors,
      crls: store.crls,
      now: new Date(),
    });
    if (path.reason) {
      const anywhere = this.signing.trustStore();
      const elsewhere = await validatePath({
        signer: sender.certificate,
        pool: sender.certificates,
        anchors: anywhere.anchors,
        crls: anywhere.crls,
        now: new Date(),
      });
      throw elsewhere.reason
        ? reject('UNTRUSTED_SENDER', reasonText(path.reason, path.detail))
        : reject(
            'WRONG_SENDER_ROLE',
            `${sender.certificate.subject} is not trusted as ${role === 'authority' ? 'an authority' : 'a system owner'}`,
          );
    }
    return path.path.at(-1)!.fingerprint;
  }

  /**
   * Everything decided from the manifest and its signer, before any part is read: the refusals
   * of docs/package-format.md, in order. Returns the anchor the sender's path reached.
   */
  async authorize(
    manifest: Manifest,
    digest: string,
    sender: Sender,
    outerMarking: string,
    markingFile: string,
  ): Promise<string> {
    const db = this.db;
    const anchor = await this.checkSender(manifest, sender, outerMarking, markingFile);
    if (this.vault().actor.role !== RECEIVER[manifest.kind]) {
      throw reject(
        'WRONG_KIND',
        `a ${manifest.kind} package is not for a ${this.vault().actor.role} vault`,
      );
    }
    if (manifest.sender.role !== (manifest.kind === 'decision' ? 'accreditor' : 'system_owner')) {
      throw reject('MALFORMED', 'the sender role does not fit the kind');
    }
    // The case and its system: the decision's must be here; a submission's owner must be bound.
    const c = all(db, 'SELECT id, system_id FROM cases WHERE id = ?', [manifest.case.id])[0];
    if (manifest.kind === 'decision' && !c) {
      throw reject('UNKNOWN_CASE', `case ${manifest.case.ref} is not in this vault`);
    }
    if (c && s(c.system_id) !== manifest.system.id) {
      throw reject('MALFORMED', 'the case belongs to another system here');
    }
    if (manifest.kind === 'submission') {
      const bound = all(db, 'SELECT anchor, subject FROM system_senders WHERE system_id = ?', [
        manifest.system.id,
      ])[0];
      if (
        systemKnown(db, manifest.system.id) &&
        (!bound ||
          s(bound.anchor) !== anchor ||
          (s(bound.subject) !== '' && s(bound.subject) !== sender.certificate.subject))
      ) {
        throw reject('NOT_SYSTEM_OWNER', `system ${manifest.system.ref} has another owner here`);
      }
    }
    // Not imported before, not older than the last from that side, tied to this exchange.
    if (all(db, 'SELECT 1 FROM exchange_log WHERE sha256 = ?', [digest]).length) {
      throw reject('PACKAGE_REPLAYED', `package ${digest.slice(0, 16)} was imported before`);
    }
    // Not dated ahead of this vault's clock by more than two clocks may differ: a package from
    // the future would never count as made before a later one, and every honest one would be
    // stale beside it.
    const skew = PACKAGE_CLOCK_SKEW_MINUTES * 60_000;
    if (Date.parse(manifest.createdAt) > clockNow().getTime() + skew) {
      throw reject(
        'PACKAGE_FROM_FUTURE',
        `made ${manifest.createdAt}, more than ${PACKAGE_CLOCK_SKEW_MINUTES} minutes after now here`,
      );
    }
    const exchange = exchangeOf(this.db, manifest.case.id);
    if (exchange && manifest.sequence <= exchange.seq) {
      throw reject(
        'PACKAGE_STALE',
        `sequence ${manifest.sequence}, but ${exchange.seq} was imported`,
      );
    }
    // Newer by the sender's own clock too: a package dated before one of the same case received
    // from that side is not what its sender made next (a backdated package would slip under the
    // trail check, which compares the packages a sender made before it).
    const later = all(
      db,
      `SELECT made_at FROM exchange_log
        WHERE case_id = ? AND direction = 'received' AND made_at > ?
        ORDER BY made_at DESC LIMIT 1`,
      [manifest.case.id, manifest.createdAt],
    )[0];
    if (later) {
      throw reject(
        'PACKAGE_STALE',
        `made ${manifest.createdAt}, before a package of this case made ${s(later.made_at)}`,
      );
    }
    // Nor before the newest package taken from its signer in any case: the first package of a
    // new case, backdated, would otherwise slip under the trail check (which compares a
    // signer's packages by when they were made). A signer's packages are imported in the order
    // it made them.
    const signerFingerprint = fingerprintOf(derOf(sender.certificate));
    const newer = all(
      db,
      `SELECT made_at, case_ref FROM exchange_log
        WHERE direction = 'received' AND fingerprint = ? AND made_at > ?
        ORDER BY made_at DESC LIMIT 1`,
      [signerFingerprint, manifest.createdAt],
    )[0];
    if (newer) {
      throw reject(
        'PACKAGE_BACKDATED',
        `made ${manifest.createdAt}, before a package of ${s(newer.case_ref)} by the same signer made ${s(newer.made_at)}`,
      );
    }
    // After the first package of a case every package answers one: a decision always (the
    // authority answers a submission), a later submission too (what came back in between).
    const sentHere = all(
      db,
      "SELECT 1 FROM exchange_log WHERE case_id = ? AND direction = 'sent' LIMIT 1",
      [manifest.case.id],
    ).length;
    if (
      manifest.previous === null &&
      (manifest.kind === 'decision' || manifest.sequence > 1 || sentHere)
    ) {
      throw reject('PREVIOUS_MISSING', `sequence ${manifest.sequence} names no package it answers`);
    }
    // It answers a package this vault sent in the case — a submission the last one: made
    // answering an earlier one, it was made without what came back since (a return with its
    // reasons, say), and its sender takes that first and sends again. An authority's answer is
    // taken whatever the owner sent meanwhile: a decision on what the authority had stands.
    if (manifest.previous !== null) {
      const sent = all(
        db,
        "SELECT sha256 FROM exchange_log WHERE case_id = ? AND direction = 'sent' ORDER BY seq DESC, rowid DESC",
        [manifest.case.id],
      ).map((r) => s(r.sha256));
      if (!sent.includes(manifest.previous)) {
        throw reject(
          'OUT_OF_SEQUENCE',
          'it answers a package this vault did not send in this case',
        );
      }
      if (manifest.kind === 'submission' && sent[0] !== manifest.previous) {
        throw reject(
          'OUT_OF_SEQUENCE',
          'it answers an earlier package of this case than the last one this vault sent',
        );
      }
    }
    const clash = all(db, 'SELECT id FROM cases WHERE ref = ? AND id <> ?', [
      manifest.case.ref,
      manifest.case.id,
    ])[0];
    if (clash) {
      throw reject('REFERENCE_CLASH', `case ${manifest.case.ref} names another case here`);
    }
    this.checkMarkingLevel(manifest, knownLevels(this.db, manifest.system.id));
    this.checkSenderTrail(db, manifest, signerFingerprint);
    if (manifest.kind === 'submission' && manifest.replyTo !== null) {
      await this.checkReplyTo(manifest.replyTo, sender, anchor);
    }
    return anchor;
  }

  /**
   * Where the authority's answers go (`replyTo`) is an encryption certificate of the system's
   * bound owner — the signer, whose anchor and subject the system is (or will be) bound to: one
   * trusted here as an owner's that reaches the same anchor, or names the same organisation (O)
   * as the signer's certificate. A certificate trusted here as anyone else's, or as another
   * organisation's, would send the answers (and what they say) to another organisation. A
   * certificate not trusted here at all is no recipient (the export asks again).
   */
  private async checkReplyTo(replyTo: string, sender: Sender, anchor: string): Promise<void> {
    const known = all(this.db, 'SELECT cert_pem FROM trusted_certificates WHERE fingerprint = ?', [
      replyTo,
    ])[0];
    const cert = known ? readCertificate(s(known.cert_pem)) : null;
    if (!cert) {
      return;
    }
    if (!(await this.ownersCertificate(cert, anchor, sender.certificate.subject))) {
      throw reject(
        'REPLY_TO_NOT_OWNER',
        `replyTo names ${cert.subject}, not a certificate of ${sender.certificate.subject}`,
      );
    }
  }

  /** Whether `cert` belongs to the owner bound by `anchor` and `subject` (see checkReplyTo). */
  private async ownersCertificate(
    cert: x509.X509Certificate,
    anchor: string,
    subject: string,
  ): Promise<boolean> {
    const trusted = this.signing
      .recipients('owner')
      .some((r) => r.fingerprint === fingerprintOf(derOf(cert)));
    if (!trusted) {
      return false;
    }
    const own = organisationOf(subject);
    if (own !== '' && organisationOf(cert.subject) === own) {
      return true;
    }
    const store = this.signing.trustStore('owner');
    const path = await validatePath({
      signer: cert,
      pool: [],
      anchors: store.anchors,
      crls: store.crls,
      now: new Date(),
    });
    return !path.reason && path.path.at(-1)?.fingerprint === anchor;
  }

  /**
   * The sender's trail only grows: a package must cite an audit anchor that reaches at least as
   * far as any the same signer's packages made before it cited. A shorter trail (the sender's
   * vault put back to an older copy) is SENDER_TRAIL_SHORTER; one as long as a trail cited before
   * but ending otherwise (two vaults going on from one copy) is SENDER_TRAIL_FORKED. Packages of
   * different cases may arrive in any order: they are compared by when the sender made them.
   */
  private checkSenderTrail(db: Database, manifest: Manifest, fingerprint: string): void {
    const { rows, head } = manifest.auditAnchor;
    const longer = all(
      db,
      `SELECT anchor_rows, case_ref FROM exchange_log
        WHERE direction = 'received' AND fingerprint = ? AND anchor_rows > ? AND made_at < ?
        ORDER BY anchor_rows DESC LIMIT 1`,
      [fingerprint, rows, manifest.createdAt],
    )[0];
    if (longer) {
      throw reject(
        'SENDER_TRAIL_SHORTER',
        `its sender's trail has ${rows} entries; a package of ${s(longer.case_ref)} made before it cited ${Number(longer.anchor_rows)}`,
      );
    }
    const other = all(
      db,
      `SELECT case_ref FROM exchange_log
        WHERE direction = 'received' AND fingerprint = ? AND anchor_rows = ? AND anchor_head <> ?
        LIMIT 1`,
      [fingerprint, rows, head],
    )[0];
    if (other) {
      throw reject(
        'SENDER_TRAIL_FORKED',
        `its sender's trail of ${rows} entries ends otherwise than one a package of ${s(other.case_ref)} cited`,
      );
    }
  }

  /**
   * The signed marking is not below what this vault knows for the system, read by this vault's
   * scheme (its labels; the rank a manifest states is the sender's scheme's): a marking this
   * scheme does not know counts as none.
   */
  checkMarkingLevel(manifest: Manifest, levels: { domain: InfoDomain; level: string }[]): void {
    const scheme = this.register.scheme();
    // A level this scheme does not know has no rank to hold the marking to: a new system's
    // levels are this vault's codes, or the package is refused (no floor is skipped).
    const unknown = levels.find((l) => !scheme.level(l.level));
    if (unknown) {
      throw reject(
        'LEVEL_UNKNOWN',
        `the system's level ${unknown.level} (${unknown.domain}) is not in this vault's classification scheme`,
      );
    }
    const short = markingShort(scheme, manifest.marking.text, levels);
    if (short) {
      throw reject(
        'MARKING_BELOW_SYSTEM',
        `signed "${manifest.marking.text}", but the system is ${short} here`,
      );
    }
  }

  /**
   * The signed marking is not below any evidence item's marking, read by this vault's scheme as
   * the writer reads them when it chooses a package's marking (MARKING_BELOW_EVIDENCE); an
   * evidence level this scheme does not know is LEVEL_UNKNOWN.
   */
  checkEvidenceMarking(manifest: Manifest, evidence: SubmissionContent['evidence']): void {
    const scheme = this.register.scheme();
    const levels = evidence.flatMap((e) =>
      typeof e.marking_level === 'string' && typeof e.marking_domain === 'string'
        ? [{ domain: e.marking_domain as InfoDomain, level: e.marking_level, title: e.title }]
        : [],
    );
    const unknown = levels.find((l) => !scheme.level(l.level));
    if (unknown) {
      throw reject(
        'LEVEL_UNKNOWN',
        `evidence ${String(unknown.title)} is marked ${unknown.level}, not in this vault's classification scheme`,
      );
    }
    const short = markingShort(scheme, manifest.marking.text, levels);
    if (short) {
      throw reject(
        'MARKING_BELOW_EVIDENCE',
        `signed "${manifest.marking.text}", but it carries evidence marked ${short}`,
      );
    }
  }
}
