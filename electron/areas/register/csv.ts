/**
 * CSV export of the register's lists, with the marking of their content on the first line,
 * and CSV import of systems and people: every row is validated first and a per-row report is
 * returned; only a file without errors is written, in one transaction (each row with its own
 * audit row) — nothing is ever half-imported. Level cells accept the code or any label or
 * abbreviation of the scheme ("SECRET", "HEMMELIGT", "NS", "NATO SECRET").
 */
import { randomUUID } from 'node:crypto';
import Papa from 'papaparse';
import type { Database } from 'sql.js';
import {
  DOMAINS,
  type ClassificationScheme,
  type InfoDomain,
} from '../../../shared/classification';
import { AppError } from '../../../shared/errors';
import { translate, type Language } from '../../../shared/i18n';
import { PersonInput, SystemInput } from '../../../shared/register';
import { personSense } from '../../../shared/sense';
import { appendAudit } from '../../db/audit';
import type { Vault } from '../../vault/vault';
import { senseToday } from '../../services/sense';
import type { RecordService } from '../records/use-cases';
import { insertPerson, insertSystem } from './repository';
import type { RegisterService } from './use-cases';

export type ExportKind = 'systems' | 'records' | 'people';
export type ImportKind = 'systems' | 'people';

export interface RowError {
  /** Line in the file (1-based, counting the marking and header lines). */
  line: number;
  field: string;
  /** English, for the command line and logs; a screen shows `issueText` of the rest. */
  message: string;
  /** The problem as a validation issue (shared/i18n/issues.ts): its key and values, or its code. */
  key?: string;
  params?: Record<string, string>;
  code?: string;
  minimum?: number;
  maximum?: number;
  origin?: string;
}

const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
const MAX_IMPORT_ROWS = 20_000;

function markingLine(
  scheme: ClassificationScheme,
  items: { domain: InfoDomain; level: string }[],
  language: Language,
): string {
  const marking = scheme.highestMarking(items);
  return `# ${marking ? marking.text : translate(language, 'banner.none')}`;
}

export function exportCsv(
  { register, records: recordService }: { register: RegisterService; records: RecordService },
  kind: ExportKind,
  language: Language,
): { fileName: string; content: string } {
  const scheme = register.scheme();
  const stamp = new Date().toISOString().slice(0, 10);
  let data: Record<string, string | number>[];
  let items: { domain: InfoDomain; level: string }[];
  if (kind === 'systems') {
    const systems = register.listSystems();
    items = systems.flatMap((s) => s.levels);
    data = systems.map((s) => {
      const detail = register.getSystem(s.id).system;
      const row: Record<string, string | number> = {
        ref: s.ref,
        name: s.name,
        purpose: detail.purpose,
        phase: s.phase,
        mode: s.mode,
      };
      for (const d of DOMAINS) {
        row[d] = s.levels.find((l) => l.domain === d)?.level ?? '';
      }
      return {
        ...row,
        userCount: s.userCount,
        minClearance: detail.minClearance ?? '',
        boundary: detail.boundary,
        nextReview: s.nextReview ?? '',
        owner: s.ownerName ?? '',
      };
    });
  } else if (kind === 'records') {
    const records = recordService.list();
    items = records.flatMap((r) =>
      r.markingLevel && r.markingDomain ? [{ domain: r.markingDomain, level: r.markingLevel }] : [],
    );
    data = records.map((r) => ({
      type: r.type,
      title: r.title,
      counterpart: r.counterpart,
      theirRef: r.theirRef,
      ourRef: r.ourRef,
      sentOn: r.sentOn ?? '',
      receivedOn: r.receivedOn ?? '',
      validFrom: r.validFrom ?? '',
      validTo: r.validTo ?? '',
      followUpDue: r.followUpDue ?? '',
      status: r.status,
      markingLevel: r.markingLevel ?? '',
      markingDomain: r.markingDomain ?? '',
      notes: r.notes,
    }));
  } else {
    const people = register.listPeople();
    items = [];
    data = people.flatMap((p) =>
      (p.clearances.length ? p.clearances : [null]).map((c) => ({
        name: p.name,
        organisation: p.organisation ?? '',
        email: p.email,
        briefedOn: p.briefedOn ?? '',
        clearanceLevel: c?.level ?? '',
        clearanceDomain: c?.domain ?? '',
        issuingBody: c?.issuingBody ?? '',
        expiresOn: c?.expiresOn ?? '',
      })),
    );
  }
  // Spreadsheet formula injection: a cell starting with = + - @ is prefixed with a quote.
  const safe = data.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([k, v]) => [
        k,
        typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v,
      ]),
    ),
  );
  const body = Papa.unparse(safe, { newline: '\r\n' });
  return {
    fileName: `${kind}-${stamp}.csv`,
    content: `${markingLine(scheme, items, language)}\r\n${body}\r\n`,
  };
}

