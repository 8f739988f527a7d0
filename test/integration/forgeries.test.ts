/**
 * Forged letters by class, each made here from fresh genuine letters (one signature; one awaiting
 * its countersignature; two signatures), each asserting its own reason code, and each compared
 * with pdfsig (which must not accept what we refuse, except where a row says pdfsig is looser) and
 * with pdf.js (what a viewer shows differs from what was signed, so the row is a forgery a reader
 * would see). Beside it, the interoperability table: genuine letters from other tools verify.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFName } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PdfVerification, SignatureReason } from '../../shared/signatures';
import type { CmsSigner } from '../../electron/signing/cms';
import { softwareSigner } from '../../electron/signing/identity';
import { verifyPdf, type TrustStore } from '../../electron/signing/verify';
import { x509 } from '../../electron/signing/x509';
import { tempFolder } from '../helpers/context';
import {
  anatomy,
  appendStreamUpdate,
  body,
  lastRevisionObjects,
  signLast,
  viewerReading,
  withoutLastRevision,
} from '../helpers/forge';
import {
  appendUpdate,
  contentStreamOf,
  letter,
  signLetter,
  signUnreservedField,
  stream,
} from '../helpers/pdf';
import { crl, issue, nssStore, pdfsigAccepts, pdfsigReport, type Party } from '../helpers/pki';

/** Under mutation testing only our verdicts count: pdfsig and the viewers are left out. */
const MUTATION = process.env.AWB_MUTATION === '1';

let folder: ReturnType<typeof tempFolder>;
let root: Party;
let ca: Party;
let anne: Party;
let bo: Party;
let trust: TrustStore;
let nss: string;
/** The genuine letters every row starts from. */
const genuine: Record<'one' | 'awaiting' | 'two', Buffer> = {} as never;

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
  folder = tempFolder('awb-forgeries-');
  root = await issue({ name: 'CN=Forgery Root, O=Authority, C=DK', ca: true });
  ca = await issue({ name: 'CN=Forgery Issuing CA, O=Authority, C=DK', ca: true, issuer: root });
  anne = await issue({ name: 'CN=Anne Accreditor, O=Authority, C=DK', issuer: ca });
  bo = await issue({
    name: 'CN=Bo Accreditor, O=Authority, C=DK',
    issuer: ca,
    algorithm: 'ec-p256',
  });
  const crls = [await crl(ca, []), await crl(root, [])];
  trust = { anchors: [root.cert], crls };
  nss = nssStore(join(folder.path, 'nss'), root.pem, crls);
  const base = await letter();
  genuine.one = await sign(base, anne, 'Signature1');
  genuine.awaiting = await sign(base, anne, 'Signature1', true);
  genuine.two = await sign(genuine.awaiting, bo, 'Signature2');
});
afterAll(() => folder.cleanup());

/** Adds `ref` to the array under `key` in an object body written by pdf-lib. */
function listWith(text: string, key: string, ref: string): string {
  const re = new RegExp(`/${key}\\s*\\[([^\\]]*)\\]`);
  expect(re.test(text), `${key} in ${text}`).toBe(true);
  return text.replace(re, (_, inner: string) => `/${key} [${inner} ${ref} ]`);
}

/** Resources lending a form Helvetica as /Helv: a forger's block draws in a font it defines. */
const HELV = '<< /Font << /Helv << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>';

/** A new widget field showing the value `sigRef`, its block covering the whole page. */
function fieldShowing(pdf: Buffer, sigRef: string, title: string): Buffer {
  const a = anatomy(pdf);
  const widget = a.size;
  const ap = a.size + 1;
  const ops = `BT /Helv 28 Tf 60 420 Td (${title}) Tj ET`;
  return appendUpdate(pdf, [
    {
      num: widget,
      body: `<< /Type /Annot /Subtype /Widget /FT /Sig /F 4 /T (Signature3) /V ${sigRef} /Rect [ 0 0 595 842 ] /P ${a.page} 0 R /AP << /N ${ap} 0 R >> >>`,
    },
    {
      num: ap,
      body: `<< /Type /XObject /Subtype /Form /BBox [ 0 0 595 842 ] /Resources ${HELV} /Length ${ops.length} >>\nstream\n${ops}\nendstream`,
    },
    { num: a.page, body: listWith(body(pdf, a.page), 'Annots', `${widget} 0 R`) },
    { num: a.form!, body: listWith(body(pdf, a.form!), 'Fields', `${widget} 0 R`) },
  ]);
}

