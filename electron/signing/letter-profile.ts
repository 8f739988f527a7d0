/**
 * What a decision letter may hold: an allowlist, read after static-content.ts's denylist.
 *
 * The denylist names what readers are known to show differently; seven rounds of attacks each
 * found another class of font, image or colour machinery that poppler and pdf.js draw their own
 * way. A letter the workbench writes, or countersigns, or another tool re-signs, needs none of
 * it: text in the standard Latin fonts (not embedded, WinAnsi), lines, rectangles and curves in
 * device colours, opacity, and forms (signature appearances) drawing the same. So a letter
 * judged for a decision draws only that, in each revision: its pages, what they inherit, the
 * appearances of its annotations that have an area, and every form these draw. Anything else is
 * OUTSIDE_LETTER_PROFILE (INDETERMINATE: the signatures may be genuine, but the workbench cannot
 * vouch that every reader shows what was signed). Allowed:
 *
 * - fonts: /Type1 with a /BaseFont of the twelve standard Latin fonts and /Encoding
 *   /WinAnsiEncoding, nothing else (no widths, descriptor, program or ToUnicode map);
 * - resources: /Font, /ExtGState, /XObject, /ProcSet and an empty /ColorSpace; graphics states
 *   of /ca and /CA from 0 to 1; XObjects that are forms (no images, patterns or shadings);
 * - forms: a box, a matrix, resources and a Flate filter;
 * - pages: a parent, a media box (and crop box, rotation, a user unit of 1), contents, resources
 *   and annotations; content streams of a length and a filter;
 * - content: path, text, device colour, graphics-state and form operators (LETTER_OPERATORS),
 *   colour spaces named DeviceGray, DeviceRGB or DeviceCMYK.
 *
 * What no page draws (the form's default resources, the appearance of a signature with no area
 * that poppler's pdfsig adds, in an embedded font) is left to static-content.ts, which reads
 * every object of every revision. Annotations, actions and forms are static-content.ts's
 * (signature widgets and links that draw nothing); the file's structure is pdf-structure.ts's.
 *
 * Longer than 500 lines: one walk over what each revision draws (pages, their resources, forms,
 * appearances, content) and the catalog's viewer chrome, sharing the state of the walk (forms
 * and resources read, the budgets of content and visits) that a split would pass between files.
 */
import { PDFArray, PDFDict, PDFNumber, PDFRawStream, PDFRef, type PDFObject } from 'pdf-lib';
import { LETTER_LIMITS, readContent, stretch } from './content-stream';
import { entriesOf, get, isIntegerToken, nameOf, numbersOf } from './pdf-dict';
import type { PdfFile } from './pdf-structure';
import { appearanceItems, ContentFound, contentData, MAX_DEPTH } from './static-content';

/** The standard fonts every reader carries for Latin text (Symbol and ZapfDingbats are not). */
const LATIN_FONTS = new Set([
  'Helvetica',
  'Helvetica-Bold',
  'Helvetica-Oblique',
  'Helvetica-BoldOblique',
  'Times-Roman',
  'Times-Bold',
  'Times-Italic',
  'Times-BoldItalic',
  'Courier',
  'Courier-Bold',
  'Courier-Oblique',
  'Courier-BoldOblique',
]);

const FONT_KEYS = new Set(['Type', 'Subtype', 'BaseFont', 'Encoding', 'Name']);
const RESOURCE_KEYS = new Set(['Font', 'ExtGState', 'XObject', 'ProcSet', 'ColorSpace']);
const STATE_KEYS = new Set(['Type', 'ca', 'CA']);
const FORM_KEYS = new Set([
  'Type',
  'Subtype',
  'FormType',
  'BBox',
  'Matrix',
  'Resources',
  'Length',
  'Filter',
]);
const PAGE_KEYS = new Set([
  'Type',
  'Parent',
  'MediaBox',
  'CropBox',
  'Rotate',
  'UserUnit',
  'Contents',
  'Resources',
  'Annots',
]);
const DEVICE_SPACES = new Set(['DeviceGray', 'DeviceRGB', 'DeviceCMYK']);

