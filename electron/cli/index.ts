/**
 * `awb`, the command line over the same core as the app (`npm run cli -- …`).
 *
 *   awb vault create <folder> --passphrase-file <file> [--name N --organisation O --role R] [--json]
 *   awb vault check <folder> --passphrase-file <file> [--anchor <rows>:<sha256>] [--json]
 *   awb vault change-passphrase <folder> --passphrase-file <file> --new-passphrase-file <file> [--json]
  awb vault new-recovery-key <folder> --passphrase-file <file> [--json]
 *   awb vault recover <folder> --recovery-key-file <file> --new-passphrase-file <file> [--json]
 *   awb vault explain-break <folder> --passphrase-file <file> --text <text> --identity <label|fingerprint> [--pin-file <file>] [--json]
 *
 * Exit 0 on success; 1 with a line `error: <CODE>` (and the translated message) on a failure
 * the user can meet; 2 on a usage error. Secrets are read from files, never from arguments
 * (which other users can see in the process list).
 *
 * Longer than 500 lines: the argument parsing of every command group; it becomes one file per
 * group with the split by capability.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ZodError } from 'zod';
import type { Profile } from '../../shared/contract';
import { AppError, isAppError, type ErrorCode } from '../../shared/errors';
import { citedDossier } from '../../shared/dossier';
import { isTrustRole } from '../../shared/exchange';
import { readAloud } from '../../shared/fingerprint';
import { errorMessage, previewLine, reasonMessage, reasonText, translate } from '../../shared/i18n';
import { passphraseStrength } from '../../shared/passphrase';
import { DEFAULT_SAME_PERSON } from '../../shared/decisions';
import { combinedImpact } from '../../shared/risk';
import { createServices, type VaultServices } from '../services';
import { fourEyesPolicy } from '../services/policy';
import { DOCUMENT_ROLES } from '../services/signing';
import { readDossier } from '../documents/dossier';
import { sha256Hex } from '../signing/hash';
import { VERIFY_EXIT, type FileStatus } from '../../shared/signatures';
import { judgeLetter } from '../signing/four-eyes';
import { signedKeywords, verifyPdf, type TrustStore } from '../signing/verify';
import { readCertificates, readCrl } from '../signing/x509';
import {
  seedDemo,
  seedDemoCases,
  seedDemoDecision,
  seedDemoLifecycle,
  seedDemoExchange,
  seedDemoRisks,
} from '../services/demo';
import { checkVault, failureCode, type VaultCheckReport } from '../vault/check';
import { defaultDataFolder, FileHeadMemory } from '../vault/head-memory';
import { PRODUCTION_CONFIG, Vault } from '../vault/vault';
import { scriptCommand, SCRIPT_USAGE } from './script';
import type { CliIo } from './io';
import { UsageError } from './usage';

export type { CliIo };

const USAGE = `usage:
  awb demo <folder> --passphrase-file <file> [--json]
  awb systems list --vault <folder> --passphrase-file <file> [--json]
  awb records list --vault <folder> --passphrase-file <file> [--due-within <days>] [--json]
  awb cases list --vault <folder> --passphrase-file <file> [--json]
  awb cases show <id|ref> --vault <folder> --passphrase-file <file> [--json]
  awb risks list --vault <folder> --passphrase-file <file> [--case <id|ref>] [--system <id|ref>] [--json]
  awb dashboard --vault <folder> --passphrase-file <file> [--json]
  awb export decision --vault <folder> --passphrase-file <file> --case <id|ref> --out <file.pdf>
  awb export dossier --vault <folder> --passphrase-file <file> --case <id|ref> --out <file.pdf> [--language da|en]
  awb export dossier --format json --vault <folder> --passphrase-file <file> --case <id|ref> --out <dossier.json>
  awb export records --vault <folder> --passphrase-file <file> --out <file.pdf> [--language da|en]
  awb export package --kind submission|decision --vault <folder> --passphrase-file <file> --case <id|ref> --out <folder> [--identity <label|fingerprint>] [--recipient <sha256>] [--pin-file <file>]
  awb import package <file> --vault <folder> --passphrase-file <file> [--dry-run] [--json]
  awb identity list --vault <folder> --passphrase-file <file> [--json]
  awb identity create --label <l> --name <n> --organisation <o> [--algorithm rsa-3072|ec-p256|ec-p384] [--usage signing|encryption] --vault <folder> --passphrase-file <file>
  awb identity import <file.p12> --password-file <file> --label <l> [--usage signing|encryption] --vault <folder> --passphrase-file <file>
  awb identity certificates --identity <label|fingerprint> --out <file.pem> --vault <folder> --passphrase-file <file>
  awb identity export-key --identity <label> --confirm <label> --out <key.pem> --vault <folder> --passphrase-file <file>   # an encryption key, unencrypted: see docs/package-format.md
  awb identity token-list --pkcs11-module <lib> --vault <folder> --passphrase-file <file> [--json]
  awb identity add-token --fingerprint <sha256> --label <l> [--chain <chain.pem>] --pkcs11-module <lib> --vault <folder> --passphrase-file <file>
  awb trust add <certificate.pem|crl> --fingerprint <sha256>[,<sha256>...] [--role documents|authority|owner] --vault <folder> --passphrase-file <file>
  awb trust list --vault <folder> --passphrase-file <file> [--json]
  awb trust remove <fingerprint> --vault <folder> --passphrase-file <file>
  awb verify <file.pdf> [--trust <certificates.pem>]... [--crl <file.crl>]... [--json]
  awb verify <file.pdf> --vault <folder> --passphrase-file <file> [--role documents|authority] [--json]
  awb verify <letter.pdf> --dossier <dossier.json> [--trust <certificates.pem>]... [--json]
  awb verify <file.awbpkg> --vault <folder> --passphrase-file <file> [--json]
  awb vault create <folder> --passphrase-file <file> [--name <n>] [--organisation <o>] [--role accreditor|system_owner] [--prefix <ref prefix>] [--json]
  awb vault check <folder> --passphrase-file <file> [--anchor <rows>:<sha256>] [--json]
  awb vault change-passphrase <folder> --passphrase-file <file> --new-passphrase-file <file> [--json]
  awb vault new-recovery-key <folder> --passphrase-file <file> [--json]
  awb vault recover <folder> --recovery-key-file <file> --new-passphrase-file <file> [--json]
  awb vault explain-break <folder> --passphrase-file <file>|--recovery-key-file <file> --text <text> --identity <label|fingerprint> [--pin-file <file>] [--pkcs11-module <lib>] [--json]
${SCRIPT_USAGE}`;

/** A check that found damage: its report is printed, then its code. */
class CheckFailed extends AppError {
  constructor(
    code: ErrorCode,
    readonly report: Record<string, unknown> | VaultCheckReport,
  ) {
    super(code, 'The vault check found damage');
  }
}