const sigRefOf = (pdf: Buffer, field: string) =>
  String(anatomy(pdf).fields.find((f) => f.name === field)!.sigRef);

/** A page's /Contents, a reference or an array of one. */
const CONTENTS = /\/Contents\s*(?:\[\s*)?\d+ 0 R(?:\s*\])?/;

/** The signed page, its content replaced by one saying `text`, in an object stream listing it twice. */
function pageTwiceInObjectStream(pdf: Buffer): Buffer {
  const a = anatomy(pdf);
  const content = a.size;
  const objStm = a.size + 1;
  const original = body(pdf, a.page);
  const forged = original.replace(CONTENTS, `/Contents ${content} 0 R`);
  return appendStreamUpdate(pdf, {
    objects: [{ num: content, body: stream('DECISION: REFUSED') }],
    objStm: {
      num: objStm,
      objects: [
        { num: a.page, body: original },
        { num: a.page, body: forged },
      ],
    },
    entries: new Map([[a.page, [2, objStm, 1]]]),
  });
}

/**
 * A cross-reference stream entry of type 3 for the page, whose forged copy is written in the
 * update but listed by no known entry: a viewer that rebuilds the cross-reference finds it.
 */
function unknownEntryType(pdf: Buffer): Buffer {
  const a = anatomy(pdf);
  const content = a.size;
  const forged = body(pdf, a.page).replace(CONTENTS, `/Contents ${content} 0 R`);
  return appendStreamUpdate(pdf, {
    objects: [
      { num: content, body: stream('DECISION: REFUSED') },
      { num: a.page, body: forged },
    ],
    entries: new Map([[a.page, [3, 0, 0]]]),
  });
}

/** The first occurrence of `from` in the last revision replaced by `to` of the same length. */
function sameLengthEdit(pdf: Buffer, from: string, to: string): Buffer {
  expect(to.length).toBe(from.length);
  const start = withoutLastRevision(pdf).length;
  const text = pdf.toString('latin1');
  const at = text.indexOf(from, start);
  expect(at, from).toBeGreaterThan(0);
  return Buffer.concat([
    pdf.subarray(0, at),
    Buffer.from(to, 'latin1'),
    pdf.subarray(at + from.length),
  ]);
}

/** Flips a byte inside the last signature's CMS signature value (its DER's last bytes). */
function cmsValueFlipped(pdf: Buffer): Buffer {
  const file = anatomy(pdf).file;
  const field = file.signatureFields(file.last.number).find((f) => f.name === 'Signature2')!;
  const span = file.signatureValue(field, file.last.number).contentsSpan!;
  const hex = pdf.subarray(span.start + 1, span.end - 1).toString('latin1');
  const end = hex.replace(/0+$/, '').length; // the DER, zero padding stripped (rounded to bytes)
  const at = span.start + 1 + Math.floor((end - 4) / 2) * 2;
  const out = Buffer.from(pdf);
  const digit = out.toString('latin1', at, at + 1);
  out.write(digit === 'a' ? 'b' : 'a', at, 'latin1');
  return out;
}

interface Row {
  name: string;
  from: keyof typeof genuine;
  forge: (pdf: Buffer) => Buffer | Promise<Buffer>;
  reason: SignatureReason;
  /** Whether pdf.js shows something other than the genuine letter (false: the same page, broken). */
  viewerDiffers: boolean;
  /** pdfsig refuses too, unless it is looser here (a re-signed countersignature it cannot judge). */
  pdfsigAccepts?: boolean;
}

