/** The whole demo (register, cases, risks, a signed decision, an approval's life) in a vault. */
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page, type Request } from '@playwright/test';
import { createServices } from '../../electron/services';
import {
  seedDemo,
  seedDemoCases,
  seedDemoDecision,
  seedDemoLifecycle,
  seedDemoRisks,
} from '../../electron/services/demo';
import { Vault } from '../../electron/vault/vault';
import { ROUTES } from '../../renderer/src/router';
import { PASSPHRASE, PROFILE, TEST_CONFIG } from '../helpers/vault';

/** The demo register only (systems, sites, components, people, records) in a vault. */
export async function seedRegisterDemo(folder: string): Promise<void> {
  const v = await Vault.open(folder, { passphrase: PASSPHRASE }, TEST_CONFIG);
  await seedDemo(createServices(() => v));
  await v.close();
}

export async function seedFullDemo(folder: string, dataFolder: string): Promise<void> {
  await fromTemplate('full', folder, dataFolder, async (f, d) => {
    const v = await Vault.open(f, { passphrase: PASSPHRASE }, TEST_CONFIG);
    const services = createServices(() => v);
    await seedDemo(services);
    await seedDemoCases(services.cases, services.register, v);
    await seedDemoRisks(services);
    await seedDemoDecision(services, join(d, 'exports'));
    await seedDemoLifecycle(services);
    await v.close();
  });
}

/**
 * The templates this worker has seeded, by name: a data folder (vault and exports) and what its
 * seeding returned. Seeding signs letters, and each letter is laid out in its own process (about
 * a second apiece, fourteen seconds for the demo); a test that only needs the data gets a copy.
 */
const templates = new Map<string, Promise<{ dataFolder: string; value: unknown }>>();

/**
 * Replaces the vault in `folder` (and the exports beside it in `dataFolder`) by a copy of the
 * template `name`, seeded by `seed` the first time in this worker, into a vault of its own made
 * as the fixture makes one (same passphrase and profile). The copy is a vault of its own: its
 * recovery key is the template's, not the one the fixture reported for the vault it replaces.
 */
export async function fromTemplate<T>(
  name: string,
  folder: string,
  dataFolder: string,
  seed: (folder: string, dataFolder: string) => Promise<T>,
): Promise<T> {
  let template = templates.get(name);
  if (!template) {
    template = (async () => {
      const root = mkdtempSync(join(tmpdir(), `awb-template-${name}-`));
      process.once('exit', () => rmSync(root, { recursive: true, force: true }));
      const { vault } = await Vault.create(join(root, 'vault'), PASSPHRASE, PROFILE, TEST_CONFIG);
      await vault.close();
      const value = await seed(join(root, 'vault'), root);
      return { dataFolder: root, value };
    })();
    templates.set(name, template);
  }
  const { dataFolder: source, value } = await template;
  rmSync(folder, { recursive: true, force: true });
  cpSync(join(source, 'vault'), folder, { recursive: true });
  if (existsSync(join(source, 'exports'))) {
    cpSync(join(source, 'exports'), join(dataFolder, 'exports'), { recursive: true });
  }
  return value as T;
}

/**
 * Every screen of the unlocked demo: each menu, a system and a case with every tab (the first
 * `cases` cases of the list; all by default), a risk and a record. `visit` is called on each,
 * named, once the screen has settled.
 */
export async function walkScreens(
  page: Page,
  visit: (name: string) => Promise<void>,
  { cases = Infinity }: { cases?: number } = {},
): Promise<void> {
  await expect(page.getByRole('navigation').first()).toBeVisible();
  const base = page.url().split('#')[0] ?? '';
  // A screen has settled when none of its calls to the core is outstanding. The event stream
  // is one long request that never finishes (read with fetch, so it carries the token header):
  // it is not a call, and 'networkidle' would wait for it forever.
  const pending = new Set<Request>();
  const api = (r: Request) => {
    const path = new URL(r.url()).pathname;
    return path.startsWith('/api/') && path !== '/api/events';
  };
  // Like 'networkidle' without the stream: no call outstanding for half a second.
  let last = Date.now();
  const track = (r: Request, add: boolean) => {
    if (api(r)) {
      last = Date.now();
      if (add) {
        pending.add(r);
      } else {
        pending.delete(r);
      }
    }
  };
  page.on('request', (r) => track(r, true));
  page.on('requestfinished', (r) => track(r, false));
  page.on('requestfailed', (r) => track(r, false));
  const settle = async (name: string) => {
    await expect.poll(() => pending.size === 0 && Date.now() - last >= 500).toBe(true);
    await visit(name);
  };
  for (const route of ROUTES) {
    await page.goto(`${base}#/${route}`);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await settle(route);
  }
  await page.goto(`${base}#/systems`);
  await page.getByTestId('system-row').first().click();
  for (const tab of await page.getByRole('tab').all()) {
    await tab.click();
    await settle(`system-${(await tab.textContent()) ?? ''}`);
  }
  await page.goto(`${base}#/cases`);
  await expect(page.locator('main table a').first()).toBeVisible();
  const count = Math.min(cases, await page.locator('main table a').count());
  for (let i = 0; i < count; i++) {
    await page.goto(`${base}#/cases`);
    await page.locator('main table a').nth(i).click();
    await expect(page.getByTestId('case-state')).toBeVisible();
    for (const tab of await page.getByRole('tab').all()) {
      await tab.click();
      await settle(`case-${i}-${(await tab.textContent()) ?? ''}`);
    }
  }
  await page.goto(`${base}#/risks`);
  await page.locator('main table a').first().click();
  await expect(page.getByTestId('risk-acceptance')).toBeVisible();
  await settle('risk');
  await page.goto(`${base}#/records`);
  await page.getByTestId('record-row').first().getByRole('link').click();
  await expect(page.getByTestId('record-detail')).toBeVisible();
  await settle('record');
}

/**
 * What `find` reports once the screen has settled: asked again (for up to `timeout` ms) while it
 * reports anything, so a screen still drawing its data is not taken for a wrong one; a real
 * problem stays and is returned.
 */
export async function settled(find: () => Promise<string[]>, timeout = 5_000): Promise<string[]> {
  const until = Date.now() + timeout;
  let found = await find();
  while (found.length > 0 && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    found = await find();
  }
  return found;
}

/** Opens a system of the register by a search that finds it alone. */
export async function openSystem(page: Page, search: string): Promise<void> {
  await page.getByRole('link', { name: 'Systemer' }).click();
  await page.getByLabel('Søg i systemer').fill(search);
  await expect(page.getByTestId('system-row')).toHaveCount(1);
  await page.getByTestId('system-row').click();
}