function readSecret(io: CliIo, path: string | undefined, option: string): string {
  if (!path) {
    throw new UsageError(`missing --${option}`);
  }
  let text: string;
  try {
    text = readFileSync(resolve(io.cwd, path), 'utf8');
  } catch {
    throw new UsageError(`cannot read --${option} ${path}`);
  }
  // One trailing newline is how editors save files; it is not part of the secret.
  return text.replace(/\r?\n$/, '');
}

function strongOrThrow(passphrase: string): void {
  const strength = passphraseStrength(passphrase);
  if (!strength.acceptable) {
    throw new AppError('WEAK_PASSPHRASE', 'Passphrase too weak', { issues: strength.issues });
  }
}

/**
 * Shows, on the error stream, what an unlock did with a re-key an earlier process left
 * unfinished, and the new recovery key it never showed (then the journal forgets it).
 */
function reportRekey(io: CliIo, vault: Vault): void {
  const notice = vault.rekeyNotice;
  if (notice?.state === 'finished') {
    io.err(`note: ${translate('en', 'rekey.finished')}\n`);
  } else if (notice?.state === 'undone') {
    io.err(`note: ${translate('en', 'rekey.undone', { code: notice.code })}\n`);
  }
  const unshown = vault.pendingRecoveryKey();
  if (unshown) {
    io.err(
      `note: the new recovery key of the last re-key was never shown. Write it down now: it is shown only once.\nrecoveryKey: ${unshown}\n`,
    );
    vault.recoveryKeyShown();
  }
}

/**
 * `awb vault explain-break`: the signed explanation of a broken audit trail, with one of the
 * vault's signing identities; the vault, read-only until now, takes changes again.
 */
async function explainBreakCommand(
  io: CliIo,
  folder: string,
  values: Record<string, string | boolean | undefined>,
): Promise<Record<string, unknown>> {
  if (typeof values.text !== 'string' || !values.text.trim()) {
    throw new UsageError('missing --text <what happened>');
  }
  if (typeof values.identity !== 'string') {
    throw new UsageError('missing --identity <label|fingerprint>');
  }
  const secret =
    typeof values['recovery-key-file'] === 'string'
      ? { recoveryKey: readSecret(io, values['recovery-key-file'], 'recovery-key-file') }
      : {
          passphrase: readSecret(
            io,
            values['passphrase-file'] as string | undefined,
            'passphrase-file',
          ),
        };
  const pin =
    typeof values['pin-file'] === 'string' ? readSecret(io, values['pin-file'], 'pin-file') : null;
  const vault = await Vault.open(folder, secret, io.config);
  try {
    reportRekey(io, vault);
    await vault.checksDone();
    const pkcs11Module =
      (values['pkcs11-module'] as string | undefined) ?? process.env.AWB_PKCS11_MODULE ?? null;
    const services = createServices(() => vault, {}, { pkcs11Module: () => pkcs11Module });
    const identityId = pickIdentity(services, values.identity);
    const identity = services.signing.identity(identityId);
    const signer = services.signing.signer(identityId, pin);
    const { row, breaks } = await vault.explainBreak({
      text: values.text,
      signer,
      signerSubject: identity.subject,
    });
    return {
      folder,
      row,
      explained: breaks.map((b) => ({
        row: b.row,
        kind: b.kind,
        expected: b.expected,
        found: b.found,
      })),
      signer: identity.subject,
      note: `The explanation is audit entry ${row}, signed by ${identity.label}; the trail is anchored there and the vault takes changes again.`,
    };
  } finally {
    await vault.close();
  }
}

