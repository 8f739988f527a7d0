/**
 * Forged letters whose forgery sits in the signed bytes themselves (test/helpers/first-revision.ts):
 * a structure readers resolve differently, put there before the signer signed, or waiting for the
 * object an honest countersignature will add. Each row is built here from a fresh genuine letter
 * and fresh test PKI, and each must be refused AMBIGUOUS_STRUCTURE by the rule made for it (the
 * detail names it, so a row refused by another rule fails); a letter that turns into a forgery
 * only once countersigned is refused before the countersignature too. Outside mutation testing,
 * each row also shows what a viewer (poppler) shows differs from what was signed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PdfFile } from '../../electron/signing/pdf-structure';
import { verifyPdf, type TrustStore } from '../../electron/signing/verify';
import { tempFolder } from '../helpers/context';
import { viewerReading } from '../helpers/forge';
import {
  blocklessReservation,
  countersign,
  danglingAppearance,
  danglingRebuilt,
  generationMismatch,
  hybridFreeEntry,
  linearizationSwitch,
  objectStreamFieldType,
  objectStreamFlags,
  runTogetherRect,
  xrefStmPrev,
  type TestPki,
} from '../helpers/first-revision';
import { crl, issue } from '../helpers/pki';

/** Under mutation testing only our verdicts count: the viewers are left out. */
const MUTATION = process.env.AWB_MUTATION === '1';

/** Each rule's detail, as the check in pdf-structure.ts writes it. */
const RULE = {
  undefinedObject: /refers to object \d+, which that revision does not define/,
  otherGeneration: /refers to object \d+ with generation 1, its entry 0/,
  xrefStmPlainObject: /the XRefStm places object \d+ outside an object stream/,
  xrefStmPrev: /the XRefStm of a hybrid file has a \/Prev of its own/,
  objectStreamWindow: /object \d+ in object stream \d+ does not end where the next begins/,
  runTogether: /a token runs into the next character \(60\.-\)/,
  linearization:
    /a linearization dictionary whose first-page section or \/L \(\d+\) is not the original's/,
};

let folder: ReturnType<typeof tempFolder>;
let pki: TestPki;
let trust: TrustStore;

beforeAll(async () => {
  folder = tempFolder('awb-forgeries-structure-');
  const root = await issue({ name: 'CN=Structure Root, O=Authority, C=DK', ca: true });
  const ca = await issue({
    name: 'CN=Structure Issuing CA, O=Authority, C=DK',
    ca: true,
    issuer: root,
  });
  const anne = await issue({ name: 'CN=Anne Accreditor, O=Authority, C=DK', issuer: ca });
  const bo = await issue({
    name: 'CN=Bo Accreditor, O=Authority, C=DK',
    issuer: ca,
    algorithm: 'ec-p256',
  });
  pki = { ca, anne, bo };
  trust = { anchors: [root.cert], crls: [await crl(ca, []), await crl(root, [])] };
});
afterAll(() => folder.cleanup());

/** Refused as a whole, every signature AMBIGUOUS_STRUCTURE with the detail of `rule`. */
async function expectRefused(pdf: Buffer, rule: RegExp): Promise<void> {
  const result = await verifyPdf(pdf, trust);
  const said = JSON.stringify(result.signatures.map((s) => [s.field, s.reason, s.detail]));
  expect(result.valid, said).toBe(false);
  expect(result.reason, said).toBe('AMBIGUOUS_STRUCTURE');
  expect(result.signatures.length, said).toBeGreaterThan(0);
  for (const s of result.signatures) {
    expect(s.reason, said).toBe('AMBIGUOUS_STRUCTURE');
    expect(s.detail, said).toMatch(rule);
  }
}

let files = 0;
function saved(pdf: Buffer): string {
  const file = join(folder.path, `${++files}.pdf`);
  writeFileSync(file, pdf);
  return file;
}

