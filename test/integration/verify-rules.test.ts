/**
 * The verifier's reports, field by field: a genuine signature's full report; a signature refused
 * before its CMS is read (nothing about a signer claimed); revocation not known or stale
 * (INDETERMINATE, each with its own detail); a later revision's fault named on every earlier
 * signature as "revision N: …" and on the revision's own signature as itself; bytes after the last
 * revision counted. The forgery tables judge whole files; these rows pin what each report says.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { softwareSigner } from '../../electron/signing/identity';
import { signedKeywords, verifyPdf, type TrustStore } from '../../electron/signing/verify';
import { PDFDocument } from 'pdf-lib';
import { facts, type x509 } from '../../electron/signing/x509';
import {
  appendUpdate,
  contentStreamOf,
  letter,
  signLetter,
  signUnreservedField,
  stream,
} from '../helpers/pdf';
import { crl, issue, type Party } from '../helpers/pki';

const DAY = 86_400_000;
let root: Party;
let anne: Party;
let bo: Party;
let crls: x509.X509Crl[];
let trust: TrustStore;
const letters: Record<'one' | 'awaiting' | 'two', Buffer> = {} as never;

const signerOf = (p: Party) => softwareSigner(p.key, [p.der, root.der]);

beforeAll(async () => {
  root = await issue({ name: 'CN=Rules Root, O=Authority, C=DK', ca: true, algorithm: 'ec-p256' });
  anne = await issue({
    name: 'CN=Anne Rules, O=Authority, C=DK',
    issuer: root,
    algorithm: 'ec-p256',
  });
  bo = await issue({ name: 'CN=Bo Rules, O=Authority, C=DK', issuer: root, algorithm: 'ec-p256' });
  crls = [await crl(root, [])];
  trust = { anchors: [root.cert], crls };
  const base = await letter();
  letters.one = await signLetter(base, signerOf(anne), 'Signature1', { title: 'Anne' });
  letters.awaiting = await signLetter(base, signerOf(anne), 'Signature1', {
    title: 'Anne',
    reserve: true,
  });
  letters.two = await signLetter(letters.awaiting, signerOf(bo), 'Signature2', { title: 'Bo' });
});

/** `pdf` with the first `from` replaced by `to` (same length: every offset stays). */
function edit(pdf: Buffer, from: string, to: string): Buffer {
  expect(to.length).toBe(from.length);
  const text = pdf.toString('latin1');
  const at = text.indexOf(from);
  expect(at, from).toBeGreaterThanOrEqual(0);
  return Buffer.from(text.slice(0, at) + to + text.slice(at + from.length), 'latin1');
}

describe('what a report says', () => {
  it('a genuine signature: valid, its signer and path, the revision it covers, PAdES', async () => {
    const result = await verifyPdf(letters.one, trust);
    expect(result).toMatchObject({
      valid: true,
      status: 'valid',
      indication: 'TOTAL_PASSED',
      subIndication: null,
      reason: null,
      revisions: 2,
      unsignedFields: [],
    });
    expect(result.signatures).toEqual([
      {
        field: 'Signature1',
        status: 'valid',
        indication: 'TOTAL_PASSED',
        subIndication: null,
        reason: null,
        detail: null,
        warnings: [],
        signer: facts(anne.cert),
        path: [facts(anne.cert), facts(root.cert)],
        claimedTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
        revision: 2,
        coversWholeFile: true,
        subFilter: 'ETSI.CAdES.detached',
        level: 'PAdES-B-B',
      },
    ]);
  });

  it('a signature refused before its CMS is read claims nothing about a signer', async () => {
    const result = await verifyPdf(
      edit(letters.one, '/SubFilter /ETSI.CAdES.detached', '/SubFilter /ETSI.CAdES.detachex'),
      trust,
    );
    expect(result.signatures).toEqual([
      {
        field: 'Signature1',
        status: 'invalid',
        indication: 'TOTAL_FAILED',
        subIndication: 'FORMAT_FAILURE',
        reason: 'MALFORMED_SIGNATURE',
        detail: 'sub-filter ETSI.CAdES.detachex is not supported',
        warnings: [],
        signer: null,
        path: [],
        claimedTime: expect.any(String) as unknown,
        revision: null,
        coversWholeFile: false,
        subFilter: 'ETSI.CAdES.detachex',
        level: null,
      },
    ]);
    expect(result).toMatchObject({ valid: false, status: 'invalid', indication: 'TOTAL_FAILED' });
  });

  it('revocation not known, or known only from a stale CRL: INDETERMINATE, each said', async () => {
    const unknown = await verifyPdf(letters.one, { anchors: [root.cert], crls: [] });
    expect(unknown).toMatchObject({
      valid: false,
      status: 'indeterminate',
      indication: 'INDETERMINATE',
      subIndication: 'TRY_LATER',
      reason: 'REVOCATION_UNKNOWN',
    });
    expect(unknown.signatures[0]).toMatchObject({
      status: 'indeterminate',
      reason: 'REVOCATION_UNKNOWN',
      detail: 'no CRL covers a certificate on the path',
      warnings: ['REVOCATION_UNCHECKED'],
      signer: facts(anne.cert),
    });
    const lapsed = await crl(root, [], {
      thisUpdate: new Date(Date.now() - 20 * DAY),
      nextUpdate: new Date(Date.now() - DAY),
    });
    const stale = await verifyPdf(letters.one, { anchors: [root.cert], crls: [lapsed] });
    expect(stale).toMatchObject({ status: 'indeterminate', reason: 'REVOCATION_STALE' });
    expect(stale.signatures[0]).toMatchObject({
      status: 'indeterminate',
      reason: 'REVOCATION_STALE',
      detail: 'the CRL covering a certificate on the path is past its next update',
      warnings: ['CRL_STALE'],
    });
  });

  it('a letter awaiting its countersignature: each signature valid, the file not yet', async () => {
    const result = await verifyPdf(letters.awaiting, trust);
    expect(result).toMatchObject({
      valid: false,
      status: 'awaiting_countersignature',
      indication: 'TOTAL_PASSED',
      reason: null,
      unsignedFields: ['Signature2'],
    });
    expect(result.signatures.map((s) => s.status)).toEqual(['valid']);
  });
});