/**
 * The operators a letter draws with. Not among them: images inline or by name's kind (BI, sh),
 * Type 3 glyph operators (d0, d1), text render modes (Tr), rendering intent and flatness (ri,
 * i), marked content with properties (BDC, DP, MP) and compatibility sections (BX, EX).
 */
const LETTER_OPERATORS = new Set(
  [
    'q Q cm w J j M d gs',
    'm l c v y h re S s f F f* B B* b b* n W W*',
    'BT ET Tc Tw Tz TL Tf Ts Td TD Tm T* Tj TJ \' "',
    'CS cs SC SCN sc scn G g RG rg K k',
    'Do BMC EMC',
  ].flatMap((group) => group.split(' ')),
);

class Outside extends Error {}

/**
 * The first thing a decision letter never holds that any revision draws, or null when every
 * revision draws only what the profile allows. What no page draws (the form's default
 * resources, an appearance with no area) is left to static-content.ts, which reads every object.
 */
export function outsideLetterProfile(file: PdfFile): { detail: string } | null {
  const read: Read = {
    streams: new Map(),
    content: new Set(),
    budget: MAX_READ,
    visits: MAX_PROFILE_VISITS,
  };
  try {
    for (const { number: rev } of file.revisions) {
      viewerChrome(file, rev);
      new Drawing(file, rev, read).pages();
    }
    return null;
  } catch (error) {
    if (error instanceof Outside || error instanceof ContentFound) {
      return { detail: error.message };
    }
    throw error;
  }
}

/**
 * What a viewer shows beside the pages, from the catalog, and the workbench never writes (round
 * 20c: a bookmark "DECISION: NOT APPROVED" opened on opening, and a page label "NOT APPROVED -
 * page 1", beside a page that says approved). Every reader reads them alike, but the workbench's
 * own preview of a letter to countersign shows none of them.
 */
const VIEWER_CHROME: Record<string, string> = {
  Outlines: 'bookmarks (/Outlines)',
  PageLabels: 'page labels (/PageLabels)',
  Threads: 'article threads (/Threads)',
};

function viewerChrome(file: PdfFile, rev: number): void {
  const catalog = file.catalog(rev);
  if (!catalog) {
    return;
  }
  for (const [key, value] of entriesOf(catalog)) {
    const what = VIEWER_CHROME[key];
    if (what) {
      throw new Outside(
        `the catalog (revision ${rev}) holds ${what}, which a decision letter never shows`,
      );
    }
    // The workbench asks for the document's title in the title bar, and keeps an empty tree of
    // named destinations; nothing else of either (round 20d: a hidden toolbar and menu bar).
    if (key === 'ViewerPreferences' || key === 'Names') {
      const allowed = key === 'Names' ? 'Dests' : 'DisplayDocTitle';
      const dict = file.dict(value, rev);
      const other = dict ? entriesOf(dict).find(([name]) => name !== allowed) : undefined;
      if (other) {
        throw new Outside(
          `the catalog (revision ${rev}) holds /${key} /${other[0]}, which a decision letter never holds`,
        );
      }
    }
    if (key === 'PageMode' && nameOf(file.resolve(value, rev)) !== 'UseNone') {
      throw new Outside(
        `the catalog (revision ${rev}) opens the viewer on a panel (/PageMode), which a decision letter never does`,
      );
    }
  }
}

/** The object `num` as revision `rev` has it. */
function objectAt(file: PdfFile, num: number, rev: number): PDFObject | undefined {
  const found = file.entry(num, rev);
  if (!found || found.entry.kind === 'f') {
    return undefined;
  }
  return file.lookup(PDFRef.of(num, found.entry.kind === 'n' ? found.entry.generation : 0), rev);
}

/** How deep forms may draw forms (a page, a form, a form in it…). */
const FORM_DEPTH = 4;

/** As much content as static-content.ts reads: 64 MB, each stream (or page's streams) once. */
const MAX_READ = 64 * 1024 * 1024;

