/**
 * Whether two certificates name the same person by the four-eyes policy
 * (resources/decisions/four-eyes.json): the fields it lists, read from the certificate's own
 * encoding, compared as a reader tells them apart — by letters and digits, by look (Unicode's
 * confusable skeletons), by words, by mailbox — and a name mixing scripts, or holding a Latin
 * letter outside Europe's alphabets, telling nobody apart. Each rule names the attack round that
 * found its need (docs/signatures.md, "Four eyes"). Used by four-eyes.ts.
 */
import { domainToASCII } from 'node:url';
import * as asn1js from 'asn1js';
import unhomoglyph from 'unhomoglyph';
import type { SamePersonPolicy } from '../../shared/decisions';
import { x509 } from './x509';

const OIDS: Record<SamePersonPolicy['fields'][number], string> = {
  commonName: '2.5.4.3',
  serialNumber: '2.5.4.5',
  email: '1.2.840.113549.1.9.1',
  pseudonym: '2.5.4.65',
  uid: '0.9.2342.19200300.100.1.1',
};

/**
 * The skeleton of a string after Unicode's confusable detection (UTS #39, section 4): decomposed,
 * each character replaced by the prototype it is confusable with (Unicode's confusables data:
 * Cyrillic А and Greek Α both become Latin A, a digit 0 the letter O), decomposed again. Two
 * strings with the same skeleton look alike to a reader.
 */
const skeleton = (value: string) => unhomoglyph(value.normalize('NFD')).normalize('NFD');

/**
 * A name's value as a reader sees it: composed, without the characters a reader does not see
 * (format characters such as a zero-width space or a direction mark, and every other
 * default-ignorable one: variation selectors, the combining grapheme joiner, Hangul fillers),
 * spacing collapsed.
 */
const visible = (value: string) =>
  value
    .normalize('NFKC')
    .replace(/[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu, '')
    .replace(/\s+/g, ' ')
    .trim();

/**
 * Latin small capitals, which no decomposition or confusable table maps to their letters
 * (round 20c: `ᴀnne Accreditor` was another person than `Anne Accreditor`).
 */
const SMALL_CAPITALS: Record<string, string> = {
  ...Object.fromEntries(
    [...'ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘꞯʀꜱᴛᴜᴠᴡʏᴢ'].map((c, i) => [c, 'abcdefghijklmnopqrstuvwyz'[i]!]),
  ),
  // A schwa reads as an e turned (round 20e: `Annə Accreditor`).
  ə: 'e',
  Ə: 'E',
};

/**
 * A name as a reader tells it from another: its letters and digits only. Punctuation, symbols,
 * spaces and marks are dropped, before and after decomposing (round 20c: a Braille blank,
 * U+2800, looks like a space and is none; a trailing dot or middle dot, a figure dash, a
 * combining low line or dot above are easily missed; round 20d: ™ and superscript digits
 * decompose into letters and digits), and small capitals read as their letters. Two names of
 * one person differ in nothing else; two people whose names differ only there are refused as
 * one, the safe side of four eyes.
 */
const lettersOf = (seen: string) =>
  seen
    .replace(/[\p{P}\p{S}\p{Z}\p{No}\p{Cc}]/gu, '')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/./gu, (c) => SMALL_CAPITALS[c] ?? c)
    .replace(/[^\p{L}\p{N}]/gu, '');

/**
 * A text as a reader may take it in, to find a word in it however it is spelled: as written, in
 * capitals and in small letters, each character as its confusable prototype (a Cyrillic е as e;
 * a capital I and a small l alike), case-folded, letters and digits only (so `Decision_Level`,
 * `dеcision-level` and `DECISION-LEVEL` all hold a reading of `decision-level`).
 */
export function readingsOf(value: string): string[] {
  const seen = value.normalize('NFKC');
  return [seen, seen.toUpperCase(), seen.toLowerCase()].map((form) =>
    lettersOf(skeleton(skeleton(form).toLowerCase()).normalize('NFC')).toLowerCase(),
  );
}

/**
 * The Latin letters of Europe's alphabets, after decomposing and without marks: a name written
 * with another (an r with a fishhook, an n with a long leg, IPA letters; round 20d) reads as a
 * name it is not, and no table of look-alikes lists them all.
 */
const EUROPEAN_LATIN = /^[A-Za-zªºÆÐØÞßæðøþĐđĦħıĸŁłŊŋŒœŦŧſƏəƷʒ]$/u;

/** The first Latin letter of `value` outside Europe's alphabets, or null. */
export function unusualLatin(value: string): string | null {
  const letters = value
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .match(/\p{Script=Latin}/gu);
  return letters?.find((letter) => !EUROPEAN_LATIN.test(letter)) ?? null;
}

/**
 * The forms a value is compared in: its case-folded skeleton as written, in capitals and in
 * small letters. Two values name the same person when they share a form: so case never tells
 * two names apart, and neither does a look-alike in either case (a capital I reads as an l, a
 * small m as "rn", Greek capitals as Latin ones).
 */
