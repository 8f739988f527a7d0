/**
 * The CLI's scripting commands: what an accreditor batch-loads or automates. Systems, records
 * and people are created from JSON (one object or a list) or CSV; any register entry is
 * corrected or retired; a case is opened, answered and judged from CSV, moved through its
 * lifecycle, and decided; catalogues and classification schemes are imported. Each goes through
 * the same services (validation, lifecycle guards, audit) as the app; the vault is saved only
 * when the whole command succeeded.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CountersignInput } from '../../shared/decisions';
import { AppError } from '../../shared/errors';
import { CASE_STATES, type CaseState } from '../../shared/lifecycle';
import { ENTITY_KINDS, RETIRABLE, type EntityKind, type Retirable } from '../../shared/register';
import { correctEntry, type VaultServices } from '../services';
import { importCsv, parseCsv } from '../areas/register/csv';
import type { Vault } from '../vault/vault';
import type { CliIo } from './io';
import { UsageError } from './usage';

export const SCRIPT_USAGE = `  awb systems create --from <systems.json|systems.csv> --vault <folder> --passphrase-file <file> [--json]
  awb systems update <id|ref> --from <system.json> --vault <folder> --passphrase-file <file>
  awb records create --from <records.json> --vault <folder> --passphrase-file <file> [--json]
  awb people create --from <people.json|people.csv> --vault <folder> --passphrase-file <file> [--json]
  awb register update <kind> <id> --from <entry.json> --vault <folder> --passphrase-file <file>
  awb register retire|reinstate <kind> <id> --vault <folder> --passphrase-file <file>
  awb cases open --system <id|ref> --type <type> [--catalogue <id>] [--deadline YYYY-MM-DD] --vault <folder> --passphrase-file <file> [--json]
  awb cases answers <id|ref> --from <answers.csv> --vault <folder> --passphrase-file <file>
  awb cases verdicts <id|ref> --from <verdicts.csv> --vault <folder> --passphrase-file <file>
  awb cases move <id|ref> --to <state> --reason <text> --vault <folder> --passphrase-file <file>
  awb decisions issue <case id|ref> --type <type> --identity <label|fingerprint> --reason <text> [--valid-to YYYY-MM-DD] [--conditions-file <file>] [--pin-file <file>] --vault <folder> --passphrase-file <file>
  awb decisions discard --case <id|ref> --reason <text> --vault <folder> --passphrase-file <file>
  awb decisions countersign --case <id|ref> --identity <label|fingerprint> --reason <text> [--pin-file <file>] [--language da|en] --vault <folder> --passphrase-file <file>
  awb catalogue import <catalogue.json> --vault <folder> --passphrase-file <file> [--json]
  awb scheme import <scheme.json> --vault <folder> --passphrase-file <file> [--json]
    kinds: ${ENTITY_KINDS.join(', ')}; answers.csv: requirement,status,statement,justification; verdicts.csv: requirement,verdict,comment`;

type Io = CliIo;
type Values = Record<string, string | boolean | undefined>;
type WithVault = <T>(
  io: Io,
  argv: string[],
  run: (
    services: VaultServices,
    values: Values,
    vault: Vault,
    positionals: string[],
  ) => T | Promise<T>,
  mode?: 'read' | 'write',
) => Promise<T>;

function readText(cwd: string, path: unknown, option: string): string {
  if (typeof path !== 'string' || path === '') {
    throw new UsageError(`missing --${option} <file>`);
  }
  try {
    return readFileSync(resolve(cwd, path), 'utf8');
  } catch {
    throw new UsageError(`cannot read --${option} ${path}`);
  }
}

/** A JSON file's entries: one object, or a list of them. */
function entries(cwd: string, path: unknown): unknown[] {
  const text = readText(cwd, path, 'from');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError('VALIDATION_FAILED', 'The file is not JSON', {
      issues: [{ path: ['from'], message: 'not JSON' }],
    });
  }
  return Array.isArray(value) ? value : [value];
}

function option(values: Values, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value.trim() === '') {
    throw new UsageError(`missing --${name}`);
  }
  return value;
}

function caseOf(services: VaultServices, wanted: string | undefined): string {
  if (!wanted) {
    throw new UsageError('missing <case id|ref>');
  }
  const found = services.cases.listCases().find((c) => c.id === wanted || c.ref === wanted);
  if (!found) {
    throw new AppError('NOT_FOUND', `No such case: ${wanted}`);
  }
  return found.id;
}

function systemOf(services: VaultServices, wanted: string | undefined): string {
  if (!wanted) {
    throw new UsageError('missing <system id|ref>');
  }
  const found = services.register.listSystems({}).find((s) => s.id === wanted || s.ref === wanted);
  if (!found) {
    throw new AppError('NOT_FOUND', `No such system: ${wanted}`);
  }
  return found.id;
}