/** Reads a level cell: a code, or a label/abbreviation of the given domain (or any); null when unknown. */
function levelCode(scheme: ClassificationScheme, cell: string, domain?: InfoDomain): string | null {
  const text = cell.trim().toUpperCase();
  if (text === '') {
    return null;
  }
  for (const level of scheme.levels) {
    const names = [
      level.code,
      ...(domain
        ? [level.labels[domain], level.abbreviations[domain]]
        : DOMAINS.flatMap((d) => [level.labels[d], level.abbreviations[d]])),
    ];
    if (names.some((n) => n.toUpperCase() === text)) {
      return level.code;
    }
  }
  return null;
}

interface Parsed {
  rows: Record<string, string>[];
  firstDataLine: number;
}

/** A CSV file's rows by header (comment lines first skipped), refusing one without `required`. */
export function parseCsv(content: string, required: string[]): Parsed {
  if (content.length > MAX_IMPORT_BYTES) {
    throw new AppError('VALIDATION_FAILED', 'The file is too large', {
      issues: [
        { path: ['file'], message: 'larger than 5 MB', key: 'fileTooLarge', params: { mb: '5' } },
      ],
    });
  }
  const lines = content.replace(/^\uFEFF/, '').split(/\r?\n/);
  let skip = 0;
  while (skip < lines.length && (lines[skip]?.startsWith('#') ?? false)) {
    skip++;
  }
  const result = Papa.parse<Record<string, string>>(lines.slice(skip).join('\n'), {
    header: true,
    skipEmptyLines: 'greedy',
    transformHeader: (h) => h.trim(),
  });
  const header = result.meta.fields ?? [];
  const missing = required.filter((r) => !header.includes(r));
  if (missing.length > 0) {
    throw new AppError('VALIDATION_FAILED', 'Columns are missing', {
      issues: missing.map((m) => ({
        path: ['header'],
        message: `missing column ${m}`,
        key: 'missingColumn',
        params: { column: m },
      })),
    });
  }
  if (result.data.length > MAX_IMPORT_ROWS) {
    throw new AppError('VALIDATION_FAILED', 'Too many rows', {
      issues: [
        {
          path: ['file'],
          message: `more than ${MAX_IMPORT_ROWS} rows`,
          key: 'tooManyRows',
          params: { max: String(MAX_IMPORT_ROWS) },
        },
      ],
    });
  }
  return { rows: result.data, firstDataLine: skip + 2 };
}

/** A row's validation issues (zod's, or a rule of sense's), each with what translates it. */
function zodRowErrors(
  line: number,
  issues: readonly { path: PropertyKey[]; message: string }[],
): RowError[] {
  return issues.map((issue) => {
    const i: Record<string, unknown> = { ...issue };
    const params =
      i.params && typeof i.params === 'object'
        ? Object.fromEntries(Object.entries(i.params).map(([k, v]) => [k, String(v)]))
        : null;
    return {
      line,
      field: issue.path.map(String).join('.'),
      message: issue.message,
      ...(typeof i.key === 'string' ? { key: i.key } : {}),
      ...(params ? { params } : {}),
      ...(typeof i.code === 'string' ? { code: i.code } : {}),
      ...(typeof i.minimum === 'number' ? { minimum: i.minimum } : {}),
      ...(typeof i.maximum === 'number' ? { maximum: i.maximum } : {}),
      ...(typeof i.origin === 'string' ? { origin: i.origin } : {}),
    };
  });
}

/** A cell naming a level the scheme does not know. */
const unknownLevel = (line: number, field: string, cell: string): RowError => ({
  line,
  field,
  message: `unknown level "${cell}"`,
  key: 'unknownLevel',
  params: { code: cell },
});

/** A cell naming an organisation the register does not have. */
const unknownOrganisation = (line: number, field: string, name: string): RowError => ({
  line,
  field,
  message: `no organisation named "${name}"`,
  key: 'unknownOrganisation',
  params: { name },
});

/** Writes every validated row in one transaction, each with its own audit row. */
async function commitAll<T>(
  vault: Vault,
  valid: T[],
  insert: (db: Database, id: string, input: T) => void,
  action: string,
  entityType: string,
): Promise<ImportResult> {
  await vault.writes.write((db) => {
    for (const input of valid) {
      const id = randomUUID();
      insert(db, id, input);
      appendAudit(
        db,
        vault.actor,
        { action, entityType, entityId: id, changes: input as Record<string, unknown> },
        new Date(),
      );
    }
  });
  return { imported: valid.length, errors: [] };
}

export interface ImportResult {
  imported: number;
  errors: RowError[];
}