const rows: Row[] = [
  {
    name: 'a second field reusing the first signature, with a full-page block',
    from: 'one',
    forge: (pdf) => fieldShowing(pdf, sigRefOf(pdf, 'Signature1'), 'FORGED: SECOND ACCREDITOR'),
    reason: 'SHARED_SIGNATURE_VALUE',
    viewerDiffers: true,
  },
  {
    name: 'a third field reusing the countersignature, with a full-page block',
    from: 'two',
    forge: (pdf) => fieldShowing(pdf, sigRefOf(pdf, 'Signature2'), 'FORGED: THIRD ACCREDITOR'),
    reason: 'SHARED_SIGNATURE_VALUE',
    viewerDiffers: true,
  },
  {
    name: 'the empty countersignature field pointed at the first signature',
    from: 'awaiting',
    forge: (pdf) => {
      const a = anatomy(pdf);
      const empty = a.fields.find((f) => f.name === 'Signature2')!;
      const ap = a.size;
      const ops = 'BT /Helv 9 Tf 8 60 Td (Second accreditor: approved) Tj ET';
      const text = body(pdf, empty.fieldRef!.objectNumber)
        .replace(/\/AP\s*<<\s*\/N\s+\d+ 0 R\s*>>/, `/AP << /N ${ap} 0 R >>`)
        .replace(/>>\s*$/, ` /V ${sigRefOf(pdf, 'Signature1')} >>`);
      return appendUpdate(pdf, [
        { num: empty.fieldRef!.objectNumber, body: text },
        {
          num: ap,
          body: `<< /Type /XObject /Subtype /Form /BBox [ 0 0 240 80 ] /Resources ${HELV} /Length ${ops.length} >>\nstream\n${ops}\nendstream`,
        },
      ]);
    },
    reason: 'SHARED_SIGNATURE_VALUE',
    viewerDiffers: true, // pdf.js lists the same widget; poppler draws a second accreditor
  },
  {
    name: 'an object stream listing the signed page twice (one letter)',
    from: 'one',
    forge: pageTwiceInObjectStream,
    reason: 'DUPLICATE_OBJECT',
    viewerDiffers: true,
  },
  {
    name: 'an object stream listing the signed page twice (countersigned letter)',
    from: 'two',
    forge: pageTwiceInObjectStream,
    reason: 'DUPLICATE_OBJECT',
    viewerDiffers: true,
  },
  {
    name: 'the page tree rewritten with "6.0 0 R" for "6 0 R"',
    from: 'one',
    forge: (pdf) => {
      const a = anatomy(pdf);
      const kids = body(pdf, a.pages).replace(
        new RegExp(`/Kids\\s*\\[\\s*${a.page} 0 R`),
        `/Kids [ ${a.page}.0 0 R`,
      );
      return appendUpdate(pdf, [{ num: a.pages, body: kids }]);
    },
    reason: 'AMBIGUOUS_STRUCTURE',
    viewerDiffers: true,
  },
  {
    name: "the first signer's block hidden by a real in the page's annotations",
    from: 'two',
    forge: (pdf) => {
      const a = anatomy(pdf);
      const first = a.fields.find((f) => f.name === 'Signature1')!.fieldRef!.objectNumber;
      const page = body(pdf, a.page).replace(`${first} 0 R`, `${first}.0 0 R`);
      return appendUpdate(pdf, [{ num: a.page, body: page }]);
    },
    reason: 'AMBIGUOUS_STRUCTURE',
    viewerDiffers: true,
  },
  {
    name: 'a cross-reference entry of type 3 over a hidden object stream (one letter)',
    from: 'one',
    forge: unknownEntryType,
    reason: 'XREF_INVALID',
    viewerDiffers: true,
  },
  {
    name: 'a cross-reference entry of type 3 over a hidden object stream (countersigned letter)',
    from: 'two',
    forge: unknownEntryType,
    reason: 'XREF_INVALID',
    viewerDiffers: true,
  },
  {
    name: 'a cross-reference stream with odd field widths',
    from: 'one',
    forge: (pdf) => {
      const a = anatomy(pdf);
      return appendStreamUpdate(pdf, {
        objects: [{ num: contentStreamOf(pdf), body: stream('DECISION: REFUSED') }],
        widths: [1, 9, 2],
        entries: new Map([[a.size, [0, 0, 0]]]),
      });
    },
    reason: 'XREF_INVALID',
    viewerDiffers: true,
  },
  {
    name: 'one object defined twice by the same cross-reference table',
    from: 'one',
    forge: (pdf) => {
      const num = contentStreamOf(pdf);
      const once = appendUpdate(pdf, [{ num, body: stream('DECISION: REFUSED') }]);
      // The same number listed again in a second subsection of that table, at the original.
      const text = once.toString('latin1');
      const xref = text.lastIndexOf('\nxref\n') + 1;
      const original = anatomy(pdf).file.entry(num, anatomy(pdf).file.last.number)!.entry.offset;
      const extra = `${num} 1\n${String(original).padStart(10, '0')} 00000 n\r\n`;
      const at = text.indexOf('trailer', xref);
      const out = text.slice(0, at) + extra + text.slice(at);
      return Buffer.from(
        out.replace(/startxref\n\d+\n%%EOF\n$/, `startxref\n${xref}\n%%EOF\n`),
        'latin1',
      );
    },
    reason: 'DUPLICATE_OBJECT',
    viewerDiffers: true,
  },
  {
    name: 'a content stream whose /Length stops short of its endstream',
    from: 'one',
    forge: (pdf) => {
      const ops =
        'BT /F1 18 Tf 72 740 Td (DECISION: APPROVED) Tj ET\nBT /F1 18 Tf 72 600 Td (AND REFUSED) Tj ET';
      return appendUpdate(pdf, [
        { num: contentStreamOf(pdf), body: `<< /Length 48 >>\nstream\n${ops}\nendstream` },
      ]);
    },
    reason: 'AMBIGUOUS_STRUCTURE',
    viewerDiffers: true,
  },
  {
    name: 'a plain change to the page after both signatures',
    from: 'two',
    forge: (pdf) =>
      appendUpdate(pdf, [{ num: contentStreamOf(pdf), body: stream('DECISION: REFUSED') }]),
    reason: 'MODIFIED_AFTER_SIGNING',
    viewerDiffers: true,
  },
  {
    name: 'a second signature in a new field (not the one reserved), by a trusted signer',
    from: 'one',
    forge: (pdf) => signUnreservedField(pdf, signerOf(bo)),
    reason: 'MODIFIED_AFTER_SIGNING',
    viewerDiffers: true,
    pdfsigAccepts: true, // pdfsig takes any later signature; only a reserved field may be signed
  },
  {
    name: 'a countersignature whose update also writes an object nothing needs (re-signed)',
    from: 'two',
    forge: (pdf) => {
      const objects = lastRevisionObjects(pdf);
      const a = anatomy(pdf);
      return signLast(
        appendUpdate(withoutLastRevision(pdf), [
          ...objects,
          { num: a.size, body: stream('HIDDEN PAGE') },
        ]),
        signerOf(bo),
      );
    },
    reason: 'UNEXPECTED_OBJECT',
    viewerDiffers: false,
    pdfsigAccepts: true,
  },
  {
    name: 'a countersignature whose block is drawn outside its box (re-signed)',
    from: 'two',
    forge: (pdf) =>
      signLast(sameLengthEdit(pdf, '0 0 240 80 re f', '0 0 940 80 re f'), signerOf(bo)),
    reason: 'MODIFIED_AFTER_SIGNING',
    viewerDiffers: true,
    pdfsigAccepts: true,
  },
  {
    name: "a countersignature that moved its field's rectangle (re-signed)",
    from: 'two',
    forge: (pdf) =>
      signLast(
        sameLengthEdit(pdf, '/Rect [ 300 60 540 140 ]', '/Rect [ 000 00 595 842 ]'),
        signerOf(bo),
      ),
    reason: 'MODIFIED_AFTER_SIGNING',
    viewerDiffers: true,
    pdfsigAccepts: true,
  },
  {
    name: 'a countersignature whose own CMS does not verify',
    from: 'two',
    forge: cmsValueFlipped,
    reason: 'SIGNATURE_INVALID',
    viewerDiffers: false,
  },
  {
    name: 'a countersignature whose /M is not a date (copied into the update it is compared with)',
    from: 'two',
    forge: (pdf) => {
      const file = anatomy(pdf).file;
      const field = file.signatureFields(file.last.number).find((f) => f.name === 'Signature2')!;
      const time = String(field.sig!.get(PDFName.of('M')));
      return signLast(sameLengthEdit(pdf, time, `${time.slice(0, -2)} )`), signerOf(bo));
    },
    reason: 'MODIFIED_AFTER_SIGNING',
    viewerDiffers: false,
    pdfsigAccepts: true,
  },
  {
    name: "the first signature's /Contents padded with characters that are not hex",
    from: 'awaiting',
    forge: (pdf) => {
      const file = anatomy(pdf).file;
      const field = file.signatureFields(file.last.number).find((f) => f.name === 'Signature1')!;
      const span = file.signatureValue(field, file.last.number).contentsSpan!;
      const out = Buffer.from(pdf);
      out.write('zRzE', span.end - 5, 'latin1');
      return out;
    },
    // No hex digits: pdf-lib reads them as 0, poppler skips them.
    reason: 'AMBIGUOUS_STRUCTURE',
    viewerDiffers: false, // nothing shown changes: the file is malleable, readers disagree on it
  },
  {
    name: 'NUL bytes after the last revision (readers that look for startxref near the end rebuild)',
    from: 'two',
    forge: (pdf) => Buffer.concat([pdf, Buffer.alloc(3000)]),
    reason: 'MODIFIED_AFTER_SIGNING',
    viewerDiffers: false,
  },
  {
    name: 'one end-of-line more after the last %%EOF',
    from: 'two',
    forge: (pdf) => Buffer.concat([pdf, Buffer.from('\n')]),
    reason: 'MODIFIED_AFTER_SIGNING',
    viewerDiffers: false,
  },
  {
    name: 'bytes appended after the last revision',
    from: 'two',
    forge: (pdf) => Buffer.concat([pdf, Buffer.from('\n1 0 obj (x) endobj\n')]),
    reason: 'MODIFIED_AFTER_SIGNING',
    viewerDiffers: false,
  },
];

