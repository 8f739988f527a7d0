/**
 * A decision letter's declaration, read by itself (electron/documents/letter-keywords.ts): the
 * same table the Exchange screen is held to over signed PDFs (verify-document.test.ts), row by
 * row on the reading, with what each declared letter says exactly — so a change to the reading
 * fails here in milliseconds, and Stryker measures it without signing a PDF per mutant.
 */
import { describe, expect, it } from 'vitest';
import {
  fourEyesKeywords,
  letterDeclares,
  LEVEL_KEYWORD,
  NO_LEVEL,
  signaturesDeclared,
  SIGNATURES_KEYWORD,
  TYPE_KEYWORD,
} from '../../electron/documents/letter-keywords';
import { REF_KEYWORD, TERMS_KEYWORD } from '../../electron/documents/decision-terms';
import { defaultScheme } from '../../electron/areas/register/use-cases';
import { fourEyesPolicy } from '../../electron/services/policy';
import { ClassificationScheme } from '../../shared/classification';
import type { FourEyesPolicy } from '../../shared/decisions';
import {
  decided,
  DECLARING_ENTRIES,
  KEYWORD_ROWS,
  PLAIN_ENTRIES,
} from '../helpers/letter-declarations';

const scheme = new ClassificationScheme(defaultScheme());
const policy = fourEyesPolicy();
const rankOf = (code: string) => scheme.rank(code);
const read = (keywords: string[] | string | null, others: string[] = []) =>
  letterDeclares(
    { keywords: Array.isArray(keywords) ? keywords.join(' ') : keywords, others },
    policy,
    rankOf,
  );
const HELD = { kind: 'unreadable' };

