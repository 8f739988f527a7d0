/**
 * What a decision letter binds of its decision record. The letter's signatures (one or two
 * people, four eyes) cover its Keywords; among them the record's reference (`decision:<ref>`)
 * and a hash of its terms (`decision-terms-sha256:<hex>`): the type, the levels, mode, sites and
 * interconnections decided on, the validity, the accepted risks, the dossier and how many
 * signatures it needs. A vault that receives a decision acts on the record, so it takes the
 * record only when its terms hash to what the letter's signers signed: one signer alone cannot
 * turn a signed three-month interim approval into a three-year full approval.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../db/audit';

export const TERMS_KEYWORD = 'decision-terms-sha256:';
export const REF_KEYWORD = 'decision:';

/** The columns of a decision record (as the decisions table holds them) its letter binds. */
export const TERMS_COLUMNS = [
  'ref',
  'type',
  'levels',
  'mode',
  'sites',
  'interconnections',
  'valid_from',
  'valid_to',
  'accepted_risks',
  'dossier_sha256',
  'signatures_required',
  'language',
  'created_at',
  'created_by',
] as const;

/** SHA-256 of a record's terms, as its columns hold them (JSON columns as their text). */
export function termsHash(row: Partial<Record<(typeof TERMS_COLUMNS)[number], unknown>>): string {
  const terms = Object.fromEntries(
    TERMS_COLUMNS.map((k) => [
      k,
      k === 'signatures_required' ? Number(row[k] ?? 1) : (row[k] ?? null),
    ]),
  );
  return createHash('sha256').update(canonicalJson(terms)).digest('hex');
}

/** The value a document's keywords give after `prefix`, or null when none does. */
export function keywordValue(keywords: string | null | undefined, prefix: string): string | null {
  for (const word of (keywords ?? '').split(/\s+/)) {
    if (word.startsWith(prefix) && word.length > prefix.length) {
      return word.slice(prefix.length);
    }
  }
  return null;
}