describe('a signature value shown by two fields', () => {
  it('taints both: the field it was first seen on names the other, and the other names it', async () => {
    const forged = fieldShowing(
      genuine.one,
      sigRefOf(genuine.one, 'Signature1'),
      'FORGED: SECOND ACCREDITOR',
    );
    const { signatures } = await verifyPdf(forged, trust);
    expect(signatures.map((s) => [s.field, s.reason, s.detail])).toEqual([
      ['Signature1', 'SHARED_SIGNATURE_VALUE', 'another field (Signature3) shows this signature'],
      ['Signature3', 'SHARED_SIGNATURE_VALUE', 'the field shows the same signature as Signature1'],
    ]);
  });

  it('the countersignature shown again taints the countersignature, not the first signature', async () => {
    const forged = fieldShowing(
      genuine.two,
      sigRefOf(genuine.two, 'Signature2'),
      'FORGED: THIRD ACCREDITOR',
    );
    const { signatures } = await verifyPdf(forged, trust);
    expect(signatures.map((s) => [s.field, s.reason])).toEqual([
      ['Signature1', 'MODIFIED_AFTER_SIGNING'],
      ['Signature2', 'SHARED_SIGNATURE_VALUE'],
      ['Signature3', 'SHARED_SIGNATURE_VALUE'],
    ]);
    expect(signatures[1]!.detail).toBe('another field (Signature3) shows this signature');
    expect(signatures[2]!.detail).toBe('the field shows the same signature as Signature2');
  });
});

