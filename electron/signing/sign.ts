/**
 * Signs PDFs as incremental updates, so every earlier signature stays intact: the document's
 * bytes are kept, and the update appends the signature dictionary, its field and widget (a
 * visible block), the page's and the form's updated lists, a cross-reference section and a
 * trailer. The CMS is PAdES baseline B-B (cms.ts) under SubFilter ETSI.CAdES.detached; the time
 * goes in /M.
 *
 * Where the blocks go: a document laid out with a signatures section reserves empty boxes for
 * them (the layout marks each with a link annotation `awb-signature-slot:N`, and
 * `prepareForSigning` reads their rectangles and removes the marks), so no block ever covers
 * text. The first signer can also reserve further boxes as empty signature fields, which a
 * countersigner later fills with their own signature and appearance.
 *
 * Longer than 500 lines: the writer of a signature field, its appearance and the incremental
 * update the verifier regenerates and compares: one layout, read by both from one place.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFRef,
  PDFContext,
  PDFRawStream,
  PDFString,
  StandardFontEmbedder,
  StandardFonts,
  type PDFObject,
} from 'pdf-lib';
import { pdfSafe, SIGNATURE_SLOT_SCHEME as SLOT_SCHEME } from '../../shared/documents';
import { translate } from '../../shared/i18n';
import { buildPadesCms, type CmsSigner } from './cms';
import { PdfFile } from './pdf-structure';

/** A reserved box: page index (0-based) and rectangle [x1, y1, x2, y2] in PDF points. */
export interface SignatureSlot {
  page: number;
  rect: [number, number, number, number];
}

export interface Appearance {
  title: string;
  lines: string[];
}

/**
 * Reads the signature slots the layout reserved and removes their marks: the returned PDF is
 * what gets signed (and what a draft preview shows).
 */
export async function prepareForSigning(
  pdf: Uint8Array,
): Promise<{ pdf: Buffer; slots: SignatureSlot[] }> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const slots: { index: number; slot: SignatureSlot }[] = [];
  doc.getPages().forEach((page, pageIndex) => {
    const annots = page.node.Annots();
    if (!annots) {
      return;
    }
    const keep: PDFObject[] = [];
    for (const item of annots.asArray()) {
      const annot = doc.context.lookup(item);
      const action = annot instanceof PDFDict ? annot.lookup(PDFName.of('A')) : undefined;
      const uri = action instanceof PDFDict ? action.lookup(PDFName.of('URI')) : undefined;
      const text = uri instanceof PDFString || uri instanceof PDFHexString ? uri.decodeText() : '';
      if (annot instanceof PDFDict && text.startsWith(SLOT_SCHEME)) {
        const rect = annot.lookup(PDFName.of('Rect'), PDFArray).asArray();
        slots.push({
          index: Number(text.slice(SLOT_SCHEME.length)),
          slot: {
            page: pageIndex,
            rect: rect.map((n) => (n as PDFNumber).asNumber()) as SignatureSlot['rect'],
          },
        });
        if (item instanceof PDFRef) {
          doc.context.delete(item);
        }
      } else {
        keep.push(item);
      }
    }
    if (keep.length) {
      page.node.set(PDFName.of('Annots'), doc.context.obj(keep));
    } else {
      page.node.delete(PDFName.of('Annots'));
    }
  });
  const out = Buffer.from(
    await doc.save({ useObjectStreams: false, updateFieldAppearances: false }),
  );
  return { pdf: out, slots: slots.sort((a, b) => a.index - b.index).map((s) => s.slot) };
}

const bytesOf = (object: PDFObject): Uint8Array => {
  const out = new Uint8Array(object.sizeInBytes());
  object.copyBytesInto(out, 0);
  return out;
};

