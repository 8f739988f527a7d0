/**
 * What every command group shares: secrets read from files, the vault opened for one command, the
 * case and identity a user names.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AppError, type ErrorCode } from '../../shared/errors';
import { translate } from '../../shared/i18n';
import { passphraseStrength } from '../../shared/passphrase';
import { createServices, type VaultServices } from '../services';
import { type VaultCheckReport } from '../vault/check';
import { Vault } from '../vault/vault';
import type { CliIo } from './io';
import { UsageError } from './usage';

export function print(io: CliIo, json: boolean, result: Record<string, unknown>): void {
  if (json) {
    io.out(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  for (const [key, value] of Object.entries(result)) {
    io.out(`${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}\n`);
  }
}
/** A check that found damage: its report is printed, then its code. */
export class CheckFailed extends AppError {
  constructor(
    code: ErrorCode,
    readonly report: Record<string, unknown> | VaultCheckReport,
  ) {
    super(code, 'The vault check found damage');
  }
}
export function readSecret(io: CliIo, path: string | undefined, option: string): string {
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
export function strongOrThrow(passphrase: string): void {
  const strength = passphraseStrength(passphrase);
  if (!strength.acceptable) {
    throw new AppError('WEAK_PASSPHRASE', 'Passphrase too weak', { issues: strength.issues });
  }
}
/**
 * Shows, on the error stream, what an unlock did with a re-key an earlier process left
 * unfinished, and the new recovery key it never showed (then the journal forgets it).
 */
export function reportRekey(io: CliIo, vault: Vault): void {
  const notice = vault.rekeyNotice;
  if (notice?.state === 'finished') {
    io.err(`note: ${translate('en', 'rekey.finished')}\n`);
  } else if (notice?.state === 'undone') {
    io.err(`note: ${translate('en', 'rekey.undone', { code: notice.code })}\n`);
  } else if (notice?.state === 'refused') {
    io.err(`warning: ${translate('en', 'rekey.refused')}\n`);
  }
  const unshown = vault.pendingRecoveryKey();
  if (unshown) {
    io.err(
      `note: the new recovery key of the last re-key was never shown. Write it down now: it is shown only once.\nrecoveryKey: ${unshown}\n`,
    );
    vault.recoveryKeyShown();
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
export function findCase(services: VaultServices, wanted: string | undefined): string {
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
export function pickIdentity(
  services: VaultServices,
  wanted: string | boolean | undefined,
): string {
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
export function readInput(io: CliIo, path: string | boolean | undefined, what: string): Buffer {
  if (typeof path !== 'string') {
    throw new UsageError(`missing ${what}`);
  }
  try {
    return readFileSync(resolve(io.cwd, path));
  } catch {
    throw new UsageError(`cannot read ${path}`);
  }
}