describe('a later revision’s fault, on each signature', () => {
  it('a change after both signatures: each names the revision that made it', async () => {
    const changed = appendUpdate(letters.two, [
      { num: contentStreamOf(letters.two), body: stream('DECISION: REFUSED') },
    ]);
    const result = await verifyPdf(changed, trust);
    expect(result.signatures.map((s) => [s.field, s.reason, s.revision])).toEqual([
      ['Signature1', 'MODIFIED_AFTER_SIGNING', 2],
      ['Signature2', 'MODIFIED_AFTER_SIGNING', 3],
    ]);
    for (const s of result.signatures) {
      expect(s.detail).toMatch(/^revision 4: /);
    }
  });

  it('a second signature in a field never reserved: the first names its revision, the second is it', async () => {
    const second = await signUnreservedField(letters.one, signerOf(bo));
    const result = await verifyPdf(second, trust);
    const [first, own] = result.signatures;
    expect(first).toMatchObject({ reason: 'MODIFIED_AFTER_SIGNING', revision: 2 });
    expect(own).toMatchObject({ reason: 'MODIFIED_AFTER_SIGNING', revision: 3 });
    expect(own!.detail).not.toMatch(/^revision 3: /);
    expect(first!.detail).toBe(`revision 3: ${own!.detail}`);
  });

  it('a refusal of its own is kept: a signature already failed is not renamed by a later fault', async () => {
    const broken = edit(
      letters.two,
      '/SubFilter /ETSI.CAdES.detached',
      '/SubFilter /ETSI.CAdES.detachex',
    );
    const changed = appendUpdate(broken, [
      { num: contentStreamOf(broken), body: stream('DECISION: REFUSED') },
    ]);
    const result = await verifyPdf(changed, trust);
    expect(result.signatures[0]).toMatchObject({
      reason: 'MALFORMED_SIGNATURE',
      detail: 'sub-filter ETSI.CAdES.detachex is not supported',
    });
    // The countersignature covers the edited bytes: its own refusal stands too.
    expect(result.signatures[1]).toMatchObject({
      reason: 'DIGEST_MISMATCH',
      detail: 'the document does not match the signed digest',
    });
  });

  it('bytes after the last revision are counted', async () => {
    const result = await verifyPdf(Buffer.concat([letters.two, Buffer.from('\n\n\n')]), trust);
    for (const s of result.signatures) {
      expect(s).toMatchObject({
        reason: 'MODIFIED_AFTER_SIGNING',
        detail: '3 bytes follow the last revision',
      });
    }
  });
});