/** A PDF date for /M: D:YYYYMMDDHHmmSSZ. */
function pdfDate(date: Date): string {
  return `D:${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
}

/** An appearance's text as written in the stream: each line a hex string in the font's encoding. */
export interface EncodedAppearance {
  title: string;
  lines: string[];
}

type FontName = Parameters<typeof StandardFontEmbedder.for>[0];

// pdf-lib's two font-name enums hold the same strings.
const REGULAR = StandardFontEmbedder.for(StandardFonts.Helvetica as unknown as FontName);
const BOLD = StandardFontEmbedder.for(StandardFonts.HelveticaBold as unknown as FontName);

/** The baseline of body line `i` in a box `height` high, and how many lines fit above 2 pt. */
const lineY = (height: number, i: number) => height - 27 - i * 11;
const linesThatFit = (height: number) => Math.max(0, Math.floor((height - 27 - 2) / 11) + 1);

/**
 * The title and the lines that fit in the box, in the fonts' encoding, each shortened with "..."
 * until it fits `width`: nothing is drawn outside the box the field reserved.
 */
function encodeAppearance(
  appearance: Appearance,
  width: number,
  height: number,
): EncodedAppearance {
  const regular = REGULAR;
  const bold = BOLD;
  const fit = (embedder: StandardFontEmbedder, text: string, size: number): string => {
    const safe = pdfSafe(text);
    let shown = safe;
    for (let n = safe.length; n > 0 && embedder.widthOfTextAtSize(shown, size) > width - 16; n--) {
      shown = `${safe.slice(0, n)}...`;
    }
    return embedder.encodeText(shown).toString();
  };
  return {
    title: fit(bold, appearance.title, 9),
    lines: appearance.lines.slice(0, linesThatFit(height)).map((line) => fit(regular, line, 8)),
  };
}

/** A hex string in a standard font's WinAnsi encoding, back to its text (null: a code it lacks). */
function decodeWinAnsi(embedder: StandardFontEmbedder, hex: string): string | null {
  const mappings = (
    embedder as unknown as { encoding: { unicodeMappings: Record<number, [number, string]> } }
  ).encoding.unicodeMappings;
  const byCode = new Map<number, number>();
  for (const [codePoint, [code]] of Object.entries(mappings)) {
    byCode.set(code, Number(codePoint));
  }
  const codes = Buffer.from(hex.slice(1, -1), 'hex');
  const points = [...codes].map((c) => byCode.get(c));
  return points.every((p) => p !== undefined) ? String.fromCodePoint(...points) : null;
}

/** Whether an encoded text fits the block's width at `size`, as `fit` would have it. */
function fits(embedder: StandardFontEmbedder, hex: string, size: number, width: number): boolean {
  const text = decodeWinAnsi(embedder, hex);
  return text !== null && embedder.widthOfTextAtSize(text, size) <= width - 16;
}

/** The content of the visible block: a framed box, a bold title and lines of text. */
function appearanceOps(width: number, height: number, text: EncodedAppearance): string {
  return [
    'q',
    '0.96 0.97 0.99 rg',
    `0 0 ${width} ${height} re f`,
    '0.04 0.31 0.54 RG 1 w',
    `0.5 0.5 ${width - 1} ${height - 1} re S`,
    '0 0 0 rg',
    `BT /F2 9 Tf 8 ${height - 14} Td ${text.title} Tj ET`,
    ...text.lines.map((line, i) => `BT /F1 8 Tf 8 ${lineY(height, i)} Td ${line} Tj ET`),
    'Q',
  ].join('\n');
}

/**
 * Reads back the text of a block `appearanceOps` drew in a box of `width` × `height`: null when
 * the stream is anything else.
 */
export function readAppearance(
  ops: Uint8Array,
  width: number,
  height: number,
): EncodedAppearance | null {
  const lines = Buffer.from(ops).toString('latin1').split('\n');
  const hex = '(<[0-9A-F]*>)';
  const title = new RegExp(`^BT /F2 9 Tf 8 \\S+ Td ${hex} Tj ET$`).exec(lines[6] ?? '');
  const body = lines
    .slice(7, -1)
    .map((l) => new RegExp(`^BT /F1 8 Tf 8 \\S+ Td ${hex} Tj ET$`).exec(l));
  if (!title || body.some((m) => !m)) {
    return null;
  }
  const text = { title: title[1]!, lines: body.map((m) => m![1]!) };
  // Inside the box: no more lines than fit its height, no text wider than it.
  if (
    text.lines.length > linesThatFit(height) ||
    !fits(BOLD, text.title, 9, width) ||
    text.lines.some((line) => !fits(REGULAR, line, 8, width))
  ) {
    return null;
  }
  // Everything else (the box, the positions) must be exactly what would be drawn.
  return appearanceOps(width, height, text) === lines.join('\n') ? text : null;
}

/** The block a field reserved for a countersignature shows until it is signed, per language. */
export const AWAITING: Record<'da' | 'en', Appearance> = {
  da: {
    title: translate('da', 'doc.signature.countersignature'),
    lines: [
      translate('da', 'doc.signature.awaiting'),
      translate('da', 'doc.signature.awaitingUntil'),
    ],
  },
  en: {
    title: translate('en', 'doc.signature.countersignature'),
    lines: [
      translate('en', 'doc.signature.awaiting'),
      translate('en', 'doc.signature.awaitingUntil'),
    ],
  },
};

/** The entries of a dictionary, as pdf-lib names them, in order: what it holds and nothing else. */
const keysOf = (dict: PDFDict | null) =>
  dict
    ? dict
        .keys()
        .map((k) => k.asString())
        .sort()
        .join(' ')
    : null;

/**
 * Whether `object` (as revision `rev` of `file` has it) is the block the workbench draws in a
 * field reserved for a countersignature, in a box of `width` × `height`, exactly: a form XObject
 * of the box's size (no Matrix, no filter, no other entry), whose only resources are the two
 * standard fonts in WinAnsi, drawing the awaiting text of one of the languages — an opaque
 * background over the whole box. The field must show it in the revision its first signer signed,
 * so the block the countersignature draws there hides nothing that signer saw: not a transparent
 * block, not one whose colours or fonts are redefined, not one whose text is the letter's own.
 */
export function isAwaitingBlock(
  file: PdfFile,
  object: PDFObject | undefined,
  rev: number,
  width: number,
  height: number,
): boolean {
  if (!(object instanceof PDFRawStream)) {
    return false;
  }
  const { dict } = object;
  const name = (o: PDFObject | undefined) => (o instanceof PDFName ? o.asString() : null);
  const bbox = dict.get(PDFName.of('BBox'));
  const numbers =
    bbox instanceof PDFArray && bbox.asArray().every((n) => n instanceof PDFNumber)
      ? bbox.asArray().map((n) => (n as PDFNumber).asNumber())
      : [];
  const resources = file.dict(dict.get(PDFName.of('Resources')), rev);
  const fonts = file.dict(resources?.get(PDFName.of('Font')), rev);
  const font = (key: string, base: string) => {
    const f = file.dict(fonts?.get(PDFName.of(key)), rev);
    return (
      keysOf(f) === '/BaseFont /Encoding /Subtype /Type' &&
      name(f!.get(PDFName.of('Type'))) === '/Font' &&
      name(f!.get(PDFName.of('Subtype'))) === '/Type1' &&
      name(f!.get(PDFName.of('BaseFont'))) === `/${base}` &&
      name(f!.get(PDFName.of('Encoding'))) === '/WinAnsiEncoding'
    );
  };
  const ops = Buffer.from(object.contents).toString('latin1');
  return (
    keysOf(dict) === '/BBox /Length /Resources /Subtype /Type' &&
    name(dict.get(PDFName.of('Type'))) === '/XObject' &&
    name(dict.get(PDFName.of('Subtype'))) === '/Form' &&
    numbers.join(' ') === `0 0 ${width} ${height}` &&
    keysOf(resources) === '/Font' &&
    keysOf(fonts) === '/F1 /F2' &&
    font('F1', 'Helvetica') &&
    font('F2', 'Helvetica-Bold') &&
    Object.values(AWAITING).some(
      (text) => ops === appearanceOps(width, height, encodeAppearance(text, width, height)),
    )
  );
}

/** The visible block as a form XObject of the box's size, using the two fonts. */
function appearanceStream(
  context: PDFContext,
  rect: SignatureSlot['rect'],
  text: EncodedAppearance,
  fonts: { regular: PDFRef; bold: PDFRef },
): PDFObject {
  const width = rect[2] - rect[0];
  const height = rect[3] - rect[1];
  return context.stream(appearanceOps(width, height, text), {
    Type: 'XObject',
    Subtype: 'Form',
    BBox: [0, 0, width, height],
    Resources: { Font: { F1: fonts.regular, F2: fonts.bold } },
  });
}

/** The two standard fonts a block uses, as objects of their own. */
function fontObjects(context: PDFContext): { regular: PDFObject; bold: PDFObject } {
  const font = (base: string) =>
    context.obj({ Type: 'Font', Subtype: 'Type1', BaseFont: base, Encoding: 'WinAnsiEncoding' });
  return { regular: font('Helvetica'), bold: font('Helvetica-Bold') };
}

export interface SignOptions {
  /** The field to sign: a new field in `slot`, or an empty field reserved earlier. */
  field: string;
  slot?: SignatureSlot;
  appearance: Appearance;
  name: string;
  reason: string;
  location: string;
  signingTime: Date;
  /**
   * Empty signature fields to reserve for later signers (countersignatures), each showing the
   * awaiting block in the letter's language until it is signed.
   */
  reserve?: { field: string; slot: SignatureSlot; language: 'da' | 'en' }[];
}

/** What the signature dictionary says besides its ByteRange and /Contents. */
export interface SignatureText {
  /** /M as written: a PDF date. */
  time: string;
  name: string;
  reason: string;
  location: string;
}

/** An update before its signature: new and changed objects, and the number of the signature's. */
interface UpdatePlan {
  changed: Map<number, PDFObject>;
  sigNum: number;
  size: number;
}

const RANGE_WIDTH = 10;

/** The signature dictionary's text up to /Contents' hex digits, and after them. */
function signatureDictionary(text: SignatureText): { before: string; after: string } {
  return {
    before: `<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [0 `,
    after: `> /M ${PDFString.of(text.time).toString()} /Name ${PDFHexString.fromText(text.name).toString()} /Reason ${PDFHexString.fromText(text.reason).toString()} /Location ${PDFHexString.fromText(text.location).toString()} >>`,
  };
}

/**
 * Lays out an update after `original`: its objects in number order (the signature dictionary
 * with its ByteRange written and /Contents as `reserved` zeros), a cross-reference table and a
 * trailer. Returns the file and where /Contents' literal begins (b) and ends (c).
 */
function layout(
  original: Buffer,
  last: PdfFile['last'],
  plan: UpdatePlan,
  text: SignatureText,
  reserved: number,
  secondId: string,
): { out: Buffer; b: number; c: number } {
  const { before, after } = signatureDictionary(text);
  const rangeText = `${'0'.repeat(RANGE_WIDTH)} ${'0'.repeat(RANGE_WIDTH)} ${'0'.repeat(RANGE_WIDTH)}`;
  const middle = `] /Contents <`;
  const parts: Buffer[] = [original.at(-1) === 0x0a ? Buffer.alloc(0) : Buffer.from('\n')];
  let offset = original.length + parts[0]!.length;
  const offsets = new Map<number, number>();
  let rangeAt = -1;
  let contentsAt = -1;
  const objects = [...plan.changed.keys(), plan.sigNum].sort((a, b) => a - b);
  for (const num of objects) {
    offsets.set(num, offset);
    const head = Buffer.from(`${num} 0 obj\n`);
    let body: Buffer;
    if (num === plan.sigNum) {
      rangeAt = offset + head.length + before.length;
      contentsAt = rangeAt + rangeText.length + middle.length - 1;
      body = Buffer.from(`${before}${rangeText}${middle}${'0'.repeat(reserved)}${after}`, 'latin1');
    } else {
      body = Buffer.from(bytesOf(plan.changed.get(num)!));
    }
    const chunk = Buffer.concat([head, body, Buffer.from('\nendobj\n')]);
    parts.push(chunk);
    offset += chunk.length;
  }
  const xrefAt = offset;
  const xref = ['xref'];
  for (let i = 0; i < objects.length;) {
    let j = i;
    while (j + 1 < objects.length && objects[j + 1] === objects[j]! + 1) {
      j++;
    }
    xref.push(`${objects[i]} ${j - i + 1}`);
    for (let k = i; k <= j; k++) {
      xref.push(`${String(offsets.get(objects[k]!)).padStart(10, '0')} 00000 n\r`);
    }
    i = j + 1;
  }
  const context = PDFContext.create();
  const trailer = context.obj({
    Size: plan.size,
    Root: last.trailer.get(PDFName.of('Root'))!,
    Prev: last.xrefOffset,
  });
  const info = last.trailer.get(PDFName.of('Info'));
  if (info) {
    trailer.set(PDFName.of('Info'), info);
  }
  const id = last.trailer.get(PDFName.of('ID'));
  const firstId = id instanceof PDFArray ? id.get(0) : PDFHexString.of(secondId);
  trailer.set(PDFName.of('ID'), context.obj([firstId, PDFHexString.of(secondId)]));
  parts.push(
    Buffer.from(`${xref.join('\n')}\ntrailer\n`),
    Buffer.from(bytesOf(trailer)),
    Buffer.from(`\nstartxref\n${xrefAt}\n%%EOF\n`),
  );
  const out = Buffer.concat([original, ...parts]);
  // ByteRange: everything but the /Contents literal (its angle brackets included).
  const b = contentsAt;
  const c = contentsAt + reserved + 2;
  const range = [b, c, out.length - c].map((n) => String(n).padStart(RANGE_WIDTH, '0')).join(' ');
  out.write(range, rangeAt, 'latin1');
  return { out, b, c };
}

/**
 * A countersignature's update: the empty field reserved earlier receives its value (/V) and its
 * appearance (/AP), drawn inside the field's own rectangle; two font objects, the appearance and
 * the signature dictionary are new; nothing else is written. Read through the file's
 * cross-reference only (never by scanning), so what is written is what every reader sees.
 */
function countersignPlan(file: PdfFile, field: string, text: EncodedAppearance): UpdatePlan {
  const last = file.last.number;
  const existing = file.signatureFields(last).find((f) => f.name === field);
  if (
    !existing ||
    existing.sig ||
    !existing.fieldRef ||
    existing.widgets[0] !== existing.fieldRef
  ) {
    throw new Error(`the field ${field} is already signed or cannot be filled`);
  }
  // The update is written at generation 0: a field reserved at another generation would be
  // filled beside references that still name the old one (round 20ay: no countersignature to
  // pdfsig, a letter nobody could complete). Refused before anything is signed.
  if (existing.fieldRef.generationNumber !== 0) {
    throw new Error(
      `the field ${field} is written at generation ${existing.fieldRef.generationNumber}: a countersignature writes its update at generation 0`,
    );
  }
  const original = file.lookup(existing.fieldRef, last);
  const rect = original instanceof PDFDict ? original.get(PDFName.of('Rect')) : undefined;
  if (
    !(original instanceof PDFDict) ||
    original instanceof PDFRawStream ||
    !(rect instanceof PDFArray) ||
    rect.size() !== 4 ||
    !rect.asArray().every((n) => n instanceof PDFNumber)
  ) {
    throw new Error(`the field ${field} has no rectangle to sign in`);
  }
  const [x1, y1, x2, y2] = rect.asArray().map((n) => (n as PDFNumber).asNumber());
  const shown = file.dict(original.get(PDFName.of('AP')), last)?.get(PDFName.of('N'));
  if (!isAwaitingBlock(file, file.resolve(shown, last), last, x2! - x1!, y2! - y1!)) {
    throw new Error(
      `the field ${field} was not reserved with a block as the workbench draws one: its box may hide what the first signer saw`,
    );
  }
  const size = file.last.trailer.get(PDFName.of('Size'));
  if (!(size instanceof PDFNumber)) {
    throw new Error('the document has no cross-reference size');
  }
  const context = PDFContext.create();
  let next = size.asNumber();
  const changed = new Map<number, PDFObject>();
  const fonts = fontObjects(context);
  const regular = PDFRef.of(next++);
  const bold = PDFRef.of(next++);
  changed.set(regular.objectNumber, fonts.regular);
  changed.set(bold.objectNumber, fonts.bold);
  const sigNum = next++;
  const ap = PDFRef.of(next++);
  const box = rect.asArray().map((n) => (n as PDFNumber).asNumber()) as SignatureSlot['rect'];
  changed.set(ap.objectNumber, appearanceStream(context, box, text, { regular, bold }));
  const filled = original.clone(context);
  filled.set(PDFName.of('V'), PDFRef.of(sigNum));
  filled.set(PDFName.of('AP'), context.obj({ N: ap }));
  changed.set(existing.fieldRef.objectNumber, filled);
  return { changed, sigNum, size: next };
}

/**
 * The update the workbench writes when it countersigns `original` in `field` (before its CMS
 * goes into /Contents): what the verifier regenerates to compare a later revision with, byte
 * for byte.
 */
export function countersignUpdate(
  original: Buffer,
  input: {
    field: string;
    appearance: EncodedAppearance;
    text: SignatureText;
    reserved: number;
    secondId: string;
  },
): { out: Buffer; b: number; c: number } {
  const file = PdfFile.parse(original);
  const plan = countersignPlan(file, input.field, input.appearance);
  return layout(original, file.last, plan, input.text, input.reserved, input.secondId);
}

/** A first signature (and any fields reserved for later signers), laid out with pdf-lib. */
async function firstSignaturePlan(
  original: Buffer,
  file: PdfFile,
  options: SignOptions,
): Promise<UpdatePlan> {
  const last = file.last;
  const doc = await PDFDocument.load(original, { updateMetadata: false });
  const { context } = doc;
  const size = last.trailer.get(PDFName.of('Size'));
  context.largestObjectNumber = Math.max(
    context.largestObjectNumber,
    (size instanceof PDFNumber ? size.asNumber() : 0) - 1,
  );
  const changed = new Map<number, PDFObject>();
  const put = (ref: PDFRef, object: PDFObject) => {
    context.assign(ref, object);
    changed.set(ref.objectNumber, object);
  };
  const add = (object: PDFObject): PDFRef => {
    const ref = context.register(object);
    changed.set(ref.objectNumber, object);
    return ref;
  };
  const fontObjs = fontObjects(context);
  const fonts = { regular: add(fontObjs.regular), bold: add(fontObjs.bold) };
  const stream = (rect: SignatureSlot['rect'], appearance: Appearance) =>
    add(
      appearanceStream(
        context,
        rect,
        encodeAppearance(appearance, rect[2] - rect[0], rect[3] - rect[1]),
        fonts,
      ),
    );
  const sigRef = context.nextRef();
  const catalog = doc.catalog;
  const pages = doc.getPages();

  // The form: an indirect AcroForm is updated in place; a direct one (or none) through the catalog.
  const formValue = catalog.get(PDFName.of('AcroForm'));
  const form =
    formValue instanceof PDFRef
      ? context.lookup(formValue, PDFDict)
      : formValue instanceof PDFDict
        ? formValue
        : context.obj({});
  const fieldsValue = form.get(PDFName.of('Fields'));
  const fields =
    fieldsValue instanceof PDFRef
      ? context.lookup(fieldsValue, PDFArray)
      : fieldsValue instanceof PDFArray
        ? fieldsValue
        : context.obj([]);
  const pageAnnots = new Map<number, PDFArray>();
  const annotsOf = (index: number): PDFArray => {
    let annots = pageAnnots.get(index);
    if (!annots) {
      const page = pages[index];
      if (!page) {
        throw new Error('the signature slot names a page the document does not have');
      }
      const value = page.node.get(PDFName.of('Annots'));
      annots =
        value instanceof PDFRef
          ? context.lookup(value, PDFArray)
          : value instanceof PDFArray
            ? value
            : context.obj([]);
      pageAnnots.set(index, annots);
    }
    return annots;
  };
  const newField = (
    name: string,
    slot: SignatureSlot,
    appearance: Appearance,
    value: PDFRef | null,
  ) => {
    const widget = context.obj({
      Type: 'Annot',
      Subtype: 'Widget',
      FT: 'Sig',
      F: 4,
      Rect: slot.rect,
      P: pages[slot.page]!.ref,
      AP: { N: stream(slot.rect, appearance) },
    });
    widget.set(PDFName.of('T'), PDFHexString.fromText(name));
    if (value) {
      widget.set(PDFName.of('V'), value);
    }
    const ref = add(widget);
    fields.push(ref);
    annotsOf(slot.page).push(ref);
  };

  const existing = file.signatureFields(last.number).find((f) => f.name === options.field);
  if (existing) {
    if (existing.sig || !existing.fieldRef || existing.widgets[0] !== existing.fieldRef) {
      throw new Error(`the field ${options.field} is already signed or cannot be filled`);
    }
    const fieldDict = context.lookup(existing.fieldRef, PDFDict);
    const rect = fieldDict
      .lookup(PDFName.of('Rect'), PDFArray)
      .asArray()
      .map((n) => (n as PDFNumber).asNumber()) as SignatureSlot['rect'];
    fieldDict.set(PDFName.of('V'), sigRef);
    fieldDict.set(PDFName.of('AP'), context.obj({ N: stream(rect, options.appearance) }));
    put(existing.fieldRef, fieldDict);
  } else {
    if (!options.slot) {
      throw new Error('a new signature field needs a place on a page');
    }
    newField(options.field, options.slot, options.appearance, sigRef);
  }
  for (const r of options.reserve ?? []) {
    newField(r.field, r.slot, AWAITING[r.language], null);
  }
  if (!existing || options.reserve?.length) {
    // Write back what lists the new fields: the field array, the form, the pages' annotations.
    if (fieldsValue instanceof PDFRef) {
      put(fieldsValue, fields);
    } else {
      form.set(PDFName.of('Fields'), fields);
    }
    form.set(PDFName.of('SigFlags'), PDFNumber.of(3));
    if (formValue instanceof PDFRef) {
      put(formValue, form);
    } else {
      catalog.set(PDFName.of('AcroForm'), add(form));
      put(last.trailer.get(PDFName.of('Root')) as PDFRef, catalog);
    }
    for (const [index, annots] of pageAnnots) {
      const page = pages[index]!;
      const value = page.node.get(PDFName.of('Annots'));
      if (value instanceof PDFRef) {
        put(value, annots);
      } else {
        page.node.set(PDFName.of('Annots'), annots);
        put(page.ref, page.node);
      }
    }
  }
  return { changed, sigNum: sigRef.objectNumber, size: context.largestObjectNumber + 1 };
}

/**
 * Signs `pdf` as an incremental update; earlier revisions and signatures are left as they are.
 * Filling a field reserved earlier, with nothing else reserved, is a countersignature: its
 * update is exactly `countersignUpdate`'s, so a verifier can regenerate and compare it.
 */
export async function signPdf(
  pdf: Uint8Array,
  signer: CmsSigner,
  options: SignOptions,
): Promise<Buffer> {
  const original = Buffer.from(pdf);
  const file = PdfFile.parse(original);
  const reserving = (options.reserve?.length ?? 0) > 0;
  const filling = file.signatureFields(file.last.number).find((f) => f.name === options.field);
  let plan: UpdatePlan;
  if (filling && !reserving) {
    const rect = file
      .dict(filling.fieldRef ?? undefined, file.last.number)
      ?.get(PDFName.of('Rect'));
    const box =
      rect instanceof PDFArray && rect.size() === 4
        ? rect.asArray().map((n) => (n instanceof PDFNumber ? n.asNumber() : 0))
        : [0, 0, 0, 0];
    plan = countersignPlan(
      file,
      options.field,
      encodeAppearance(options.appearance, box[2]! - box[0]!, box[3]! - box[1]!),
    );
  } else {
    plan = await firstSignaturePlan(original, file, options);
  }
  const chainBytes = signer.chain.reduce((n, c) => n + c.length, 0);
  const reserved = 2 * (chainBytes + 8192);
  const text: SignatureText = {
    time: pdfDate(options.signingTime),
    name: options.name,
    reason: options.reason,
    location: options.location,
  };
  const { out, b, c } = layout(
    original,
    file.last,
    plan,
    text,
    reserved,
    randomBytes(16).toString('hex'),
  );
  const digest = createHash(signer.hash)
    .update(out.subarray(0, b))
    .update(out.subarray(c))
    .digest();
  const cms = await buildPadesCms(digest, signer);
  const hex = cms.toString('hex');
  if (hex.length > reserved) {
    throw new Error('the signature is larger than the space reserved for it');
  }
  out.write(hex, b + 1, 'latin1');
  return out;
}
