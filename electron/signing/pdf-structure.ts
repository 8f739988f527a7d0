/**
 * The structure of a PDF as a signature verifier must see it: its revisions (one per
 * cross-reference section, following /Prev from the last `startxref`; the two sections of a
 * linearized original are one revision), the objects each revision defines at the offsets its
 * cross-reference gives, the signature fields of each revision, and the exact byte span of every
 * signature dictionary's /Contents.
 *
 * One reading only: anything two readers could read differently is refused, with its own
 * reason, rather than read one way. An object defined twice in one revision (two cross-reference
 * entries, a number twice in an object stream, an object stream listing an object its
 * cross-reference places elsewhere) is DUPLICATE_OBJECT; a cross-reference entry of an unknown
 * type, odd field widths, a table entry not in the fixed 20-byte form, or sections out of order
 * are XREF_INVALID (they make viewers rebuild the cross-reference from whatever the file holds);
 * a reference written with a real number (`6.0 0 R`) or a generation its entry does not have, a
 * stream whose /Length does not end at `endstream`, a dictionary with a key twice, and a page
 * tree that is not exact in some revision (a /Count that is not the number of pages below, a
 * /Parent that is not the node listing it, a node listed twice) are AMBIGUOUS_STRUCTURE. Objects are parsed with pdf-lib's object parser positioned at the offsets
 * the cross-reference gives; cross-reference and object streams are decoded here (Flate and PNG
 * predictors), never by searching the file's text.
 *
 * What may follow a signed revision is decided in update.ts, on the file's own bytes.
 *
 * Longer than 500 lines: one reader of a PDF's revisions, cross-references and objects on its own
 * bytes; every structure rule reads the same parsed revisions, so they stay beside each other.
 */
import { inflateSync } from 'node:zlib';
import {
  PDFArray,
  PDFBool,
  PDFContext,
  PDFDict,
  PDFHexString,
  PDFName,
  PDFNull,
  PDFNumber,
  PDFObjectParser,
  PDFRawStream,
  PDFRef,
  PDFString,
  type PDFObject,
} from 'pdf-lib';

/** Why a file's structure cannot be read one way only (each a SignatureReason too). */
export type StructureReason =
  'MALFORMED_SIGNATURE' | 'DUPLICATE_OBJECT' | 'XREF_INVALID' | 'AMBIGUOUS_STRUCTURE';

export class PdfStructureError extends Error {
  constructor(
    readonly detail: string,
    readonly reason: StructureReason = 'MALFORMED_SIGNATURE',
  ) {
    super(`PDF structure: ${detail}`);
    this.name = 'PdfStructureError';
  }
}

const MAX_SECTIONS = 512;
/**
 * The highest object number a file may use (PDF 1.7, Annex C.2: 8,388,607 indirect objects).
 * Poppler cannot grow its table to a much larger /Size or subsection (near 2^25) and rebuilds the
 * cross-reference from the raw bytes, finding objects hidden in a stream's data; pdf.js reads the
 * table as written (round 20at: a /Size of 100,000,001 showed NOT APPROVED in poppler alone).
 */
export const MAX_OBJECT_NUMBER = 8_388_607;
/** A cross-reference or object stream larger than this once inflated is refused, not read. */
const MAX_INFLATED = 32 * 1024 * 1024;
/** All of one file's cross-reference and object streams together, inflated. */
const MAX_FILE_INFLATED = 64 * 1024 * 1024;
/**
 * All of one file's content streams together, inflated (static-content.ts): twenty-four
 * compressed streams of 63 MB each kept a verification busy for 16 s.
 */
export const MAX_CONTENT_INFLATED = 64 * 1024 * 1024;
/**
 * The entries all of one file's cross-reference streams may list together: far beyond any
 * letter's objects, and refused before a stream is inflated (a 94 KB file of sections listing
 * millions of free entries each kept the reader busy for seconds per section).
 */
