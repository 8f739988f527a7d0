/**
 * `awb vault …`: create, check, change the passphrase, a new recovery key, recover, and explain a
 * broken trail.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Profile } from '../../shared/contract';
import { createServices } from '../services';
import { checkVault, failureCode } from '../vault/check';
import { Vault } from '../vault/vault';
import type { CliIo } from './io';
import { UsageError } from './usage';
import { CheckFailed, pickIdentity, print, readSecret, reportRekey, strongOrThrow } from './common';

/**
 * `awb vault explain-break`: the signed explanation of a broken audit trail, with one of the
 * vault's signing identities; the vault, read-only until now, takes changes again.
 */
export async function explainBreakCommand(
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
export async function vaultCommand(
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