/**
 * How many pages, forms and resources the revisions of one file may draw, together (round 20c:
 * four layers of 1,200 forms, each layer's forms sharing one dictionary that lists the next,
 * and thirty revisions made the walk take minutes; the workbench's own letters draw a few
 * dozen, a 200-page report a few thousand).
 */
export const MAX_PROFILE_VISITS = 100_000;

/**
 * What the revisions of one file have read: each content stream's number (`streams`), the
 * content judged (`content`: a form's stream, or a page's streams in order, by those numbers),
 * and what is left of the budgets. A later revision draws mostly what the earlier ones drew.
 */
interface Read {
  streams: Map<PDFRawStream, number>;
  content: Set<string>;
  budget: number;
  /** Pages, forms and resource entries still to visit (MAX_PROFILE_VISITS). */
  visits: number;
}

/** What one revision draws: its pages, their resources and annotations' appearances, and forms. */
class Drawing {
  /** Forms read (with the deepest they were read at), and forms being read. */
  private readonly forms = new Map<PDFObject, number>();
  private readonly open = new Set<PDFObject>();
  /**
   * Resource dictionaries read, with the depth their forms were read at: many forms may share
   * one, and reading it again at that depth or shallower finds nothing new (every form it lists
   * was read at least as deep, and a form that draws itself through it was found the first
   * time, when it was being read).
   */
  private readonly resourcesRead = new Map<PDFObject, number>();

  constructor(
    private readonly file: PdfFile,
    private readonly rev: number,
    private readonly read: Read,
  ) {}

  private resolve(value: PDFObject | undefined) {
    return this.file.resolve(value, this.rev);
  }

  /** Counts `n` visits against the file's budget. */
  private visit(n: number): void {
    this.read.visits -= n;
    if (this.read.visits < 0) {
      throw new Outside(
        `the letter's revisions draw more than ${MAX_PROFILE_VISITS} pages, forms and resources, more than is read`,
      );
    }
  }

  pages(): void {
    for (const num of this.file.pageRefs(this.rev)) {
      const where = `the page object ${num} (revision ${this.rev})`;
      this.visit(1);
      const page = objectAt(this.file, num, this.rev);
      // A page object written as a reference to another object, or as a stream, is followed by
      // some readers and not by others: its page is judged by nobody here.
      if (page instanceof PDFRef || page instanceof PDFRawStream) {
        throw new Outside(`${where} is not written as a page dictionary`);
      }
      if (!(page instanceof PDFDict)) {
        continue;
      }
      onlyKeys(page, PAGE_KEYS, where);
      const unit = get(page, 'UserUnit');
      if (unit !== undefined && !(isIntegerToken(unit) && unit.asNumber() === 1)) {
        throw new Outside(`${where} has a user unit other than 1`);
      }
      // Its resources, and those it inherits from the nodes above it.
      let node: PDFObject | undefined = page;
      for (let depth = 0; node instanceof PDFDict && depth < MAX_DEPTH; depth++) {
        const resources = get(node, 'Resources');
        if (resources !== undefined) {
          this.resources(resources, `${where} /Resources`, depth);
        }
        node = this.resolve(get(node, 'Parent'));
      }
      // Its streams read joined, as readers join them (one may set what the next draws with).
      const contents = this.resolve(get(page, 'Contents'));
      const streams = (
        contents instanceof PDFArray ? contents.asArray() : [get(page, 'Contents')]
      ).map((item) => this.resolve(item));
      const drawn = streams.filter((stream) => stream instanceof PDFRawStream);
      for (const stream of drawn) {
        onlyKeys(stream.dict, new Set(['Length', 'Filter']), `${where}'s content stream`);
      }
      this.content(drawn, false, `${where}'s content`);
      const annots = this.resolve(get(page, 'Annots'));
      for (const annot of annots instanceof PDFArray ? annots.asArray() : []) {
        const dict = this.resolve(annot);
        // A viewer shows an annotation's text as a tooltip or a note (round 20d: a Link's
        // "DECISION: NOT APPROVED"); the workbench's annotations hold none.
        if (dict instanceof PDFDict && get(dict, 'Contents') !== undefined) {
          throw new Outside(
            `an annotation of ${where} holds a text viewers show (/Contents), which a decision letter never holds`,
          );
        }
        this.appearances(dict, `an annotation of ${where}`);
      }
    }
  }