export async function importCsv(
  vault: Vault,
  register: RegisterService,
  kind: ImportKind,
  content: string,
): Promise<ImportResult> {
  const scheme = register.scheme();
  const errors: RowError[] = [];
  if (kind === 'systems') {
    const { rows, firstDataLine } = parseCsv(content, ['ref', 'name', 'phase', 'mode']);
    const seen = new Set<string>();
    const valid: ReturnType<typeof SystemInput.parse>[] = [];
    rows.forEach((row, index) => {
      const line = firstDataLine + index;
      const levels: { domain: InfoDomain; level: string }[] = [];
      for (const d of DOMAINS) {
        const cell = row[d] ?? '';
        if (cell.trim() === '') {
          continue;
        }
        const code = levelCode(scheme, cell, d);
        if (!code) {
          errors.push(unknownLevel(line, d, cell));
        } else {
          levels.push({ domain: d, level: code });
        }
      }
      const minCell = row.minClearance ?? '';
      const minClearance = minCell.trim() ? levelCode(scheme, minCell) : null;
      if (minCell.trim() && !minClearance) {
        errors.push(unknownLevel(line, 'minClearance', minCell));
      }
      let ownerOrgId: string | null = null;
      if ((row.owner ?? '').trim()) {
        ownerOrgId = register.organisationByName(row.owner ?? '');
        if (!ownerOrgId) {
          errors.push(unknownOrganisation(line, 'owner', row.owner ?? ''));
        }
      }
      const parsed = SystemInput.safeParse({
        ref: row.ref ?? '',
        name: row.name ?? '',
        purpose: row.purpose ?? '',
        phase: (row.phase ?? '').trim(),
        mode: (row.mode ?? '').trim(),
        levels,
        userCount: row.userCount?.trim() ? Number(row.userCount) : 0,
        minClearance,
        boundary: row.boundary ?? '',
        nextReview: row.nextReview?.trim() || null,
        ownerOrgId,
      });
      if (!parsed.success) {
        // A level cell already reported explains an empty level list: report the cause only.
        const levelCellFailed = errors.some(
          (e) => e.line === line && (DOMAINS as readonly string[]).includes(e.field),
        );
        errors.push(
          ...zodRowErrors(
            line,
            parsed.error.issues.filter((i) => !(levelCellFailed && i.path[0] === 'levels')),
          ),
        );
        return;
      }
      const ref = parsed.data.ref;
      if (seen.has(ref) || register.systemRefExists(ref)) {
        errors.push({
          line,
          field: 'ref',
          message: `reference ${ref} is already used`,
          key: 'refTaken',
          params: { ref },
        });
        return;
      }
      seen.add(ref);
      valid.push(parsed.data);
    });
    if (errors.length > 0) {
      return { imported: 0, errors };
    }
    return commitAll(vault, valid, insertSystem, 'system.import', 'system');
  }

  const { rows, firstDataLine } = parseCsv(content, ['name']);
  const valid: ReturnType<typeof PersonInput.parse>[] = [];
  rows.forEach((row, index) => {
    const line = firstDataLine + index;
    let organisationId: string | null = null;
    if ((row.organisation ?? '').trim()) {
      organisationId = register.organisationByName(row.organisation ?? '');
      if (!organisationId) {
        errors.push(unknownOrganisation(line, 'organisation', row.organisation ?? ''));
      }
    }
    const clearances = [];
    if ((row.clearanceLevel ?? '').trim()) {
      const domain = (row.clearanceDomain ?? '').trim() as InfoDomain;
      const level = levelCode(
        scheme,
        row.clearanceLevel ?? '',
        (DOMAINS as readonly string[]).includes(domain) ? domain : undefined,
      );
      if (!level) {
        errors.push(unknownLevel(line, 'clearanceLevel', row.clearanceLevel ?? ''));
      } else {
        clearances.push({
          level,
          domain,
          issuingBody: row.issuingBody ?? '',
          expiresOn: (row.expiresOn ?? '').trim(),
        });
      }
    }
    const parsed = PersonInput.safeParse({
      name: row.name ?? '',
      organisationId,
      email: row.email ?? '',
      briefedOn: row.briefedOn?.trim() || null,
      clearances,
    });
    if (!parsed.success) {
      errors.push(...zodRowErrors(line, parsed.error.issues));
      return;
    }
    // The rules of sense, as for a person entered by hand (a briefing not in the future).
    const nonsense = personSense(parsed.data, { today: senseToday() });
    if (nonsense.length > 0) {
      errors.push(...zodRowErrors(line, nonsense));
      return;
    }
    valid.push(parsed.data);
  });
  if (errors.length > 0) {
    return { imported: 0, errors };
  }
  return commitAll(vault, valid, insertPerson, 'person.import', 'person');
}
