/**
 * The structure of a PDF as a signature verifier must see it: its revisions (one per
 * cross-reference section, following /Prev from the last `startxref`), the objects each revision
 * defines at the offsets its cross-reference gives, the signature fields of each revision, and the
 * exact byte span of every signature dictionary's /Contents.
 *
 * Objects are parsed with pdf-lib's own object parser, positioned at the offsets the
 * cross-reference gives; nothing here searches the file's text for structure. A dictionary with
 * a key twice is refused (two parsers would pick different values), and so is an object whose
 * header does not name the number the cross-reference gave it.
 *
 * What may follow a signed revision is decided in `changesAfter`: a later revision may add
 * signatures (a new signature field with its value, its widget on a page, the AcroForm listing
 * it, or the value of a signature field that was empty) and validation data (/DSS); any other
 * change to an existing object, a deleted object, or bytes outside the structure is reported.
 */
import {
  decodePDFRawStream,
  PDFArray,
  PDFContext,
  PDFDict,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFObjectParser,
  PDFRawStream,
  PDFRef,
  PDFString,
  PDFXRefStreamParser,
  type PDFObject,
} from 'pdf-lib';

export class PdfStructureError extends Error {
  constructor(readonly detail: string) {
    super(`PDF structure: ${detail}`);
    this.name = 'PdfStructureError';
  }
}

const MAX_SECTIONS = 512;
const MAX_FIELDS = 4096;
const MAX_DEPTH = 32;

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));
const KW = {
  xref: ascii('xref'),
  trailer: ascii('trailer'),
  startxref: ascii('startxref'),
  eof: ascii('%%EOF'),
  obj: ascii('obj'),
  endobj: ascii('endobj'),
};

/** Where a hex string literal sits in the file: [start, end) including its angle brackets. */
export interface Span {
  start: number;
  end: number;
}

/**
 * pdf-lib's object parser, positioned by offset, remembering where each hex string sits and
 * refusing dictionaries with a repeated key.
 */
class Lexer extends PDFObjectParser {
  readonly spans = new WeakMap<PDFHexString, Span>();

  constructor(bytes: Uint8Array, context: PDFContext) {
    super(
      // The parser reads from its own byte stream; forBytes builds it over the same array.
      (PDFObjectParser.forBytes(bytes, context) as unknown as { bytes: never }).bytes,
      context,
    );
  }

  get position(): number {
    return this.bytes.offset();
  }

  moveTo(offset: number): void {
    this.bytes.moveTo(offset);
  }

  atEnd(): boolean {
    return this.bytes.done();
  }

  peekByte(): number {
    return this.bytes.peek();
  }

  nextByte(): number {
    return this.bytes.next();
  }

  skip(): void {
    this.skipWhitespaceAndComments();
  }

  int(): number {
    this.skipWhitespaceAndComments();
    return this.parseRawInt();
  }

  keyword(word: number[]): boolean {
    this.skipWhitespaceAndComments();
    return this.matchKeyword(word);
  }

  /** %%EOF looks like a comment to the tokenizer: match it after whitespace only. */
  endOfFile(): boolean {
    this.skipWhitespace();
    return this.matchKeyword(KW.eof);
  }

  object(): PDFObject {
    return this.parseObject();
  }

  protected override parseHexString(): PDFHexString {
    const start = this.bytes.offset();
    const value = super.parseHexString();
    this.spans.set(value, { start, end: this.bytes.offset() });
    return value;
  }

  /** pdf-lib's dictionary parser, refusing a repeated key (it would keep the last silently). */
  protected override parseDict(): PDFDict {
    this.bytes.assertNext(0x3c);
    this.bytes.assertNext(0x3c);
    this.skipWhitespaceAndComments();
    const map = new Map<PDFName, PDFObject>();
    while (!this.bytes.done() && this.bytes.peek() !== 0x3e) {
      const key = this.parseName();
      if (map.has(key)) {
        throw new PdfStructureError(`dictionary repeats the key ${key.asString()}`);
      }
      map.set(key, this.parseObject());
      this.skipWhitespaceAndComments();
    }
    this.bytes.assertNext(0x3e);
    this.bytes.assertNext(0x3e);
    return PDFDict.fromMapWithContext(map, this.context);
  }
}