async function vaultCommand(
  io: CliIo,
  argv: string[],
  json = false,
): Promise<Record<string, unknown> | null> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'passphrase-file': { type: 'string' },
      'new-passphrase-file': { type: 'string' },
      'recovery-key-file': { type: 'string' },
      text: { type: 'string' },
      identity: { type: 'string' },
      'pin-file': { type: 'string' },
      'pkcs11-module': { type: 'string' },
      name: { type: 'string' },
      organisation: { type: 'string' },
      role: { type: 'string' },
      prefix: { type: 'string' },
      anchor: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const [verb, folderArg] = positionals;
  if (!folderArg) {
    throw new UsageError('missing <folder>');
  }
  const folder = resolve(io.cwd, folderArg);
  switch (verb) {
    case 'create': {
      const passphrase = readSecret(io, values['passphrase-file'], 'passphrase-file');
      strongOrThrow(passphrase);
      const role = values.role ?? 'accreditor';
      if (role !== 'accreditor' && role !== 'system_owner') {
        throw new UsageError('--role must be accreditor or system_owner');
      }
      const profile: Profile = {
        name: values.name ?? 'Vault owner',
        organisation: values.organisation ?? 'Unspecified organisation',
        role,
        ...(values.prefix ? { referencePrefix: values.prefix } : {}),
      };
      const { vault, recoveryKey } = await Vault.create(folder, passphrase, profile, io.config);
      await vault.close();
      return {
        folder,
        recoveryKey,
        note: 'Write the recovery key down now: it is shown only once.',
      };
    }
    case 'check': {
      const passphrase = readSecret(io, values['passphrase-file'], 'passphrase-file');
      let anchor: { rows: number; head: string } | undefined;
      if (values.anchor) {
        const [rows, head] = values.anchor.split(':');
        if (!rows || !/^\d+$/.test(rows) || !head || !/^[0-9a-f]{64}$/.test(head)) {
          throw new UsageError('--anchor takes <rows>:<sha256 hex>, as a signed letter cites it');
        }
        anchor = { rows: Number(rows), head };
      }
      const report = await checkVault(folder, { passphrase }, io.config, { anchor });
      const code = failureCode(report);
      if (code) {
        throw new CheckFailed(code, report);
      }
      return { ...report };
    }
    case 'change-passphrase': {
      const current = readSecret(io, values['passphrase-file'], 'passphrase-file');
      const next = readSecret(io, values['new-passphrase-file'], 'new-passphrase-file');
      strongOrThrow(next);
      const vault = await Vault.open(folder, { passphrase: current }, io.config);
      try {
        const { recoveryKey } = await vault.rekey(current, next);
        print(io, json, {
          folder,
          passphrase: 'changed',
          recoveryKey,
          note: 'The vault was re-keyed: the old passphrase and the old recovery key no longer open it. Write the new recovery key down now: it is shown only once.',
        });
        // Shown: the re-key journal no longer keeps it.
        vault.recoveryKeyShown();
      } finally {
        await vault.close();
      }
      return null;
    }
    case 'new-recovery-key': {
      const current = readSecret(io, values['passphrase-file'], 'passphrase-file');
      const vault = await Vault.open(folder, { passphrase: current }, io.config);
      try {
        const { recoveryKey } = await vault.rekey(current, null);
        print(io, json, {
          folder,
          recoveryKey,
          note: 'The vault was re-keyed: the old recovery key no longer opens it. Write the new one down now: it is shown only once.',
        });
        vault.recoveryKeyShown();
      } finally {
        await vault.close();
      }
      return null;
    }
    case 'recover': {
      const recoveryKey = readSecret(io, values['recovery-key-file'], 'recovery-key-file');
      const next = readSecret(io, values['new-passphrase-file'], 'new-passphrase-file');
      strongOrThrow(next);
      // A recovery re-keys exactly as a passphrase change does: nothing the old recovery key
      // (or the old passphrase) opened is left in the folder, and a new recovery key is shown.
      const vault = await Vault.open(folder, { recoveryKey }, io.config);
      try {
        const { recoveryKey: newKey } = await vault.rekey({ recoveryKey }, next);
        print(io, json, {
          folder,
          passphrase: 'set from recovery key',
          recoveryKey: newKey,
          note: 'The vault was re-keyed: the old recovery key and the old passphrase no longer open anything in the folder. Write the new recovery key down now: it is shown only once.',
        });
        vault.recoveryKeyShown();
      } finally {
        await vault.close();
      }
      return null;
    }
    case 'explain-break':
      return explainBreakCommand(io, folder, values);
    default:
      throw new UsageError(`unknown vault command: ${verb ?? ''}`);
  }
}