/** poppler's text of page 1, or of the box [x1, y1, x2, y2] (PDF points) on it. */
function pdftotext(pdf: Buffer, box?: [number, number, number, number]): string {
  const crop = box
    ? [
        ['-x', box[0]],
        ['-y', 842 - box[3]],
        ['-W', box[2] - box[0]],
        ['-H', box[3] - box[1]],
      ].flatMap(([k, v]) => [String(k), String(Math.round(Number(v)))])
    : [];
  return execFileSync('pdftotext', [...crop, '-layout', saved(pdf), '-'], {
    encoding: 'latin1',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
}

describe('forged letters in the signed bytes are refused by the rule made for each', () => {
  it('A1: a link over "NOT" whose appearance is the object the countersignature adds', async () => {
    const { awaiting, countersigned, notRect } = await danglingAppearance(pki);
    await expectRefused(awaiting, RULE.undefinedObject);
    await expectRefused(countersigned, RULE.undefinedObject);
    if (!MUTATION) {
      // Anne signed (and Bo saw) the word alone; once he countersigns, poppler draws his
      // signature block over it.
      expect(pdftotext(awaiting, notRect).trim()).toBe('NOT');
      expect(pdftotext(countersigned, notRect)).toContain('Bo Accreditor');
    }
  });

  it('A2: a reference to an object the file lacks, hidden in stream data for a rebuilding reader', async () => {
    const forged = await danglingRebuilt(pki);
    await expectRefused(forged, RULE.undefinedObject);
    if (!MUTATION) {
      // The page says REFUSED; poppler rebuilds the cross-reference and draws APPROVED over it.
      expect(pdftotext(forged)).toContain('DECISION: APPROVED');
    }
  });

  it('A3: a hybrid revision whose table says free what its XRefStm places', async () => {
    const forged = await hybridFreeEntry(pki);
    await expectRefused(forged, RULE.xrefStmPlainObject);
    if (!MUTATION) {
      expect(pdftotext(forged)).toContain('DECISION: APPROVED');
    }
  });

  it('A5: object-stream offsets inside the previous object (a stamp hidden or printed)', async () => {
    const forged = await objectStreamFlags(pki);
    await expectRefused(forged, RULE.objectStreamWindow);
    if (!MUTATION) {
      // Read to its end, the stamp's /F is 42 (hidden): the letter says REFUSED; poppler reads
      // /F 4 and prints the stamp's APPROVED over it.
      expect(pdftotext(forged)).toContain('DECISION: APPROVED');
    }
  });

  it('A6: object-stream offsets inside the previous object (the reserved field /Sig or /Sig1)', async () => {
    const forged = await objectStreamFieldType(pki);
    await expectRefused(forged, RULE.objectStreamWindow);
    if (!MUTATION) {
      // Read to its end, /FT is /Sig1: no second signature field, the letter in force on one
      // signature; poppler reads /Sig: an empty signature field, the letter awaits four eyes.
      const file = PdfFile.parse(forged);
      expect(file.signatureFields(file.last.number).map((f) => f.name)).toEqual(['Signature1']);
      const pdfsig = spawnSync('pdfsig', [saved(forged)], { encoding: 'utf8' }).stdout;
      expect(pdfsig).toMatch(
        /Signature Field Name: Signature2\s+The signature form field is not signed/,
      );
    }
  });

  it('A7: a hybrid revision whose XRefStm has a /Prev of its own, to a hidden table', async () => {
    const forged = await xrefStmPrev(pki);
    await expectRefused(forged, RULE.xrefStmPrev);
    if (!MUTATION) {
      // The page says REFUSED; poppler rebuilds and takes the last copy of object 900.
      expect(pdftotext(forged)).toContain('DECISION: WITHDRAWN');
    }
  });

  it('A8: a reference with a generation its entry does not have, on a path nothing resolves', async () => {
    const forged = await generationMismatch(pki);
    await expectRefused(forged, RULE.otherGeneration);
    if (!MUTATION) {
      expect(pdftotext(forged)).toContain('DECISION: APPROVED');
    }
  });

  it('A10: a reserved box written "60.-5": four numbers to pdf-lib, three to every viewer', async () => {
    const awaiting = await runTogetherRect(pki);
    await expectRefused(awaiting, RULE.runTogether);
    // Nobody countersigns it: the countersigner reads the letter as the verifier does.
    await expect(countersign(pki, awaiting)).rejects.toMatchObject({
      reason: 'AMBIGUOUS_STRUCTURE',
      detail: expect.stringMatching(RULE.runTogether) as unknown,
    });
    if (!MUTATION) {
      // pdf.js reads no box at all (three numbers), where pdf-lib would read [60 -5 540 625]:
      // a countersignature block drawn there would cover the conditions Anne signed.
      const { pdfjs } = await viewerReading(awaiting);
      expect(pdfjs).toContain('["Widget","Signature2",[0,0,0,0]]');
      expect(pdftotext(awaiting)).toContain('CONDITION 1');
    }
  });

  it('A11: a box reserved for the countersignature that draws nothing over the conditions', async () => {
    const { awaiting, countersigned } = await blocklessReservation(pki);
    // What Anne signed is refused outright: an appearance box of no area over a rectangle that
    // has one is drawn unscaled by pdf.js and not at all by poppler (round 20y)…
    const detail =
      'object 13 (revision 2) is an annotation whose appearance box has no area (/BBox)';
    expect(
      (await verifyPdf(awaiting, trust)).signatures.map((s) => [s.field, s.reason, s.detail]),
    ).toEqual([['Signature1', 'DYNAMIC_CONTENT', detail]]);
    // …nobody countersigns it: the box would hide what Anne saw beneath it…
    await expect(countersign(pki, awaiting)).rejects.toThrow(
      'the field Signature2 was not reserved with a block as the workbench draws one',
    );
    // …and a countersignature made there anyway is refused, on both signatures.
    expect(
      (await verifyPdf(countersigned, trust)).signatures.map((s) => [s.field, s.reason, s.detail]),
    ).toEqual([
      ['Signature1', 'DYNAMIC_CONTENT', detail],
      ['Signature2', 'DYNAMIC_CONTENT', detail],
    ]);
  });

  it('A9: a linearization dictionary whose /L is the length the countersigned letter will have', async () => {
    const { awaiting, countersigned } = await linearizationSwitch(pki);
    await expectRefused(awaiting, RULE.linearization);
    await expectRefused(countersigned, RULE.linearization);
    if (!MUTATION) {
      // Anne signed (and Bo saw) NOT APPROVED; countersigned, poppler reads the first-page chain.
      expect(pdftotext(awaiting)).toContain('DECISION: NOT APPROVED');
      expect(pdftotext(countersigned)).toContain('DECISION: APPROVED');
      expect(pdftotext(countersigned)).not.toContain('NOT APPROVED');
    }
  });
});
