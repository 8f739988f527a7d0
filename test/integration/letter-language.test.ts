/**
 * The language walk over documents: every letter of the demo (approval, reinstatement, the
 * countersigned one), a draft letter and a dossier report, in Danish, read back with pdftotext
 * and searched for what a Danish reader should never meet — codes standing alone, translation
 * keys, US or ISO dates in prose, English interface words, and a version label glued to a word.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type VaultServices } from '../../electron/services';
import {
  seedDemo,
  seedDemoCases,
  seedDemoDecision,
  seedDemoLifecycle,
  seedDemoRisks,
} from '../../electron/services/demo';
import { Vault } from '../../electron/vault/vault';
import { tempFolder } from '../helpers/context';
import { toDecisionPending } from '../helpers/parties';
import { PASSPHRASE, PROFILE, TEST_CONFIG } from '../helpers/vault';

let folder: ReturnType<typeof tempFolder>;
let vault: Vault;
let services: VaultServices;

beforeAll(async () => {
  folder = tempFolder('awb-letter-language-');
  ({ vault } = await Vault.create(join(folder.path, 'v'), PASSPHRASE, PROFILE, TEST_CONFIG));
  services = createServices(() => vault);
  await seedDemo(services);
  await seedDemoCases(services.cases, services.register, vault);
  await seedDemoRisks(services);
  await seedDemoDecision(services, join(folder.path, 'exports'));
  await seedDemoLifecycle(services);
}, 300_000);
afterAll(async () => {
  await vault.close({ discard: true });
  folder.cleanup();
});

let n = 0;
function text(pdf: Buffer): string {
  const file = join(folder.path, `doc-${++n}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

/** Words and codes that must not stand alone in a Danish document. */
const CODES = new Set(['Signature1', 'Signature2', 'created', 'reviewed', 'nato', 'eu']);
const ENGLISH = [
  'Valid',
  'Decision',
  'Conditions',
  'Signatures',
  'Page ',
  'Signed by',
  'Reason',
  'undefined',
  'NaN',
  '[object Object]',
];

/** What in a document's text a Danish reader should never meet. The demo's own free text (a
 * system's purpose, a risk's threat event, the test profile's organisation) is content, left out. */
function problems(doc: string): string[] {
  const content =
    /Authority|Known vulnerability|Traffic decrypted|Backup tapes|Unauthorised|Change made|Compromising|Operating system|Emanations|VPN|Server room|Network documentation|Backup media/;
  const found: string[] = [];
  for (const line of doc.split('\n')) {
    if (content.test(line)) {
      continue;
    }
    for (const token of line.split(/[\s(),;:«»"'·—→/]+/)) {
      if (CODES.has(token)) {
        found.push(`code: ${token}`);
      } else if (/^[a-z]+(_[a-z]+)+$/.test(token)) {
        found.push(`snake_case: ${token}`);
      } else if (/^[a-z]+(\.[a-zA-Z]+)+$/.test(token)) {
        found.push(`dotted key: ${token}`);
      } else if (/^v[A-ZÆØÅ]/.test(token)) {
        found.push(`version glued to a word: ${token}`);
      }
    }
    for (const date of line.match(/\b\d{1,2}\/\d{1,2}\/\d{2,4}\b/g) ?? []) {
      found.push(`US date: ${date}`);
    }
    for (const date of line.match(/(?<![\w-])\d{4}-\d{2}-\d{2}(?![\w-])/g) ?? []) {
      found.push(`ISO date: ${date}`);
    }
    for (const word of ENGLISH) {
      if (line.includes(word)) {
        found.push(`English: ${word}`);
      }
    }
  }
  return found;
}

describe('documents in Danish', () => {
  it('every letter of the demo, a draft letter and a dossier report read as Danish', async () => {
    const seen: Record<string, string[]> = {};
    const read = (name: string, pdf: Buffer) => {
      const doc = text(pdf);
      expect(doc.trim().length, name).toBeGreaterThan(200);
      const list = problems(doc);
      if (list.length) {
        seen[name] = list;
      }
      return doc;
    };
    let letters = 0;
    for (const c of services.cases.listCases()) {
      if (services.decisions.decision(c.id)) {
        read(`letter of ${c.ref}`, await services.decisions.decisionPdf(c.id));
        letters++;
      }
    }
    expect(letters).toBeGreaterThanOrEqual(3);
    const first = services.cases.listCases()[0]!;
    const report = await services.decisions.issueDocument({
      kind: 'dossier-report',
      caseId: first.id,
      language: 'da',
    });
    read('dossier report', report.pdf);
    // A draft letter, for a case of its own brought to its decision.
    const systemId = await services.register.createSystem({
      ref: 'SYS-LANG',
      name: 'Sprognet',
      phase: 'operational',
      mode: 'system_high',
      levels: [{ domain: 'national', level: 'RESTRICTED' }],
      userCount: 5,
      minClearance: 'RESTRICTED',
    });
    const pending = await toDecisionPending(services, systemId);
    const identityId = services.signing.identities()[0]!.id;
    const draft = read(
      'draft letter',
      await services.decisions.previewDecision(pending, {
        type: 'full_approval',
        reason: 'Kravene er opfyldt.',
        language: 'da',
        identityId,
      }),
    );
    expect(draft).toContain('UDKAST');
    expect(seen).toEqual({});
  });

  it('the search finds what it is for', () => {
    expect(problems('Signature1 · vUDKAST · created · 12/1/2026 · 2026-12-01 · Valid')).toEqual([
      'code: Signature1',
      'version glued to a word: vUDKAST',
      'code: created',
      'US date: 12/1/2026',
      'ISO date: 2026-12-01',
      'English: Valid',
    ]);
  });
});