/** Opens a vault for one command: read-only (nothing saved) unless `mode` is 'write'. */
export async function withVault<T>(
  io: CliIo,
  argv: string[],
  run: (
    services: VaultServices,
    values: Record<string, string | boolean | undefined>,
    vault: Vault,
    positionals: string[],
  ) => T | Promise<T>,
  mode: 'read' | 'write' = 'read',
): Promise<T> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      vault: { type: 'string' },
      'passphrase-file': { type: 'string' },
      'due-within': { type: 'string' },
      case: { type: 'string' },
      system: { type: 'string' },
      out: { type: 'string' },
      language: { type: 'string' },
      format: { type: 'string' },
      kind: { type: 'string' },
      identity: { type: 'string' },
      recipient: { type: 'string' },
      role: { type: 'string' },
      usage: { type: 'string' },
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
      label: { type: 'string' },
      name: { type: 'string' },
      organisation: { type: 'string' },
      algorithm: { type: 'string' },
      'password-file': { type: 'string' },
      'pin-file': { type: 'string' },
      'pkcs11-module': { type: 'string' },
      fingerprint: { type: 'string' },
      chain: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      reason: { type: 'string' },
      type: { type: 'string' },
      catalogue: { type: 'string' },
      deadline: { type: 'string' },
      'valid-to': { type: 'string' },
      'conditions-file': { type: 'string' },
      confirm: { type: 'string' },
    },
  });
  if (!values.vault) {
    throw new UsageError('missing --vault <folder>');
  }
  const passphrase = readSecret(io, values['passphrase-file'], 'passphrase-file');
  const vault = await Vault.open(resolve(io.cwd, values.vault), { passphrase }, io.config);
  try {
    reportRekey(io, vault);
    // Awaited here, so an async command finishes before the vault closes.
    const pkcs11Module = values['pkcs11-module'] ?? process.env.AWB_PKCS11_MODULE ?? null;
    const services = createServices(() => vault, {}, { pkcs11Module: () => pkcs11Module });
    // The steps time has taken (approvals expiring, re-accreditation due), as the app takes them.
    await services.cases.applyTime();
    return await run(services, values, vault, positionals);
  } finally {
    // A listing or an export never writes; an import (and the exchange log of an export) does.
    await vault.close({ discard: mode === 'read' });
  }
}

async function listCommand(
  io: CliIo,
  area: 'systems' | 'records',
  argv: string[],
): Promise<Record<string, unknown>> {
  const [verb, ...rest] = argv;
  if (verb !== 'list') {
    throw new UsageError(`unknown ${area} command: ${verb ?? ''}`);
  }
  return withVault(io, rest, ({ register }, values) => {
    if (area === 'systems') {
      const systems = register.listSystems({});
      return { count: systems.length, systems };
    }
    const due = values['due-within'];
    let dueWithinDays: number | undefined;
    if (typeof due === 'string') {
      dueWithinDays = Number(due);
      if (!Number.isInteger(dueWithinDays) || dueWithinDays < 0) {
        throw new UsageError('--due-within takes a whole number of days');
      }
    }
    const records = register.listRecords(dueWithinDays === undefined ? {} : { dueWithinDays });
    return { count: records.length, records };
  });
}

function decisionSummary(d: ReturnType<VaultServices['decisions']['decision']>) {
  if (!d) {
    return null;
  }
  const { pdfBlob: _blob, ...rest } = d;
  return rest;
}

async function casesCommand(io: CliIo, argv: string[]): Promise<Record<string, unknown>> {
  const [verb, ...rest] = argv;
  if (verb !== 'list' && verb !== 'show') {
    throw new UsageError(`unknown cases command: ${verb ?? ''}`);
  }
  return withVault(io, rest, ({ cases, decisions }, _values, _vault, positionals) => {
    const list = cases.listCases();
    if (verb === 'list') {
      return { count: list.length, cases: list };
    }
    const wanted = positionals[0];
    if (!wanted) {
      throw new UsageError('missing <id|ref>');
    }
    const found = list.find((c) => c.id === wanted || c.ref === wanted);
    if (!found) {
      throw new AppError('NOT_FOUND', 'No such case');
    }
    const c = cases.getCase(found.id);
    return {
      id: c.id,
      ref: c.ref,
      type: c.type,
      state: c.state,
      system: found.system,
      catalogue: c.catalogue,
      progressByArea: c.progress,
      missing: c.missing.length,
      blockers: c.blockers,
      nonCompliantWithoutAcceptedRisk: c.unaccepted,
      items: c.items.map((i) => ({
        requirementId: i.requirementId,
        area: i.area,
        status: i.status,
        statement: i.statement,
        justification: i.justification,
        verdict: i.verdict,
        assessorComment: i.assessorComment,
        evidence: i.evidence,
      })),
      next: c.next,
      // The reason as recorded, and in words (a step the workbench took by itself is coded).
      history: c.history.map((h) => ({ ...h, reasonText: reasonText('en', h.reason) })),
      findings: c.findings,
      evidence: c.evidence.map(({ address: _address, ...e }) => e),
      decision: decisionSummary(decisions.decision(c.id)),
    };
  });
}

