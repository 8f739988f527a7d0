/**
 * `awb export package|…` and `awb import …`: packages out and in, and the register as files.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { previewLine } from '../../shared/i18n';
import { sha256Hex } from '../signing/hash';
import type { CliIo } from './io';
import { UsageError } from './usage';
import { findCase, pickIdentity, readSecret, withVault } from './common';

/** `awb export package --kind submission|decision`: a signed package, encrypted to the recipient. */
export async function exportPackage(io: CliIo, argv: string[]): Promise<Record<string, unknown>> {
  return withVault(
    io,
    argv,
    async (services, values) => {
      if (values.kind !== 'submission' && values.kind !== 'decision') {
        throw new UsageError('--kind submission|decision');
      }
      if (typeof values.out !== 'string') {
        throw new UsageError('missing --out <folder>');
      }
      const caseId = findCase(services, values.case as string | undefined);
      const pin =
        typeof values['pin-file'] === 'string'
          ? readSecret(io, values['pin-file'], 'pin-file')
          : null;
      const result = await services.exchange.exportPackage(
        values.kind,
        caseId,
        resolve(io.cwd, values.out),
        {
          identityId: pickIdentity(services, values.identity),
          pin,
          recipient: typeof values.recipient === 'string' ? values.recipient.toLowerCase() : null,
        },
      );
      return { ...result };
    },
    'write',
  );
}
/** `awb import package <file>`: verifies everything, then imports (or, with --dry-run, only says what would change). */
export async function importCommand(io: CliIo, argv: string[]): Promise<Record<string, unknown>> {
  const [what, ...rest] = argv;
  if (what !== 'package') {
    throw new UsageError(`unknown import: ${what ?? ''}`);
  }
  return withVault(
    io,
    rest,
    async (services, values, _vault, positionals) => {
      const file = positionals[0];
      if (!file) {
        throw new UsageError('missing <file>');
      }
      const path = resolve(io.cwd, file);
      const preview = values['dry-run']
        ? await services.exchange.inspect(path)
        : await services.exchange.importPackage(path);
      return {
        imported: !values['dry-run'],
        ...preview,
        changes: preview.changes.map((c) => previewLine('en', c)),
      };
    },
    'write',
  );
}
/** `awb export decision|dossier|records|package`: writes a document or a package of the vault to a file. */
export async function exportCommand(io: CliIo, argv: string[]): Promise<Record<string, unknown>> {
  const [what, ...rest] = argv;
  if (what === 'package') {
    return exportPackage(io, rest);
  }
  if (what !== 'decision' && what !== 'dossier' && what !== 'records') {
    throw new UsageError(`unknown export: ${what ?? ''}`);
  }
  return withVault(io, rest, async (services, values) => {
    const out = values.out;
    if (typeof out !== 'string') {
      throw new UsageError('missing --out <file>');
    }
    const language = values.language === 'en' ? 'en' : 'da';
    const { decisions } = services;
    // The dossier as data: the canonical JSON a decision cites (or the dossier as it is now).
    if (what === 'dossier' && values.format === 'json') {
      const caseId = findCase(services, values.case as string | undefined);
      const dossier = decisions.decidedDossier(caseId) ?? decisions.dossierSnapshot(caseId);
      const file = resolve(io.cwd, out);
      writeFileSync(file, dossier.json);
      return { file, sha256: dossier.sha256, decided: 'decisionRef' in dossier };
    }
    let pdf: Buffer;
    if (what === 'decision') {
      pdf = await decisions.decisionPdf(findCase(services, values.case as string | undefined));
    } else if (what === 'dossier') {
      pdf = await decisions.render(
        decisions.dossierSpec(findCase(services, values.case as string | undefined), language),
      );
    } else {
      pdf = await decisions.render(decisions.recordsSpec(language));
    }
    const file = resolve(io.cwd, out);
    writeFileSync(file, pdf);
    return { file, bytes: pdf.length, sha256: sha256Hex(pdf) };
  });
}
