/**
 * Translation lookup shared by the renderer and the CLI. Small on purpose: two languages,
 * flat keys, `{name}` placeholders; completeness is enforced by the type of the Danish table.
 */
import type { ErrorCode } from '../errors';
import type { PreviewChange } from '../exchange';
import type { LetterDeclaration } from '../signatures';
import { da } from './da';
import { en, type MessageKey, type Messages } from './en';

export const LANGUAGES = ['da', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export type { MessageKey, Messages };

const tables: Record<Language, Messages> = { da, en };

export function translate(
  language: Language,
  key: MessageKey,
  params?: Record<string, string | number>,
): string {
  const text = tables[language][key];
  if (!params) {
    return text;
  }
  // A word that follows a number: `{count:punkt|punkter}` is the first form where the language
  // says "one" (Intl.PluralRules), the second otherwise, so no message reads "1 punkter".
  const counted = text.replace(
    /\{(\w+):([^|{}]*)\|([^|{}]*)\}/g,
    (whole, name: string, one: string, other: string) =>
      Object.hasOwn(params, name)
        ? PLURALS[language].select(Number(params[name])) === 'one'
          ? one
          : other
        : whole,
  );
  // A day or a number given to a message reads as the message's language writes it.
  return counted.replace(/\{(\w+)\}/g, (whole, name: string) => {
    if (!Object.hasOwn(params, name)) {
      return whole;
    }
    const value = params[name];
    return typeof value === 'number'
      ? value.toLocaleString(LOCALES[language])
      : formatDay(language, String(value));
  });
}

/** The locale each UI language writes dates and numbers in (and native controls follow). */
export const LOCALES: Record<Language, string> = { da: 'da-DK', en: 'en-GB' };

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** How each language counts: Danish and English both have "one" and "other". */
const PLURALS: Record<Language, Intl.PluralRules> = {
  da: new Intl.PluralRules(LOCALES.da),
  en: new Intl.PluralRules(LOCALES.en),
};
const DAY_FORMATS: Record<Language, Intl.DateTimeFormat> = {
  // 1.12.2026: how a Danish reader writes a day.
  da: new Intl.DateTimeFormat(LOCALES.da, {
    day: 'numeric',
    month: 'numeric',
    year: 'numeric',
    timeZone: 'UTC',
  }),
  // 1 Dec 2026: unambiguous to British and American readers alike (never 12/1/2026).
  en: new Intl.DateTimeFormat(LOCALES.en, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }),
};

/**
 * A calendar day (YYYY-MM-DD) as a reader of `language` writes it. Stored and hashed data keep
 * ISO 8601; this is for screens and documents only. Anything that is not a day passes through.
 */
export function formatDay(language: Language, iso: string | null | undefined, none = '—'): string {
  if (!iso) {
    return none;
  }
  return DAY.test(iso) ? DAY_FORMATS[language].format(new Date(`${iso}T00:00:00Z`)) : iso;
}

/** The steps the workbench takes by itself, recorded with a coded reason and read in words. */
export const SYSTEM_STEPS = ['expired', 'due', 'superseded'] as const;
export type SystemStep = (typeof SYSTEM_STEPS)[number];

/** The reason the workbench records for a step of its own: `step.<kind>|<value>`. */
export function systemReason(step: SystemStep, value: string): string {
  return `step.${step}|${value}`;
}

/** A step's reason in words: a coded reason of the workbench translated, a person's text as is. */
export function reasonText(language: Language, reason: string | null | undefined): string {
  const coded = /^step\.(\w+)\|(.*)$/.exec(reason ?? '');
  const step = coded?.[1] as SystemStep | undefined;
  if (!coded || !step || !SYSTEM_STEPS.includes(step)) {
    return reason ?? '';
  }
  return translate(language, `step.${step}`, { value: coded[2] ?? '' });
}

/**
 * A risk review's note in words: the workbench's own notes ('created', 'reviewed', a move to other
 * risk criteria) are stored as codes and read in the reader's language; a person's note as is.
 */
export function riskNoteText(language: Language, note: string): string {
  if (note === 'created' || note === 'reviewed') {
    return translate(language, `risk.note.${note}`);
  }
  const moved = /^matrix (\S+) → (\S+)$/.exec(note);
  return moved ? translate(language, 'risk.note.matrix', { from: moved[1]!, to: moved[2]! }) : note;
}

/** A signature field in words: the workbench's two fields by their part, any other by its name. */
export function signatureFieldText(language: Language, field: string): string {
  return field === 'Signature1' || field === 'Signature2'
    ? translate(language, `verify.field.${field}`)
    : field;
}