const MAX_ENTRIES = 1_000_000;
const MAX_FIELDS = 4096;
const MAX_DEPTH = 32;
/** The nodes one walk of a page tree visits at most. */
const MAX_PAGE_NODES = 100_000;

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));
/** ( ) < > [ ] { } / %: where a token ends without whitespace. */
const DELIMITERS = new Set(ascii('()<>[]{}/%'));
const KW = {
  xref: ascii('xref'),
  trailer: ascii('trailer'),
  startxref: ascii('startxref'),
  eof: ascii('%%EOF'),
  obj: ascii('obj'),
  endobj: ascii('endobj'),
  stream: ascii('stream'),
  endstream: ascii('endstream'),
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
/**
 * The longest number token every reader reads as one value (round 20ai… 20aj): pdf.js gathers
 * all the digits into one number and divides once, so `170.` followed by 310 zeros is NaN to
 * it (∞/∞) and 170 to poppler and pdf-lib — a /Rect or a `Td` one reader places and another
 * drops. No writer needs more than a double's seventeen digits and a sign and a point.
 */
export const MAX_NUMBER_LENGTH = 32;

/**
 * Refuses an /Encrypt entry, whatever its value (AMBIGUOUS_STRUCTURE). Readers take it from the
 * newest trailer and, with an empty user password, decrypt every string and stream without
 * asking; this verifier, its denylist and the letter profile read them as stored. Round 20aq: a
 * page whose stored content said APPROVED decrypted (RC4, 40 bits, an /ID searched for) to NOT
 * APPROVED in poppler and pdf.js alike, and verified valid. The workbench never encrypts a letter.
 */
function notEncrypted(dict: PDFDict, where: string): void {
  if (dict.has(PDFName.of('Encrypt'))) {
    throw new PdfStructureError(
      `${where} names /Encrypt: readers decrypt what is read here as stored`,
      'AMBIGUOUS_STRUCTURE',
    );
  }
}

/** Refuses a number token longer than MAX_NUMBER_LENGTH (AMBIGUOUS_STRUCTURE). */
function numberReadAlike(token: string): void {
  if (token.length > MAX_NUMBER_LENGTH) {
    throw new PdfStructureError(
      `a number written with ${token.length} characters, which readers read as different values (${token.slice(0, 24)}…)`,
      'AMBIGUOUS_STRUCTURE',
    );
  }
}

/** The numbers read that were written with a point (`4.0`, `4.`): one value, two readings. */
const writtenWithPoint = new WeakSet<PDFNumber>();

/**
 * Whether `value` is a number written with a point. Some readers take an entry as an integer
 * only (poppler read `/F 4.` as no flags in its print path, `/DW 50000.0` as the default
 * width), others take its value: such an entry must be written as an integer.
 */
export function writtenAsReal(value: PDFObject | undefined): boolean {
  return value instanceof PDFNumber && writtenWithPoint.has(value);
}

class Lexer extends PDFObjectParser {
  readonly spans = new WeakMap<PDFHexString, Span>();

  private readonly size: number;

  constructor(bytes: Uint8Array, context: PDFContext) {
    super(
      // The parser reads from its own byte stream; forBytes builds it over the same array.
      (PDFObjectParser.forBytes(bytes, context) as unknown as { bytes: never }).bytes,
      context,
    );
    this.size = bytes.length;
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

  /** The end-of-line after a table's subsection header (pdf-lib's int stops before it). */
  skipEol(): void {
    this.skipWhitespace();
  }

  /** %%EOF looks like a comment to the tokenizer: match it after whitespace only. */
  endOfFile(): boolean {
    this.skipWhitespace();
    return this.matchKeyword(KW.eof);
  }

  object(): PDFObject {
    return this.parseObject();
  }

  /**
   * A hex string as the standard reads it (§7.3.4.3): whitespace skipped, a final odd digit
   * followed by 0. pdf-lib pairs the characters as written (`<5369 67>` is four other bytes to
   * it than to poppler), so a field's name or a signer's reason would read one way here and
   * another in a viewer. A character that is neither a hex digit nor whitespace is read
   * differently by each reader: refused.
   */
  protected override parseHexString(): PDFHexString {
    const start = this.bytes.offset();
    const written = super.parseHexString();
    const text = written.asString();
    if (/[^0-9A-Fa-f\0\t\n\f\r ]/.test(text)) {
      throw new PdfStructureError(
        `a hex string at offset ${start} holds a character that is no hex digit`,
        'AMBIGUOUS_STRUCTURE',
      );
    }
    const digits = text.replace(/[\0\t\n\f\r ]/g, '');
    const value =
      digits === text && digits.length % 2 === 0
        ? written
        : PDFHexString.of(digits.length % 2 ? `${digits}0` : digits);
    this.spans.set(value, { start, end: this.bytes.offset() });
    return value;
  }

  /** Reads an indirect /Length; set by the file, absent while cross-reference streams are read. */
  resolveLength: ((ref: PDFRef) => number) | null = null;

  private token(start: number): string {
    return Buffer.from(this.bytes.slice(start, this.bytes.offset())).toString('latin1');
  }

  /**
   * pdf-lib's number-or-reference, where a reference must be written with two unsigned integer
   * tokens: `6.0 0 R` or `+6 0 R` is a reference to pdf-lib and a real number to other readers.
   */
  protected override parseNumberOrRef(): PDFNumber | PDFRef {
    const firstAt = this.bytes.offset();
    const first = this.parseRawNumber();
    const firstText = this.token(firstAt);
    this.tokenEnds(firstText);
    numberReadAlike(firstText);
    this.skipWhitespaceAndComments();
    const lookahead = this.bytes.offset();
    const peek = this.bytes.peek();
    if (peek >= 0x30 && peek <= 0x39) {
      const secondAt = this.bytes.offset();
      const second = this.parseRawNumber();
      const secondText = this.token(secondAt);
      this.tokenEnds(secondText);
      numberReadAlike(secondText);
      this.skipWhitespaceAndComments();
      if (this.bytes.peek() === 0x52 /* R */) {
        if (!/^\d+$/.test(firstText) || !/^\d+$/.test(secondText)) {
          throw new PdfStructureError(
            `a reference written with a number that is not an integer (${firstText} ${secondText} R)`,
            'AMBIGUOUS_STRUCTURE',
          );
        }
        this.bytes.next();
        this.tokenEnds(`${firstText} ${secondText} R`);
        return PDFRef.of(first, second);
      }
    }
    this.bytes.moveTo(lookahead);
    const number = PDFNumber.of(first);
    if (firstText.includes('.')) {
      writtenWithPoint.add(number);
    }
    return number;
  }

  /**
   * A number, `R`, `true`, `false` or `null` ends at whitespace, a delimiter or the end of the
   * data. pdf-lib ends a number at its first `.` and the digits after it and matches a keyword
   * as a prefix, so it reads `60.-5` as 60 and -5 and `falsetrue` as two values, where poppler
   * and pdf.js read one token (60.5; an unknown keyword): a widget's /Rect would be two boxes.
   */
  private tokenEnds(token: string): void {
    if (this.bytes.done()) {
      return;
    }
    const next = this.bytes.peek();
    if (!isWhite(next) && !DELIMITERS.has(next)) {
      throw new PdfStructureError(
        `a token runs into the next character (${token}${String.fromCharCode(next)})`,
        'AMBIGUOUS_STRUCTURE',
      );
    }
  }

  /** pdf-lib's values, the keywords among them followed by whitespace or a delimiter. */
  override parseObject(): PDFObject {
    this.skipWhitespaceAndComments();
    const start = this.bytes.offset();
    const object = super.parseObject();
    if (object instanceof PDFBool || object === PDFNull) {
      this.tokenEnds(this.token(start));
    }
    return object;
  }

  /**
   * A name whose `#` is not followed by two hex digits in upper case is refused: pdf-lib decodes
   * only those, other readers lower case too (`/Fi#6celd` is /Field to poppler and pdf.js, and
   * a name of its own to pdf-lib).
   */
  protected override parseName(): PDFName {
    const start = this.bytes.offset();
    const name = super.parseName();
    const text = this.token(start);
    // `#00` too: poppler ends a name there (`/X#00Y` is /X to it, a name of three to pdf.js).
    if (/#(?![0-9A-F]{2})|#00/.test(text)) {
      throw new PdfStructureError(
        `a name with an escape readers decode differently (${text})`,
        'AMBIGUOUS_STRUCTURE',
      );
    }
    return name;
  }

  /**
   * A stream's data is exactly /Length bytes after `stream` and one end-of-line (CRLF or LF), and
   * `endstream` follows after at most whitespace: pdf-lib would otherwise search for `endstream`,
   * where a viewer trusts /Length.
   */
  protected override parseDictOrStream(): PDFDict | PDFRawStream {
    const dict = this.parseDict();
    this.skipWhitespaceAndComments();
    if (!this.matchKeyword(KW.stream)) {
      return dict;
    }
    if (this.bytes.peek() === 0x0d) {
      this.bytes.next();
      if (this.bytes.peek() !== 0x0a) {
        throw new PdfStructureError('a stream keyword ends with a lone CR', 'AMBIGUOUS_STRUCTURE');
      }
    }
    if (this.bytes.peek() !== 0x0a) {
      throw new PdfStructureError(
        'a stream keyword is not followed by an end-of-line',
        'AMBIGUOUS_STRUCTURE',
      );
    }
    this.bytes.next();
    const start = this.bytes.offset();
    const lengthValue = dict.get(PDFName.of('Length'));
    let length: number;
    // Written as an integer: poppler trusts no other /Length and looks for endstream instead
    // (a first `endstream` inside the data would end the stream there for it alone).
    if (lengthValue instanceof PDFNumber && !writtenAsReal(lengthValue)) {
      length = lengthValue.asNumber();
    } else if (lengthValue instanceof PDFRef && this.resolveLength) {
      length = this.resolveLength(lengthValue);
    } else {
      throw new PdfStructureError('a stream without a usable /Length', 'AMBIGUOUS_STRUCTURE');
    }
    if (!Number.isInteger(length) || length < 0 || start + length > this.size) {
      throw new PdfStructureError('a stream /Length that is not a length', 'AMBIGUOUS_STRUCTURE');
    }
    this.bytes.moveTo(start + length);
    this.skipWhitespace();
    if (!this.matchKeyword(KW.endstream)) {
      throw new PdfStructureError(
        `a stream's /Length (${length}) does not end at endstream`,
        'AMBIGUOUS_STRUCTURE',
      );
    }
    return PDFRawStream.of(dict, this.bytes.slice(start, start + length));
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
        throw new PdfStructureError(
          `dictionary repeats the key ${key.asString()}`,
          'AMBIGUOUS_STRUCTURE',
        );
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
  /** Whether /M is written at all (a time written but not read as a date is refused). */
  timeWritten: boolean;
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
  private readonly streamCache = new Map<number, ObjectStream>();
  /** For each object number, the revisions defining it (definedIn). */
  private definitions: Map<number, number[]> | null = null;
  /**
   * What is left for this file of MAX_FILE_INFLATED (its cross-reference and object streams),
   * MAX_ENTRIES, and MAX_CONTENT_INFLATED (its content streams, as static-content.ts reads them).
   */
  readonly budget = {
    inflated: MAX_FILE_INFLATED,
    entries: MAX_ENTRIES,
    content: MAX_CONTENT_INFLATED,
  };
  /** Whether the original was read as linearized: a first-page section pointing back to the main. */
  private linearized = false;

  /** Where the cross-reference streams read begin and end (each an object no entry need list). */
  private readonly xrefStreamsAt = new Map<number, number>();
  /** Where the cross-reference tables read begin, and their `trailer` keywords. */
  private readonly tablesAt = new Set<number>();
  private readonly trailersAt = new Set<number>();

  constructor(readonly bytes: Uint8Array) {
    this.lexer = new Lexer(bytes, this.context);
    this.revisions = this.readRevisions();
    // From here on a stream may give its /Length as a reference, read as the newest revision has it.
    this.lexer.resolveLength = (ref) => this.indirectLength(ref);
  }

  /**
   * Reads every object every revision's cross-reference lists, as that revision sees it, and
   * every object stream's header: the first thing that could be read two ways (an object defined
   * twice, a reference written with a real, a stream whose /Length misses endstream…), or null.
   */
  ambiguity(): PdfStructureError | null {
    try {
      this.checkLinearization();
      // Carried from one revision to the next, so the checks stay linear in revisions: the
      // object streams earlier revisions place objects in (with the first to do so), and every
      // object number any revision so far lists.
      const placedIn = new Map<number, number>();
      const listed = new Set<number>();
      for (const revision of this.revisions) {
        this.checkObjectStreams(revision, placedIn);
        this.checkReferences(revision.trailer, revision.number, 'the trailer');
        for (const [num, entry] of revision.entries) {
          if (entry.kind !== 'f') {
            const object = this.lookup(
              PDFRef.of(num, entry.kind === 'n' ? entry.generation : 0),
              revision.number,
            );
            this.checkReferences(object, revision.number, `object ${num}`);
          }
        }
        for (const num of revision.entries.keys()) {
          listed.add(num);
        }
        this.checkFreed(revision, listed);
      }
      this.checkPageTrees();
      this.checkHeaders();
      return null;
    } catch (error) {
      return error instanceof PdfStructureError
        ? error
        : new PdfStructureError(
            error instanceof Error ? error.message.slice(0, 200) : 'unreadable',
          );
    }
  }

  /**
   * Every object header in the file's bytes (`N G obj`) is one a cross-reference places there.
   * A reader that rebuilds its cross-reference — poppler at any entry it cannot use, pdf.js when
   * its table fails — scans the raw bytes for such headers and takes the last one of each
   * number, wherever it is: inside a stream's data, a string, or between objects. Rounds 20ap
   * and 20at each found a way to make one reader rebuild (a freed object still referred to, a
   * /Size it could not allocate) and an object hidden in an unreferenced stream drawn by it
   * alone; with no header a rebuild could find but the listed ones, a rebuild finds the file as
   * its cross-reference reads it.
   */
  private checkHeaders(): void {
    const listed = new Set(this.xrefStreamsAt.keys());
    for (const revision of this.revisions) {
      for (const entry of revision.entries.values()) {
        if (entry.kind === 'n') {
          listed.add(entry.offset);
        }
      }
    }
    // (Bytes after the last revision are the signature check's to name: a change appended.)
    const text = Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.last.end).toString(
      'latin1',
    );
    // Where the readers' scanners look: at the start of a line (poppler reads line by line,
    // pdf.js token by token from a line's start), or after a `<` (where pdf.js starts its next
    // token), past any whitespace. A word elsewhere on a line — "mobile trailer" in a title — is
    // read by no rebuild (round 20ax: honest letters were refused for it).
    const start = String.raw`(?<=(?:^|[\r\n<])[\0\t\v\f \xa0]*)`;
    // Between a header's parts: whitespace as the scanners take it, wider than PDF's (pdf.js
    // also skips 0x0B and 0xA0, poppler 0x0B: round 20au), and a NUL with the rest of its line
    // (poppler's line ends at a NUL and it reads on from the next; its parser then skips a
    // comment there: round 20ax).
    const gap = String.raw`(?:[\0\t\n\v\f\r \xa0]|\0[^\r\n]*)+`;
    // One pass over the bytes, each alternative a zero-width lookahead so that matches may
    // overlap as the readers' scans do (a header's gap may hold what another scan reads): an
    // object header, then what else a rebuild reads — a trailer (poppler takes the last one's
    // /Root, pdf.js the first that leads to pages), a table (pdf.js looks for its trailer), and
    // an object naming /XRef (pdf.js reads it as a cross-reference stream, if followed by a
    // character below '@', so not /XRefStm). Each only where the file has one.
    const scan = new RegExp(
      String.raw`${start}(?=([0-9]+)${gap}([0-9]+)${gap}obj|(trailer)|(xref))|(?=(/XRef)(?![\x40-\xff]))`,
      'g',
    );
    const stray = (what: string, at: number) =>
      new PdfStructureError(
        `bytes at offset ${at} read as ${what} by a reader rebuilding its cross-reference, where the file has none`,
        'AMBIGUOUS_STRUCTURE',
      );
    const streams = [...this.xrefStreamsAt];
    for (const m of text.matchAll(scan)) {
      const at = m.index;
      if (m[1] !== undefined && !listed.has(at)) {
        throw new PdfStructureError(
          `bytes at offset ${at} read as the header of object ${m[1]} ${m[2]}, which no cross-reference places there (a reader rebuilding its cross-reference would take it)`,
          'AMBIGUOUS_STRUCTURE',
        );
      }
      if (m[3] !== undefined && !this.trailersAt.has(at)) {
        throw stray('a trailer', at);
      }
      if (m[4] !== undefined && !this.tablesAt.has(at)) {
        throw stray('a cross-reference table', at);
      }
      if (m[5] !== undefined && !streams.some(([from, to]) => at > from && at < to)) {
        throw stray('a cross-reference stream (/XRef)', at);
      }
    }
  }

  /**
   * A revision that frees objects leaves no object still in force referring to one (round 20ap:
   * an older page kept an annotation a later revision freed; poppler rebuilt the cross-reference
   * at the free entry and drew an object hidden in a stream, pdf.js drew nothing). Only a
   * revision that frees something is read whole again: every object it still has, whichever
   * revision wrote it.
   */
  private checkFreed(revision: Revision, listed: ReadonlySet<number>): void {
    const frees = [...revision.entries].some(([num, entry]) => num !== 0 && entry.kind === 'f');
    if (revision.number === 1 || !frees) {
      return;
    }
    for (const num of listed) {
      const found = this.entry(num, revision.number);
      if (found && found.entry.kind !== 'f' && !revision.entries.has(num)) {
        const ref = PDFRef.of(num, found.entry.kind === 'n' ? found.entry.generation : 0);
        this.checkReferences(this.lookup(ref, revision.number), revision.number, `object ${num}`);
      }
    }
  }

  /**
   * Every reference an object of revision `rev` makes names an object that revision defines,
   * with its generation. A reference to nothing is null to one reader, a reason to rebuild the
   * cross-reference (and find a hidden object) to another, and the object a later revision
   * adds (a countersignature's appearance, say) once there is one.
   */
  private checkReferences(object: PDFObject | undefined, rev: number, where: string): void {
    const visit = (o: PDFObject | undefined): void => {
      if (o instanceof PDFRef) {
        const found = this.entry(o.objectNumber, rev);
        const entry = found?.entry;
        if (!entry || entry.kind === 'f') {
          throw new PdfStructureError(
            `${where} of revision ${rev} refers to object ${o.objectNumber}, which that revision does not define`,
            'AMBIGUOUS_STRUCTURE',
          );
        }
        if (o.generationNumber !== (entry.kind === 'n' ? entry.generation : 0)) {
          throw new PdfStructureError(
            `${where} of revision ${rev} refers to object ${o.objectNumber} with generation ${o.generationNumber}, its entry ${entry.generation}`,
            'AMBIGUOUS_STRUCTURE',
          );
        }
      } else if (o instanceof PDFDict) {
        for (const [, value] of o.entries()) {
          visit(value);
        }
      } else if (o instanceof PDFArray) {
        for (const value of o.asArray()) {
          visit(value);
        }
      } else if (o instanceof PDFRawStream) {
        visit(o.dict);
      }
    };
    visit(object);
  }

  /**
   * A linearization dictionary first in the file makes readers that honour it (pdf.js, poppler)
   * read the first-page cross-reference it is followed by, while the file is as long as its /L
   * says. It is one reading only when that section is the one the chain from the end reads too,
   * and /L is the end of that original: then an update that follows is read the same way by all.
   */
  private checkLinearization(): void {
    let first: PDFObject;
    try {
      const lx = new Lexer(this.bytes, this.context);
      lx.moveTo(0);
      // "%PDF-x.y", a comment line, then the first object.
      lx.skip();
      first = this.readIndirect(lx.position, null, lx).object;
    } catch {
      return; // no object first: nothing to linearize
    }
    // A stream first that names /Linearized: one reader may take its dictionary as the
    // linearization dictionary, another not (round 20au found none that did, and refused it).
    if (first instanceof PDFRawStream && first.dict.get(PDFName.of('Linearized')) !== undefined) {
      throw new PdfStructureError(
        'a stream first in the file that names /Linearized',
        'AMBIGUOUS_STRUCTURE',
      );
    }
    if (!(first instanceof PDFDict) || first.get(PDFName.of('Linearized')) === undefined) {
      return;
    }
    const length = first.get(PDFName.of('L'));
    const original = this.revisions[0]!;
    if (!this.linearized || !(length instanceof PDFNumber) || length.asNumber() !== original.end) {
      throw new PdfStructureError(
        `a linearization dictionary whose first-page section or /L (${length instanceof PDFNumber ? length.asNumber() : '?'}) is not the original's (${original.end} bytes)`,
        'AMBIGUOUS_STRUCTURE',
      );
    }
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

  /**
   * Reads one cross-reference section (table or stream) and, when they follow it, the
   * `startxref N %%EOF` lines: `named` is N, `end` the offset after %%EOF and its end-of-line.
   */
  private readSection(offset: number): Section {
    const lx = this.lexer;
    if (offset <= 0 || offset >= this.bytes.length) {
      throw new PdfStructureError('cross-reference offset outside the file', 'XREF_INVALID');
    }
    lx.moveTo(offset);
    const entries = new Map<number, XrefEntry>();
    let trailer: PDFDict;
    if (lx.keyword(KW.xref)) {
      this.tablesAt.add(offset);
      for (let subsections = 0; ; subsections++) {
        lx.skip();
        const keywordAt = lx.position;
        if (lx.keyword(KW.trailer)) {
          this.trailersAt.add(keywordAt);
          // Poppler finds no trailer after a table without a subsection, and rebuilds the file.
          if (subsections === 0) {
            throw new PdfStructureError(
              'a cross-reference table with no subsection',
              'XREF_INVALID',
            );
          }
          break;
        }
        const first = lx.int();
        const count = lx.int();
        if (first < 0) {
          throw new PdfStructureError('cross-reference subsection out of range', 'XREF_INVALID');
        }
        if (first + count > MAX_OBJECT_NUMBER + 1) {
          throw new PdfStructureError(
            `a cross-reference subsection reaching past object ${MAX_OBJECT_NUMBER}`,
            'XREF_INVALID',
          );
        }

        // End-of-line after the subsection header, then entries of exactly 20 bytes each.
        lx.skipEol();
        for (let i = 0; i < count; i++) {
          const at = lx.position;
          const entry = xrefTableEntry(this.bytes.subarray(at, at + 20));
          if (!entry) {
            throw new PdfStructureError(
              `cross-reference entry at offset ${at} is not of the form "nnnnnnnnnn ggggg n"`,
              'XREF_INVALID',
            );
          }
          // pdf.js takes a subsection from 1 whose first entry is free as starting at 0 (a
          // writer's old mistake), poppler only for `0000000000 65535 f` (round 20ap).
          if (first === 1 && i === 0 && entry.kind === 'f') {
            throw new PdfStructureError(
              'a cross-reference subsection from object 1 whose first entry is free',
              'XREF_INVALID',
            );
          }
          lx.moveTo(at + 20);
          addEntry(entries, first + i, entry);
        }
      }
      lx.skip();
      const dict = lx.object();
      if (!(dict instanceof PDFDict)) {
        throw new PdfStructureError('trailer is not a dictionary', 'XREF_INVALID');
      }
      trailer = dict;
      notEncrypted(trailer, 'the trailer');
      // A hybrid file: a table plus an XRefStm for the objects in object streams, which the
      // table does not list.
      const stm = trailer.get(PDFName.of('XRefStm'));
      if (stm !== undefined) {
        if (!(stm instanceof PDFNumber)) {
          throw new PdfStructureError('XRefStm is not an offset', 'XREF_INVALID');
        }
        const after = lx.position;
        const hybrid = this.readXrefStream(stm.asNumber());
        notEncrypted(hybrid.dict, 'the XRefStm');
        // Its own /Prev is followed by some readers and not by others: a second chain.
        if (hybrid.dict.get(PDFName.of('Prev')) !== undefined) {
          throw new PdfStructureError(
            'the XRefStm of a hybrid file has a /Prev of its own',
            'AMBIGUOUS_STRUCTURE',
          );
        }
        for (const [num, entry] of hybrid.entries) {
          const listed = entries.get(num);
          if (listed && listed.kind !== 'f') {
            throw new PdfStructureError(
              `object ${num} is defined by both the table and its XRefStm`,
              'DUPLICATE_OBJECT',
            );
          }
          // Only what a table cannot say: objects in object streams. A plain object placed by
          // the XRefStm where the table says free is read by one reader and not by another.
          if (entry.kind === 'n') {
            throw new PdfStructureError(
              `the XRefStm places object ${num} outside an object stream`,
              'AMBIGUOUS_STRUCTURE',
            );
          }
          // The table's free entry is what poppler and pdf.js keep (each takes the first entry
          // it reads): an object the XRefStm places where the table says free is read by
          // neither (round 20ao: a font read here, missing to both, drew NOT in pdf.js only).
          if (entry.kind === 'c' && listed) {
            throw new PdfStructureError(
              `the table lists object ${num} as free and its XRefStm places it in an object stream`,
              'AMBIGUOUS_STRUCTURE',
            );
          }
          if (entry.kind === 'c') {
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
      notEncrypted(trailer, 'the cross-reference stream');
      lx.moveTo(stream.after);
    }
    lx.skip();
    const at = lx.position;
    if (!lx.keyword(KW.startxref)) {
      lx.moveTo(at);
      return { offset, entries, trailer, end: null, named: null };
    }
    const named = lx.int();
    if (!lx.endOfFile()) {
      throw new PdfStructureError('no %%EOF after startxref', 'XREF_INVALID');
    }
    // One end-of-line after %%EOF belongs to the revision.
    if (lx.peekByte() === 0x0d) {
      lx.nextByte();
    }
    if (!lx.atEnd() && lx.peekByte() === 0x0a) {
      lx.nextByte();
    }
    return { offset, entries, trailer, end: lx.position, named };
  }

  /** A cross-reference stream, decoded and read field by field (types 0, 1 and 2 only). */
  private readXrefStream(offset: number): {
    entries: Map<number, XrefEntry>;
    dict: PDFDict;
    after: number;
  } {
    const { object, after } = this.readIndirect(offset, null);
    this.xrefStreamsAt.set(offset, after);
    if (!(object instanceof PDFRawStream) || name(object.dict.get(PDFName.of('Type'))) !== 'XRef') {
      throw new PdfStructureError(
        'cross-reference offset points at no xref table or stream',
        'XREF_INVALID',
      );
    }
    const { dict } = object;
    const w = dict.get(PDFName.of('W'));
    const widths =
      w instanceof PDFArray && w.size() === 3
        ? w.asArray().map((n) => (n instanceof PDFNumber ? n.asNumber() : -1))
        : [];
    const [w0, w1, w2] = widths as [number, number, number];
    if (
      widths.length !== 3 ||
      !widths.every((n) => Number.isInteger(n)) ||
      w0 < 0 ||
      w0 > 1 ||
      w1 < 1 ||
      w1 > 6 ||
      w2 < 0 ||
      w2 > 4
    ) {
      throw new PdfStructureError(
        `a cross-reference stream with field widths [${widths.join(' ')}]`,
        'XREF_INVALID',
      );
    }
    const size = dict.get(PDFName.of('Size'));
    if (!(size instanceof PDFNumber) || !Number.isInteger(size.asNumber()) || size.asNumber() < 0) {
      throw new PdfStructureError('a cross-reference stream without /Size', 'XREF_INVALID');
    }
    const index = dict.get(PDFName.of('Index'));
    const ranges: number[] =
      index === undefined
        ? [0, size.asNumber()]
        : index instanceof PDFArray && index.size() % 2 === 0
          ? index.asArray().map((n) => (n instanceof PDFNumber ? n.asNumber() : -1))
          : [-1];
    if (ranges.some((n) => !Number.isInteger(n) || n < 0)) {
      throw new PdfStructureError('a cross-reference stream with a bad /Index', 'XREF_INVALID');
    }
    for (let i = 1; i < ranges.length; i += 2) {
      if (ranges[i - 1]! + ranges[i]! > MAX_OBJECT_NUMBER + 1) {
        throw new PdfStructureError(
          `a cross-reference stream whose /Index reaches past object ${MAX_OBJECT_NUMBER}`,
          'XREF_INVALID',
        );
      }
    }
    const row = w0 + w1 + w2;
    let rows = 0;
    for (let i = 1; i < ranges.length; i += 2) {
      rows += ranges[i]!;
    }
    this.budget.entries -= rows;
    if (this.budget.entries < 0) {
      throw new PdfStructureError(
        `cross-reference streams listing more than ${MAX_ENTRIES} entries`,
        'XREF_INVALID',
      );
    }
    const data = decodeStream(object, 'XREF_INVALID', this.budget);
    if (data.length !== rows * row) {
      throw new PdfStructureError(
        `a cross-reference stream holds ${data.length} bytes for ${rows} entries of ${row}`,
        'XREF_INVALID',
      );
    }
    const field = (at: number, width: number): number => {
      let value = 0;
      for (let i = 0; i < width; i++) {
        value = value * 256 + data[at + i]!;
      }
      return value;
    };
    const entries = new Map<number, XrefEntry>();
    let at = 0;
    for (let i = 0; i < ranges.length; i += 2) {
      for (let k = 0; k < ranges[i + 1]!; k++) {
        const num = ranges[i]! + k;
        const type = w0 === 0 ? 1 : field(at, w0);
        const f2 = field(at + w0, w1);
        const f3 = field(at + w0 + w1, w2);
        at += row;
        if (type === 0) {
          addEntry(entries, num, { kind: 'f', offset: 0, generation: f3 });
        } else if (type === 1) {
          addEntry(entries, num, { kind: 'n', offset: f2, generation: f3 });
        } else if (type === 2) {
          addEntry(entries, num, { kind: 'c', offset: 0, generation: 0, stream: f2, index: f3 });
        } else {
          throw new PdfStructureError(
            `cross-reference entry for object ${num} has type ${type}`,
            'XREF_INVALID',
          );
        }
      }
    }
    return { entries, dict, after };
  }

  /**
   * Follows /Prev from the last `startxref`. Each revision ends with `startxref` naming its own
   * section; the one exception is a linearized original, whose first-page section (near the
   * start) points back to the main section after it, and whose `startxref` names the first.
   */
  private readRevisions(): Revision[] {
    const chain: Section[] = [];
    const seen = new Set<number>();
    let offset: number | null = this.lastStartxref();
    while (offset !== null) {
      if (seen.has(offset) || chain.length >= MAX_SECTIONS) {
        throw new PdfStructureError('cross-reference sections form a loop', 'XREF_INVALID');
      }
      seen.add(offset);
      const section = this.readSection(offset);
      chain.push(section);
      const prev = section.trailer.get(PDFName.of('Prev'));
      if (prev !== undefined && !(prev instanceof PDFNumber)) {
        throw new PdfStructureError('/Prev is not an offset', 'XREF_INVALID');
      }
      offset = prev instanceof PDFNumber ? prev.asNumber() : null;
    }
    chain.reverse(); // oldest first
    const revisions: Revision[] = [];
    let i = 0;
    const [main, firstPage] = chain;
    if (
      main &&
      firstPage &&
      firstPage.offset < main.offset &&
      main.end !== null &&
      main.named === firstPage.offset &&
      (firstPage.end === null || firstPage.named === 0)
    ) {
      // Linearized: one revision of two sections, its trailer the first-page one.
      this.linearized = true;
      const entries = new Map(main.entries);
      for (const [num, entry] of firstPage.entries) {
        addEntry(entries, num, entry);
      }
      revisions.push({
        number: 1,
        xrefOffset: firstPage.offset,
        end: main.end,
        start: 0,
        trailer: firstPage.trailer,
        entries,
      });
      i = 2;
    }
    for (; i < chain.length; i++) {
      const section = chain[i]!;
      const start = revisions.at(-1)?.end ?? 0;
      if (section.end === null || section.named !== section.offset || section.offset < start) {
        throw new PdfStructureError(
          `the cross-reference section at ${section.offset} is not a revision of its own`,
          'XREF_INVALID',
        );
      }
      revisions.push({
        number: revisions.length + 1,
        xrefOffset: section.offset,
        end: section.end,
        start,
        trailer: section.trailer,
        entries: section.entries,
      });
    }
    // Each revision's /Size is above every object number defined so far: the next writer
    // numbers its new objects from it, so one below would have an honest countersignature
    // overwrite an object the first signer signed (its content stream, say) with its own.
    let highest = -1;
    for (const revision of revisions) {
      for (const num of revision.entries.keys()) {
        highest = Math.max(highest, num);
      }
      const size = revision.trailer.get(PDFName.of('Size'));
      if (!(size instanceof PDFNumber) || !(size.asNumber() > highest)) {
        throw new PdfStructureError(
          `revision ${revision.number}'s /Size is ${size instanceof PDFNumber ? size.asNumber() : 'missing'}, but object ${highest} is defined`,
          'XREF_INVALID',
        );
      }
      if (size.asNumber() > MAX_OBJECT_NUMBER + 1) {
        throw new PdfStructureError(
          `revision ${revision.number}'s /Size is ${size.asNumber()}, above ${MAX_OBJECT_NUMBER + 1}`,
          'XREF_INVALID',
        );
      }
    }
    return revisions;
  }

  // ---- objects -----------------------------------------------------------------------------

  /** Parses "num gen obj <object> endobj" at `offset`; `expect` is the number the xref gave. */
  private readIndirect(
    offset: number,
    expect: { num: number; gen: number } | null,
    lx: Lexer = this.lexer,
  ): { object: PDFObject; num: number; after: number } {
    if (offset <= 0 || offset >= this.bytes.length) {
      throw new PdfStructureError('object offset outside the file', 'XREF_INVALID');
    }
    lx.moveTo(offset);
    let num: number;
    let gen: number;
    try {
      num = lx.int();
      gen = lx.int();
    } catch {
      throw new PdfStructureError(`no object header at offset ${offset}`, 'XREF_INVALID');
    }
    if (!lx.keyword(KW.obj)) {
      throw new PdfStructureError(`no object header at offset ${offset}`, 'XREF_INVALID');
    }
    if (expect && (expect.num !== num || expect.gen !== gen)) {
      throw new PdfStructureError(
        `the cross-reference names object ${expect.num} at an offset holding object ${num}`,
        'XREF_INVALID',
      );
    }
    lx.skip();
    const object = lx.object();
    if (!lx.keyword(KW.endobj)) {
      throw new PdfStructureError(`object ${num} does not end with endobj`, 'AMBIGUOUS_STRUCTURE');
    }
    return { object, num, after: lx.position };
  }

  /**
   * An indirect /Length: a non-negative integer object, read with a lexer of its own. That lexer
   * resolves no /Length itself, so a length object that is a stream cannot recurse: it is no number.
   */
  private indirectLength(ref: PDFRef): number {
    const found = this.entry(ref.objectNumber, this.revisions.length);
    if (!found || found.entry.kind !== 'n' || found.entry.generation !== ref.generationNumber) {
      throw new PdfStructureError(
        `a /Length refers to object ${ref.objectNumber}, which is not a plain object`,
        'AMBIGUOUS_STRUCTURE',
      );
    }
    const lx = new Lexer(this.bytes, this.context);
    const { object } = this.readIndirect(
      found.entry.offset,
      { num: ref.objectNumber, gen: ref.generationNumber },
      lx,
    );
    if (!(object instanceof PDFNumber) || writtenAsReal(object)) {
      throw new PdfStructureError('a /Length that is not an integer', 'AMBIGUOUS_STRUCTURE');
    }
    return object.asNumber();
  }

  /**
   * The revisions (1-based, oldest first) whose cross-reference lists `num`. Indexed once: a
   * walk back through every revision for every object cost objects × revisions² (20,000
   * objects behind 511 empty updates took 13 s to check).
   */
  definedIn(num: number): readonly number[] {
    if (!this.definitions) {
      this.definitions = new Map();
      for (const revision of this.revisions) {
        for (const n of revision.entries.keys()) {
          const list = this.definitions.get(n);
          if (list) {
            list.push(revision.number);
          } else {
            this.definitions.set(n, [revision.number]);
          }
        }
      }
    }
    return this.definitions.get(num) ?? [];
  }

  /** The entry for `num` as of revision `rev` (1-based), newest first. */
  entry(num: number, rev: number): { entry: XrefEntry; revision: number } | null {
    const revisions = this.definedIn(num);
    for (let i = revisions.length - 1; i >= 0; i--) {
      const r = revisions[i]!;
      if (r <= rev) {
        return { entry: this.revisions[r - 1]!.entries.get(num)!, revision: r };
      }
    }
    return null;
  }

  /**
   * The object `ref` as revision `rev` sees it (undefined when free or absent). A reference
   * whose generation is not its entry's is refused: readers disagree on what it means.
   */
  lookup(ref: PDFRef, rev: number): PDFObject | undefined {
    const found = this.entry(ref.objectNumber, rev);
    if (!found || found.entry.kind === 'f') {
      return undefined;
    }
    const { entry } = found;
    if (ref.generationNumber !== entry.generation) {
      throw new PdfStructureError(
        `a reference to object ${ref.objectNumber} names generation ${ref.generationNumber}, its entry ${entry.generation}`,
        'AMBIGUOUS_STRUCTURE',
      );
    }
    // Keyed by number too: two numbers pointing at one offset, or at one slot of an object
    // stream, must each pass the header check (round 20an: J's entry named K's slot, and J was
    // served K from the cache; poppler reads no object there, pdf.js K).
    const key =
      entry.kind === 'n'
        ? `n${ref.objectNumber}@${entry.offset}`
        : `c${ref.objectNumber}@${entry.stream}:${entry.index}`;
    let object = this.cache.get(key);
    if (object === undefined) {
      object =
        entry.kind === 'n'
          ? this.readIndirect(entry.offset, { num: ref.objectNumber, gen: entry.generation }).object
          : this.readCompressed(entry.stream!, entry.index!, ref.objectNumber, found.revision);
      this.cache.set(key, object);
    }
    return object;
  }

  /** An object stream as revision `rev` sees it: its header (number and offset per index). */
  private objectStream(stream: number, rev: number): ObjectStream {
    let parsed = this.streamCache.get(stream);
    if (!parsed) {
      const found = this.entry(stream, rev);
      if (!found || found.entry.kind !== 'n') {
        throw new PdfStructureError(
          `object stream ${stream} is not a plain object`,
          'XREF_INVALID',
        );
      }
      const container = this.lookup(PDFRef.of(stream, found.entry.generation), rev);
      if (
        !(container instanceof PDFRawStream) ||
        name(container.dict.get(PDFName.of('Type'))) !== 'ObjStm'
      ) {
        throw new PdfStructureError(
          `an entry points into object ${stream}, which is no object stream`,
          'XREF_INVALID',
        );
      }
      const count = container.dict.get(PDFName.of('N'));
      const first = container.dict.get(PDFName.of('First'));
      if (
        !(count instanceof PDFNumber) ||
        !(first instanceof PDFNumber) ||
        count.asNumber() > 100_000
      ) {
        throw new PdfStructureError('object stream without N or First', 'XREF_INVALID');
      }
      const bytes = decodeStream(container, 'MALFORMED_SIGNATURE', this.budget);
      const lx = new Lexer(bytes, this.context);
      const header: { num: number; offset: number }[] = [];
      const numbers = new Set<number>();
      for (let i = 0; i < count.asNumber(); i++) {
        const num = lx.int();
        const offset = lx.int();
        if (numbers.has(num)) {
          throw new PdfStructureError(
            `object stream ${stream} lists object ${num} twice`,
            'DUPLICATE_OBJECT',
          );
        }
        numbers.add(num);
        header.push({ num, offset });
      }
      parsed = { header, bytes, first: first.asNumber() };
      this.streamCache.set(stream, parsed);
    }
    return parsed;
  }

  private readCompressed(stream: number, index: number, num: number, rev: number): PDFObject {
    const parsed = this.objectStream(stream, rev);
    const slot = parsed.header[index];
    if (!slot || slot.num !== num) {
      throw new PdfStructureError(
        `object ${num} is not at index ${index} of its object stream`,
        'XREF_INVALID',
      );
    }
    const lx = new Lexer(parsed.bytes, this.context);
    lx.moveTo(parsed.first + slot.offset);
    return lx.object();
  }

  /**
   * Every object an object stream of revision `rev` holds must be one that revision's
   * cross-reference places there, at that index: a copy it places elsewhere is a second
   * definition that a reader rebuilding the cross-reference could take instead.
   */
  private checkObjectStreams(revision: Revision, placedIn: Map<number, number>): void {
    // An object stream an earlier revision places objects in is never defined again: the
    // objects it holds would change without any revision listing them, and a reader of the last
    // revision takes the new copy where this reading took the first (round 20am: a page's
    // /Contents array redefined so, drew NOT in poppler and not in pdf.js, and verified valid).
    for (const num of revision.entries.keys()) {
      const earlier = placedIn.get(num);
      if (earlier !== undefined) {
        throw new PdfStructureError(
          `revision ${revision.number} defines object stream ${num} again, which revision ${earlier} places objects in`,
          'AMBIGUOUS_STRUCTURE',
        );
      }
    }
    const streams = new Set<number>();
    for (const entry of revision.entries.values()) {
      if (entry.kind === 'c') {
        streams.add(entry.stream!);
        if (!placedIn.has(entry.stream!)) {
          placedIn.set(entry.stream!, revision.number);
        }
      }
    }
    for (const stream of streams) {
      const { header, bytes, first } = this.objectStream(stream, revision.number);
      // Each object ends where the next begins (whitespace between): an offset into the middle
      // of another object is read one way by this parser and another by a viewer's.
      const lx = new Lexer(bytes, this.context);
      header.forEach(({ num, offset }, index) => {
        const next = header[index + 1]?.offset;
        if (offset < 0 || (next !== undefined && next <= offset)) {
          throw new PdfStructureError(
            `object stream ${stream} gives object ${num} an offset out of order`,
            'AMBIGUOUS_STRUCTURE',
          );
        }
        lx.moveTo(first + offset);
        lx.object();
        lx.skip();
        if (lx.position !== (next === undefined ? bytes.length : first + next)) {
          throw new PdfStructureError(
            `object ${num} in object stream ${stream} does not end where the next begins`,
            'AMBIGUOUS_STRUCTURE',
          );
        }
      });
      header.forEach(({ num }, index) => {
        const entry = revision.entries.get(num);
        if (!entry || entry.kind !== 'c' || entry.stream !== stream || entry.index !== index) {
          throw new PdfStructureError(
            `object stream ${stream} holds object ${num}, which the cross-reference defines elsewhere`,
            'DUPLICATE_OBJECT',
          );
        }
      });
    }
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
      .map((f) => this.signatureValue(f, rev));
  }

  /** The value of a signed field as revision `rev` sees it. */
  signatureValue(f: SignatureField, rev: number): SignatureValue {
    const sig = f.sig!;
    const br = this.resolve(sig.get(PDFName.of('ByteRange')), rev);
    // Four integers written as integers: poppler refuses `1024.0` there ("Illegal values in
    // ByteRange array") and verifies nothing, pdf-lib reads 1024 (round 20aw).
    const byteRange =
      br instanceof PDFArray &&
      br.size() === 4 &&
      br
        .asArray()
        .every((n) => n instanceof PDFNumber && Number.isInteger(n.asNumber()) && !writtenAsReal(n))
        ? br.asArray().map((n) => (n as PDFNumber).asNumber())
        : null;
    const time = this.resolve(sig.get(PDFName.of('M')), rev);
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
      claimedTime: pdfDate(textOf(time)),
      timeWritten: time !== undefined,
      name: textOf(this.resolve(sig.get(PDFName.of('Name')), rev)),
      reason: textOf(this.resolve(sig.get(PDFName.of('Reason')), rev)),
      location: textOf(this.resolve(sig.get(PDFName.of('Location')), rev)),
      definedIn,
    };
  }

  /**
   * The object numbers of the page objects of revision `rev`, as readers find them. Only a tree
   * checkPageTree accepts (ambiguity() refuses any other) is found alike by every reader.
   */
  pageRefs(rev: number): Set<number> {
    const out = new Set<number>();
    let visited = 0;
    const walk = (node: PDFObject | undefined, depth: number) => {
      if (!(node instanceof PDFRef) || depth > MAX_DEPTH || ++visited > MAX_PAGE_NODES) {
        return;
      }
      const dict = this.dict(node, rev);
      if (!dict) {
        return;
      }
      // A page as readers find one: typed as a page (through a reference too), or a node with no
      // /Kids (poppler and pdf.js draw an untyped leaf as a page).
      const kids = this.resolve(dict.get(PDFName.of('Kids')), rev);
      if (
        name(this.resolve(dict.get(PDFName.of('Type')), rev)) === 'Page' ||
        !(kids instanceof PDFArray)
      ) {
        out.add(node.objectNumber);
        return;
      }
      for (const kid of kids.asArray()) {
        walk(kid, depth + 1);
      }
    };
    walk(this.catalog(rev)?.get(PDFName.of('Pages')), 0);
    return out;
  }

  /**
   * The page tree of every revision is exact (checkPageTree). A revision that redefines none of
   * the objects its predecessor's tree was read from, and keeps its /Root, has the same tree:
   * it is not walked again (511 empty updates behind a tree of many pages would walk it 512
   * times).
   */
  private checkPageTrees(): void {
    let checkedRoot: string | null = null;
    let read = new Set<number>();
    for (const revision of this.revisions) {
      const root = String(revision.trailer.get(PDFName.of('Root')));
      if (checkedRoot === root && ![...revision.entries.keys()].some((n) => read.has(n))) {
        continue;
      }
      checkedRoot = root;
      read = this.checkPageTree(revision.number);
    }
  }

  /**
   * The page tree of revision `rev` as every reader reads it alike, or a refusal naming the node
   * that is not: poppler walks /Kids and inherits a page's attributes from the nodes it walked
   * through, pdf.js skips a node by its /Count and inherits through /Parent. So every
   * intermediate node's /Count (an integer, direct or by reference) is the number of pages under
   * it, every node a /Kids array lists (by reference) has a /Parent referring to that node, no
   * node is listed twice, the root has no /Parent, and the tree is at most MAX_DEPTH deep and
   * MAX_PAGE_NODES large (deeper or larger, pageRefs would not find every page). A catalog
   * without /Pages has no tree to check. Returns the object numbers the tree was read from.
   */
  private checkPageTree(rev: number): Set<number> {
    const read = new Set<number>();
    const resolve = (object: PDFObject | undefined): PDFObject | undefined => {
      let current = object;
      for (let i = 0; i < 8 && current instanceof PDFRef; i++) {
        read.add(current.objectNumber);
        current = this.lookup(current, rev);
      }
      return current instanceof PDFRef ? undefined : current;
    };
    const refuse = (detail: string) =>
      new PdfStructureError(`the page tree of revision ${rev}: ${detail}`, 'AMBIGUOUS_STRUCTURE');
    const catalog = resolve(this.revisions[rev - 1]!.trailer.get(PDFName.of('Root')));
    const root = catalog instanceof PDFDict ? catalog.get(PDFName.of('Pages')) : undefined;
    if (root === undefined) {
      return read;
    }
    if (!(root instanceof PDFRef)) {
      throw refuse("the catalog's /Pages is not a reference");
    }
    const listed = new Set<number>([root.objectNumber]);
    let visited = 0;
    /** The pages under `ref`, listed by node `parent` (null for the root). */
    const walk = (ref: PDFRef, parent: number | null, depth: number): number => {
      const num = ref.objectNumber;
      if (depth > MAX_DEPTH) {
        throw refuse(`node ${num} lies deeper than ${MAX_DEPTH} levels`);
      }
      if (++visited > MAX_PAGE_NODES) {
        throw refuse(`more than ${MAX_PAGE_NODES} nodes`);
      }
      const node = resolve(ref);
      if (!(node instanceof PDFDict)) {
        throw refuse(`node ${num} is not a dictionary`);
      }
      const up = node.get(PDFName.of('Parent'));
      if (parent === null) {
        if (up !== undefined) {
          throw refuse(`the root node ${num} has a /Parent`);
        }
      } else if (!(up instanceof PDFRef) || up.objectNumber !== parent) {
        throw refuse(
          `node ${num}, listed by node ${parent}, has ${up instanceof PDFRef ? `/Parent ${String(up)}` : up === undefined ? 'no /Parent' : 'a /Parent that is no reference'}`,
        );
      }
      // A page as pageRefs finds one: typed as a page, or a node without /Kids.
      const kids = node.get(PDFName.of('Kids'));
      if (name(resolve(node.get(PDFName.of('Type')))) === 'Page' || kids === undefined) {
        return 1;
      }
      const list = resolve(kids);
      if (!(list instanceof PDFArray)) {
        throw refuse(`node ${num} has /Kids that are not an array`);
      }
      let pages = 0;
      for (const kid of list.asArray()) {
        if (!(kid instanceof PDFRef)) {
          throw refuse(`node ${num} lists a kid that is not a reference`);
        }
        if (listed.has(kid.objectNumber)) {
          throw refuse(`node ${kid.objectNumber} is listed twice`);
        }
        listed.add(kid.objectNumber);
        pages += walk(kid, num, depth + 1);
      }
      const count = resolve(node.get(PDFName.of('Count')));
      if (!(count instanceof PDFNumber) || count.asNumber() !== pages) {
        throw refuse(
          `node ${num} has ${count instanceof PDFNumber ? `/Count ${count.asNumber()}` : 'no integer /Count'} where ${pages} ${pages === 1 ? 'page lies' : 'pages lie'} under it`,
        );
      }
      return pages;
    };
    walk(root, null, 0);
    return read;
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

/** A cross-reference section as read, before sections are grouped into revisions. */
interface Section {
  offset: number;
  entries: Map<number, XrefEntry>;
  trailer: PDFDict;
  /** The offset after `startxref N %%EOF` when those follow the section, else null. */
  end: number | null;
  named: number | null;
}

interface ObjectStream {
  header: { num: number; offset: number }[];
  bytes: Uint8Array;
  first: number;
}

/** Adds a cross-reference entry; a number already defined in the same revision is refused. */
function addEntry(entries: Map<number, XrefEntry>, num: number, entry: XrefEntry): void {
  // (Numbers above MAX_OBJECT_NUMBER are refused with their subsection or /Index.)
  // Generations are 16 bits to every reader; a table entry can write five digits.
  if (entry.generation > 65535) {
    throw new PdfStructureError(
      `object ${num} has generation ${entry.generation}, above 65535`,
      'XREF_INVALID',
    );
  }
  if (entries.has(num)) {
    throw new PdfStructureError(
      `object ${num} is defined twice in one cross-reference`,
      'DUPLICATE_OBJECT',
    );
  }
  entries.set(num, entry);
}

/** One 20-byte table entry: 10 digits, space, 5 digits, space, n or f, a two-byte end-of-line. */
function xrefTableEntry(bytes: Uint8Array): XrefEntry | null {
  const text = Buffer.from(bytes).toString('latin1');
  const m = /^(\d{10}) (\d{5}) ([nf])( \r| \n|\r\n)$/.exec(text);
  if (!m) {
    return null;
  }
  return { kind: m[3] === 'n' ? 'n' : 'f', offset: Number(m[1]), generation: Number(m[2]) };
}

/**
 * The data of a cross-reference or object stream: unfiltered or FlateDecode (strictly: a
 * damaged zlib stream is refused, not half-read), with the PNG predictors (10–15) where
 * /DecodeParms asks for them.
 */
function decodeStream(
  stream: PDFRawStream,
  reason: StructureReason,
  budget: { inflated: number },
): Uint8Array {
  const { dict } = stream;
  const filter = dict.get(PDFName.of('Filter'));
  const filters =
    filter === undefined
      ? []
      : filter instanceof PDFArray
        ? filter.asArray().map((f) => name(f))
        : [name(filter)];
  if (filters.some((f) => f !== 'FlateDecode') || filters.length > 1) {
    throw new PdfStructureError(`a stream filtered by ${filters.join(', ')}`, reason);
  }
  let data: Uint8Array = stream.contents;
  if (filters.length === 1) {
    const limit = Math.min(MAX_INFLATED, budget.inflated);
    try {
      data = inflateSync(data, { maxOutputLength: Math.max(limit, 1) });
    } catch (error) {
      throw new PdfStructureError(
        (error as { code?: string }).code !== 'ERR_BUFFER_TOO_LARGE'
          ? 'a stream whose compressed data is damaged'
          : limit === MAX_INFLATED
            ? `a stream that inflates beyond ${MAX_INFLATED / 1024 / 1024} MB`
            : `streams that inflate beyond ${MAX_FILE_INFLATED / 1024 / 1024} MB in all`,
        reason,
      );
    }
    budget.inflated -= data.length;
  }
  let parms = dict.get(PDFName.of('DecodeParms'));
  if (parms instanceof PDFArray) {
    parms = parms.get(0);
  }
  // Given by reference, readers resolve it (an object stream's predictor applied) or cannot yet
  // (a cross-reference stream's, read before any object can be), where this reading took none.
  if (parms instanceof PDFRef) {
    throw new PdfStructureError('a stream whose /DecodeParms is given by reference', reason);
  }
  if (!(parms instanceof PDFDict)) {
    return data;
  }
  const num = (key: string, fallback: number) => {
    const v = parms.get(PDFName.of(key));
    return v instanceof PDFNumber ? v.asNumber() : fallback;
  };
  const predictor = num('Predictor', 1);
  if (predictor === 1) {
    return data;
  }
  const columns = num('Columns', 1);
  if (
    predictor < 10 ||
    predictor > 15 ||
    num('Colors', 1) !== 1 ||
    num('BitsPerComponent', 8) !== 8 ||
    !Number.isInteger(columns) ||
    columns < 1 ||
    data.length % (columns + 1) !== 0
  ) {
    throw new PdfStructureError(`a stream with predictor ${predictor} that cannot be read`, reason);
  }
  return unpredictPng(data, columns, reason);
}

/** Undoes PNG row filters (None, Sub, Up, Average, Paeth) with one byte per pixel. */
function unpredictPng(data: Uint8Array, columns: number, reason: StructureReason): Uint8Array {
  const rows = data.length / (columns + 1);
  const out = new Uint8Array(rows * columns);
  for (let r = 0; r < rows; r++) {
    const type = data[r * (columns + 1)]!;
    const src = r * (columns + 1) + 1;
    const dst = r * columns;
    for (let c = 0; c < columns; c++) {
      const raw = data[src + c]!;
      const left = c > 0 ? out[dst + c - 1]! : 0;
      const up = r > 0 ? out[dst - columns + c]! : 0;
      const upLeft = r > 0 && c > 0 ? out[dst - columns + c - 1]! : 0;
      let value: number;
      if (type === 0) {
        value = raw;
      } else if (type === 1) {
        value = raw + left;
      } else if (type === 2) {
        value = raw + up;
      } else if (type === 3) {
        value = raw + ((left + up) >> 1);
      } else if (type === 4) {
        const p = left + up - upLeft;
        const pa = Math.abs(p - left);
        const pb = Math.abs(p - up);
        const pc = Math.abs(p - upLeft);
        value = raw + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft);
      } else {
        throw new PdfStructureError(`a PNG row filter of type ${type}`, reason);
      }
      out[dst + c] = value & 0xff;
    }
  }
  return out;
}
