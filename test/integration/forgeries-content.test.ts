/**
 * Letters whose signed bytes every reader reads alike but SHOWS differently: optional content, a
 * print-only annotation, a form field whose value and appearance disagree, JavaScript on opening,
 * annotations with an appearance of their own, signature widgets hidden from the screen. Each row
 * is made here from a fresh genuine letter, the feature added after signing (an update) and,
 * where it matters, built into the letter before it is signed (the signer signs something already
 * dynamic); each is refused DYNAMIC_CONTENT, naming what it found. Genuine letters still verify.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { CmsSigner } from '../../electron/signing/cms';
import { softwareSigner } from '../../electron/signing/identity';
import { PdfFile } from '../../electron/signing/pdf-structure';
import { dynamicContent } from '../../electron/signing/static-content';
import { verifyPdf, type TrustStore } from '../../electron/signing/verify';
import {
  added,
  annotated,
  builtIn,
  listWith,
  rows,
  streamObject,
  type Feature,
} from '../helpers/content-features';
import { anatomy, body } from '../helpers/forge';
import { appendUpdate, letter, signLetter } from '../helpers/pdf';
import { crl, issue, type Party } from '../helpers/pki';

let ca: Party;
let anne: Party;
let bo: Party;
let trust: TrustStore;

const signerOf = (party: Party): CmsSigner => softwareSigner(party.key, [party.der, ca.der]);

function sign(
  pdf: Buffer,
  who: Party,
  field: 'Signature1' | 'Signature2',
  reserve = false,
): Promise<Buffer> {
  return signLetter(pdf, signerOf(who), field, {
    title: who.cert.subject,
    lines: ['Godkendt', 'Łódź'],
    reserve,
  });
}

beforeAll(async () => {
  const root = await issue({ name: 'CN=Content Root, O=Authority, C=DK', ca: true });
  ca = await issue({ name: 'CN=Content Issuing CA, O=Authority, C=DK', ca: true, issuer: root });
  anne = await issue({ name: 'CN=Anne Accreditor, O=Authority, C=DK', issuer: ca });
  bo = await issue({
    name: 'CN=Bo Accreditor, O=Authority, C=DK',
    issuer: ca,
    algorithm: 'ec-p256',
  });
  trust = { anchors: [root.cert], crls: [await crl(ca, []), await crl(root, [])] };
});

async function expectRefused(pdf: Buffer, detail: RegExp) {
  const result = await verifyPdf(pdf, trust);
  expect(result, JSON.stringify(result.signatures.map((s) => s.detail))).toMatchObject({
    valid: false,
    status: 'invalid',
    indication: 'TOTAL_FAILED',
    subIndication: 'FORMAT_FAILURE',
    reason: 'DYNAMIC_CONTENT',
  });
  for (const s of result.signatures) {
    expect(s.reason).toBe('DYNAMIC_CONTENT');
    expect(s.detail).toMatch(detail);
  }
}

describe('content readers show differently, added after signing', () => {
  for (const row of rows) {
    it(row.name, async () => {
      const genuine = await sign(await letter(), anne, 'Signature1');
      await expectRefused(added(genuine, row.feature), row.detail);
    });
  }

  it('the signed widget itself rewritten with flags that hide it from the screen or the printout', async () => {
    const genuine = await sign(await letter(), anne, 'Signature1');
    const [field] = anatomy(genuine).fields;
    const widget = field!.widgets[0]!.objectNumber;
    const original = body(genuine, widget);
    expect(original).toMatch(/\/F 4\b/);
    for (const flags of ['/F 36', '/F 2', '/F 6', '/F 260', '/F 0', '']) {
      const forged = appendUpdate(genuine, [
        { num: widget, body: original.replace(/\/F 4\b/, flags) },
      ]);
      await expectRefused(forged, /signature widget with flags/);
    }
    const rollover = appendUpdate(genuine, [
      { num: widget, body: original.replace(/\/AP\s*<</, '/AP << /R 1 0 R') },
    ]);
    await expectRefused(rollover, /a \/R appearance besides \/N/);
  });
});

describe('content readers show differently, built into the letter before it is signed', () => {
  for (const row of rows.filter((r) => !r.updateOnly)) {
    it(row.name, async () => {
      const dynamic = await builtIn(row.feature);
      expect(PdfFile.parse(dynamic).revisions).toHaveLength(1);
      const signed = await sign(dynamic, anne, 'Signature1');
      await expectRefused(signed, row.detail);
      // And countersigned: the second signer signs the same dynamic letter.
      const awaiting = await sign(dynamic, anne, 'Signature1', true);
      await expectRefused(await sign(awaiting, bo, 'Signature2'), row.detail);
    });
  }
});

describe('content readers show differently, in an unsigned update before signing', () => {
  it('the page left as it was, its content stream replaced by one with /OC … BDC', async () => {
    const base = await letter();
    const [content] = [...body(base, anatomy(base).page).matchAll(/\/Contents \[ (\d+) 0 R \]/g)];
    const replaced = appendUpdate(base, [
      {
        num: Number(content![1]),
        body: streamObject('/OC /P BDC 1 1 1 rg 60 730 400 40 re f EMC'),
      },
    ]);
    expect(PdfFile.parse(replaced).revisions).toHaveLength(2);
    await expectRefused(await sign(replaced, anne, 'Signature1'), /marks content as optional/);
  });
});

describe('genuine letters are static', () => {
  it('one signature, awaiting its countersignature, two signatures: valid, nothing found', async () => {
    const base = await letter();
    const one = await sign(base, anne, 'Signature1');
    const awaiting = await sign(base, anne, 'Signature1', true);
    const two = await sign(awaiting, bo, 'Signature2');
    for (const pdf of [base, one, awaiting, two]) {
      expect(dynamicContent(PdfFile.parse(pdf))).toBeNull();
    }
    expect(await verifyPdf(one, trust)).toMatchObject({ valid: true, status: 'valid' });
    expect(await verifyPdf(awaiting, trust)).toMatchObject({
      status: 'awaiting_countersignature',
    });
    expect(await verifyPdf(two, trust)).toMatchObject({ valid: true, status: 'valid' });
  });

  it('each content object is read in the revisions defining it, never once per revision', async () => {
    // The page names 300 streams; 60 updates follow, each defining one other object. Walking
    // back through every revision for every object cost objects × revisions² (a 206 KB file of
    // 20,000 objects behind 511 updates took 13 s).
    const base = await letter();
    const a = anatomy(base);
    const count = 300;
    const first = Math.max(...PdfFile.parse(base).revisions[0]!.entries.keys()) + 1;
    let page = body(base, a.page);
    const streams = Array.from({ length: count }, (_, i) => ({
      num: first + i,
      body: streamObject('q Q\n'),
    }));
    for (const x of streams) {
      page = listWith(page, 'Contents', `${x.num} 0 R`);
    }
    let pdf = appendUpdate(base, [...streams, { num: a.page, body: page }]);
    for (let i = 0; i < 60; i++) {
      pdf = appendUpdate(pdf, [{ num: first + count + i, body: `(update ${i})` }]);
    }
    const file = PdfFile.parse(pdf);
    expect(file.revisions).toHaveLength(62);
    const entry = vi.spyOn(PdfFile.prototype, 'entry');
    try {
      expect(dynamicContent(file)).toBeNull();
      // Once per object and revision would be 300 × 62 = 18,600 calls from the scan alone.
      expect(entry.mock.calls.length).toBeLessThan(count * 10);
    } finally {
      entry.mockRestore();
    }
    expect(file.definedIn(a.page)).toEqual([1, 2]);
    expect(file.definedIn(first + count + 59)).toEqual([62]);
    expect(file.definedIn(999_999)).toEqual([]);
  });

  it('a Link without an appearance (a URI, as the letter layout writes one) is left alone', async () => {
    const link: Feature = annotated((_, n) => [
      {
        num: n(),
        body: `<< /Type /Annot /Subtype /Link /Rect [ 72 700 300 715 ] /Border [ 0 0 0 ] /A << /Type /Action /S /URI /URI (https://example.org/decision) >> >>`,
      },
    ]);
    const signed = await sign(await builtIn(link), anne, 'Signature1');
    expect(await verifyPdf(signed, trust)).toMatchObject({ valid: true, status: 'valid' });
  });
});