export function errorMessage(language: Language, code: ErrorCode): string {
  return translate(language, `error.${code}`);
}

export function messageKeys(): MessageKey[] {
  return Object.keys(en) as MessageKey[];
}

/** Where the text for an error's reason lives, by the error's code. */
const REASON_PREFIX: Partial<Record<ErrorCode, string>> = {
  PACKAGE_REJECTED: 'package.reason.',
  EXPORT_REFUSED: 'export.reason.',
  KEY_EXPORT_REFUSED: 'keyExport.reason.',
  TRANSITION_REFUSED: 'refusal.',
  COUNTERSIGNATURE_REFUSED: 'countersign.reason.',
  FOUR_EYES_SIGNER_NOT_CERTIFIED: 'countersign.reason.',
  // A signature or a certificate refused: the verifier's reason codes.
  SIGNATURE_INVALID: 'verify.reason.',
  SIGNING_IDENTITY_INVALID: 'verify.reason.',
  UNSAFE_PARAMETERS: 'kdf.reason.',
  VAULT_READ_ONLY: 'readOnly.reason.',
};

/**
 * The translated reason an error carries (a refused package's, a refused step's), if it has one;
 * the error's other details fill the text's placeholders.
 */
export function reasonMessage(
  language: Language,
  code: ErrorCode,
  details: Record<string, unknown> | undefined,
): string | null {
  const prefix = REASON_PREFIX[code];
  const reason = details?.reason;
  if (!prefix || typeof reason !== 'string') {
    return null;
  }
  const key = `${prefix}${reason}`;
  if (!Object.hasOwn(tables[language], key)) {
    return null;
  }
  const params = Object.fromEntries(
    Object.entries(details ?? {}).filter(
      (e): e is [string, string | number] => typeof e[1] === 'string' || typeof e[1] === 'number',
    ),
  );
  return translate(language, key as MessageKey, params);
}

/** A package preview's change as a sentence in `language`. */
export function previewLine(language: Language, c: PreviewChange): string {
  const state = (x: string) =>
    KNOWN_KEYS.has(`state.${x}`) ? translate(language, `state.${x}` as MessageKey) : x;
  switch (c.what) {
    case 'system':
      return translate(language, c.added ? 'preview.systemAdded' : 'preview.systemKept', {
        ref: c.ref,
      });
    case 'case':
      return c.added
        ? translate(language, 'preview.caseAdded', { ref: c.ref, state: state(c.states[0] ?? '') })
        : translate(language, 'preview.caseMoves', {
            ref: c.ref,
            path: c.states.map(state).join(' → '),
          });
    case 'decision':
      return translate(language, 'preview.decision', {
        ref: c.ref,
        type: KNOWN_KEYS.has(`decisionType.${c.type}`)
          ? translate(language, `decisionType.${c.type}` as MessageKey)
          : c.type,
      });
    case 'catalogue':
      return translate(language, 'preview.catalogue', {
        ref: c.ref,
        sha256: c.sha256.slice(0, 16),
      });
    case 'notApplicable':
      return translate(language, 'preview.notApplicable', { refs: c.refs.join(', ') });
    case 'row': {
      // Every field the row brings: "field: from → to" (a new row: "field: value").
      const fields = c.fields
        .map((f) =>
          c.added ? `${f.field}: ${f.to ?? '—'}` : `${f.field}: ${f.from ?? '—'} → ${f.to ?? '—'}`,
        )
        .join('; ');
      const line = translate(language, c.added ? 'preview.row.added' : 'preview.row.changed', {
        table: translate(language, `preview.table.${c.table}`),
        ref: c.ref,
        fields,
      });
      return c.valid === false
        ? `${line} (${translate(language, 'preview.row.notValidHere')})`
        : line;
    }
    default:
      return translate(language, `preview.${c.what}`, { n: c.n });
  }
}

const KNOWN_KEYS = new Set<string>(Object.keys(en));

/**
 * What four eyes was judged by, as a sentence: the decision the letter's signed keywords declare
 * (its level as `levelLabel` names it), or that it declares none or none readably. The Exchange
 * screen and `awb verify` say the same.
 */
export function declarationText(
  language: Language,
  declaration: LetterDeclaration,
  levelLabel: (code: string | null) => string = (code) => code ?? '—',
): string {
  if (declaration.kind !== 'declared') {
    return translate(
      language,
      declaration.kind === 'none' ? 'verify.declaredNone' : 'verify.declaredUnreadable',
    );
  }
  return translate(language, 'verify.declared', {
    type: translate(language, `decisionType.${declaration.type}`),
    reference: declaration.reference,
    level: levelLabel(declaration.level),
    count: declaration.required,
  });
}