async function risksCommand(io: CliIo, argv: string[]): Promise<Record<string, unknown>> {
  const [verb, ...rest] = argv;
  if (verb !== 'list') {
    throw new UsageError(`unknown risks command: ${verb ?? ''}`);
  }
  return withVault(io, rest, ({ risks, cases, register }, values) => {
    const filter: { caseId?: string; systemId?: string } = {};
    if (typeof values.case === 'string') {
      const wanted = values.case;
      const found = cases.listCases().find((c) => c.id === wanted || c.ref === wanted);
      if (!found) {
        throw new AppError('NOT_FOUND', 'No such case');
      }
      filter.caseId = found.id;
    }
    if (typeof values.system === 'string') {
      const wanted = values.system;
      const found = register.listSystems({}).find((x) => x.id === wanted || x.ref === wanted);
      if (!found) {
        throw new AppError('NOT_FOUND', 'No such system');
      }
      filter.systemId = found.id;
    }
    const criteria = risks.criteria();
    const list = risks.listRisks(filter);
    return {
      criteria,
      count: list.length,
      risks: list.map((r) => ({
        id: r.id,
        ref: r.ref,
        system: r.system,
        case: r.caseRef,
        scope: r.scope,
        threatEvent: r.threatEvent,
        treatment: r.treatment,
        inherent: { likelihood: r.likelihood, impact: combinedImpact(r), level: r.inherentLevel },
        residual: {
          likelihood: r.residualLikelihood,
          impact: r.residualImpact,
          level: r.residualLevel,
        },
        acceptedBy: r.authority,
        acceptance: r.acceptance,
        requirements: r.requirementIds,
        reviewDate: r.reviewDate,
      })),
    };
  });
}

async function dashboardCommand(io: CliIo, argv: string[]): Promise<Record<string, unknown>> {
  return withVault(io, argv, ({ dashboard }) => dashboard.summary());
}

function findCase(services: VaultServices, wanted: string | undefined): string {
  if (!wanted) {
    throw new UsageError('missing --case <id|ref>');
  }
  const found = services.cases.listCases().find((c) => c.id === wanted || c.ref === wanted);
  if (!found) {
    throw new AppError('NOT_FOUND', 'No such case');
  }
  return found.id;
}

/** The signing identity named by --identity (label or fingerprint prefix), else the first valid one. */
function pickIdentity(services: VaultServices, wanted: string | boolean | undefined): string {
  const valid = services.signing.identities().filter((i) => !i.expired && i.usage === 'signing');
  const found =
    typeof wanted === 'string'
      ? valid.find((i) => i.label === wanted || i.fingerprint.startsWith(wanted.toLowerCase()))
      : valid[0];
  if (!found) {
    throw new AppError('NO_SIGNING_IDENTITY', 'No signing identity');
  }
  return found.id;
}