/**
 * Applies a CSV of checklist rows to a case: every row is checked against the case's items
 * first (an unknown requirement refuses the whole file), then each row is one update.
 */
async function checklistCsv(
  services: VaultServices,
  caseId: string,
  content: string,
  columns: 'answers' | 'verdicts',
): Promise<{ updated: number }> {
  const { rows, firstDataLine } = parseCsv(
    content,
    columns === 'answers' ? ['requirement', 'status'] : ['requirement', 'verdict'],
  );
  const known = new Set(services.cases.getCase(caseId).items.map((i) => i.requirementId));
  const unknown = rows.flatMap((r, i) =>
    known.has(r.requirement ?? '') ? [] : [{ line: firstDataLine + i, requirement: r.requirement }],
  );
  if (unknown.length > 0) {
    throw new AppError('VALIDATION_FAILED', 'Requirements not in the case', {
      issues: unknown.map((u) => ({
        path: [`line ${u.line}`, 'requirement'],
        message: `${u.requirement ?? ''} is not a requirement of the case`,
      })),
    });
  }
  let updated = 0;
  for (const row of rows) {
    const update =
      columns === 'answers'
        ? {
            status: row.status,
            ...(row.statement !== undefined ? { statement: row.statement } : {}),
            ...(row.justification !== undefined ? { justification: row.justification } : {}),
          }
        : {
            verdict: row.verdict,
            ...(row.comment !== undefined ? { assessorComment: row.comment } : {}),
          };
    updated += await services.cases.updateItems(caseId, [row.requirement ?? ''], update);
  }
  return { updated };
}

/**
 * Creates entries from a file: a CSV goes through the app's CSV import (every row checked
 * first, nothing written if any is refused); JSON is one entry or a list, each created in turn.
 */
async function createFrom(
  io: Io,
  kind: 'systems' | 'people',
  from: string,
  vault: Vault,
  register: VaultServices['register'],
  create: (entry: unknown) => Promise<string>,
): Promise<Record<string, unknown>> {
  if (from.toLowerCase().endsWith('.csv')) {
    const result = await importCsv(vault, register, kind, readText(io.cwd, from, 'from'));
    if (result.errors.length > 0) {
      throw new AppError('VALIDATION_FAILED', 'Rows of the file are not valid', {
        issues: result.errors,
      });
    }
    return { created: result.imported };
  }
  const ids: string[] = [];
  for (const entry of entries(io.cwd, from)) {
    ids.push(await create(entry));
  }
  return { created: ids.length, ids };
}

/** A signing identity of the vault by its label or its certificate's fingerprint. */
function identityOf(services: VaultServices, wanted: string) {
  const found = services.signing
    .identities()
    .find((i) => i.label === wanted || i.fingerprint === wanted);
  if (!found) {
    throw new AppError('NOT_FOUND', `No signing identity ${wanted}`);
  }
  return found;
}

/**
 * A token's PIN from --pin-file (its line ending dropped). An empty file is an empty PIN, which
 * the core reports as a problem on the PIN field.
 */
function pinOf(io: Io, values: Values): string | undefined {
  return typeof values['pin-file'] === 'string'
    ? readText(io.cwd, values['pin-file'], 'pin-file').replace(/\r?\n$/, '')
    : undefined;
}

