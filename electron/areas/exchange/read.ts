/**
 * Reading a package: opened with this vault's keys, its signed manifest judged by the sender
 * checks (sender.ts) before any part is read, then every part verified as it is read (evidence
 * into the blob store, or only hashed); and a decision's letter, dossier and report checked
 * against its record, by this vault's own anchors and four-eyes rules.
 */
import { ExchangeStage, all, type ExchangeDeps, type Verified } from './stage';
import type { SenderCheck } from './sender';
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import type { ZodType } from 'zod';
import { citedDossier, keywordValue } from '../../../shared/dossier';
import { AppError } from '../../../shared/errors';
import type { DECISION_TYPES } from '../../../shared/lifecycle';
import { readDossier } from '../../documents/dossier';
import { DecisionContent, PARTS } from '../../exchange/content';
import { parseJson, readPackage, reject } from '../../exchange/package';
import { DEFAULT_SAME_PERSON } from '../../../shared/decisions';
import { judgeLetter } from '../../signing/four-eyes';
import { signedKeywords } from '../../signing/verify';
import { REF_KEYWORD, TERMS_KEYWORD, termsHash } from '../../documents/decision-terms';
import { type StoredBlob } from '../../vault/blobs';
import type { ImportJournal } from '../../vault/import-journal';
import { fourEyesPolicy } from '../../services/policy';

/** A stream's SHA-256, read through. */
async function hashOf(stream: AsyncIterable<unknown>): Promise<{ sha256: string }> {
  const hash = createHash('sha256');
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
  }
  return { sha256: hash.digest('hex') };
}

/** A package opened with this vault's keys and verified part by part as it is read. */
export class PackageRead extends ExchangeStage {
  constructor(
    deps: ExchangeDeps,
    private readonly senders: SenderCheck,
  ) {
    super(deps);
  }

  /** Reads and verifies a whole package; evidence goes to `store` (or is only hashed). */
  async read(
    file: string,
    store: 'keep' | 'hash',
    created: StoredBlob[],
    stored: Map<string, StoredBlob>,
    onProgress?: (done: number, total: number) => void,
    /** Where an import notes each file it stores, until it is saved or refused. */
    journal: ImportJournal | null = null,
  ): Promise<Verified> {
    let anchor = '';
    let size = 0;
    const read = await readPackage(file, {
      keys: this.signing.decryptionKeys(),
      limits: this.limits,
      onProgress,
      authorize: async (manifest, digest, sender, marking, markingFile) => {
        anchor = await this.senders.authorize(manifest, digest, sender, marking, markingFile);
      },
      consume: (part, stream) => {
        if (part.type !== 'evidence') {
          return null;
        }
        if (store === 'hash') {
          return hashOf(stream);
        }
        return this.vault()
          .blobs.put(stream as AsyncIterable<Uint8Array>, undefined, (address) =>
            journal?.add(address),
          )
          .then((blob) => {
            if (blob.created) {
              created.push(blob);
            }
            stored.set(part.path, blob);
            return blob;
          });
      },
    });
    try {
      size = statSync(file).size;
    } catch {
      size = 0;
    }
    return { ...read, anchor, size };
  }