/** `awb export package --kind submission|decision`: a signed package, encrypted to the recipient. */
async function exportPackage(io: CliIo, argv: string[]): Promise<Record<string, unknown>> {
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

/** `awb trust add|list|remove`: the anchors and CRLs this vault verifies against. */
async function trustCommand(io: CliIo, argv: string[]): Promise<Record<string, unknown>> {
  const [verb, ...rest] = argv;
  if (verb !== 'add' && verb !== 'list' && verb !== 'remove') {
    throw new UsageError(`unknown trust command: ${verb ?? ''}`);
  }
  return withVault(
    io,
    rest,
    async ({ signing }, values, _vault, positionals) => {
      const [arg] = positionals;
      if (verb === 'add') {
        const bytes = readInput(io, arg, '<certificate.pem|crl>');
        // A CRL or certificates: whichever the file holds.
        if (readCrl(bytes)) {
          return { crl: await signing.addCrl(bytes) };
        }
        const role = values.role ?? 'documents';
        if (!isTrustRole(role)) {
          throw new UsageError('--role documents|authority|owner');
        }
        // Trust after comparison: each certificate's SHA-256 fingerprint, compared with the
        // sender by another channel, is given back with --fingerprint (several: comma-separated).
        const given = typeof values.fingerprint === 'string' ? values.fingerprint : '';
        const compared = given
          .split(',')
          .map((f) => f.trim())
          .filter(Boolean);
        if (!compared.length) {
          for (const c of signing.inspect(bytes)) {
            io.err(`certificate: ${c.subject}\nSHA-256: ${readAloud(c.fingerprint)}\n`);
          }
          io.err('Compare with the sender by another channel, then pass --fingerprint <sha256>.\n');
        }
        return { added: await signing.trust(bytes, role, compared), role };
      }
      if (verb === 'remove') {
        if (!arg) {
          throw new UsageError('missing <fingerprint>');
        }
        if (signing.crls().some((c) => c.fingerprint === arg)) {
          await signing.removeCrl(arg);
        } else {
          await signing.untrust(arg);
        }
        return { removed: arg };
      }
      return { trusted: signing.trusted(), crls: signing.crls() };
    },
    verb === 'list' ? 'read' : 'write',
  );
}

function readInput(io: CliIo, path: string | boolean | undefined, what: string): Buffer {
  if (typeof path !== 'string') {
    throw new UsageError(`missing ${what}`);
  }
  try {
    return readFileSync(resolve(io.cwd, path));
  } catch {
    throw new UsageError(`cannot read ${path}`);
  }
}

/** `awb identity list|create|import|token-list|add-token`: the vault's signing identities. */
async function identityCommand(io: CliIo, argv: string[]): Promise<Record<string, unknown>> {
  const [verb, ...rest] = argv;
  const verbs = [
    'list',
    'create',
    'import',
    'token-list',
    'add-token',
    'certificates',
    'export-key',
  ];
  if (!verb || !verbs.includes(verb)) {
    throw new UsageError(`unknown identity command: ${verb ?? ''}`);
  }
  return withVault(
    io,
    rest,
    async (services, values, _vault, positionals) => {
      const { signing } = services;
      const label = typeof values.label === 'string' ? values.label : undefined;
      switch (verb) {
        case 'create':
          return {
            id: await signing.createSelfSigned({
              label: label ?? values.name,
              commonName: values.name,
              organisation: values.organisation,
              algorithm: values.algorithm ?? 'rsa-3072',
              usage: values.usage ?? 'signing',
            }),
          };
        case 'import': {
          const bytes = readInput(io, positionals[0], '<file.p12>');
          const password = readSecret(
            io,
            values['password-file'] as string | undefined,
            'password-file',
          );
          const usage = values.usage ?? 'signing';
          if (usage !== 'signing' && usage !== 'encryption') {
            throw new UsageError('--usage signing|encryption');
          }
          return {
            id: await signing.importPkcs12(bytes, password, label ?? positionals[0]!, usage),
          };
        }
        case 'token-list':
          return { certificates: signing.tokenCertificates() };
        case 'certificates': {
          // What the other side needs: this signing chain and the encryption certificates.
          if (typeof values.out !== 'string') {
            throw new UsageError('missing --out <file.pem>');
          }
          const pem = signing.exchangeCertificates(pickIdentity(services, values.identity));
          const file = resolve(io.cwd, values.out);
          writeFileSync(file, pem);
          return { file, certificates: readCertificates(pem).map((c) => c.subject) };
        }
        case 'export-key': {
          // A software encryption identity's key, for checking packages with openssl: asked for
          // by typing the identity's label again, warned about, and recorded in the audit trail.
          if (typeof values.out !== 'string' || typeof values.identity !== 'string') {
            throw new UsageError('missing --identity <label> or --out <key.pem>');
          }
          const wanted = values.identity;
          const found = signing
            .identities()
            .find((i) => i.label === wanted || i.fingerprint.startsWith(wanted.toLowerCase()));
          if (!found) {
            throw new AppError('NO_SIGNING_IDENTITY', 'No such identity');
          }
          const file = resolve(io.cwd, values.out);
          const exported = await services.exchange.exportEncryptionKey(
            found.id,
            typeof values.confirm === 'string' ? values.confirm : '',
            file,
          );
          io.err(
            `warning: ${values.out} holds the private key of "${exported.label}" unencrypted: whoever has the file opens every package sent to it. Keep it on this machine and delete it when done.\n`,
          );
          return { file, ...exported };
        }
        case 'add-token': {
          if (typeof values.fingerprint !== 'string' || !label) {
            throw new UsageError('missing --fingerprint <sha256> or --label <l>');
          }
          const chainPem =
            typeof values.chain === 'string'
              ? readInput(io, values.chain, '--chain').toString('utf8')
              : undefined;
          return {
            id: await signing.addTokenIdentity({
              fingerprint: values.fingerprint,
              label,
              chainPem,
            }),
          };
        }
        default:
          return { identities: signing.identities() };
      }
    },
    verb === 'list' || verb === 'token-list' || verb === 'certificates' ? 'read' : 'write',
  );
}

/** `awb import package <file>`: verifies everything, then imports (or, with --dry-run, only says what would change). */
async function importCommand(io: CliIo, argv: string[]): Promise<Record<string, unknown>> {
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
async function exportCommand(io: CliIo, argv: string[]): Promise<Record<string, unknown>> {
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

/**
 * `awb verify <file.pdf>`: every signature, its path and status. The trust anchors and CRLs come
 * from files (--trust, --crl) or from a vault's trust store (--vault): by default the anchors
 * trusted for documents (roles documents and authority; never an owner's); with `--role
 * authority` as a decision letter is judged here (anchors trusted as an authority, and in an
 * accreditor's vault its own signing identities). Exit 0 only
 * when the file is signed and every signature is valid and trusted: no anchors means nothing
 * is trusted.
 */
async function verifyCommand(
  io: CliIo,
  argv: string[],
): Promise<{ result: Record<string, unknown>; ok: boolean }> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      trust: { type: 'string', multiple: true },
      crl: { type: 'string', multiple: true },
      vault: { type: 'string' },
      'passphrase-file': { type: 'string' },
      dossier: { type: 'string' },
      role: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  if (values.role !== undefined && values.role !== 'documents' && values.role !== 'authority') {
    throw new UsageError('--role takes documents or authority');
  }
  const [fileArg] = positionals;
  const bytes = readInput(io, fileArg, '<file>');
  const file = resolve(io.cwd, fileArg!);
  // A package (a tar: "ustar" at 257) is opened with the vault's keys and checked through.
  if (bytes.subarray(257, 262).toString('latin1') === 'ustar') {
    if (!values.vault) {
      throw new UsageError('a package is verified with the receiving vault: --vault <folder>');
    }
    const check = await withVault(io, argv, ({ exchange }) => exchange.verifyPackage(file));
    return { ok: check.valid, result: { file, ...check } };
  }
  let verification: Awaited<ReturnType<typeof verifyPdf>>;
  /** The anchors a second signer must chain to, to count as a second person. */
  let authority: TrustStore;
  if (values.vault) {
    [verification, authority] = await withVault(io, argv, async ({ signing }) => [
      await (values.role === 'authority' ? signing.verifyLetter(bytes) : signing.verify(bytes)),
      signing.trustStore(values.role === 'authority' ? 'authority' : DOCUMENT_ROLES),
    ]);
  } else {
    const anchors = (values.trust ?? []).flatMap((path) => {
      const certs = readCertificates(readInput(io, path, '--trust'));
      if (certs.length === 0) {
        throw new UsageError(`no certificate in ${path}`);
      }
      return certs;
    });
    const crls = (values.crl ?? []).map((path) => {
      const crl = readCrl(readInput(io, path, '--crl'));
      if (!crl) {
        throw new UsageError(`no CRL in ${path}`);
      }
      return crl;
    });
    authority = { anchors, crls };
    verification = await verifyPdf(bytes, authority);
  }
  // Two signatures are two people: a second signature by the first signer's key, by a
  // certificate that key issued, or naming the same person does not make the file valid.
  const fourEyes =
    verification.valid && verification.signatures.length > 1
      ? await judgeLetter(bytes, {
          authority,
          person: fourEyesPolicy().samePerson ?? DEFAULT_SAME_PERSON,
          now: new Date(),
        })
      : null;
  if (fourEyes) {
    verification = {
      ...verification,
      valid: false,
      status: 'invalid',
      indication: 'TOTAL_FAILED',
      subIndication: null,
      reason: null,
    };
  }
  // With --dossier: the letter's signed keywords cite that file's SHA-256.
  let dossier: Record<string, unknown> | null = null;
  if (values.dossier) {
    const read = readDossier(readInput(io, values.dossier, '--dossier'));
    const cited = citedDossier(signedKeywords(bytes));
    dossier = {
      file: resolve(io.cwd, values.dossier),
      sha256: read.sha256,
      cited,
      problem: 'problem' in read ? read.problem : null,
      matches: !('problem' in read) && cited === read.sha256,
    };
  }
  const ok = verification.valid && (dossier === null || dossier.matches === true);
  return {
    ok,
    result: {
      file,
      sha256: sha256Hex(bytes),
      ...verification,
      ...(fourEyes ? { reason: `FOUR_EYES_${fourEyes.reason}`, fourEyes } : {}),
      ...(dossier ? { dossier } : {}),
      ...(dossier && !dossier.matches && verification.valid ? { reason: 'DOSSIER_MISMATCH' } : {}),
    },
  };
}

async function demoCommand(io: CliIo, argv: string[]): Promise<Record<string, unknown>> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { 'passphrase-file': { type: 'string' }, json: { type: 'boolean' } },
  });
  const [folderArg] = positionals;
  if (!folderArg) {
    throw new UsageError('missing <folder>');
  }
  const passphrase = readSecret(io, values['passphrase-file'], 'passphrase-file');
  strongOrThrow(passphrase);
  const folder = resolve(io.cwd, folderArg);
  const { vault, recoveryKey } = await Vault.create(
    folder,
    passphrase,
    {
      name: 'Demo Accreditor',
      organisation: 'National IT-sikkerhedsmyndighed (demo)',
      role: 'accreditor',
    },
    io.config,
  );
  // The system owner's laptop, for the package round trip: a vault of its own beside this one.
  const ownerFolder = join(folder, 'exports', 'owner-vault');
  const owner = await Vault.create(
    ownerFolder,
    passphrase,
    { name: 'Demo Systemejer', organisation: 'Forsvarets Demoenhed', role: 'system_owner' },
    io.config,
  );
  try {
    const services = createServices(() => vault);
    const counts = await seedDemo(services.register);
    const caseCounts = await seedDemoCases(services.cases, services.register, vault);
    const riskCounts = await seedDemoRisks(services);
    const exports = await seedDemoDecision(services, join(folder, 'exports'));
    const lifecycle = await seedDemoLifecycle(services);
    const packages = await seedDemoExchange(
      { services, vault },
      { services: createServices(() => owner.vault), vault: owner.vault },
      join(folder, 'exports'),
    );
    await vault.save();
    await owner.vault.save();
    return {
      folder,
      recoveryKey,
      ownerVault: ownerFolder,
      ownerRecoveryKey: owner.recoveryKey,
      ...counts,
      ...caseCounts,
      ...riskCounts,
      ...lifecycle,
      exports: { ...exports, ...packages },
    };
  } finally {
    await vault.close();
    await owner.vault.close();
  }
}