/** `pdf` with its first /ByteRange's numbers changed by `change`, each kept at its width. */
function byteRange(pdf: Buffer, change: (r: number[]) => number[]): Buffer {
  const text = pdf.toString('latin1');
  const m = /\/ByteRange\s*\[\s*(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s*\]/.exec(text)!;
  const widths = m.slice(1, 5).map((n) => n.length);
  const next = change(m.slice(1, 5).map(Number));
  const written = next.map((n, i) =>
    n < 0 ? `-${String(-n).padStart(widths[i]! - 1, '0')}` : String(n).padStart(widths[i]!, '0'),
  );
  written.forEach((w, i) => expect(w.length, w).toBe(widths[i]));
  const from = m[0];
  const to = `/ByteRange [${written.join(' ')}]`.padEnd(from.length, ' ');
  return edit(pdf, from, to);
}

describe('what a signature value must be before its CMS is read', () => {
  const refusedAs = async (pdf: Buffer) => {
    const [s] = (await verifyPdf(pdf, trust)).signatures;
    return [s!.reason, s!.detail];
  };
  const MALFORMED = 'MALFORMED_SIGNATURE';
  const RANGE = "the ByteRange does not leave out exactly the signature dictionary's own /Contents";

  it('a ByteRange that leaves out more than /Contents, or counts backwards, or nothing', async () => {
    expect(
      await refusedAs(byteRange(letters.one, ([a, b, c, d]) => [a!, b!, c! + 1, d! - 1])),
    ).toEqual([MALFORMED, RANGE]);
    expect(await refusedAs(byteRange(letters.one, ([a, b, c]) => [a!, b!, c!, -1]))).toEqual([
      MALFORMED,
      RANGE,
    ]);
    // Ending short of the revision's end, or at its /Contents: no revision ends there.
    for (const d of [0, -1]) {
      expect(
        await refusedAs(
          byteRange(letters.one, ([a, b, c, dd]) => [a!, b!, c!, d === 0 ? 0 : dd! - 1]),
        ),
      ).toEqual([MALFORMED, 'the ByteRange does not end where a revision ends']);
    }
  });

  it('no ByteRange at all', async () => {
    expect(await refusedAs(edit(letters.one, '/ByteRange', '/ByteRangX'))).toEqual([
      MALFORMED,
      'the signature has no ByteRange or no /Contents of its own',
    ]);
  });

  it('/Contents with anything but hex digits in it', async () => {
    const text = letters.one.toString('latin1');
    const end = text.indexOf('000000>', text.indexOf('/Contents <'));
    expect(end).toBeGreaterThan(0);
    const spaced = Buffer.from(`${text.slice(0, end)}00 000>${text.slice(end + 7)}`, 'latin1');
    expect(await refusedAs(spaced)).toEqual([
      MALFORMED,
      'the /Contents is not an even run of hex digits',
    ]);
  });

  it('a file that cannot be read: one report, of no field', async () => {
    const result = await verifyPdf(Buffer.from('%PDF-1.7\nnot a document'), trust);
    expect(result).toMatchObject({
      valid: false,
      status: 'invalid',
      revisions: 0,
      unsignedFields: [],
    });
    expect(result.signatures).toEqual([
      expect.objectContaining({
        field: '',
        claimedTime: null,
        subFilter: null,
        signer: null,
        path: [],
        revision: null,
        warnings: [],
        indication: 'TOTAL_FAILED',
      }),
    ]);
  });

  it('bytes after the last revision do not rename a signature already refused', async () => {
    const broken = edit(
      letters.two,
      '/SubFilter /ETSI.CAdES.detached',
      '/SubFilter /ETSI.CAdES.detachex',
    );
    const result = await verifyPdf(Buffer.concat([broken, Buffer.from('\n')]), trust);
    expect(result.signatures[0]).toMatchObject({
      reason: MALFORMED,
      detail: 'sub-filter ETSI.CAdES.detachex is not supported',
    });
  });
});

describe('the keywords every signature covers', () => {
  it('read from the document as first written; none from what is no PDF', async () => {
    const doc = await PDFDocument.create();
    doc.addPage([595, 842]);
    doc.setKeywords(['dossier-sha256:abc']);
    const first = Buffer.from(await doc.save({ useObjectStreams: false }));
    const signed = await signLetter(first, signerOf(anne), 'Signature1', { title: 'Anne' });
    expect(signedKeywords(signed)).toBe('dossier-sha256:abc');
    expect(signedKeywords(letters.one)).toBeNull();
    expect(signedKeywords(Buffer.from('not a document'))).toBeNull();
  });
});
