/**
 * `awb trust …` and `awb identity …`: certificates trusted after comparing fingerprints, and
 * signing identities.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppError } from '../../shared/errors';
import { isTrustRole } from '../../shared/exchange';
import { readAloud } from '../../shared/fingerprint';
import { readCertificates, readCrl } from '../signing/x509';
import type { CliIo } from './io';
import { UsageError } from './usage';
import { pickIdentity, readInput, readSecret, withVault } from './common';

/** `awb trust add|list|remove`: the anchors and CRLs this vault verifies against. */
export async function trustCommand(io: CliIo, argv: string[]): Promise<Record<string, unknown>> {
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
/** `awb identity list|create|import|token-list|add-token`: the vault's signing identities. */
export async function identityCommand(io: CliIo, argv: string[]): Promise<Record<string, unknown>> {
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
