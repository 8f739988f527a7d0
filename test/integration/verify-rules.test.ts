/**
 * The verifier's reports, field by field: a genuine signature's full report; a signature refused
 * before its CMS is read (nothing about a signer claimed); revocation not known or stale
 * (INDETERMINATE, each with its own detail); a later revision's fault named on every earlier
 * signature as "revision N: …" and on the revision's own signature as itself; bytes after the last
 * revision counted. The forgery tables judge whole files; these rows pin what each report says.
 */
import { deflateSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { softwareSigner } from '../../electron/signing/identity';
import { signedKeywords, verifyPdf, type TrustStore } from '../../electron/signing/verify';
import { PDFDocument, PDFName, PDFString } from 'pdf-lib';
import { facts, type x509 } from '../../electron/signing/x509';
import {
  appendUpdate,
  contentStreamOf,
  letter,
  signLetter,
  signUnreservedField,
  stream,
} from '../helpers/pdf';
import { anatomy, appendStreamUpdate, body, signField } from '../helpers/forge';
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

  it('a signing time written that is no date is refused before the CMS is read (round 20aw)', async () => {
    // Read as no time, the check of the certificate at the claimed time was skipped, while
    // pdfsig showed the time as it read it (here: before the certificate was issued).
    const text = letters.one.toString('latin1');
    const m = /\/M \(D:(\d{14})Z\)/.exec(text)!;
    const result = await verifyPdf(edit(letters.one, m[0], `/M (${m[1]}Z00)`), trust);
    expect(result.signatures[0]).toMatchObject({
      reason: 'MALFORMED_SIGNATURE',
      detail: 'the signing time (/M) is not a date written as PDF writes one',
      claimedTime: null,
    });
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

/**
 * An update adding signature fields to the form, after those it has: each `v` written as the
 * field's /V (a reference, or an inline dictionary), with `objects` written beside them.
 */
function withFields(
  pdf: Buffer,
  fields: { name: string; v: string }[],
  extra: {
    objects?: { num: number; body: string }[];
    objStm?: { num: number; objects: { num: number; body: string }[] };
    entries?: Map<number, [number, number, number]>;
  } = {},
): Buffer {
  const a = anatomy(pdf);
  const nums = fields.map((_, i) => a.size + 10 + i);
  const form = body(pdf, a.form!).replace(
    /\/Fields\s*\[([^\]]*)\]/,
    (_, refs: string) => `/Fields [${refs} ${nums.map((n) => `${n} 0 R`).join(' ')} ]`,
  );
  return appendStreamUpdate(pdf, {
    ...extra,
    objects: [
      { num: a.form!, body: form },
      ...fields.map((f, i) => ({
        num: nums[i]!,
        body: `<< /FT /Sig /T (${f.name}) /V ${f.v} >>`,
      })),
      ...(extra.objects ?? []),
    ],
  });
}

/** A signature dictionary with no ByteRange: refused before its CMS is read. */
const UNSIGNED = (contents: string) =>
  `<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /Contents <${contents}> >>`;
const NO_RANGE = 'the signature has no ByteRange or no /Contents of its own';

describe('which refusal names the file, and what each signature keeps', () => {
  it('a file with no signature at all is NOT_SIGNED: never valid', async () => {
    const plain = await letter();
    const result = await verifyPdf(plain, trust);
    expect(result).toEqual({
      valid: false,
      status: 'indeterminate',
      indication: 'INDETERMINATE',
      subIndication: 'SIGNED_DATA_NOT_FOUND',
      reason: 'NOT_SIGNED',
      revisions: 1,
      signatures: [],
      unsignedFields: [],
    });
  });

  it('a stray field refused before its CMS leaves the genuine signature beside it valid', async () => {
    // The document as first written carries a signature field with a value of no ByteRange.
    const doc = await PDFDocument.create();
    doc.addPage([595, 842]);
    const ctx = doc.context;
    const sig = ctx.obj({ Type: 'Sig', Filter: 'Adobe.PPKLite', SubFilter: 'ETSI.CAdES.detached' });
    const field = ctx.obj({ FT: 'Sig', T: PDFString.of('Stray'), V: ctx.register(sig) });
    doc.catalog.set(
      PDFName.of('AcroForm'),
      ctx.register(ctx.obj({ Fields: [ctx.register(field)] })),
    );
    const base = Buffer.from(await doc.save({ useObjectStreams: false }));
    const signed = await signLetter(base, signerOf(anne), 'Signature1', { title: 'Anne' });
    const result = await verifyPdf(signed, trust);
    expect(result.signatures.map((s) => [s.field, s.reason, s.detail, s.revision])).toEqual([
      ['Stray', 'MALFORMED_SIGNATURE', NO_RANGE, null],
      ['Signature1', null, null, 2],
    ]);
    expect(result).toMatchObject({ status: 'invalid', reason: 'MALFORMED_SIGNATURE' });
  });

  it('the most specific refusal names the file; a signature refused on its own keeps its reason', async () => {
    // One update: the reserved field given a value of no ByteRange, and the page listed twice in
    // an object stream (two readings of the signed page).
    const a = anatomy(letters.awaiting);
    const page = body(letters.awaiting, a.page);
    const objStm = a.size + 20;
    const field = a.fields.find((f) => f.name === 'Signature2')!.fieldRef!.objectNumber;
    const sigNum = a.size + 21;
    const forged = appendStreamUpdate(letters.awaiting, {
      objects: [
        {
          num: field,
          body: body(letters.awaiting, field).replace(/>>\s*$/, `/V ${sigNum} 0 R >>`),
        },
        { num: sigNum, body: UNSIGNED('00') },
      ],
      objStm: {
        num: objStm,
        objects: [
          { num: a.page, body: page },
          { num: a.page, body: page },
        ],
      },
      entries: new Map([[a.page, [2, objStm, 1]]]),
    });
    const result = await verifyPdf(forged, trust);
    expect(result.signatures.map((s) => [s.field, s.reason])).toEqual([
      ['Signature1', 'DUPLICATE_OBJECT'],
      ['Signature2', 'MALFORMED_SIGNATURE'],
    ]);
    expect(result.signatures[1]!.detail).toBe(NO_RANGE);
    expect(result.reason).toBe('DUPLICATE_OBJECT');
  });

  it('three fields showing one signature: each refused, the first naming the first copy', async () => {
    const sigRef = anatomy(letters.one).fields[0]!.sigRef!.objectNumber;
    const forged = withFields(letters.one, [
      { name: 'Copy1', v: `${sigRef} 0 R` },
      { name: 'Copy2', v: `${sigRef} 0 R` },
    ]);
    const result = await verifyPdf(forged, trust);
    expect(Object.keys(result.signatures)).toEqual(['0', '1', '2']);
    expect(result.signatures.map((s) => [s.field, s.reason, s.detail])).toEqual([
      ['Signature1', 'SHARED_SIGNATURE_VALUE', 'another field (Copy1) shows this signature'],
      ['Copy1', 'SHARED_SIGNATURE_VALUE', 'the field shows the same signature as Signature1'],
      ['Copy2', 'SHARED_SIGNATURE_VALUE', 'the field shows the same signature as Signature1'],
    ]);
  });

  it('a copy of the signature dictionary in an object of its own is the same signature', async () => {
    const sigRef = anatomy(letters.one).fields[0]!.sigRef!.objectNumber;
    const copy = anatomy(letters.one).size + 30;
    const forged = withFields(letters.one, [{ name: 'Copy', v: `${copy} 0 R` }], {
      objects: [{ num: copy, body: body(letters.one, sigRef) }],
    });
    const result = await verifyPdf(forged, trust);
    expect(result.signatures.map((s) => [s.field, s.reason])).toEqual([
      ['Signature1', 'SHARED_SIGNATURE_VALUE'],
      ['Copy', 'SHARED_SIGNATURE_VALUE'],
    ]);
  });

  it('values written inline in their fields: two values are two, one value twice is shared', async () => {
    const two = await verifyPdf(
      withFields(letters.one, [
        { name: 'In1', v: UNSIGNED('0102') },
        { name: 'In2', v: UNSIGNED('0304') },
      ]),
      trust,
    );
    expect(two.signatures.slice(1).map((s) => [s.field, s.reason, s.detail])).toEqual([
      ['In1', 'MALFORMED_SIGNATURE', NO_RANGE],
      ['In2', 'MALFORMED_SIGNATURE', NO_RANGE],
    ]);
    const shared = await verifyPdf(
      withFields(letters.one, [
        { name: 'In1', v: UNSIGNED('0102') },
        { name: 'In2', v: UNSIGNED('0102') },
      ]),
      trust,
    );
    expect(shared.signatures.slice(1).map((s) => [s.field, s.reason])).toEqual([
      ['In1', 'SHARED_SIGNATURE_VALUE'],
      ['In2', 'SHARED_SIGNATURE_VALUE'],
    ]);
  });

  it('a later valid countersignature is not renamed by an earlier revision’s fault', async () => {
    const changed = appendUpdate(letters.awaiting, [
      { num: contentStreamOf(letters.awaiting), body: stream('DECISION: REFUSED') },
    ]);
    const countersigned = await signLetter(changed, signerOf(bo), 'Signature2', { title: 'Bo' });
    const result = await verifyPdf(countersigned, trust);
    expect(result.signatures.map((s) => [s.field, s.reason, s.revision])).toEqual([
      ['Signature1', 'MODIFIED_AFTER_SIGNING', 2],
      ['Signature2', null, 4],
    ]);
    expect(result.signatures[0]!.detail).toMatch(/^revision 3: /);
  });

  it('a signature refused for its CMS in a faulty revision keeps its own refusal', async () => {
    const second = await signUnreservedField(letters.one, signerOf(bo));
    const text = second.toString('latin1');
    const at = text.lastIndexOf('/Contents <') + '/Contents <'.length;
    expect(text.slice(at, at + 2)).toBe('30');
    const broken = Buffer.from(second);
    broken.write('31', at, 'latin1');
    const result = await verifyPdf(broken, trust);
    expect(result.signatures[1]).toMatchObject({
      field: 'Signature2',
      reason: 'MALFORMED_SIGNATURE',
      detail: 'the signature is not a CMS SignedData',
      revision: 3,
      subFilter: 'ETSI.CAdES.detached',
    });
    expect(result.signatures[0]).toMatchObject({
      reason: 'MODIFIED_AFTER_SIGNING',
      detail: expect.stringMatching(/^revision 3: /) as unknown,
    });
  });
});

describe('what is read is bounded', () => {
  it('content that inflates beyond 64 MB in all is refused, not read to its end', async () => {
    const form = (mb: number) => {
      const data = deflateSync(Buffer.alloc(mb * 1024 * 1024, 0x20));
      return `<< /Type /XObject /Subtype /Form /BBox [0 0 1 1] /Filter /FlateDecode /Length ${data.length} >>\nstream\n${data.toString('latin1')}\nendstream`;
    };
    const size = anatomy(letters.one).size;
    const one = await verifyPdf(appendUpdate(letters.one, [{ num: size, body: form(40) }]), trust);
    // One stream of 40 MB is read (and the update refused for what it is).
    expect(one.signatures[0]).toMatchObject({ reason: 'MODIFIED_AFTER_SIGNING' });
    const two = await verifyPdf(
      appendUpdate(letters.one, [
        { num: size, body: form(40) },
        { num: size + 1, body: form(40) },
      ]),
      trust,
    );
    expect(two.signatures[0]).toMatchObject({
      reason: 'DYNAMIC_CONTENT',
      detail: `object ${size + 1} (revision 3) takes the file's content beyond 64 MB, more than is read`,
    });
  });
});

describe('a signature must cover the revision that writes it, in the form it claims', () => {
  it('a signature dictionary written before the revision its ByteRange ends at', async () => {
    // Anne's dictionary stands in revision 2; its value is made anew over revision 3 too.
    const later = appendUpdate(letters.one, [
      { num: anatomy(letters.one).size, body: '<< /Note (appended) >>' },
    ]);
    const resigned = await signField(later, signerOf(anne), 'Signature1');
    const [s] = (await verifyPdf(resigned, trust)).signatures;
    expect([s!.reason, s!.detail, s!.revision]).toEqual([
      'MALFORMED_SIGNATURE',
      'the signature dictionary is not part of the revision it signs',
      null,
    ]);
  });

  it('an odd run of hex digits in /Contents, even where the ByteRange and the CMS fit it', async () => {
    const text = letters.one.toString('latin1');
    const end = text.indexOf('>', text.indexOf('/Contents <'));
    expect(text.slice(end - 2, end + 1)).toBe('00>');
    const odd = Buffer.from(`${text.slice(0, end - 1)}> ${text.slice(end + 1)}`, 'latin1');
    const resigned = await signField(odd, signerOf(anne), 'Signature1');
    const [s] = (await verifyPdf(resigned, trust)).signatures;
    expect([s!.reason, s!.detail]).toEqual([
      'MALFORMED_SIGNATURE',
      'the /Contents is not an even run of hex digits',
    ]);
  });

  it('/Contents ending in an even run after a stray "<"', async () => {
    const text = letters.one.toString('latin1');
    const end = text.indexOf('>', text.indexOf('/Contents <'));
    const broken = Buffer.from(`${text.slice(0, end - 3)}<${text.slice(end - 2)}`, 'latin1');
    // A "<" is no hex digit: readers read the string each their own way (the file is refused
    // before its signatures are judged).
    const [s] = (await verifyPdf(broken, trust)).signatures;
    expect(s!.reason).toBe('AMBIGUOUS_STRUCTURE');
    expect(s!.detail).toMatch(
      /^a hex string at offset \d+ holds a character that is no hex digit$/,
    );
  });

  it('a CMS that cannot be read: the report keeps the revision and sub-filter it claimed', async () => {
    const text = letters.one.toString('latin1');
    const at = text.indexOf('/Contents <') + '/Contents <'.length;
    const broken = Buffer.from(letters.one);
    broken.write('31', at, 'latin1');
    const [s] = (await verifyPdf(broken, trust)).signatures;
    expect(s).toMatchObject({
      reason: 'MALFORMED_SIGNATURE',
      detail: 'the signature is not a CMS SignedData',
      revision: 2,
      subFilter: 'ETSI.CAdES.detached',
      signer: null,
    });
  });

  it('adbe.pkcs7.detached: a CMS signature, valid, but not PAdES', async () => {
    const adbe = edit(
      letters.one,
      '/SubFilter /ETSI.CAdES.detached',
      '/SubFilter /adbe.pkcs7.detached',
    );
    const resigned = await signField(adbe, signerOf(anne), 'Signature1');
    const [s] = (await verifyPdf(resigned, trust)).signatures;
    expect(s).toMatchObject({
      reason: null,
      subFilter: 'adbe.pkcs7.detached',
      level: 'CMS',
      warnings: ['NOT_PADES'],
    });
  });
});
