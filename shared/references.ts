/**
 * References that stay unique across vaults: each vault numbers its cases, decisions and risks
 * under its organisation's prefix (chosen when the vault is created), so two laptops never both
 * issue DEC-2026-0001. Numbers continue from the highest in use, so a deleted or imported row
 * never makes the next number collide.
 */

/** A prefix: a letter, then letters or digits, 2–10 in all (it is printed on every letter). */
export const REF_PREFIX = /^[A-Z][A-Z0-9]{1,9}$/;

export type RefKind = 'CASE' | 'DEC' | 'RISK';

/** A prefix made from an organisation's name: its words' initials ("Center for Cyber Security" → CFCS). */
export function suggestPrefix(organisation: string): string {
  const words = organisation
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/Æ/g, 'AE')
    .replace(/Ø/g, 'O')
    .replace(/Å/g, 'A')
    .split(/[^A-Z0-9]+/)
    .filter(Boolean);
  let prefix = words.map((w) => w[0]).join('');
  if (prefix.length < 2) {
    prefix = (words[0] ?? '').slice(0, 4);
  }
  prefix = prefix.replace(/^[0-9]+/, '').slice(0, 10);
  return REF_PREFIX.test(prefix) ? prefix : 'AWB';
}

/** The stem references of a kind share: "CFCS-DEC-2026-", "CFCS-RISK-" (no prefix: "DEC-2026-"). */
export function refStem(prefix: string | null, kind: RefKind, year: number | null): string {
  return `${prefix ? `${prefix}-` : ''}${kind}-${year === null ? '' : `${year}-`}`;
}

/** The next reference after the highest of `existing` that shares its stem. */
export function nextRef(
  prefix: string | null,
  kind: RefKind,
  year: number | null,
  existing: readonly string[],
): string {
  const stem = refStem(prefix, kind, year);
  let highest = 0;
  for (const ref of existing) {
    if (ref.startsWith(stem)) {
      const n = Number(ref.slice(stem.length));
      if (Number.isSafeInteger(n) && n > highest) {
        highest = n;
      }
    }
  }
  return `${stem}${String(highest + 1).padStart(4, '0')}`;
}