export interface XrefEntry {
  /** 'n': at a byte offset; 'c': inside an object stream; 'f': free. */
  kind: 'n' | 'c' | 'f';
  offset: number;
  generation: number;
  /** For 'c': the object stream's number and the index in it. */
  stream?: number;
  index?: number;
}

export interface Revision {
  /** 1 for the original document, counting up with each incremental update. */
  number: number;
  /** Byte offset of the revision's cross-reference section. */
  xrefOffset: number;
  /** Byte offset just past this revision's %%EOF (and the end-of-line after it). */
  end: number;
  /** Byte offset where the revision's own content begins (0, or the previous revision's end). */
  start: number;
  trailer: PDFDict;
  /** The cross-reference entries this revision itself wrote. */
  entries: Map<number, XrefEntry>;
}

export interface SignatureField {
  /** The fully qualified field name (T of the field and its parents, joined by '.'). */
  name: string;
  fieldRef: PDFRef | null;
  /** The signature dictionary (the field's /V), when the field is signed. */
  sigRef: PDFRef | null;
  sig: PDFDict | null;
  /** The widget annotations that show the field (the field itself when merged). */
  widgets: PDFRef[];
}

export interface SignatureValue {
  field: string;
  sigRef: PDFRef | null;
  byteRange: number[] | null;
  /** The /Contents hex string's bytes (decoded) and where the literal sits in the file. */
  contents: Uint8Array | null;
  contentsSpan: Span | null;
  subFilter: string | null;
  filter: string | null;
  /** /M, the claimed signing time (not trusted: nothing vouches for it). */
  claimedTime: string | null;
  name: string | null;
  reason: string | null;
  location: string | null;
  /** The revision whose bytes define the signature dictionary. */
  definedIn: number;
}

