/**
 * What a decision letter says of itself in its document information, for a verifier that holds
 * no record of the decision (`awb verify`, the Exchange screen): its keywords name the decision's
 * type, its system's highest level and the signatures it needs, beside the reference and terms
 * hash decision-terms.ts binds; and how a letter's document information is read for what it
 * declares, fail-closed (letterDeclares).
 */
import { signaturesRequired, type FourEyesPolicy } from '../../shared/decisions';
import { DECISION_TYPES, type DecisionType } from '../../shared/lifecycle';
import type { LetterDeclaration } from '../../shared/signatures';
import { readingsOf, unusualLatin } from '../signing/names';
import { REF_KEYWORD, TERMS_KEYWORD } from './decision-terms';

/**
 * What a verifier with no record of the decision judges four eyes by, signed with the letter:
 * the decision's type, the highest level of its system (a level code of the classification
 * scheme, URI-encoded) and how many signatures its issuer's policy asked.
 */
export const TYPE_KEYWORD = 'decision-type:';
export const LEVEL_KEYWORD = 'decision-level:';
export const SIGNATURES_KEYWORD = 'signatures-required:';
/** The level a letter declares for a system without one. */
export const NO_LEVEL = 'none';

/** The keywords that let a verifier outside the vault judge four eyes (see letterDeclares). */
export function fourEyesKeywords(
  type: (typeof DECISION_TYPES)[number],
  level: string | null,
  required: 1 | 2,
): string[] {
  return [
    `${TYPE_KEYWORD}${type}`,
    `${LEVEL_KEYWORD}${level ? encodeURIComponent(level) : NO_LEVEL}`,
    `${SIGNATURES_KEYWORD}${required}`,
  ];
}

/** Words a letter's document information may hold only as the workbench writes them. */
const DECLARING = ['decisiontype', 'decisionlevel', 'signaturesrequired'];
/** Keywords whose words, read so, speak of a decision or signatures. */
const SPEAKING = ['decision', 'signature'];
/** The keywords the workbench writes that speak of them. */
const CANONICAL = [REF_KEYWORD, TERMS_KEYWORD, TYPE_KEYWORD, LEVEL_KEYWORD, SIGNATURES_KEYWORD];

/**
 * The value each of the workbench's keywords takes, as it writes it (round 20q: a reference
 * `DEC-1,decision-level:SECRET,signatures-required:2` smuggled a declaration past the reading):
 * a reference of letters, digits and `._-` that says nothing of a decision, a SHA-256 in small
 * hex, a known type, a level encoded as encodeURIComponent encodes it, 1 or 2.
 */
const CANONICAL_VALUE: Record<string, (value: string) => boolean> = {
  [REF_KEYWORD]: (v) =>
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(v) && !says(v, [...SPEAKING, ...DECLARING]),
  [TERMS_KEYWORD]: (v) => /^[0-9a-f]{64}$/.test(v),
  [TYPE_KEYWORD]: (v) => (DECISION_TYPES as readonly string[]).includes(v),
  [LEVEL_KEYWORD]: (v) => {
    try {
      return v === NO_LEVEL || (v !== '' && encodeURIComponent(decodeURIComponent(v)) === v);
    } catch {
      return false;
    }
  },
  [SIGNATURES_KEYWORD]: (v) => v === '1' || v === '2',
};

/**
 * The longest document-information entry read for a declaration: a letter's keywords and title
 * are a few hundred characters; a longer entry (a megabyte title would keep the reading busy for
 * minutes) holds the letter to two unread.
 */
const ENTRY_MAX = 4096;

/** A letter's document information as it stands (verify.ts, signedInfo). */
export interface LetterInfo {
  keywords: string | null;
  /** Every other entry's text (title, subject, author, custom keys…). */
  others?: readonly string[];
}

/**
 * The ASCII letters and digits a reader may take `value` for (names.ts readingsOf), anything
 * else left out: a look-alike, a letter that looks like a dash or a blank (ᐨ, ー, a Hangul
 * filler), punctuation and spacing all read as nothing between the words around them.
 */