  /** An annotation's appearances (/N, /R, /D; each a form or states of forms), where it has an area. */
  private appearances(annot: PDFObject | undefined, where: string): void {
    if (!(annot instanceof PDFDict) || !this.hasArea(get(annot, 'Rect'))) {
      return;
    }
    const ap = this.resolve(get(annot, 'AP'));
    if (!(ap instanceof PDFDict) || ap instanceof PDFRawStream) {
      return;
    }
    for (const item of appearanceItems(this.file, ap, this.rev)) {
      const stream = this.resolve(item);
      if (!(stream instanceof PDFRawStream)) {
        continue;
      }
      if (this.slanted(stream)) {
        throw new Outside(
          `the appearance of ${where} is drawn through a matrix that skews, rotates or mirrors it (/Matrix)`,
        );
      }
      if (this.magnified(stream, annot)) {
        throw new Outside(
          `the appearance of ${where} is drawn magnified (its /Rect larger than its /BBox)`,
        );
      }
      this.form(stream, `the appearance of ${where}`, 0);
    }
  }

  /**
   * Whether an appearance's /Matrix does more than scale it up or down (round 20ah): poppler clips
   * an appearance to its /BBox as the matrix turns it (a parallelogram when it shears), pdf.js
   * to the annotation's /Rect only, so "NOT" drawn in a corner outside the sheared box showed in
   * pdf.js alone. The workbench writes no appearance /Matrix; one may only scale by a positive
   * factor on each axis.
   */
  private slanted(stream: PDFRawStream): boolean {
    const matrix = this.resolve(get(stream.dict, 'Matrix'));
    if (!(matrix instanceof PDFArray)) {
      return false;
    }
    const [a, b, c, d] = this.box(matrix);
    return !(b === 0 && c === 0 && a! > 0 && d! > 0);
  }

  /**
   * Whether a viewer, fitting an appearance's box to its annotation's rectangle, magnifies it: a
   * letter's never is, so the scale a form draws at stays within LETTER_LIMITS (the workbench's
   * boxes are its rects). The box as the viewer fits it: through the form's /Matrix (round 20ae:
   * a /Matrix of 0.000001 made a 300 × 30 box three ten-thousandths wide, fitted a million times
   * larger: on its rectangle in poppler, a thousand pixels away in a canvas).
   */
  private magnified(stream: PDFRawStream, annot: PDFDict): boolean {
    const [bx1, by1, bx2, by2] = this.box(get(stream.dict, 'BBox'));
    const matrix = this.resolve(get(stream.dict, 'Matrix'));
    const [a, b, c, d] = matrix instanceof PDFArray ? this.box(matrix) : [1, 0, 0, 1];
    const xs = [bx1!, bx2!].flatMap((x) => [by1!, by2!].map((y) => a! * x + c! * y));
    const ys = [bx1!, bx2!].flatMap((x) => [by1!, by2!].map((y) => b! * x + d! * y));
    const [rx1, ry1, rx2, ry2] = this.box(get(annot, 'Rect'));
    return (
      !(Math.abs(rx2! - rx1!) <= (Math.max(...xs) - Math.min(...xs)) * 1.001) ||
      !(Math.abs(ry2! - ry1!) <= (Math.max(...ys) - Math.min(...ys)) * 1.001)
    );
  }

  /** Four numbers of a box (NaN where there is no number). */
  private box(value: PDFObject | undefined): number[] {
    const numbers = numbersOf(this.file, value, this.rev);
    return [0, 1, 2, 3].map((i) => numbers?.[i] ?? NaN);
  }

