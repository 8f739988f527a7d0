/**
 * Translation lookup shared by the renderer and the CLI. Small on purpose: two languages,
 * flat keys, `{name}` placeholders; completeness is enforced by the type of the Danish table.
 */
import type { ErrorCode } from '../errors';
import type { PreviewChange } from '../exchange';
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
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
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
  TRANSITION_REFUSED: 'refusal.',
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
    default:
      return translate(language, `preview.${c.what}`, { n: c.n });
  }
}

const KNOWN_KEYS = new Set<string>(Object.keys(en));