const flat = (value: string) => readingsOf(value).map((r) => r.replace(/[^a-z0-9]/g, ''));
/** Where a reading had punctuation, a symbol or a digit: a letter a reader may see there. */
const WILD = '?';
/**
 * The readings of `value` with each punctuation mark, symbol or digit kept as WILD (`dec¡s¡on`,
 * `s!gnatures`, `d3cision-l3v3l` read as decision, signatures and decision-level by people, as
 * nothing by flat; rounds 20q and 20r).
 */
const loose = (value: string) => {
  const chunks = value.normalize('NFKC').split(/[\p{P}\p{S}\p{N}]/u);
  return [0, 1, 2].map((form) => chunks.map((chunk) => flat(chunk)[form]!).join(WILD));
};
/**
 * Whether `text` holds `word`, each of its letters written as itself or as a WILD (at most half
 * of them), WILD between them read as nothing: `dec!s!on-level` holds decisionlevel, a line of
 * dashes does not.
 */
function holds(text: string, word: string): boolean {
  const never = word.length + 1;
  // fewest[j]: the fewest WILDs for word's first j letters ending here.
  let fewest = Array.from({ length: word.length + 1 }, (_, j) => (j === 0 ? 0 : never));
  for (const c of text) {
    const next = fewest.map((_, j) => (j === 0 ? 0 : never));
    for (let j = 0; j < word.length; j++) {
      const cost = c === word[j] ? 0 : c === WILD ? 1 : never;
      next[j + 1] = Math.min(next[j + 1]!, fewest[j]! + cost);
      if (c === WILD && j > 0) {
        next[j] = Math.min(next[j]!, fewest[j]!);
      }
    }
    if (next[word.length]! <= Math.floor(word.length / 2)) {
      return true;
    }
    fewest = next;
  }
  return false;
}
/**
 * Whether some reading of `value` holds some reading of one of `words` (a capital I as l too),
 * punctuation, symbols or digits standing for some of its letters.
 */
const says = (value: string, words: readonly string[]) => {
  const readings = loose(value);
  return words.some((word) => flat(word).some((w) => readings.some((r) => holds(r, w))));
};

/**
 * Whether `value` holds a character the reading above cannot take for what a reader sees
 * (rounds 20n and 20o: 🅳🅴🅲🅸🆂🅸🅾🅽, an insular ꝺ, a Cherokee Ꮆ, a Greek ϲ or a Cyrillic п were read
 * as nothing while pdfinfo showed "decision"): a letter or digit that no reading takes for an
 * ASCII letter or digit (ø, å, Ł, é, ß and a Cyrillic е are read as o, a, l, e, ss and e; þ, Ω
 * or п as nothing), a combining mark other than the accents (U+0300–U+0362; a combining small
 * letter stacked on another is one a reader may read), a symbol (an enclosed or squared
 * letter) anywhere or any other sign against a letter (₵ for C, ∂ for d), a Latin letter
 * outside Europe's alphabets, a private, unassigned or broken code point. The workbench's own entries hold none of them but where a name it was given does.
 */
function unreadable(value: string): boolean {
  if (
    unusualLatin(value) !== null ||
    /[\p{So}\p{Co}\p{Cn}\p{Cs}\uFFFD]/u.test(value) ||
    // A currency, maths or modifier sign beyond ASCII against a letter stands for one (round 20p:
    // ₵ for C, ₲ for G, ∂ for d, ∩ for n); between words (€ 10), or C++, it is what it is.
    /[\p{L}\p{M}](?![\x00-\x7f])\p{S}|(?![\x00-\x7f])\p{S}\p{L}/u.test(value.normalize('NFC'))
  ) {
    return true;
  }
  for (const c of value.normalize('NFD')) {
    const code = c.codePointAt(0)!;
    if (
      /\p{M}/u.test(c)
        ? code < 0x300 || code > 0x362
        : /[\p{L}\p{N}]/u.test(c) && flat(c).every((r) => r === '')
    ) {
      return true;
    }
  }
  return false;
}