  content<T>(read: Verified, path: string, schema: ZodType<T>): T {
    const bytes = read.buffered.get(path);
    if (!bytes) {
      throw reject('MISSING_PART', path);
    }
    const parsed = schema.safeParse(parseJson<unknown>(bytes, this.limits, path));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw reject(
        'MALFORMED',
        `${path}: ${issue ? `${issue.path.join('.')} ${issue.message}` : ''}`,
      );
    }
    return parsed.data;
  }

  /**
   * `awb verify` of a package: opened with this vault's keys, signed by a sender trusted for its
   * kind, every part as listed; for a decision, the letter's signatures and the dossier hash,
   * recomputed from the dossier it carries and compared with the record, the letter and the
   * report. Nothing is imported, and a package imported before verifies as well.
   */
  async verifyPackage(file: string) {
    let anchor = '';
    let read;
    try {
      read = await readPackage(file, {
        keys: this.signing.decryptionKeys(),
        limits: this.limits,
        authorize: async (manifest, _digest, sender, marking, markingFile) => {
          anchor = await this.senders.checkSender(manifest, sender, marking, markingFile);
        },
        consume: (part, stream) => (part.type === 'evidence' ? hashOf(stream) : null),
      });
    } catch (error) {
      if (error instanceof AppError && error.code === 'PACKAGE_REJECTED') {
        return {
          valid: false,
          reason: String(error.details?.reason),
          detail: error.details?.detail ?? null,
        };
      }
      throw error;
    }
    const { manifest, digest, sender } = read;
    const facts = {
      kind: manifest.kind,
      case: manifest.case.ref,
      sequence: manifest.sequence,
      marking: manifest.marking.text,
      digest,
      signer: sender.certificate.subject,
      anchor,
      parts: manifest.parts.length,
    };
    const content =
      manifest.kind === 'decision'
        ? DecisionContent.safeParse(
            parseJson<unknown>(
              read.buffered.get(PARTS.decision) ?? Buffer.from('null'),
              this.limits,
              'decision',
            ),
          )
        : null;
    if (!content?.success || content.data.decisions.length === 0) {
      return { valid: content ? content.success : true, reason: null, ...facts };
    }
    const decisions = [];
    for (const [n, record] of content.data.decisions.entries()) {
      decisions.push({
        ref: record.ref,
        ...(await this.verifyDecisionParts(read, record, n, manifest.case.id)),
      });
    }
    const failed = decisions.find((d) => d.reason);
    const latest = decisions.at(-1)!;
    return {
      valid: !failed,
      reason: failed?.reason ?? null,
      ...facts,
      decisions: decisions.map((d) => ({ ref: d.ref, reason: d.reason, dossier: d.dossier })),
      letter: latest.letter,
      dossier: latest.dossier,
    };
  }

  /**
   * How many signatures this vault's four-eyes policy asks of a decision of `type` on the case's
   * system as this vault knows it (1 when the case or system is not known here).
   */
  private signaturesRequiredHere(caseId: string, type: (typeof DECISION_TYPES)[number]): 1 | 2 {
    const known = all(this.db, 'SELECT 1 FROM cases WHERE id = ?', [caseId]).length > 0;
    // As the vault's own decisions are held to it (an amendment or reinstatement as the
    // approval held here it acts on).
    return known ? this.decisions.signaturesRequired(caseId, type) : 1;
  }

  /**
   * The n-th decision's parts, checked: the letter verifies here through anchors trusted as an
   * authority (every signature; a letter that verifies only through anchors trusted for
   * documents is WRONG_SENDER_ROLE); a decision that needs four eyes is signed by two people
   * (FOUR_EYES_NOT_MET, see signing/four-eyes.ts); the dossier is canonical and is the one the
   * record, the signed letter and the signed-for report cite.
   */
  async verifyDecisionParts(
    read: { buffered: Map<string, Buffer> },
    record: DecisionContent['decisions'][number],
    n: number,
    /** The case as the manifest names it: four eyes is judged by this vault's view of it. */
    caseId: string,
  ) {
    const letter = read.buffered.get(PARTS.letter(n));
    const report = read.buffered.get(PARTS.dossierReport(n));
    const dossierBytes = read.buffered.get(PARTS.dossier(n));
    if (!letter || !report || !dossierBytes) {
      throw reject('MISSING_PART', `the letter, dossier and report of ${record.ref}`);
    }
    const check = await this.signing.verifyLetter(letter);
    // Not valid through an authority: WRONG_SENDER_ROLE when it is valid through the anchors
    // trusted for documents (someone trusted, just not as the authority).
    const byAuthority = check.valid || !(await this.signing.verify(letter)).valid;
    // Four eyes by this vault's own policy for the system as known here, whatever the sender
    // says it needed: a package claiming one signature does not skip the check.
    const required = Math.max(
      Number(record.signatures_required) === 2 ? 2 : 1,
      this.signaturesRequiredHere(caseId, record.type),
    );
    const fourEyes =
      check.valid && (required === 2 || check.signatures.length > 1)
        ? await judgeLetter(letter, {
            authority: this.signing.trustStore('authority'),
            person: fourEyesPolicy().samePerson ?? DEFAULT_SAME_PERSON,
            now: new Date(),
          })
        : null;
    const dossier = readDossier(dossierBytes);
    const cites = {
      record: record.dossier_sha256,
      letter: citedDossier(signedKeywords(letter)),
      report: citedDossier(signedKeywords(report)),
    };
    const matches =
      !('problem' in dossier) && Object.values(cites).every((c) => c === dossier.sha256);
    // The record is the one the letter's signers signed: its reference and the hash of its terms
    // are in the letter's signed keywords (documents/decision-terms.ts).
    const keywords = signedKeywords(letter);
    const bound =
      keywordValue(keywords, REF_KEYWORD) === record.ref &&
      keywordValue(keywords, TERMS_KEYWORD) === termsHash(record);
    return {
      reason: !byAuthority
        ? 'WRONG_SENDER_ROLE'
        : !check.valid
          ? (check.reason ?? 'SIGNATURE_INVALID')
          : fourEyes
            ? 'FOUR_EYES_NOT_MET'
            : !matches
              ? 'DOSSIER_MISMATCH'
              : bound
                ? null
                : 'DECISION_MISMATCH',
      fourEyes,
      letter: check,
      letterBytes: letter,
      reportBytes: report,
      dossierRead: dossier,
      dossier: {
        sha256: dossier.sha256,
        problem: 'problem' in dossier ? dossier.problem : null,
        cites,
        matches,
      },
    };
  }
}