describe('forged letters, by class, against pdfsig and pdf.js', () => {
  for (const [i, row] of rows.entries()) {
    it(row.name, async () => {
      const source = genuine[row.from];
      const forged = await row.forge(source);
      const ours: PdfVerification = await verifyPdf(forged, trust);
      expect(
        ours.reason,
        JSON.stringify(ours.signatures.map((s) => [s.field, s.reason, s.detail])),
      ).toBe(row.reason);
      expect(ours.valid).toBe(false);
      expect(ours.status).not.toBe('valid');
      if (MUTATION) {
        return; // the comparisons below judge the forgery, not our code
      }
      const file = join(folder.path, `forged-${i}.pdf`);
      writeFileSync(file, forged);
      const report = pdfsigReport(
        spawnSync('pdfsig', ['-nssdir', nss, file], { encoding: 'utf8' }).stdout,
      );
      expect(pdfsigAccepts(report), JSON.stringify(report)).toBe(row.pdfsigAccepts ?? false);
      const shown = await viewerReading(forged);
      const signed = await viewerReading(source);
      // A viewer (pdf.js or poppler) shows something other than what was signed.
      const differs = shown.pdfjs !== signed.pdfjs || shown.poppler !== signed.poppler;
      expect(differs, JSON.stringify({ shown, signed }).slice(0, 2000)).toBe(row.viewerDiffers);
    });
  }

  it('the genuine letters: one signature valid; awaiting its countersignature; two valid', async () => {
    expect(await verifyPdf(genuine.one, trust)).toMatchObject({
      valid: true,
      status: 'valid',
      indication: 'TOTAL_PASSED',
      unsignedFields: [],
    });
    expect(await verifyPdf(genuine.awaiting, trust)).toMatchObject({
      valid: false,
      status: 'awaiting_countersignature',
      indication: 'TOTAL_PASSED',
      reason: null,
      unsignedFields: ['Signature2'],
    });
    const two = await verifyPdf(genuine.two, trust);
    expect(two).toMatchObject({ valid: true, status: 'valid', unsignedFields: [] });
    expect(two.signatures.map((s) => [s.field, s.status, s.revision])).toEqual([
      ['Signature1', 'valid', 2],
      ['Signature2', 'valid', 3],
    ]);
  });

  it('a field that cannot be read does not hide the report of the others', async () => {
    // The countersignature's ByteRange made to skip a byte: it fails on its own, and the first
    // signature is still reported, for its own reason (its revision was followed by a change).
    const out = sameLengthEdit(genuine.two, '/ByteRange [0 0000', '/ByteRange [1 0000');
    const result = await verifyPdf(out, trust);
    expect(result.signatures.map((s) => [s.field, s.reason])).toEqual([
      ['Signature1', 'MODIFIED_AFTER_SIGNING'],
      ['Signature2', 'MALFORMED_SIGNATURE'],
    ]);
    expect(result.signatures[0]!.signer?.subject).toBe(anne.cert.subject);
  });
});

