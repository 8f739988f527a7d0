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
 */
import { ZodError } from 'zod';
import { isAppError } from '../../shared/errors';
import { errorMessage, reasonMessage } from '../../shared/i18n';
import { VERIFY_EXIT, type FileStatus } from '../../shared/signatures';
import { defaultDataFolder, FileHeadMemory } from '../vault/head-memory';
import { PRODUCTION_CONFIG } from '../vault/vault';
import { scriptCommand, SCRIPT_USAGE } from './script';
import type { CliIo } from './io';
import { UsageError } from './usage';
import { CheckFailed, print, withVault } from './common';
import { vaultCommand } from './vault';
import { casesCommand, dashboardCommand, listCommand, risksCommand } from './lists';
import { exportCommand, importCommand } from './packages';
import { identityCommand, trustCommand } from './trust';
import { verifyCommand } from './verify';
import { demoCommand } from './demo';

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