const forms = (seen: string) =>
  [seen, seen.toUpperCase(), seen.toLowerCase()]
    .map((form) => skeleton(skeleton(form).toLowerCase()).normalize('NFC'))
    .flatMap((form) => [form, transliterated(form)]);

/**
 * A form with the letters Danish, Norwegian, Swedish and German names are transliterated into
 * written back as one letter (round 20f: "Soeren Soerensen" was another person than "Søren
 * Sørensen", whose skeleton is "soren sorensen"): ae, oe, ue and aa read as a, o, u and a.
 */
const transliterated = (form: string) =>
  form.replace(/ae/g, 'a').replace(/oe/g, 'o').replace(/ue/g, 'u').replace(/aa/g, 'a');

/**
 * The mailbox an address reaches, as far as its spelling tells: the local part without quotes
 * or a "+tag" (sub-addressing reaches the same mailbox), the domain without a trailing dot and
 * in its ASCII form (an internationalised domain and its punycode are one domain).
 */
function mailbox(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 0) {
    return address;
  }
  // A tag after +, - or %, and dots, reach the same mailbox at many servers (round 20f); the
  // safe side takes them as one.
  const local = address
    .slice(0, at)
    .replace(/^"(.*)"$/, '$1')
    .replace(/[+%-].*$/, '')
    .replace(/\./g, '');
  // The domain written with any full stop (。), without a trailing one, in ASCII, and by its
  // last two labels: a subdomain of the organisation's domain is the organisation's.
  const written = address
    .slice(at + 1)
    .normalize('NFKC')
    .replace(/[\u3002\uff0e\uff61]/g, '.')
    .replace(/\.+$/, '');
  const domain = (domainToASCII(written) || written).split('.').slice(-2).join('.');
  return `${local}@${domain}`;
}

/** The script families a reader tells apart by eye; any other letter is a family of its own. */
const FAMILIES = [/\p{Script=Latin}/u, /\p{Script=Greek}/u, /\p{Script=Cyrillic}/u];

/**
 * Whether a value mixes letters of different scripts (Latin with Cyrillic, Greek or any other):
 * the sign of a name built to look like another (UTS #39's restriction levels), which no
 * skeleton table catches in full.
 */
export function mixesScripts(value: string): boolean {
  const families = new Set<number>();
  // As written and as decomposed: a Kangxi radical (a symbol) decomposes into a Han letter
  // (round 20d: `Anne⼀Accreditor`).
  for (const letter of `${value} ${value.normalize('NFKC')}`.match(/\p{L}/gu) ?? []) {
    families.add(FAMILIES.findIndex((family) => family.test(letter)));
  }
  return families.size > 1;
}

/** The values a certificate writes for a person field (e-mail also from subjectAltName). */
function writtenValues(
  cert: x509.X509Certificate,
  field: SamePersonPolicy['fields'][number],
): string[] {
  // Every value of the field, read from the subject's own encoding: a string type the library
  // does not decode (a NumericString, say) it gives as the hex of its encoding, where every
  // other reader shows its text (round 20e: the hex of "Anne Accreditor" was another person).
  const values: string[] = [];
  const name = asn1js.fromBER(cert.subjectName.toArrayBuffer()).result;
  for (const rdn of name instanceof asn1js.Sequence ? name.valueBlock.value : []) {
    for (const attribute of rdn instanceof asn1js.Set ? rdn.valueBlock.value : []) {
      const [type, value] = attribute instanceof asn1js.Sequence ? attribute.valueBlock.value : [];
      if (
        type instanceof asn1js.ObjectIdentifier &&
        type.getValue() === OIDS[field] &&
        value instanceof asn1js.BaseBlock
      ) {
        values.push(stringText(value));
      }
    }
  }
  if (field === 'email') {
    const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
    for (const name of san?.names.items ?? []) {
      if (name.type === 'email') {
        values.push(name.value);
      }
    }
  }
  return values;
}

/** The text of a directory string: UTF-16 or UTF-32 by its type, else UTF-8 where it is, else Latin-1. */
function stringText(value: asn1js.BaseBlock): string {
  const whole = value.valueBeforeDecodeView;
  const content = Buffer.from(
    whole.subarray(value.idBlock.blockLength + value.lenBlock.blockLength),
  );
  const tag = value.idBlock.tagNumber;
  if (tag === 30) {
    // BMPString (a last odd byte, which no reader decodes, left out)
    return Buffer.from(content.subarray(0, content.length - (content.length % 2)))
      .swap16()
      .toString('utf16le');
  }
  if (tag === 28) {
    const points = [];
    for (let i = 0; i + 3 < content.length; i += 4) {
      points.push(content.readUInt32BE(i));
    }
    return String.fromCodePoint(...points.filter((p) => p <= 0x10ffff)); // UniversalString
  }
  const utf8 = content.toString('utf8');
  return Buffer.from(utf8, 'utf8').equals(content) ? utf8 : content.toString('latin1');
}

/**
 * A name's words, each with the forms it is compared in and those of its first letter; a
 * qualifier in brackets ("(signing)") is no part of the name.
 */