/**
 * What decision a letter's own signed keywords declare, and how many signatures it needs: what
 * its issuer declared, or more where the verifier's own four-eyes policy asks more of the
 * decision type and level the letter names (an issuer whose policy was edited, or older than a
 * rule, does not lower the verifier's). `none` when the document information declares nothing
 * (not a decision letter, or one from before these keywords): four eyes is then judged only
 * where two signed. `unreadable` (held to two) when it declares one other than as below.
 *
 * Read fail-closed (rounds 20k to 20m: a keyword written twice, `02`, an invisible character
 * after `2`, `SECRET%`, keywords joined by `;`, `Decision-Level:` beside the right ones, a
 * Cyrillic е, a dash-like letter ᐨ for the hyphen, a declaration in the title, the author or a
 * custom key, no level at all, letters the reading drops; an entry holding any of those is held
 * to two whatever it says: unreadable): where the document information declares a decision's type,
 * level or signatures in any spelling (flat: look-alikes, case, punctuation, spacing and every
 * other character aside), it must be the Keywords, exactly as the workbench writes them —
 * printable ASCII words joined by single spaces; every word that speaks of a decision or
 * signatures one of its own, each once; a reference, a known type, a level this scheme knows
 * (or `none`), 1 or 2 — or the letter is held to two signatures.
 */
export function letterDeclares(
  info: LetterInfo,
  policy: FourEyesPolicy,
  rankOf: (code: string) => number,
): LetterDeclaration {
  const text = info.keywords ?? '';
  const others = info.others ?? [];
  // An entry longer than any the workbench writes is held unread: the reading is bounded.
  if ([text, ...others].some((value) => value.length > ENTRY_MAX)) {
    return HELD;
  }
  if ([text, ...others].some(unreadable) || others.some((value) => says(value, DECLARING))) {
    return HELD;
  }
  if (!says(text, DECLARING)) {
    return { kind: 'none' };
  }
  const words = text.split(' ');
  const once = (prefix: string) => {
    const values = words.filter((w) => w.startsWith(prefix)).map((w) => w.slice(prefix.length));
    return values.length === 1 ? values[0]! : null;
  };
  const [ref, type, level, declared] = [
    REF_KEYWORD,
    TYPE_KEYWORD,
    LEVEL_KEYWORD,
    SIGNATURES_KEYWORD,
  ].map(once);
  const repeated = CANONICAL.some((prefix) => words.filter((w) => w.startsWith(prefix)).length > 1);
  const stray = words.some((w) => {
    const prefix = CANONICAL.find((p) => w.startsWith(p));
    return (
      !/^[\x21-\x7e]+$/.test(w) ||
      (prefix ? !CANONICAL_VALUE[prefix]!(w.slice(prefix.length)) : says(w, SPEAKING))
    );
  });
  if (level === null || level === undefined) {
    return HELD;
  }
  let code: string | null = null;
  try {
    code = level === NO_LEVEL ? null : decodeURIComponent(level);
  } catch {
    return HELD;
  }
  const rank = code === null ? 0 : rankOf(code);
  if (
    repeated ||
    stray ||
    !ref ||
    !type ||
    !(DECISION_TYPES as readonly string[]).includes(type) ||
    (declared !== '1' && declared !== '2') ||
    (code !== null && rank === 0)
  ) {
    return HELD;
  }
  const decisionType = type as DecisionType;
  const byPolicy = signaturesRequired(policy, decisionType, rank, rankOf);
  return {
    kind: 'declared',
    reference: ref,
    type: decisionType,
    level: code,
    declared: declared === '2' ? 2 : 1,
    required: declared === '2' || byPolicy === 2 ? 2 : 1,
  };
}

/** A declaration the reading above holds to two signatures, whatever it says. */
const HELD: LetterDeclaration = { kind: 'unreadable' };

/**
 * How many signatures a letter's declaration says its decision needs: null where it declares
 * nothing (four eyes is then judged only where two signed), two where it cannot be read as
 * the workbench writes it.
 */
export function signaturesDeclared(declaration: LetterDeclaration): 1 | 2 | null {
  return declaration.kind === 'none'
    ? null
    : declaration.kind === 'unreadable'
      ? 2
      : declaration.required;
}