function print(io: CliIo, json: boolean, result: Record<string, unknown>): void {
  if (json) {
    io.out(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  for (const [key, value] of Object.entries(result)) {
    io.out(`${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}\n`);
  }
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [area, ...rest] = argv;
  const json = rest.includes('--json');
  try {
    if (area === 'vault') {
      // The re-keying commands print their result themselves, before the journal forgets it.
      const result = await vaultCommand(io, rest, json);
      if (result) {
        print(io, json, result);
      }
      return 0;
    }
    if ((area === 'systems' || area === 'records') && rest[0] === 'list') {
      print(io, json, await listCommand(io, area, rest));
      return 0;
    }
    if (area === 'cases' && (rest[0] === 'list' || rest[0] === 'show')) {
      print(io, json, await casesCommand(io, rest));
      return 0;
    }
    const scripted = await scriptCommand(io, area ?? '', rest, withVault);
    if (scripted) {
      print(io, json, scripted);
      return 0;
    }
    if (area === 'risks') {
      print(io, json, await risksCommand(io, rest));
      return 0;
    }
    if (area === 'dashboard') {
      print(io, json, await dashboardCommand(io, rest));
      return 0;
    }
    if (area === 'export') {
      print(io, json, await exportCommand(io, rest));
      return 0;
    }
    if (area === 'trust') {
      print(io, json, await trustCommand(io, rest));
      return 0;
    }
    if (area === 'import') {
      print(io, json, await importCommand(io, rest));
      return 0;
    }
    if (area === 'identity') {
      print(io, json, await identityCommand(io, rest));
      return 0;
    }
    if (area === 'verify') {
      const { ok, result } = await verifyCommand(io, rest);
      print(io, json, result);
      if (!ok) {
        const reason = typeof result.reason === 'string' ? result.reason : 'UNKNOWN';
        const status = result.status as FileStatus | undefined;
        // A package or a dossier names its own reason; a PDF names its status and why.
        if (reason === 'DOSSIER_MISMATCH' || 'kind' in result || !status) {
          io.err(`error: ${reason}\n`);
          return 1;
        }
        io.err(
          status === 'awaiting_countersignature'
            ? `error: AWAITING_COUNTERSIGNATURE (${(result.unsignedFields as string[]).join(', ')})\n`
            : status === 'indeterminate'
              ? `error: SIGNATURE_INDETERMINATE (${reason})\n`
              : `error: SIGNATURE_INVALID (${reason})\n`,
        );
        return VERIFY_EXIT[status];
      }
      return 0;
    }
    if (area === 'demo') {
      print(io, json, await demoCommand(io, rest));
      return 0;
    }
    throw new UsageError(area ? `unknown command: ${area}` : 'no command');
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error)) {
      io.err(`${error.message}\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof ZodError) {
      // A file given to a scripting command: each problem named by its path.
      const issues = error.issues.slice(0, 20).map((i) => `${i.path.join('.')}: ${i.message}`);
      if (json) {
        io.out(`${JSON.stringify({ error: 'VALIDATION_FAILED', issues })}\n`);
      }
      io.err(
        `error: VALIDATION_FAILED\n${errorMessage('en', 'VALIDATION_FAILED')}\n${issues.join('\n')}\n`,
      );
      return 1;
    }
    const code = isAppError(error) ? error.code : 'INTERNAL';
    if (error instanceof CheckFailed) {
      // The report says what is damaged: print it, with the code, as one result.
      print(io, json, { ...error.report, error: code, message: errorMessage('en', code) });
      io.err(`error: ${code}\n${errorMessage('en', code)}\n`);
      return 1;
    }
    if (code === 'INTERNAL' && process.env.AWB_DEBUG) {
      io.err(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
    // A refusal names its reason (a refused package: which check), translated, and its detail.
    const details = isAppError(error) ? error.details : undefined;
    const reason = typeof details?.reason === 'string' ? details.reason : null;
    const detail = typeof details?.detail === 'string' ? details.detail : null;
    const why = reasonMessage('en', code, details);
    if (json) {
      io.out(
        `${JSON.stringify({
          error: code,
          message: errorMessage('en', code),
          ...(reason ? { reason, reasonMessage: why } : {}),
          ...(detail ? { detail } : {}),
        })}\n`,
      );
    }
    // Validation problems, each by where it is.
    const issues = Array.isArray(details?.issues)
      ? (details.issues as { path?: (string | number)[] | string; message?: string }[]).map(
          (i) =>
            `${Array.isArray(i.path) ? i.path.join('.') : (i.path ?? '')}: ${i.message ?? ''}\n`,
        )
      : [];
    io.err(
      `error: ${code}${reason ? ` (${reason})` : ''}\n${errorMessage('en', code)}\n${
        why ? `${why}${detail ? `: ${detail}` : ''}\n` : ''
      }${issues.join('')}`,
    );
    return 1;
  }
}

// Run when executed directly (tsx electron/cli/index.ts, or the bundled dist/cli/awb.js).
const entry = process.argv[1] ?? '';
if (/(?:cli[\\/]index\.ts|awb(?:\.js)?)$/.test(entry)) {
  const code = await runCli(process.argv.slice(2), {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    // The newest audit head seen on this machine, shared with the app (a rollback shows).
    config: { ...PRODUCTION_CONFIG, heads: new FileHeadMemory(defaultDataFolder()) },
    cwd: process.cwd(),
  });
  process.exitCode = code;
}