const wordsOf = (value: string) =>
  value
    .replace(/\([^)]*\)|\[[^\]]*\]/g, ' ')
    .split(/[\p{Z}\p{P}\p{S}\s]+/u)
    .map(lettersOf)
    .filter((word) => word !== '')
    .map((word) => ({ word, forms: new Set(forms(word)), initial: forms(word.slice(0, 1)) }));

type Word = ReturnType<typeof wordsOf>[number];

/** Whether a word is one letter (an initial; a digit is none). */
const oneLetter = (w: Word) => w.word.length === 1 && /\p{L}/u.test(w.word);

/** Whether `a` is a word of one letter that is `b`'s first. */
const initialOf = (a: Word, b: Word) => oneLetter(a) && b.initial.some((f) => a.forms.has(f));

/**
 * Whether two names are one person's by their words (rounds 20e, 20f): every word of the
 * shorter name, of two words or more, meets its own word of the longer, as the same word or as
 * its initial, and one word of two letters or more is the same. So the same words in another
 * order ("Accreditor, Anne"), a word by its initial ("A. Accreditor"), a title, rank or role
 * ("Dr.", "Major", ", signing"), a middle name or initial are one person's. The safe side: "Anne
 * Holm" and "Anne Marie Holm" are refused as one (a unit whose staff share names compares by
 * serialNumber or e-mail instead).
 */
export function sameWords(x: string, y: string): boolean {
  const [short, long] = [wordsOf(x), wordsOf(y)].sort((a, b) => a.length - b.length);
  if (!short || !long || short.length < 2) {
    return false;
  }
  let whole = false;
  for (const w of short) {
    const same = long.findIndex((v) => [...w.forms].some((f) => v.forms.has(f)));
    const at = same >= 0 ? same : long.findIndex((v) => initialOf(w, v) || initialOf(v, w));
    if (at < 0) {
      return false;
    }
    whole ||= same >= 0 && w.word.length > 1;
    long.splice(at, 1);
  }
  return whole;
}

/**
 * The values a certificate gives for a person field, as a reader sees them, by the forms they
 * are compared in.
 */
export function personValues(
  cert: x509.X509Certificate,
  field: SamePersonPolicy['fields'][number],
): Map<string, string> {
  return valueForms(writtenValues(cert, field), field);
}

/** Written values of a person field by the forms they are compared in (personValues). */
function valueForms(all: string[], field: SamePersonPolicy['fields'][number]): Map<string, string> {
  const values = new Map<string, string>();
  for (const written of all) {
    const seen = visible(written);
    // A name's letters as written (before composing turns a symbol into letters: ™, ⁰) and
    // after its look-alikes are replaced (an Arabic-Indic zero is read as a dot, which is then
    // no letter; round 20d).
    // A serial number also without a prefix of its scheme ("PID:"; round 20f).
    const bare = field === 'serialNumber' ? [written.replace(/^\s*[A-Za-z]{2,8}\s*:/, '')] : [];
    const compared =
      field === 'email'
        ? forms(mailbox(seen))
        : [
            ...[written, ...bare].flatMap((v) => forms(lettersOf(v))),
            ...forms(seen).map(lettersOf),
          ];
    for (const form of seen === '' ? [] : compared) {
      values.set(form, seen);
    }
  }
  return values;
}

/**
 * Whether two certificates name the same person by the policy: the first listed field with a
 * value in both that shares one; null when they are told apart. When no listed field is in
 * both, they cannot be told apart: the same person.
 */
export function samePerson(
  a: x509.X509Certificate,
  b: x509.X509Certificate,
  policy: SamePersonPolicy,
): string | null {
  let compared = false;
  for (const field of policy.fields) {
    // Each certificate's subject read once per field.
    const [ownA, ownB] = [writtenValues(a, field), writtenValues(b, field)];
    const written = [...ownA, ...ownB];
    const mixed = written.find(mixesScripts);
    if (mixed !== undefined) {
      return `${field} "${mixed}" mixes scripts: the two signers cannot be told apart`;
    }
    const unusual = written.find((value) => unusualLatin(value) !== null);
    if (unusual !== undefined) {
      return `${field} "${unusual}" holds a letter readers take for another (${unusualLatin(unusual)}): the two signers cannot be told apart`;
    }
    const left = valueForms(ownA, field);
    const right = valueForms(ownB, field);
    if (left.size === 0 || right.size === 0) {
      continue;
    }
    compared = true;
    const shared = [...left.keys()].find((form) => right.has(form));
    if (shared !== undefined) {
      const [x, y] = [left.get(shared), right.get(shared)];
      return x === y
        ? `both certificates name ${field} "${x}"`
        : `${field} "${x}" and "${y}" read alike`;
    }
    if (field === 'commonName' || field === 'pseudonym') {
      for (const x of new Set(left.values())) {
        const y = [...new Set(right.values())].find((other) => sameWords(x, other));
        if (y !== undefined) {
          return `${field} "${x}" and "${y}" name the same person in other words`;
        }
      }
    }
  }
  return compared ? null : `no field of ${policy.fields.join(', ')} tells the two signers apart`;
}