/** Runs a scripting command; null when `area verb` is not one of them. */
export async function scriptCommand(
  io: Io,
  area: string,
  argv: string[],
  withVault: WithVault,
): Promise<Record<string, unknown> | null> {
  const [verb, ...rest] = argv;
  const write = <T>(
    run: (s: VaultServices, v: Values, vault: Vault, p: string[]) => T | Promise<T>,
  ) => withVault(io, rest, run, 'write');
  const key = `${area} ${verb ?? ''}`;
  switch (key) {
    case 'systems create':
      return write(({ register }, values, vault) =>
        createFrom(io, 'systems', option(values, 'from'), vault, register, (e) =>
          register.createSystem(e),
        ),
      );
    case 'systems update':
      return write(async (services, values, _vault, [wanted]) => {
        const id = systemOf(services, wanted);
        const [entry] = entries(io.cwd, option(values, 'from'));
        await services.register.updateSystem(id, entry);
        return { updated: id };
      });
    case 'records create':
      return write(async ({ records }, values) => {
        const ids: string[] = [];
        for (const entry of entries(io.cwd, option(values, 'from'))) {
          ids.push(await records.create(entry));
        }
        return { created: ids.length, ids };
      });
    case 'people create':
      return write(({ register }, values, vault) =>
        createFrom(io, 'people', option(values, 'from'), vault, register, (e) =>
          register.createPerson(e),
        ),
      );
    case 'register update':
      return write(async (services, values, _vault, [kind, id]) => {
        if (!ENTITY_KINDS.includes(kind as EntityKind) || !id) {
          throw new UsageError(`register update <${ENTITY_KINDS.join('|')}> <id>`);
        }
        const [entry] = entries(io.cwd, option(values, 'from'));
        return { changed: await correctEntry(services, kind as EntityKind, id, entry) };
      });
    case 'register retire':
    case 'register reinstate':
      return write(async ({ register }, _values, _vault, [kind, id]) => {
        if (!RETIRABLE.includes(kind as Retirable) || !id) {
          throw new UsageError(`register ${verb} <${RETIRABLE.join('|')}> <id>`);
        }
        await register.retire(kind as Retirable, id, verb === 'retire');
        return { [verb === 'retire' ? 'retired' : 'reinstated']: id };
      });
    case 'cases open':
      return write(async (services, values) => {
        const id = await services.cases.createCase({
          systemId: systemOf(services, option(values, 'system')),
          type: option(values, 'type'),
          ...(typeof values.catalogue === 'string' ? { catalogueId: values.catalogue } : {}),
          ...(typeof values.deadline === 'string' ? { deadline: values.deadline } : {}),
        });
        const opened = services.cases.getCase(id);
        return { id, ref: opened.ref, catalogue: opened.catalogue, items: opened.items.length };
      });
    case 'cases answers':
    case 'cases verdicts':
      return write(async (services, values, _vault, [wanted]) =>
        checklistCsv(
          services,
          caseOf(services, wanted),
          readText(io.cwd, values.from, 'from'),
          verb === 'answers' ? 'answers' : 'verdicts',
        ),
      );
    case 'cases move':
      return write(async (services, values, _vault, [wanted]) => {
        const caseId = caseOf(services, wanted);
        const to = option(values, 'to');
        if (!CASE_STATES.includes(to as CaseState)) {
          throw new UsageError(`--to takes one of: ${CASE_STATES.join(', ')}`);
        }
        await services.cases.transition(caseId, to as CaseState, option(values, 'reason'));
        return { case: wanted, state: to };
      });
    case 'decisions issue':
      return write(async (services, values, _vault, [wanted]) => {
        const caseId = caseOf(services, wanted);
        const found = identityOf(services, option(values, 'identity'));
        const conditions =
          typeof values['conditions-file'] === 'string'
            ? entries(io.cwd, values['conditions-file'])
            : [];
        const pin = pinOf(io, values);
        const issued = await services.decisions.issueDecision(caseId, {
          type: option(values, 'type'),
          identityId: found.id,
          reason: option(values, 'reason'),
          conditions,
          ...(typeof values['valid-to'] === 'string' ? { validTo: values['valid-to'] } : {}),
          ...(pin !== undefined ? { pin } : {}),
        });
        return { ...issued, state: services.cases.getCase(caseId).state };
      });
    case 'decisions countersign':
      // The second accreditor's signature on a four-eyes decision (see README, four eyes).
      return write(async (services, values, _vault, [wanted]) => {
        const caseId = caseOf(services, typeof values.case === 'string' ? values.case : wanted);
        const found = identityOf(services, option(values, 'identity'));
        const pin = pinOf(io, values);
        const input = CountersignInput.parse({
          identityId: found.id,
          reason: option(values, 'reason'),
          ...(typeof values.language === 'string' ? { language: values.language } : {}),
          ...(pin !== undefined ? { pin } : {}),
        });
        const signed = await services.decisions.countersign(caseId, input);
        const decision = services.decisions.decision(caseId);
        return {
          ...signed,
          ref: decision?.ref ?? null,
          status: decision?.status ?? null,
          signatures: decision?.signatures.map((x) => x.subject) ?? [],
          state: services.cases.getCase(caseId).state,
        };
      });
    case 'decisions discard':
      // A decision awaiting its countersignature withdrawn before it took force.
      return write(async (services, values, _vault, [wanted]) => {
        const caseId = caseOf(services, typeof values.case === 'string' ? values.case : wanted);
        const discarded = await services.decisions.discardAwaiting(caseId, {
          reason: option(values, 'reason'),
        });
        return {
          ...discarded,
          decision: services.decisions.decision(caseId)?.ref ?? null,
          state: services.cases.getCase(caseId).state,
        };
      });
    case 'catalogue import':
      return write(async ({ catalogues }, _values, _vault, [file]) => {
        const [catalogue] = entries(io.cwd, file);
        return catalogues.import(catalogue);
      });
    case 'scheme import':
      return write(async ({ register }, _values, _vault, [file]) => {
        const [scheme] = entries(io.cwd, file);
        const imported = await register.importScheme(scheme);
        return { id: imported.id, version: imported.version, levels: imported.levels.length };
      });
    default:
      return null;
  }
}