/** An NSS database holding `party`'s key and certificate (nickname `nick`) for pdfsig to sign with. */
function nssWithKey(dir: string, party: Party, nick: string): string {
  mkdirSync(dir, { recursive: true });
  const key = join(dir, 'key.pem');
  writeFileSync(
    key,
    createPrivateKey({ key: party.key, format: 'der', type: 'pkcs8' }).export({
      type: 'pkcs8',
      format: 'pem',
    }),
  );
  writeFileSync(join(dir, 'cert.pem'), party.pem);
  writeFileSync(join(dir, 'chain.pem'), `${ca.pem}${root.pem}`);
  const p12 = join(dir, 'key.p12');
  execFileSync('openssl', [
    'pkcs12',
    '-export',
    '-inkey',
    key,
    '-in',
    join(dir, 'cert.pem'),
    '-certfile',
    join(dir, 'chain.pem'),
    '-name',
    nick,
    '-passout',
    'pass:x',
    '-out',
    p12,
  ]);
  execFileSync('certutil', ['-N', '-d', `sql:${dir}`, '--empty-password']);
  execFileSync('pk12util', ['-i', p12, '-d', `sql:${dir}`, '-W', 'x'], { stdio: 'pipe' });
  return `sql:${dir}`;
}

/** pdfsig (poppler over NSS) adds a signature to `pdf` with the key named `nick`. */
function popplerSigns(
  pdf: Buffer,
  nssdir: string,
  nick: string,
  extra: string[] = [],
  env: NodeJS.ProcessEnv = process.env,
): Buffer {
  const input = join(folder.path, `to-sign-${nick}.pdf`);
  const output = join(folder.path, `signed-by-poppler-${nick}-${extra.join('')}.pdf`);
  writeFileSync(input, pdf);
  const run = spawnSync(
    'pdfsig',
    [
      '-add-signature',
      '-nssdir',
      nssdir,
      '-nick',
      nick,
      '-new-signature-field-name',
      'Sig1',
      ...extra,
      input,
      output,
    ],
    { encoding: 'utf8', env },
  );
  expect(
    existsSync(output),
    `${run.status} ${String(run.signal)} ${run.stderr} ${run.stdout}`,
  ).toBe(true);
  return readFileSync(output);
}

