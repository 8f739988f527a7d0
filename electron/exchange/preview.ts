/**
 * How an import's preview and its audit row name what a package changes: each row added or
 * changed, field by field (from → to), values shortened as a person reads them.
 */
import type { SqlValue } from 'sql.js';
import { PREVIEW_VALUE_MAX, type PreviewRow, type PreviewTable } from '../../shared/exchange';

/** A row's cells, as sql.js gives and takes them. */
export type Cells = Record<string, SqlValue>;

/** A previewed row as the import's audit row names it: each field with its [from, to]. */
export function auditRow(row: PreviewRow) {
  return {
    table: row.table,
    ref: row.ref,
    added: row.added,
    fields: Object.fromEntries(row.fields.map((f) => [f.field, row.added ? f.to : [f.from, f.to]])),
    ...(row.valid === undefined ? {} : { validHere: row.valid }),
  };
}

/** A value as a preview shows it: text, shortened; null for nothing. */
function shown(value: SqlValue | undefined): string | null {
  if (value === null || value === undefined) {
    return null;
  }
  const text = value instanceof Uint8Array ? `${value.length} bytes` : String(value);
  return text.length > PREVIEW_VALUE_MAX ? `${text.slice(0, PREVIEW_VALUE_MAX - 1)}…` : text;
}

export function change(field: string, from: string | null, to: string | null) {
  return { field, from: shown(from), to: shown(to) };
}

/**
 * The fields of a row that a package sets: for a row here, those whose value changes (from →
 * to); for a new row, every field it fills.
 */
export function fieldChanges(
  fields: readonly string[],
  before: Cells | null,
  values: Record<string, SqlValue | undefined>,
): { field: string; from: string | null; to: string | null }[] {
  const text = (v: SqlValue | undefined) =>
    v === null || v === undefined ? null : v instanceof Uint8Array ? null : String(v);
  return fields.flatMap((field) => {
    const to = text(values[field]);
    if (!before) {
      return to === null || to === '' ? [] : [change(field, null, to)];
    }
    const from = text(before[field]);
    return from === to ? [] : [change(field, from, to)];
  });
}

/** A row of the preview: its table, its reference, whether it is new, and its fields. */
export function previewRow(
  table: PreviewTable,
  ref: string,
  added: boolean,
  fields: PreviewRow['fields'],
): PreviewRow {
  return { what: 'row', table, ref, added, fields };
}