describe('a letter’s declaration, read fail-closed', () => {
  it('every row of the Exchange screen’s table: one signature enough only where it says so', () => {
    for (const [name, keywords, oneIsEnough] of KEYWORD_ROWS) {
      const declaration = read(keywords.length ? keywords : null);
      expect(signaturesDeclared(declaration) !== 2, name).toBe(oneIsEnough);
    }
  });

  it('what a letter declares, exactly as the workbench writes it', () => {
    expect(read(decided('full_approval', 'RESTRICTED', 1))).toEqual({
      kind: 'declared',
      reference: 'NISD-DEC-2026-0007',
      type: 'full_approval',
      level: 'RESTRICTED',
      declared: 1,
      required: 1,
    });
    // The verifier's own policy asks more than the issuer declared: it is held to its own.
    expect(read(decided('full_approval', 'SECRET', 1))).toMatchObject({
      declared: 1,
      required: 2,
    });
    expect(read(decided('suspension', 'RESTRICTED', 2))).toMatchObject({
      declared: 2,
      required: 2,
    });
    // A system without a level declares `none`, ranked below every level.
    expect(read([...decided('full_approval', null, 1), `${LEVEL_KEYWORD}${NO_LEVEL}`])).toEqual({
      kind: 'declared',
      reference: 'NISD-DEC-2026-0007',
      type: 'full_approval',
      level: null,
      declared: 1,
      required: 1,
    });
    // The terms hash beside them, as a letter carries it.
    expect(
      read([...decided('full_approval', 'RESTRICTED', 1), `${TERMS_KEYWORD}${'ab'.repeat(32)}`]),
    ).toMatchObject({ kind: 'declared', required: 1 });
  });

  it('what the workbench writes is what it reads back', () => {
    for (const [type, level, required] of [
      ['full_approval', 'RESTRICTED', 1],
      ['amendment', 'TOP_SECRET', 2],
      ['refusal', null, 1],
    ] as const) {
      const keywords = [`${REF_KEYWORD}DEC-1`, ...fourEyesKeywords(type, level, required)];
      expect(keywords.slice(1)).toEqual([
        `${TYPE_KEYWORD}${type}`,
        `${LEVEL_KEYWORD}${level ?? NO_LEVEL}`,
        `${SIGNATURES_KEYWORD}${required}`,
      ]);
      expect(read(keywords)).toMatchObject({
        kind: 'declared',
        reference: 'DEC-1',
        type,
        level,
        declared: required,
      });
    }
    // A level code is written URI-encoded and read back decoded.
    expect(fourEyesKeywords('full_approval', 'A B', 1)[1]).toBe(`${LEVEL_KEYWORD}A%20B`);
  });

  it('nothing declared is none; any entry beside the keywords that declares holds it to two', () => {
    expect(read(null)).toEqual({ kind: 'none' });
    expect(read('')).toEqual({ kind: 'none' });
    expect(read(['dossier-sha256:ab'])).toEqual({ kind: 'none' });
    for (const entries of DECLARING_ENTRIES) {
      expect(
        read(decided('full_approval', 'RESTRICTED', 1), Object.values(entries)),
        JSON.stringify(entries),
      ).toEqual(HELD);
    }
    expect(
      read(decided('full_approval', 'RESTRICTED', 1), Object.values(PLAIN_ENTRIES)),
    ).toMatchObject({ kind: 'declared', required: 1 });
  });

  it('the reading is bounded: an entry longer than any the workbench writes is held unread', () => {
    const keywords = decided('full_approval', 'RESTRICTED', 1);
    expect(read(keywords, ['x'.repeat(4096)])).toMatchObject({ kind: 'declared' });
    expect(read(keywords, ['x'.repeat(4097)])).toEqual(HELD);
    // The keywords themselves too.
    const padded = `${keywords.join(' ')} ${'x'.repeat(4096)}`;
    expect(read(padded)).toEqual(HELD);
  });

  it('each word of the keywords once, each of the workbench’s values as it writes them', () => {
    const [ref, type, level, count] = decided('full_approval', 'RESTRICTED', 1) as [
      string,
      string,
      string,
      string,
    ];
    // A reference of letters, digits and ._- up to 64, and saying nothing of a decision.
    expect(read([`${REF_KEYWORD}${'A'.repeat(64)}`, type, level, count])).toMatchObject({
      kind: 'declared',
    });
    for (const reference of ['A'.repeat(65), '-DEC', 'DEC/1', 'DEC-decisionlevel', '']) {
      expect(read([`${REF_KEYWORD}${reference}`, type, level, count]), reference).toEqual(HELD);
    }
    // No reference at all.
    expect(read([type, level, count])).toEqual(HELD);
    // A terms hash of 64 small hex digits only.
    for (const hash of ['AB'.repeat(32), 'ab'.repeat(31), `${'ab'.repeat(32)}0`]) {
      expect(read([ref, type, level, count, `${TERMS_KEYWORD}${hash}`]), hash).toEqual(HELD);
    }
    // Each keyword once, even the terms.
    expect(
      read([ref, ref, type, level, count].map((w, i) => (i === 1 ? `${REF_KEYWORD}B` : w))),
    ).toEqual(HELD);
    // Printable ASCII only; a count of 1 or 2 only.
    expect(read([ref, type, level, `${SIGNATURES_KEYWORD}3`])).toEqual(HELD);
    expect(read([ref, type, level, `${SIGNATURES_KEYWORD}`])).toEqual(HELD);
    expect(read([ref, type, level, count, 'ok\u00e9'])).toEqual(HELD);
    // An empty level, and one that is not what encodeURIComponent writes.
    expect(read([ref, type, `${LEVEL_KEYWORD}`, count])).toEqual(HELD);
    expect(read([ref, type, `${LEVEL_KEYWORD}A B`, count])).toEqual(HELD);
    // A word of its own that speaks of signatures, beside them.
    expect(read([ref, type, level, count, 'signature'])).toEqual(HELD);
    // Words that speak of nothing are let be.
    expect(read([ref, type, level, count, 'approved', 'SYS-1'])).toMatchObject({
      kind: 'declared',
    });
  });

  it('each check of the reading at its edge', () => {
    const keywords = decided('full_approval', 'RESTRICTED', 1);
    const declared = { kind: 'declared', required: 1 };
    // A word spelled with punctuation for at most half its letters speaks (d!c!s!o! is
    // "decision", four of eight); with more, it is punctuation.
    expect(read([...keywords, 'd!c!s!o!'])).toEqual(HELD);
    expect(read([...keywords, 'd!!!s!o!'])).toMatchObject(declared);
    // A Latin letter outside Europe's alphabets is one a reader may take for another.
    expect(read(keywords, ['ɓ'])).toEqual(HELD);
    // A sign beyond ASCII before a letter stands for one (₲a); an ASCII sign does not ($a).
    expect(read(keywords, ['₲a'])).toEqual(HELD);
    expect(read(keywords, ['$a +b'])).toMatchObject(declared);
    // The accents read as their letters: from U+0300 (è) up to and including U+0362.
    expect(read(keywords, ['Très bien', 'x͢y'])).toMatchObject(declared);
    expect(read(keywords, ['xͣy'])).toEqual(HELD);
    // A letter some reading takes for an ASCII letter is read (β as b, Σ as o).
    expect(read(keywords, ['Σ β'])).toMatchObject(declared);
    // A keyword of printable ASCII from its first character to its last.
    expect(read([...keywords, 'éok'])).toEqual(HELD);
  });

  it('a level this scheme does not rank is held to two, even declared as needing two', () => {
    expect(read(decided('full_approval', 'COSMIC', 2))).toEqual(HELD);
    const policyOfOne: FourEyesPolicy = { ...policy, rules: [] };
    // With a policy that asks two of nothing, what the issuer declared still counts.
    expect(
      letterDeclares(
        { keywords: decided('full_approval', 'SECRET', 2).join(' ') },
        policyOfOne,
        rankOf,
      ),
    ).toMatchObject({ declared: 2, required: 2 });
  });

  it('how many signatures a declaration says: what it requires, two where unreadable', () => {
    expect(signaturesDeclared({ kind: 'none' })).toBeNull();
    expect(signaturesDeclared({ kind: 'unreadable' })).toBe(2);
    for (const required of [1, 2] as const) {
      const declaration = {
        kind: 'declared',
        reference: 'R',
        type: 'full_approval',
        level: null,
        declared: 1,
        required,
      } as const;
      expect(signaturesDeclared(declaration)).toBe(required);
    }
  });
});