describe('letters from other tools verify when they are genuine', () => {
  it('signed by poppler/NSS (adbe.pkcs7.detached, the certificate carried twice)', async () => {
    const nssdir = nssWithKey(join(folder.path, 'nss-anne'), anne, 'anne');
    // (poppler 22.12 signs only adbe.pkcs7.detached: `-etsi` is not supported with -add-signature.)
    for (const extra of [[]]) {
      const signed = popplerSigns(await letter(), nssdir, 'anne', extra);
      const result = await verifyPdf(signed, trust);
      expect(result, JSON.stringify(result.signatures.map((x) => x.detail))).toMatchObject({
        valid: true,
        status: 'valid',
        indication: 'TOTAL_PASSED',
      });
      expect(result.signatures.map((x) => [x.field, x.signer?.subject])).toEqual([
        ['Sig1', anne.cert.subject],
      ]);
      // And the same letter with a page changed afterwards is refused, as pdfsig refuses it.
      const edited = appendUpdate(signed, [
        { num: contentStreamOf(signed), body: stream('DECISION: REFUSED') },
      ]);
      expect((await verifyPdf(edited, trust)).reason).toBe('MODIFIED_AFTER_SIGNING');
    }
  });

  it('a CMS made by OpenSSL with a key on a PKCS#11 token (SoftHSM2), in a letter', async () => {
    const dir = join(folder.path, 'hsm');
    mkdirSync(join(dir, 'tokens'), { recursive: true });
    const conf = join(dir, 'softhsm2.conf');
    writeFileSync(
      conf,
      `directories.tokendir = ${join(dir, 'tokens')}\nobjectstore.backend = file\n`,
    );
    const module = '/usr/lib/softhsm/libsofthsm2.so';
    const env = { ...process.env, SOFTHSM2_CONF: conf, PKCS11_MODULE_PATH: module };
    const tool = (...args: string[]) =>
      execFileSync('pkcs11-tool', ['--module', module, ...args], { env, stdio: 'pipe' });
    execFileSync(
      'softhsm2-util',
      ['--init-token', '--free', '--label', 'awb', '--pin', '123456', '--so-pin', '654321'],
      { env, stdio: 'pipe' },
    );
    tool(
      '--login',
      '--pin',
      '123456',
      '--keypairgen',
      '--key-type',
      'rsa:2048',
      '--id',
      '01',
      '--label',
      'carl',
    );
    tool('--read-object', '--type', 'pubkey', '--id', '01', '-o', join(dir, 'pub.der'));
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: '0c01',
      subject: 'CN=Carl Token, O=Authority, C=DK',
      issuer: ca.cert.subjectName,
      notBefore: new Date(Date.now() - 86_400_000),
      notAfter: new Date(Date.now() + 365 * 86_400_000),
      publicKey: new Uint8Array(readFileSync(join(dir, 'pub.der'))),
      signingKey: ca.signingKey,
      signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        await x509.AuthorityKeyIdentifierExtension.create(ca.cert, false),
      ],
    });
    writeFileSync(join(dir, 'carl.pem'), cert.toString('pem'));
    writeFileSync(join(dir, 'ca.pem'), ca.pem);
    // The letter laid out for a signature (any signer: only its /Contents is replaced below).
    const laidOut = await sign(await letter(), anne, 'Signature1');
    const file = anatomy(laidOut).file;
    const field = file.signatureFields(file.last.number)[0]!;
    const span = file.signatureValue(field, file.last.number).contentsSpan!;
    const signedBytes = join(dir, 'signed-bytes');
    writeFileSync(
      signedBytes,
      Buffer.concat([laidOut.subarray(0, span.start), laidOut.subarray(span.end)]),
    );
    // OpenSSL signs those bytes with the token's key: a detached CMS of its own making.
    execFileSync(
      'openssl',
      [
        'cms',
        '-sign',
        '-binary',
        '-md',
        'sha256',
        '-engine',
        'pkcs11',
        '-keyform',
        'engine',
        '-inkey',
        'pkcs11:token=awb;object=carl;type=private;pin-value=123456',
        '-signer',
        join(dir, 'carl.pem'),
        '-certfile',
        join(dir, 'ca.pem'),
        '-in',
        signedBytes,
        '-outform',
        'DER',
        '-out',
        join(dir, 'cms.der'),
      ],
      { env, stdio: 'pipe' },
    );
    const cms = readFileSync(join(dir, 'cms.der')).toString('hex');
    const signed = Buffer.from(laidOut);
    signed.fill(0x30, span.start + 1, span.end - 1);
    signed.write(cms, span.start + 1, 'latin1');
    const result = await verifyPdf(signed, trust);
    expect(result, JSON.stringify(result.signatures.map((x) => x.detail))).toMatchObject({
      valid: true,
      status: 'valid',
    });
    // OpenSSL's CMS carries a signing-time: valid CMS, not PAdES baseline B-B, and said so.
    expect(result.signatures[0]).toMatchObject({
      signer: { subject: 'CN=Carl Token, O=Authority, C=DK' },
      level: 'CMS',
      warnings: ['NOT_PADES'],
    });
  });

  it('a linearized letter with object streams, signed by poppler', async () => {
    const input = join(folder.path, 'plain-for-poppler.pdf');
    const output = join(folder.path, 'linearized-for-poppler.pdf');
    writeFileSync(input, await letter());
    execFileSync('qpdf', ['--linearize', '--object-streams=generate', input, output]);
    const nssdir = nssWithKey(join(folder.path, 'nss-anne-2'), anne, 'anne');
    const signed = popplerSigns(readFileSync(output), nssdir, 'anne');
    expect(await verifyPdf(signed, trust)).toMatchObject({ valid: true, status: 'valid' });
  });

  it('a letter rewritten by qpdf --linearize --object-streams=generate, then signed and countersigned', async () => {
    const input = join(folder.path, 'plain.pdf');
    const output = join(folder.path, 'linearized.pdf');
    writeFileSync(input, await letter());
    execFileSync('qpdf', ['--linearize', '--object-streams=generate', input, output]);
    const linearized = readFileSync(output);
    const once = await sign(linearized, anne, 'Signature1', true);
    const twice = await sign(once, bo, 'Signature2');
    expect(await verifyPdf(once, trust)).toMatchObject({ status: 'awaiting_countersignature' });
    expect(await verifyPdf(twice, trust)).toMatchObject({ valid: true, status: 'valid' });
    const file = join(folder.path, 'linearized-signed.pdf');
    writeFileSync(file, twice);
    const report = pdfsigReport(
      spawnSync('pdfsig', ['-nssdir', nss, file], { encoding: 'utf8' }).stdout,
    );
    expect(pdfsigAccepts(report), JSON.stringify(report)).toBe(true);
  });
});