const name = (o: PDFObject | undefined): string | null =>
  o instanceof PDFName ? o.asString().replace(/^\//, '') : null;

/** Text of a PDF string or hex string, for display only. */
export function textOf(o: PDFObject | undefined): string | null {
  if (o instanceof PDFString || o instanceof PDFHexString) {
    return o.decodeText();
  }
  return null;
}

/** A PDF date (D:YYYYMMDDHHmmSSOHH'mm) as ISO 8601, or null when it is not one. */
export function pdfDate(text: string | null): string | null {
  if (!text) {
    return null;
  }
  const m = /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+-])?(\d{2})?'?(\d{2})?'?$/.exec(
    text.trim(),
  );
  if (!m) {
    return null;
  }
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', sign, oh = '00', om = '00'] = m;
  const offset = !sign || sign === 'Z' || sign === 'z' ? 'Z' : `${sign}${oh}:${om}`;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${offset}`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

export class PdfFile {
  readonly context = PDFContext.create();
  private readonly lexer: Lexer;
  readonly revisions: Revision[];
  private readonly cache = new Map<string, PDFObject>();
  private readonly streamCache = new Map<
    number,
    { offsets: Map<number, number>; bytes: Uint8Array; first: number }
  >();

  constructor(readonly bytes: Uint8Array) {
    this.lexer = new Lexer(bytes, this.context);
    this.revisions = this.readRevisions();
  }

  /** Parses the file's cross-reference chain; a damaged structure throws PdfStructureError. */
  static parse(bytes: Uint8Array): PdfFile {
    try {
      return new PdfFile(bytes);
    } catch (error) {
      if (error instanceof PdfStructureError) {
        throw error;
      }
      throw new PdfStructureError(
        error instanceof Error ? error.message.slice(0, 200) : 'unreadable',
      );
    }
  }

  get last(): Revision {
    return this.revisions.at(-1)!;
  }

  // ---- cross-reference ---------------------------------------------------------------------

  /** The offset named by the last `startxref` of the file (only whitespace may follow %%EOF). */
  private lastStartxref(): number {
    const { bytes } = this;
    let end = bytes.length;
    while (end > 0 && isWhite(bytes[end - 1]!)) {
      end--;
    }
    const tail = Math.max(0, end - 64);
    // The trailer's last lines: "startxref", an integer, "%%EOF". Walk back over them as tokens.
    for (let at = end - KW.eof.length; at >= tail; at--) {
      if (matches(bytes, at, KW.eof)) {
        for (let s = at - KW.startxref.length; s >= Math.max(0, at - 48); s--) {
          if (matches(bytes, s, KW.startxref)) {
            this.lexer.moveTo(s + KW.startxref.length);
            const offset = this.lexer.int();
            if (!this.lexer.endOfFile()) {
              break;
            }
            return offset;
          }
        }
        break;
      }
    }
    throw new PdfStructureError('no startxref at the end of the file');
  }

  /** Reads one cross-reference section (table or stream) and the startxref/%%EOF after it. */
  private readSection(offset: number): {
    entries: Map<number, XrefEntry>;
    trailer: PDFDict;
    end: number;
  } {
    const lx = this.lexer;
    if (offset <= 0 || offset >= this.bytes.length) {
      throw new PdfStructureError('cross-reference offset outside the file');
    }
    lx.moveTo(offset);
    const entries = new Map<number, XrefEntry>();
    let trailer: PDFDict;
    if (lx.keyword(KW.xref)) {
      for (;;) {
        lx.skip();
        if (lx.keyword(KW.trailer)) {
          break;
        }
        const first = lx.int();
        const count = lx.int();
        if (count > 10_000_000) {
          throw new PdfStructureError('cross-reference subsection too large');
        }
        for (let i = 0; i < count; i++) {
          const entryOffset = lx.int();
          const generation = lx.int();
          lx.skip();
          const type = lx.nextByte();
          if (type !== 0x6e && type !== 0x66) {
            throw new PdfStructureError('cross-reference entry is neither n nor f');
          }
          if (!entries.has(first + i)) {
            entries.set(first + i, {
              kind: type === 0x6e ? 'n' : 'f',
              offset: entryOffset,
              generation,
            });
          }
        }
      }
      lx.skip();
      const dict = lx.object();
      if (!(dict instanceof PDFDict)) {
        throw new PdfStructureError('trailer is not a dictionary');
      }
      trailer = dict;
      // A hybrid file: a table plus an XRefStm for the objects in object streams.
      const stm = trailer.get(PDFName.of('XRefStm'));
      if (stm instanceof PDFNumber) {
        const after = lx.position;
        for (const [num, entry] of this.readXrefStream(stm.asNumber()).entries) {
          if (!entries.has(num)) {
            entries.set(num, entry);
          }
        }
        lx.moveTo(after);
      }
    } else {
      const stream = this.readXrefStream(offset);
      for (const [num, entry] of stream.entries) {
        entries.set(num, entry);
      }
      trailer = stream.dict;
      lx.moveTo(stream.after);
    }
    if (!lx.keyword(KW.startxref)) {
      throw new PdfStructureError('no startxref after a cross-reference section');
    }
    lx.int();
    if (!lx.endOfFile()) {
      throw new PdfStructureError('no %%EOF after startxref');
    }
    // One end-of-line after %%EOF belongs to the revision.
    if (lx.peekByte() === 0x0d) {
      lx.nextByte();
    }
    if (!lx.atEnd() && lx.peekByte() === 0x0a) {
      lx.nextByte();
    }
    return { entries, trailer, end: lx.position };
  }

  private readXrefStream(offset: number): {
    entries: Map<number, XrefEntry>;
    dict: PDFDict;
    after: number;
  } {
    const { object, after } = this.readIndirect(offset, null);
    if (!(object instanceof PDFRawStream) || name(object.dict.get(PDFName.of('Type'))) !== 'XRef') {
      throw new PdfStructureError('cross-reference offset points at no xref table or stream');
    }
    const entries = new Map<number, XrefEntry>();
    for (const e of PDFXRefStreamParser.forStream(object).parseIntoContext()) {
      const num = e.ref.objectNumber;
      if (entries.has(num)) {
        continue;
      }
      entries.set(
        num,
        e.deleted
          ? { kind: 'f', offset: 0, generation: e.ref.generationNumber }
          : e.inObjectStream
            ? {
                kind: 'c',
                offset: 0,
                generation: 0,
                stream: e.offset,
                index: e.ref.generationNumber,
              }
            : { kind: 'n', offset: e.offset, generation: e.ref.generationNumber },
      );
    }
    return { entries, dict: object.dict, after };
  }

  private readRevisions(): Revision[] {
    const sections: {
      offset: number;
      entries: Map<number, XrefEntry>;
      trailer: PDFDict;
      end: number;
    }[] = [];
    const seen = new Set<number>();
    let offset: number | null = this.lastStartxref();
    while (offset !== null) {
      if (seen.has(offset) || sections.length >= MAX_SECTIONS) {
        throw new PdfStructureError('cross-reference sections form a loop');
      }
      seen.add(offset);
      const section = this.readSection(offset);
      sections.push({ offset, ...section });
      const prev = section.trailer.get(PDFName.of('Prev'));
      offset = prev instanceof PDFNumber ? prev.asNumber() : null;
    }
    sections.reverse();
    // Each later section must lie after the one before it; a section that does not (the first-page
    // table of a linearised file) is part of the revision it points into.
    const merged: {
      offset: number;
      entries: Map<number, XrefEntry>;
      trailer: PDFDict;
      end: number;
    }[] = [];
    for (const section of sections) {
      const before = merged.at(-1);
      if (before && section.offset < before.end) {
        for (const [num, entry] of section.entries) {
          before.entries.set(num, entry);
        }
        before.trailer = section.trailer;
        before.end = Math.max(before.end, section.end);
        before.offset = section.offset;
      } else {
        merged.push({ ...section, entries: new Map(section.entries) });
      }
    }
    return merged.map((s, i) => ({
      number: i + 1,
      xrefOffset: s.offset,
      end: s.end,
      start: i === 0 ? 0 : merged[i - 1]!.end,
      trailer: s.trailer,
      entries: s.entries,
    }));
  }

  // ---- objects -----------------------------------------------------------------------------

  /** Parses "num gen obj <object> endobj" at `offset`; `expect` is the number the xref gave. */
  private readIndirect(
    offset: number,
    expect: { num: number; gen: number } | null,
  ): { object: PDFObject; num: number; after: number } {
    const lx = this.lexer;
    if (offset <= 0 || offset >= this.bytes.length) {
      throw new PdfStructureError('object offset outside the file');
    }
    lx.moveTo(offset);
    const num = lx.int();
    const gen = lx.int();
    if (!lx.keyword(KW.obj)) {
      throw new PdfStructureError(`no object header at offset ${offset}`);
    }
    if (expect && (expect.num !== num || expect.gen !== gen)) {
      throw new PdfStructureError(
        `the cross-reference names object ${expect.num} at an offset holding object ${num}`,
      );
    }
    lx.skip();
    const object = lx.object();
    if (!lx.keyword(KW.endobj)) {
      throw new PdfStructureError(`object ${num} does not end with endobj`);
    }
    return { object, num, after: lx.position };
  }

  /** The entry for `num` as of revision `rev` (1-based), newest first. */
  entry(num: number, rev: number): { entry: XrefEntry; revision: number } | null {
    for (let r = rev; r >= 1; r--) {
      const entry = this.revisions[r - 1]!.entries.get(num);
      if (entry) {
        return { entry, revision: r };
      }
    }
    return null;
  }

  /** The object `ref` as revision `rev` sees it (undefined when free or absent). */
  lookup(ref: PDFRef, rev: number): PDFObject | undefined {
    const found = this.entry(ref.objectNumber, rev);
    if (!found || found.entry.kind === 'f') {
      return undefined;
    }
    const { entry } = found;
    const key = entry.kind === 'n' ? `n${entry.offset}` : `c${entry.stream}:${entry.index}`;
    let object = this.cache.get(key);
    if (object === undefined) {
      object =
        entry.kind === 'n'
          ? this.readIndirect(entry.offset, { num: ref.objectNumber, gen: entry.generation }).object
          : this.readCompressed(entry.stream!, ref.objectNumber, rev);
      this.cache.set(key, object);
    }
    return object;
  }

  private readCompressed(stream: number, num: number, rev: number): PDFObject {
    let parsed = this.streamCache.get(stream);
    if (!parsed) {
      const container = this.lookup(PDFRef.of(stream), rev);
      if (
        !(container instanceof PDFRawStream) ||
        name(container.dict.get(PDFName.of('Type'))) !== 'ObjStm'
      ) {
        throw new PdfStructureError(`object ${num} points into something that is no object stream`);
      }
      const count = container.dict.get(PDFName.of('N'));
      const first = container.dict.get(PDFName.of('First'));
      if (!(count instanceof PDFNumber) || !(first instanceof PDFNumber)) {
        throw new PdfStructureError('object stream without N or First');
      }
      const bytes = decodePDFRawStream(container).decode();
      const lx = new Lexer(bytes, this.context);
      const offsets = new Map<number, number>();
      for (let i = 0; i < count.asNumber(); i++) {
        offsets.set(lx.int(), lx.int());
      }
      parsed = { offsets, bytes, first: first.asNumber() };
      this.streamCache.set(stream, parsed);
    }
    const at = parsed.offsets.get(num);
    if (at === undefined) {
      throw new PdfStructureError(`object ${num} is not in its object stream`);
    }
    const lx = new Lexer(parsed.bytes, this.context);
    lx.moveTo(parsed.first + at);
    return lx.object();
  }

  /** Follows references (at most a few) to a direct object, as revision `rev` sees it. */
  resolve(object: PDFObject | undefined, rev: number): PDFObject | undefined {
    let current = object;
    for (let i = 0; i < 8 && current instanceof PDFRef; i++) {
      current = this.lookup(current, rev);
    }
    return current instanceof PDFRef ? undefined : current;
  }

  dict(object: PDFObject | undefined, rev: number): PDFDict | null {
    const resolved = this.resolve(object, rev);
    return resolved instanceof PDFDict ? resolved : null;
  }

  /** Where a hex string parsed from this file sits (null for strings in object streams). */
  spanOf(value: PDFHexString): Span | null {
    return this.lexer.spans.get(value) ?? null;
  }

  /** A text entry of the document information dictionary (Title, Keywords…) as of revision `rev`. */
  infoText(key: string, rev: number): string | null {
    const info = this.dict(this.revisions[rev - 1]!.trailer.get(PDFName.of('Info')), rev);
    return info ? textOf(this.resolve(info.get(PDFName.of(key)), rev)) : null;
  }

  catalog(rev: number): PDFDict | null {
    return this.dict(this.revisions[rev - 1]!.trailer.get(PDFName.of('Root')), rev);
  }

  // ---- signature fields --------------------------------------------------------------------

  /** Every signature field of revision `rev`, signed or not. */
  signatureFields(rev: number): SignatureField[] {
    const acroForm = this.dict(this.catalog(rev)?.get(PDFName.of('AcroForm')), rev);
    const fields = this.resolve(acroForm?.get(PDFName.of('Fields')), rev);
    const out: SignatureField[] = [];
    if (!(fields instanceof PDFArray)) {
      return out;
    }
    let visited = 0;
    const walk = (
      item: PDFObject,
      parentName: string,
      parentType: string | null,
      depth: number,
    ) => {
      if (depth > MAX_DEPTH || ++visited > MAX_FIELDS) {
        throw new PdfStructureError('form fields nested too deeply or too many');
      }
      const ref = item instanceof PDFRef ? item : null;
      const field = this.dict(item, rev);
      if (!field) {
        return;
      }
      const own = textOf(this.resolve(field.get(PDFName.of('T')), rev));
      const fullName = own === null ? parentName : parentName ? `${parentName}.${own}` : own;
      const type = name(this.resolve(field.get(PDFName.of('FT')), rev)) ?? parentType;
      const kids = this.resolve(field.get(PDFName.of('Kids')), rev);
      // Kids that carry a /T are fields; kids without one are widgets of this field.
      const kidFields: PDFObject[] = [];
      const widgets: PDFRef[] = [];
      if (kids instanceof PDFArray) {
        for (const kid of kids.asArray()) {
          const k = this.dict(kid, rev);
          if (k?.has(PDFName.of('T'))) {
            kidFields.push(kid);
          } else if (kid instanceof PDFRef) {
            widgets.push(kid);
          }
        }
      } else if (ref) {
        widgets.push(ref); // field and widget merged
      }
      for (const kid of kidFields) {
        walk(kid, fullName, type, depth + 1);
      }
      if (type === 'Sig' && kidFields.length === 0) {
        const v = field.get(PDFName.of('V'));
        out.push({
          name: fullName,
          fieldRef: ref,
          sigRef: v instanceof PDFRef ? v : null,
          sig: this.dict(v, rev),
          widgets,
        });
      }
    };
    for (const item of fields.asArray()) {
      walk(item, '', null, 0);
    }
    return out;
  }

  /** The signed values of revision `rev` with their byte ranges and /Contents spans. */
  signatureValues(rev: number): SignatureValue[] {
    return this.signatureFields(rev)
      .filter((f) => f.sig)
      .map((f) => {
        const sig = f.sig!;
        const br = this.resolve(sig.get(PDFName.of('ByteRange')), rev);
        const byteRange =
          br instanceof PDFArray &&
          br.size() === 4 &&
          br.asArray().every((n) => n instanceof PDFNumber)
            ? br.asArray().map((n) => (n as PDFNumber).asNumber())
            : null;
        // /Contents must be written in the dictionary itself: an indirect one sits elsewhere.
        const raw = sig.get(PDFName.of('Contents'));
        const contentsSpan = raw instanceof PDFHexString ? this.spanOf(raw) : null;
        const definedIn = f.sigRef
          ? (this.entry(f.sigRef.objectNumber, rev)?.revision ?? rev)
          : f.fieldRef
            ? (this.entry(f.fieldRef.objectNumber, rev)?.revision ?? rev)
            : rev;
        return {
          field: f.name,
          sigRef: f.sigRef,
          byteRange,
          contents: raw instanceof PDFHexString ? raw.asBytes() : null,
          contentsSpan,
          subFilter: name(this.resolve(sig.get(PDFName.of('SubFilter')), rev)),
          filter: name(this.resolve(sig.get(PDFName.of('Filter')), rev)),
          claimedTime: pdfDate(textOf(this.resolve(sig.get(PDFName.of('M')), rev))),
          name: textOf(this.resolve(sig.get(PDFName.of('Name')), rev)),
          reason: textOf(this.resolve(sig.get(PDFName.of('Reason')), rev)),
          location: textOf(this.resolve(sig.get(PDFName.of('Location')), rev)),
          definedIn,
        };
      });
  }

  // ---- what changed after a revision -------------------------------------------------------

  /**
   * Checks the bytes of revision `rev` (after the previous one) are nothing but indirect
   * objects its cross-reference lists at their offsets, the cross-reference itself and the
   * trailer: data hidden between them is refused.
   */
  private accountedFor(rev: number): string | null {
    const r = this.revisions[rev - 1]!;
    const lx = this.lexer;
    const listed = new Map<number, number>();
    for (const [num, e] of r.entries) {
      if (e.kind === 'n') {
        listed.set(e.offset, num);
      }
    }
    lx.moveTo(r.start);
    if (rev === 1) {
      return null; // the original document is covered by whatever signs it
    }
    while (lx.position < r.end) {
      lx.skip();
      const at = lx.position;
      if (at >= r.end) {
        break;
      }
      if (at === r.xrefOffset) {
        return null; // the rest was read as the cross-reference section
      }
      const num = listed.get(at);
      if (num === undefined) {
        return `bytes at offset ${at} are not an object of this revision`;
      }
      this.readIndirect(at, { num, gen: r.entries.get(num)!.generation });
    }
    return null;
  }

  /**
   * Whether revision `rev` only adds signatures and validation data to revision `rev - 1`.
   * Returns null when it does, or what else it changes.
   */
  changesAfter(rev: number): string | null {
    const before = rev - 1;
    const r = this.revisions[rev - 1]!;
    const stray = this.accountedFor(rev);
    if (stray) {
      return stray;
    }
    const oldTrailer = this.revisions[before - 1]!.trailer;
    const oldRoot = oldTrailer.get(PDFName.of('Root'));
    if (!(oldRoot instanceof PDFRef) || r.trailer.get(PDFName.of('Root')) !== oldRoot) {
      return 'the document catalog was replaced';
    }
    for (const key of ['Info', 'Encrypt']) {
      if (!same(oldTrailer.get(PDFName.of(key)), r.trailer.get(PDFName.of(key)))) {
        return `the trailer's ${key} changed`;
      }
    }
    const oldCatalog = this.catalog(before);
    const oldAcroRef = oldCatalog?.get(PDFName.of('AcroForm'));
    const oldFieldsRef = this.dict(oldAcroRef, before)?.get(PDFName.of('Fields'));
    const oldSig = this.signatureFields(before);
    const emptySig = new Set(
      oldSig
        .filter((f) => !f.sig)
        .flatMap((f) => [
          ...(f.fieldRef ? [f.fieldRef.objectNumber] : []),
          ...f.widgets.map((w) => w.objectNumber),
        ]),
    );
    const pages = this.pageRefs(before);
    const signedNow = new Set(
      this.signatureFields(rev)
        .filter((f) => f.sig)
        .flatMap((f) => [
          ...(f.fieldRef ? [f.fieldRef.objectNumber] : []),
          ...f.widgets.map((w) => w.objectNumber),
        ]),
    );
    // Which existing objects may change at all, and in which keys.
    for (const [num, entry] of r.entries) {
      const prior = this.entry(num, before);
      const existed = prior !== null && prior.entry.kind !== 'f';
      if (entry.kind === 'f') {
        if (existed) {
          return `object ${num} was deleted`;
        }
        continue;
      }
      if (!existed) {
        continue; // a new object is seen only through the changes checked here
      }
      const ref = PDFRef.of(num, prior.entry.kind === 'n' ? prior.entry.generation : 0);
      const was = this.lookup(ref, before);
      const now = this.lookup(ref, rev);
      if (was !== undefined && now !== undefined && same(was, now)) {
        continue; // written again unchanged
      }
      const only = (keys: string[]): string | null =>
        sameExcept(was, now, keys) ? null : `object ${num} changed beyond ${keys.join(', ')}`;
      let problem: string | null;
      if (oldRoot.objectNumber === num) {
        problem = only(['AcroForm', 'DSS']);
      } else if (oldAcroRef instanceof PDFRef && oldAcroRef.objectNumber === num) {
        problem = only(['Fields', 'SigFlags', 'DR']);
      } else if (oldFieldsRef instanceof PDFRef && oldFieldsRef.objectNumber === num) {
        problem = null; // its content is checked below
      } else if (pages.has(num)) {
        problem = only(['Annots']);
      } else if (this.isAnnotsArrayOf(num, pages, before)) {
        problem = null; // its content is checked below
      } else if (emptySig.has(num)) {
        // An empty signature field receives its value and its appearance, nothing else.
        problem =
          only(['V', 'AP']) ??
          (signedNow.has(num) ? null : `signature field ${num} changed without being signed`);
      } else {
        problem = `object ${num} was changed`;
      }
      if (problem) {
        return problem;
      }
    }
    // The form: the same but for its field list, which may only grow by signed signatures.
    const oldForm = this.dict(oldAcroRef, before);
    const newForm = this.dict(this.catalog(rev)?.get(PDFName.of('AcroForm')), rev);
    if (oldForm && !sameExcept(oldForm, newForm ?? undefined, ['Fields', 'SigFlags', 'DR'])) {
      return 'the form changed beyond its field list';
    }
    if (
      !oldForm &&
      newForm &&
      !sameExcept(PDFDict.withContext(this.context), newForm, ['Fields', 'SigFlags', 'DR'])
    ) {
      return 'a form was added with more than signature fields';
    }
    const problem =
      grownBy(this.topFieldNums(before), this.topFieldNums(rev), signedNow, 'field') ??
      [...pages]
        .map((page) =>
          grownBy(this.annotNums(page, before), this.annotNums(page, rev), signedNow, 'annotation'),
        )
        .find((p) => p !== null) ??
      null;
    return problem;
  }

  private topFieldNums(rev: number): number[] {
    const acroForm = this.dict(this.catalog(rev)?.get(PDFName.of('AcroForm')), rev);
    const fields = this.resolve(acroForm?.get(PDFName.of('Fields')), rev);
    return fields instanceof PDFArray
      ? fields.asArray().flatMap((f) => (f instanceof PDFRef ? [f.objectNumber] : [-1]))
      : [];
  }

  private annotNums(page: number, rev: number): number[] {
    const dict = this.dict(PDFRef.of(page, this.entry(page, rev)?.entry.generation ?? 0), rev);
    const annots = this.resolve(dict?.get(PDFName.of('Annots')), rev);
    return annots instanceof PDFArray
      ? annots.asArray().flatMap((a) => (a instanceof PDFRef ? [a.objectNumber] : [-1]))
      : [];
  }

  private isAnnotsArrayOf(num: number, pages: Set<number>, rev: number): boolean {
    for (const page of pages) {
      const dict = this.dict(PDFRef.of(page, this.entry(page, rev)?.entry.generation ?? 0), rev);
      const annots = dict?.get(PDFName.of('Annots'));
      if (annots instanceof PDFRef && annots.objectNumber === num) {
        return true;
      }
    }
    return false;
  }

  /** The object numbers of the page objects of revision `rev`. */
  pageRefs(rev: number): Set<number> {
    const out = new Set<number>();
    let visited = 0;
    const walk = (node: PDFObject | undefined, depth: number) => {
      if (!(node instanceof PDFRef) || depth > MAX_DEPTH || ++visited > 100_000) {
        return;
      }
      const dict = this.dict(node, rev);
      if (!dict) {
        return;
      }
      if (name(dict.get(PDFName.of('Type'))) === 'Page') {
        out.add(node.objectNumber);
        return;
      }
      const kids = this.resolve(dict.get(PDFName.of('Kids')), rev);
      if (kids instanceof PDFArray) {
        for (const kid of kids.asArray()) {
          walk(kid, depth + 1);
        }
      }
    };
    walk(this.catalog(rev)?.get(PDFName.of('Pages')), 0);
    return out;
  }
}

