/**
 * `awb demo`: an authority vault and an owner vault with the demo register, cases, risks, a
 * decision and packages.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createServices } from '../services';
import {
  seedDemo,
  seedDemoCases,
  seedDemoDecision,
  seedDemoLifecycle,
  seedDemoExchange,
  seedDemoRisks,
} from '../services/demo';
import { Vault } from '../vault/vault';
import type { CliIo } from './io';
import { UsageError } from './usage';
import { readSecret, strongOrThrow } from './common';

export async function demoCommand(io: CliIo, argv: string[]): Promise<Record<string, unknown>> {
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
    const counts = await seedDemo(services);
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
