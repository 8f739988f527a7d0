/**
 * Translation lookup shared by the renderer and the CLI. Small on purpose: two languages,
 * flat keys, `{name}` placeholders; completeness is enforced by the type of the Danish table.
 */
import type { ErrorCode } from '../errors';
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