function isWhite(byte: number): boolean {
  return (
    byte === 0x20 ||
    byte === 0x0a ||
    byte === 0x0d ||
    byte === 0x09 ||
    byte === 0x0c ||
    byte === 0x00
  );
}

function matches(bytes: Uint8Array, at: number, word: number[]): boolean {
  for (let i = 0; i < word.length; i++) {
    if (bytes[at + i] !== word[i]) {
      return false;
    }
  }
  return true;
}

/** A canonical text of a direct object (streams: dictionary and raw bytes). */
function serialise(object: PDFObject | undefined): string {
  if (object === undefined) {
    return '';
  }
  if (object instanceof PDFRawStream) {
    return `${object.dict.toString()}stream${Buffer.from(object.contents).toString('latin1')}`;
  }
  return object.toString();
}

function same(a: PDFObject | undefined, b: PDFObject | undefined): boolean {
  return serialise(a) === serialise(b);
}

/** Both are dictionaries (not streams) equal in every key but `keys`. */
function sameExcept(a: PDFObject | undefined, b: PDFObject | undefined, keys: string[]): boolean {
  if (
    !(a instanceof PDFDict) ||
    !(b instanceof PDFDict) ||
    a instanceof PDFRawStream ||
    b instanceof PDFRawStream
  ) {
    return false;
  }
  const names = new Set([...a.keys(), ...b.keys()].map((k) => k.asString().replace(/^\//, '')));
  return [...names].every(
    (key) => keys.includes(key) || same(a.get(PDFName.of(key)), b.get(PDFName.of(key))),
  );
}

/**
 * `after` keeps every entry of `before` in order and adds only entries in `signed`; returns what
 * is wrong otherwise.
 */
function grownBy(
  before: number[],
  after: number[],
  signed: Set<number>,
  what: string,
): string | null {
  if (after.length < before.length || before.some((n, i) => after[i] !== n)) {
    return `a ${what} list lost or reordered entries`;
  }
  const added = after.slice(before.length).find((n) => !signed.has(n));
  return added === undefined ? null : `${what} ${added} was added and is not a signed signature`;
}