  private hasArea(rect: PDFObject | undefined): boolean {
    const [x1, y1, x2, y2] = this.box(rect);
    // (Not four numbers: static-content.ts refuses it.)
    return !(x1 === x2 || y1 === y2);
  }

  /**
   * A form: its keys, its resources and its content; a form that draws itself, through its own
   * resources or another form's, is no letter's (readers stop at different depths). A form is
   * read again when it is reached deeper than before, so the depth it is judged at is the
   * deepest it is drawn at (round 20ai: twenty forms, each listed by the page and so first
   * read one deep, drew each other twenty deep, each doubling the scale).
   */
  private form(stream: PDFRawStream, where: string, depth: number): void {
    if (this.open.has(stream)) {
      throw new Outside(`${where} is a form that draws itself`);
    }
    if ((this.forms.get(stream) ?? -1) >= depth) {
      return;
    }
    // Forms within forms compose their matrices: a letter draws a signature's appearance, and
    // nothing nests deeper than a few forms, each scaling within LETTER_LIMITS.
    if (depth > FORM_DEPTH) {
      throw new Outside(`${where} nests forms too deeply to be read`);
    }
    this.visit(1);
    this.open.add(stream);
    onlyKeys(stream.dict, FORM_KEYS, `${where}, a form,`);
    const matrix = this.resolve(get(stream.dict, 'Matrix'));
    const m = numbersOf(this.file, matrix, this.rev) ?? [];
    const bbox = this.box(get(stream.dict, 'BBox'));
    // Its matrix may not enlarge (a stretch of at most 1, not merely entries of at most 1:
    // [1 -1 1 1] and a `cm` of [1 1 -1 1] compose to twice the size).
    if (
      m.slice(0, 4).some((v) => !(Math.abs(v) <= 1)) ||
      (m.length > 0 && !(stretch(m) <= 1 + 1e-9)) ||
      m.slice(4).some((v) => !(Math.abs(v) <= LETTER_LIMITS.number)) ||
      bbox.some((v) => !(Math.abs(v) <= LETTER_LIMITS.number))
    ) {
      throw new Outside(
        `${where} is a form whose matrix or box goes beyond the sizes a letter draws at`,
      );
    }
    const resources = get(stream.dict, 'Resources');
    if (resources !== undefined) {
      this.resources(resources, `${where} /Resources`, depth);
    }
    this.content([stream], true, where);
    this.open.delete(stream);
    this.forms.set(stream, depth);
  }

  /** Fonts, graphics states and forms only, each as the profile allows. */
  private resources(value: PDFObject | undefined, where: string, depth: number): void {
    const dict = this.resolve(value);
    if (!(dict instanceof PDFDict) || dict instanceof PDFRawStream) {
      throw new Outside(`${where} is not a dictionary of resources`);
    }
    if ((this.resourcesRead.get(dict) ?? -1) >= depth) {
      return;
    }
    onlyKeys(dict, RESOURCE_KEYS, where);
    const entries = (key: string) => {
      const d = this.resolve(get(dict, key));
      if (d === undefined) {
        return [];
      }
      if (!(d instanceof PDFDict) || d instanceof PDFRawStream) {
        throw new Outside(`${where} /${key} is not a dictionary`);
      }
      const listed = entriesOf(d);
      this.visit(listed.length);
      return listed;
    };
    if (entries('ColorSpace').length > 0) {
      throw new Outside(`${where} defines colour spaces, which a decision letter never uses`);
    }
    for (const [name, font] of entries('Font')) {
      this.font(font, `${where} /Font /${name}`);
    }
    for (const [name, state] of entries('ExtGState')) {
      this.state(state, `${where} /ExtGState /${name}`);
    }
    for (const [name, xobject] of entries('XObject')) {
      const form = this.resolve(xobject);
      if (
        !(form instanceof PDFRawStream) ||
        nameOf(this.resolve(get(form.dict, 'Subtype'))) !== 'Form'
      ) {
        throw new Outside(
          `${where} /XObject /${name} is not a form (an image?), which a decision letter never draws`,
        );
      }
      this.form(form, `${where} /XObject /${name}`, depth + 1);
    }
    this.resourcesRead.set(dict, depth);
  }

  /** A standard Latin Type 1 font, WinAnsi encoded, not embedded. */
  private font(value: PDFObject | undefined, where: string): void {
    const font = this.resolve(value);
    if (!(font instanceof PDFDict) || font instanceof PDFRawStream) {
      throw new Outside(`${where} is not a font dictionary`);
    }
    onlyKeys(font, FONT_KEYS, `${where}, a font,`);
    const subtype = nameOf(this.resolve(get(font, 'Subtype')));
    const base = nameOf(this.resolve(get(font, 'BaseFont')));
    if (subtype !== 'Type1' || !base || !LATIN_FONTS.has(base)) {
      throw new Outside(
        `${where} is a font other than a standard Latin one (/${subtype ?? '?'} /${base ?? '?'}), which a decision letter never uses`,
      );
    }
    if (nameOf(this.resolve(get(font, 'Encoding'))) !== 'WinAnsiEncoding') {
      throw new Outside(`${where} is a font not encoded /WinAnsiEncoding`);
    }
  }

  /** A graphics state of opacity only: /ca and /CA, numbers from 0 to 1. */
  private state(value: PDFObject | undefined, where: string): void {
    const state = this.resolve(value);
    if (!(state instanceof PDFDict) || state instanceof PDFRawStream) {
      throw new Outside(`${where} is not a graphics state dictionary`);
    }
    onlyKeys(state, STATE_KEYS, `${where}, a graphics state,`);
    for (const key of ['ca', 'CA']) {
      const v = this.resolve(get(state, key));
      if (v !== undefined && !(v instanceof PDFNumber && v.asNumber() >= 0 && v.asNumber() <= 1)) {
        throw new Outside(`${where} sets /${key} to something other than a number from 0 to 1`);
      }
    }
    const type = get(state, 'Type');
    if (type !== undefined && nameOf(this.resolve(type)) !== 'ExtGState') {
      throw new Outside(`${where} is typed other than /ExtGState`);
    }
  }

  /**
   * Content (a page's streams joined, or a form's): only the letter's operators and device
   * colour spaces.
   */
  private content(streams: PDFRawStream[], form: boolean, where: string): void {
    const { read: seen } = this;
    const key = `${form}:${streams
      .map((stream) => {
        const known = seen.streams.get(stream);
        const id = known ?? seen.streams.size + 1;
        seen.streams.set(stream, id);
        return id;
      })
      .join(',')}`;
    if (seen.content.has(key)) {
      return;
    }
    const data = Buffer.concat(streams.map((stream) => contentData(this.file, stream, where)));
    seen.budget -= data.length;
    if (seen.budget < 0) {
      throw new Outside(
        `the letter's content, read as its revisions draw it, runs beyond ${MAX_READ / 1024 / 1024} MB, more than is read`,
      );
    }
    seen.content.add(key);
    const read = readContent(data, { inherits: form, whole: true, letter: true });
    if (read.problem !== null) {
      throw new Outside(`${where} ${read.problem}`);
    }
    const operator = [...read.operators].find((op) => !LETTER_OPERATORS.has(op));
    if (operator !== undefined) {
      throw new Outside(
        `${where} uses the operator ${operator}, which a decision letter never uses`,
      );
    }
    const space = [...read.colourSpaces].find((name) => !DEVICE_SPACES.has(name));
    if (space !== undefined) {
      throw new Outside(
        `${where} sets the colour space /${space}, which a decision letter never uses`,
      );
    }
  }
}

/** Only the keys `allowed`. */
function onlyKeys(dict: PDFDict, allowed: ReadonlySet<string>, what: string): void {
  const other = entriesOf(dict).find(([key]) => !allowed.has(key));
  if (other) {
    throw new Outside(`${what} has /${other[0]}, which a decision letter never holds`);
  }
}
