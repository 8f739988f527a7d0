/**
 * What a signed letter may hold so that every reader shows the same page: static content only.
 *
 * A signature covers bytes, not what a reader makes of them. Some features make one reader show
 * what another hides, from the same signed bytes: optional content (a layer on for the screen and
 * off for print), annotation flags (an appearance drawn only when printed), a form field whose
 * value says one thing and whose appearance another, JavaScript or other actions that change the
 * page when it is opened, annotations a viewer draws from its own stock (a Stamp's "Approved").
 * None of them is in a letter the workbench writes or a genuine signer adds, so every object of
 * every revision is read and the first such feature found is named; the verifier then refuses
 * every signature (DYNAMIC_CONTENT).
 *
 * Allowed: signature fields and their widgets (flag Print, not Hidden, NoView or ToggleNoView; a
 * normal appearance only), Links that draw nothing (no appearance, no border, no colour) whose
 * action is URI, GoTo or Named.
 * Content streams (pages, form XObjects, patterns, Type 3 glyphs) are read after their filter
 * (none or Flate only), token by token (content-stream.ts), and every font they set must be one
 * every reader loads.
 *
 * Longer than 500 lines: one walk over every object of every revision deciding what a letter may
 * hold — objects, annotations, forms, pages and their fonts — each rule beside the feature it
 * refuses; the reading of content streams themselves is content-stream.ts's.
 */
import { inflateSync } from 'node:zlib';
import {
  PDFArray,
  PDFBool,
  PDFDict,
  PDFHexString,
  PDFName,
  PDFNull,
  PDFNumber,
  PDFRawStream,
  PDFRef,
  PDFString,
  type PDFObject,
} from 'pdf-lib';
import {
  flat,
  readContent,
  type ColourSpace,
  type ColourSpaces,
  type Resource,
} from './content-stream';
import { entriesOf, flagsReadAlike, get, isIntegerToken, nameOf, numbersOf } from './pdf-dict';
import { MAX_CONTENT_INFLATED, writtenAsReal, type PdfFile } from './pdf-structure';

/** Keys whose presence anywhere makes content dynamic, and what each is. */
const FORBIDDEN_KEYS: Record<string, string> = {
  OCProperties: 'optional content (/OCProperties)',
  OC: 'optional content (/OC)',
  OpenAction: 'an action run on opening (/OpenAction)',
  AA: 'additional actions (/AA)',
  JavaScript: 'JavaScript (/JavaScript)',
  JS: 'JavaScript (/JS)',
  XFA: 'an XFA form (/XFA)',
  NeedsRendering: 'a form drawn by the viewer (/NeedsRendering)',
  Alternates: 'alternate images (/Alternates)',
  Collection: 'a portfolio (/Collection)',
  AlternatePresentations: 'alternate presentations (/AlternatePresentations)',
  Thumb: 'a thumbnail image of its own (/Thumb)',
  ActualText: 'text read aloud or copied instead of what is drawn (/ActualText)',
  Alt: 'alternate text read instead of what is drawn (/Alt)',
  EmbeddedFiles: 'embedded files (/EmbeddedFiles)',
  EF: 'an embedded file (/EF)',
  AF: 'associated files (/AF)',
  DefaultGray: 'a colour space that replaces DeviceGray (/DefaultGray)',
  DefaultRGB: 'a colour space that replaces DeviceRGB (/DefaultRGB)',
  DefaultCMYK: 'a colour space that replaces DeviceCMYK (/DefaultCMYK)',
  // A certification (DocMDP) or field-lock signature: what later changes it allows is enforced
  // by some readers and not others (a countersignature broke a "no changes" certification in
  // Acrobat and in no reader here, round 20aw). The workbench writes approval signatures only.
  Perms: 'permissions a certification signature sets (/Perms)',
  Reference: 'a certification or field-lock reference in a signature (/Reference)',
  // pdf.js shows the XMP title in its title bar, poppler's tools and most viewers the Info
  // /Title (round 20ba): the workbench writes the document information only.
  Metadata:
    'XMP metadata (/Metadata), whose title some viewers show instead of the document information',
};

/** Actions that only navigate; every other action can change what a reader shows or runs. */
const HARMLESS_ACTIONS = new Set(['URI', 'GoTo', 'Named']);

/** Annotation flags (PDF 32000-1 §12.5.3). */
const FLAG = {
  hidden: 2,
  print: 4,
  noZoom: 8,
  noRotate: 16,
  noView: 32,
  toggleNoView: 256,
} as const;

/** How far a chain of references, parents or actions is followed. */
export const MAX_DEPTH = 64;

class Found extends Error {}
export { Found as ContentFound };

/**
 * The first feature in `file` (any revision) that can make readers show different things, or
 * null when the file holds static content only. Reads objects as `file` does; a structure it
 * cannot read is `file.ambiguity()`'s to report (this throws its PdfStructureError).
 */
export function dynamicContent(file: PdfFile): { detail: string } | null {
  unread = MAX_TOKENS_READ;
  try {
    const contents: Named = { content: [], appearances: [], states: [] };
    /** The widgets each revision's form lists, and every widget with the revision defining it. */
    const forms: Set<number>[] = [];
    const widgets: { num: number; rev: number; where: string }[] = [];
    for (const revision of file.revisions) {
      const rev = revision.number;
      for (const [num, entry] of revision.entries) {
        if (entry.kind === 'f') {
          continue;
        }
        const ref = PDFRef.of(num, entry.kind === 'n' ? entry.generation : 0);
        const object = file.lookup(ref, rev);
        const where = `object ${num} (revision ${rev})`;
        visit(file, object, rev, where, 0, contents);
        if (object instanceof PDFRawStream && isContentStream(file, object.dict, rev)) {
          scanForm(file, object, rev, where);
        }
        if (
          object instanceof PDFRawStream &&
          nameOf(file.resolve(get(object.dict, 'Subtype'), rev)) === 'Image'
        ) {
          checkImage(file, object, rev, where);
        }
        if (
          object instanceof PDFDict &&
          nameOf(file.resolve(get(object, 'Subtype'), rev)) === 'Widget'
        ) {
          widgets.push({ num, rev, where });
        }
      }
      forms.push(checkFields(file, rev));
    }
    // A signature widget no field lists is drawn by viewers but judged by no verifier: it must
    // be a field (or a field's kid) of the form from its revision to the last.
    for (const { num, rev, where } of widgets) {
      if (forms.slice(rev - 1).some((members) => !members.has(num))) {
        throw new Found(`${where} is a signature widget the form does not list as a field`);
      }
    }
    for (const { state, rev, where } of contents.states) {
      const dash = file.dict(state, rev)?.get(PDFName.of('D'));
      if (dash !== undefined) {
        checkDash(file, dash, rev, where);
      }
    }
    scanAll(file, contents.content);
    scanAppearances(file, contents.appearances);
    checkPages(file);
    return null;
  } catch (error) {
    if (error instanceof Found) {
      return { detail: error.message };
    }
    throw error;
  }
}

/** The streams the objects name as content: pages' and glyphs' (`content`), and annotations'. */
interface Named {
  content: PDFRef[];
  appearances: PDFRef[];
  /** Every graphics state a resource dictionary lists, with where it is listed. */
  states: { state: PDFObject; rev: number; where: string }[];
}

/**
 * An annotation's appearance is a form whatever its /Subtype says: every reader draws it as one.
 * One without /Subtype /Form escaped the reading of forms (a named XObject it did not define,
 * drawn by poppler from the page's resources), so each is read as a form, in every revision
 * that defines it.
 */
function scanAppearances(file: PdfFile, refs: readonly PDFRef[]): void {
  const seen = new Set<number>();
  for (const { objectNumber: num } of refs) {
    if (seen.has(num)) {
      continue;
    }
    seen.add(num);
    for (const { rev, object } of definitions(file, num)) {
      // (One that says it is a form was read as one with the other objects.)
      if (object instanceof PDFRawStream && !isContentStream(file, object.dict, rev)) {
        scanForm(file, object, rev, `object ${num} (revision ${rev})`);
      }
    }
  }
}

/**
 * Each definition of object `num`, in the revision that made it (only those revisions: see
 * PdfFile.definedIn); a free entry is none.
 */
function* definitions(
  file: PdfFile,
  num: number,
): Generator<{ rev: number; object: PDFObject | undefined }> {
  for (const rev of file.definedIn(num)) {
    const found = file.entry(num, rev);
    if (found && found.entry.kind !== 'f') {
      const ref = PDFRef.of(num, found.entry.kind === 'n' ? found.entry.generation : 0);
      yield { rev, object: file.lookup(ref, rev) };
    }
  }
}

/** How many objects named as content are read before the file is refused as too many. */
export const MAX_CONTENT_OBJECTS = 100_000;

/**
 * Every stream named as page content (or an appearance, or a glyph) as every revision has it:
 * a later revision may replace the stream and leave what names it as it was.
 */
function scanAll(file: PdfFile, refs: PDFRef[]): void {
  const queue = refs.map((r) => r.objectNumber);
  const seen = new Set<number>();
  while (queue.length) {
    const num = queue.pop()!;
    if (seen.has(num)) {
      continue;
    }
    // No letter names so many streams as content; past them nothing would be read.
    if (seen.size >= MAX_CONTENT_OBJECTS) {
      throw new Found(`the file names more than ${MAX_CONTENT_OBJECTS} objects as content`);
    }
    seen.add(num);
    for (const { rev, object } of definitions(file, num)) {
      const where = `object ${num} (revision ${rev})`;
      // (A form is read by scanForm, with its resources.)
      if (object instanceof PDFRawStream && !isContentStream(file, object.dict, rev)) {
        scanContent(file, object, where);
      } else if (object instanceof PDFArray) {
        // A page's /Contents may name an array of streams indirectly.
        for (const item of object.asArray()) {
          if (item instanceof PDFRef) {
            queue.push(item.objectNumber);
          }
        }
      }
    }
  }
}

/** Whether two boxes (arrays of four numbers, after references) are the same box. */
function sameBox(
  file: PdfFile,
  a: PDFObject | undefined,
  b: PDFObject | undefined,
  rev: number,
): boolean {
  const [x, y] = [numbers(file, a, rev), numbers(file, b, rev)];
  return x?.length === 4 && y?.length === 4 && x.every((v, i) => v === y[i]);
}

/**
 * A graphics state's dash as every reader draws it. A dash of no length is drawn solid by pdf.js
 * and not at all by poppler; so is a dash of anything but numbers (`[[null 0] 0]`: 0 to poppler).
 */
function checkDash(file: PdfFile, value: PDFObject, rev: number, where: string): void {
  const dashed = file.resolve(value, rev);
  if (!(dashed instanceof PDFArray)) {
    return;
  }
  const dash = numbers(file, arrayItem(file, value, 0, rev), rev);
  const phase = file.resolve(arrayItem(file, value, 1, rev), rev);
  if (!dash || dashed.size() !== 2 || !(phase instanceof PDFNumber)) {
    throw new Found(`${where} sets a dash that is not numbers and a phase (/D)`);
  }
  if (dash.length > 0 && dash.every((d) => d === 0)) {
    throw new Found(`${where} sets a dash of no length (/D)`);
  }
  // As `d` (round 20ac): poppler strokes nothing of a negative dash, a canvas solid.
  if (dash.some((d) => d < 0) || phase.asNumber() < 0) {
    throw new Found(`${where} sets a dash with a negative length or phase (/D)`);
  }
}

/** Walks a direct object (references are visited as objects of their own). */
/** The entries whose strings are bytes, not text: an encryption dictionary's, a file's identifier. */
const BINARY_KEYS = new Set(['ID', 'O', 'U', 'OE', 'UE', 'Perms']);

/**
 * How a text string is read differently by poppler and pdf.js, or null (round 20d). pdf.js
 * drops what stands between two escapes (0x1B, a language tag), poppler shows it: a title
 * "DECISION: \x1bNOT \x1bAPPROVED" read "DECISION: APPROVED" in one and with "NOT" in the
 * other. Each also decodes control codes, bytes PDFDocEncoding leaves undefined (0x7F, 0x9F,
 * 0xAD), a UTF-16 surrogate without its pair and a UTF-16 string of odd length its own way.
 */
export function textReadTwoWays(bytes: Uint8Array): string | null {
  const control = (code: number) => code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return 'in UTF-16 of the wrong byte order';
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    if (bytes.length % 2 !== 0) {
      return 'in UTF-16 of an odd length';
    }
    for (let i = 2; i < bytes.length; i += 2) {
      const unit = (bytes[i]! << 8) | bytes[i + 1]!;
      if (control(unit)) {
        return `with a control code (0x${unit.toString(16).padStart(2, '0')})`;
      }
      if (unit >= 0xd800 && unit <= 0xdbff) {
        const next = i + 3 < bytes.length ? (bytes[i + 2]! << 8) | bytes[i + 3]! : -1;
        if (!(next >= 0xdc00 && next <= 0xdfff)) {
          return 'with a UTF-16 surrogate without its pair';
        }
        i += 2;
      } else if (unit >= 0xdc00 && unit <= 0xdfff) {
        return 'with a UTF-16 surrogate without its pair';
      }
    }
    return null;
  }
  const odd = bytes.find((b) => control(b) || b === 0x7f || b === 0x9f || b === 0xad);
  return odd === undefined
    ? null
    : `with a byte PDFDocEncoding reads apart (0x${odd.toString(16).padStart(2, '0')})`;
}

function visit(
  file: PdfFile,
  object: PDFObject | undefined,
  rev: number,
  where: string,
  depth: number,
  contents: Named,
): void {
  if (depth > MAX_DEPTH) {
    throw new Found(`${where} is nested too deeply to be read`);
  }
  // A text string in UTF-8 (PDF 2.0, marked by its byte-order mark) is read as UTF-8 by pdf.js
  // and as PDFDocEncoding by poppler 22 (round 20c: a title "NOT APPROVED" in one, "ï»¿NOT
  // APPROVED" in the other); the workbench writes UTF-16 or PDFDocEncoding.
  if (object instanceof PDFString || object instanceof PDFHexString) {
    const bytes = object.asBytes();
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
      throw new Found(`${where} holds a text string in UTF-8, which readers decode differently`);
    }
    return;
  }
  if (object instanceof PDFArray) {
    const family = nameOf(file.resolve(object.get(0), rev));
    if (family === 'Separation' || family === 'DeviceN') {
      throw new Found(`${where} holds a colour space drawn through a function (/${family})`);
    }
    if (family === 'Indexed' && spaceOf(file, object, rev, true) === null) {
      throw new Found(`${where} holds an indexed colour space whose table is not its entries`);
    }
    for (const item of object.asArray()) {
      visit(file, item, rev, where, depth + 1, contents);
    }
    return;
  }
  const dict =
    object instanceof PDFRawStream ? object.dict : object instanceof PDFDict ? object : null;
  if (!dict) {
    return;
  }
  // Decode parameters on a stream that is no image (a font program, a profile, a map): pdf.js
  // read a font stored with `/Predictor 5` as empty and drew a standard font, poppler the font.
  // (Cross-reference streams are read by the structure reader, not drawn.)
  if (
    object instanceof PDFRawStream &&
    (get(dict, 'DecodeParms') !== undefined || get(dict, 'DP') !== undefined) &&
    nameOf(file.resolve(get(dict, 'Subtype'), rev)) !== 'Image' &&
    nameOf(file.resolve(get(dict, 'Type'), rev)) !== 'XRef'
  ) {
    throw new Found(`${where} is a stream other than an image with decode parameters`);
  }
  const entries = entriesOf(dict);
  for (const [key, value] of entries) {
    const what = FORBIDDEN_KEYS[key];
    if (what) {
      throw new Found(`${where} holds ${what}`);
    }
    // Every string a dictionary holds is judged as text (round 20e: a document information key
    // of the author's own, shown by `pdfinfo -custom`), but a signature value's CMS and
    // certificates and an encryption dictionary's keys, which are bytes.
    if (
      !BINARY_KEYS.has(key) &&
      !((key === 'Contents' || key === 'Cert') && get(dict, 'ByteRange') !== undefined)
    ) {
      const text = file.resolve(value, rev);
      const differs =
        text instanceof PDFString || text instanceof PDFHexString
          ? textReadTwoWays(text.asBytes())
          : null;
      if (differs !== null) {
        throw new Found(
          `${where} holds a text (/${key}) ${differs}, which readers decode differently`,
        );
      }
    }
    // Viewers show a page's crop box (pdf.js) or its media box (pdftoppm without -cropbox):
    // a page whose two differ is a different page to each.
    if (key === 'CropBox' && !sameBox(file, value, get(dict, 'MediaBox'), rev)) {
      throw new Found(`${where} has a CropBox that is not its MediaBox`);
    }
    // Readers evaluate functions each their own way (poppler refused a function without its
    // /Domain and showed the line, pdf.js painted it over): no shading, no function.
    if (key === 'ShadingType' || key === 'FunctionType') {
      throw new Found(
        `${where} holds a shading or a function (/${key}), which readers evaluate differently`,
      );
    }
    // A graphics state's dash (/D), checked here unless the dictionary names its kind by /S (an
    // action's /D is where it leads, a border style's its own dash): such a dictionary's dash
    // is checked where the dictionary is used as a graphics state, whatever else it says.
    if (key === 'D' && get(dict, 'S') === undefined) {
      checkDash(file, value, rev, where);
    }
    if (key === 'ExtGState') {
      for (const state of file.dict(value, rev)?.values() ?? []) {
        contents.states.push({ state, rev, where });
      }
    }
    // A pattern every reader takes: a tiling pattern of integers (poppler drew none of
    // `/PatternType 1.0` and made up a missing /PaintType, which pdf.js refused), with steps.
    if (key === 'PatternType') {
      const integers = (name: string, allowed: number[]) => {
        const v = file.resolve(get(dict, name), rev);
        return isIntegerToken(v) && allowed.includes(v.asNumber());
      };
      const step = (name: string) => {
        const v = file.resolve(get(dict, name), rev);
        return v instanceof PDFNumber && v.asNumber() !== 0;
      };
      // (A shading pattern, type 2, is refused with its shading.)
      const tiling = integers('PatternType', [1]);
      if (
        !(tiling || integers('PatternType', [2])) ||
        (tiling &&
          !(
            integers('PaintType', [1, 2]) &&
            integers('TilingType', [1, 2, 3]) &&
            step('XStep') &&
            step('YStep')
          ))
      ) {
        throw new Found(`${where} is a pattern readers read differently`);
      }
    }
    // A graphics state's line cap and join, as `J` and `j`: poppler applies only an integer
    // (`/LC 2.0` and `/LC (2)` it skipped; pdf.js capped a stroke over "NOT"); width and miter
    // limit, as `w` and `M`, numbers.
    if (key === 'LC' || key === 'LJ') {
      const style = file.resolve(value, rev);
      if (!isIntegerToken(style) || ![0, 1, 2].includes(style.asNumber())) {
        throw new Found(`${where} sets /${key} to other than an integer line style (0, 1 or 2)`);
      }
    }
    if ((key === 'LW' || key === 'ML') && !(file.resolve(value, rev) instanceof PDFNumber)) {
      throw new Found(`${where} sets /${key} with other than a number`);
    }
    // As `M` and `w` (round 20aa): a miter limit of at least 1, a width of at least 0.
    const least = key === 'ML' ? 1 : key === 'LW' ? 0 : null;
    const limit = file.resolve(value, rev);
    if (least !== null && limit instanceof PDFNumber && limit.asNumber() < least) {
      throw new Found(`${where} sets /${key} below ${least}`);
    }
    // A graphics state's font is set by `gs`, which no font check of `Tf` sees (poppler drew a
    // font pdf.js could not load): a letter sets its fonts by Tf.
    if (key === 'Font' && file.resolve(value, rev) instanceof PDFArray) {
      throw new Found(`${where} sets a font through a graphics state (/Font in an ExtGState)`);
    }
    // A page turned by other than a quarter turn is turned by some viewers and not by others.
    if (key === 'Rotate') {
      const turn = file.resolve(value, rev);
      // Written as an integer: poppler takes /Rotate 180.0 as no turn, pdf.js turns the page.
      // At most a whole turn either way: beyond 2^31 − 1 poppler keeps the turn the page
      // inherits, pdf.js and this reading take the page's own (round 20as: 2147483880, no turn
      // here, let a NoRotate widget past this check, which poppler turned over "NOT").
      if (!(
        isIntegerToken(turn) &&
        Number.isInteger(turn.asNumber() / 90) &&
        Math.abs(turn.asNumber()) <= 360
      )) {
        throw new Found(
          `${where} turns a page by other than quarter turns, at most a whole turn (/Rotate)`,
        );
      }
    }
    // Transparency, blend modes and transfer functions draw text invisibly that every text
    // reader still extracts (as render mode 3 does): a letter is drawn opaque, as it is. An
    // alpha that is no number is refused too: poppler skipped `/ca (0)`, pdf.js's canvas read
    // it as 0 and hid "NOT" (round 20z).
    const resolved = file.resolve(value, rev);
    if ((key === 'ca' || key === 'CA') && !(resolved instanceof PDFNumber)) {
      throw new Found(`${where} sets /${key} with other than a number`);
    }
    if (
      (key === 'ca' || key === 'CA') &&
      resolved instanceof PDFNumber &&
      resolved.asNumber() < 1
    ) {
      throw new Found(`${where} draws with transparency (/${key} ${resolved.asNumber()})`);
    }
    if (key === 'BM' && !['Normal', 'Compatible'].includes(nameOf(resolved) ?? '')) {
      throw new Found(`${where} draws with a blend mode (/BM)`);
    }
    if (
      (key === 'TR' || key === 'TR2') &&
      !['Identity', 'Default'].includes(nameOf(resolved) ?? '')
    ) {
      throw new Found(`${where} draws through a transfer function (/${key})`);
    }
    // A graphics state's soft mask is a group drawn by nobody yet read by text extractors (an
    // image's /SMask is a stream, and stays).
    if (key === 'SMask' && file.resolve(value, rev) instanceof PDFDict) {
      throw new Found(`${where} holds a soft mask in a graphics state (/SMask)`);
    }
    if (key === 'NeedAppearances' && !(value instanceof PDFBool && !value.asBoolean())) {
      throw new Found(`${where} asks viewers to draw the form themselves (/NeedAppearances)`);
    }
    if (key === 'FT' && nameOf(file.resolve(value, rev)) !== 'Sig') {
      throw new Found(
        `${where} is a form field of type ${String(nameOf(file.resolve(value, rev)))}, not a signature field`,
      );
    }
    // Where page content may come from: a page's /Contents, a Type 3 font's glyph procedures,
    // an annotation's appearances (drawn whatever their /Subtype says).
    if (key === 'Contents' || key === 'CharProcs' || key === 'AP') {
      const target = key === 'Contents' ? null : file.dict(value, rev);
      if (key === 'AP' && target) {
        for (const item of appearanceItems(file, target, rev)) {
          if (item instanceof PDFRef) {
            contents.content.push(item);
            contents.appearances.push(item);
          }
        }
        continue;
      }
      const items =
        target !== null ? target.values() : value instanceof PDFArray ? value.asArray() : [value];
      // A page's content is read whole, in every revision and however /Contents is written
      // (one stream, or an array of one or more): a `Q` without its `q` is the page's.
      // (An annotation's /Contents is its text, and a signature's its value: no stream.)
      if (key === 'Contents') {
        const joined = file.resolve(value, rev);
        scanJoined(file, joined instanceof PDFArray ? joined.asArray() : [value], rev, where);
      }
      for (const item of items) {
        if (item instanceof PDFRef) {
          contents.content.push(item);
        } else if (item instanceof PDFArray) {
          contents.content.push(...item.asArray().filter((x): x is PDFRef => x instanceof PDFRef));
        }
      }
    }
  }
  const type = nameOf(file.resolve(get(dict, 'Type'), rev));
  if (type === 'OCG' || type === 'OCMD') {
    throw new Found(`${where} is an optional content group (/${type})`);
  }
  // An action: a dictionary typed as one, or the /A or /Next of anything (followed by reference).
  if (type === 'Action') {
    checkAction(file, dict, rev, where, 0);
  }
  // A dictionary's /A is an action; its /Next is the next action only when it is one (names
  // its kind by /S): an outline item's /Next is the next bookmark. (A chain reached through an
  // /A is followed by checkAction, which refuses a link of no kind.)
  for (const key of ['A', 'Next']) {
    const value = get(dict, key);
    const action = key === 'A' || get(dict, 'S') !== undefined;
    if (value !== undefined && action) {
      checkAction(file, value, rev, where, 0);
    }
  }
  const subtype = nameOf(file.resolve(get(dict, 'Subtype'), rev));
  if (subtype === 'Type3') {
    checkGlyphs(file, dict, rev, where);
  }
  if (subtype === 'PS') {
    throw new Found(`${where} is a PostScript XObject (drawn by some printers only)`);
  }
  if (subtype === 'Form' && get(dict, 'Ref') !== undefined) {
    throw new Found(`${where} is a reference XObject (another file's page drawn instead)`);
  }
  const isAnnotation =
    type === 'Annot' ||
    get(dict, 'AP') !== undefined ||
    (subtype !== null && get(dict, 'Rect') !== undefined);
  if (isAnnotation && subtype === 'Widget' && depth > 0) {
    throw new Found(`${where} holds a widget written inside it, which no field can list`);
  }
  if (isAnnotation) {
    // Where it draws, and whether it prints, as every reader reads them: a /Rect of four
    // numbers (a string in it was 0 to poppler, which drew the widget over the decision, and
    // made pdf.js draw nothing), flags written as an integer (`/F 4.` printed nothing of it).
    const rect = file.resolve(get(dict, 'Rect'), rev);
    if (numbers(file, rect, rev)?.length !== 4) {
      throw new Found(`${where} is an annotation whose /Rect is not four numbers`);
    }
    const flags = file.resolve(get(dict, 'F'), rev);
    if (writtenAsReal(flags)) {
      throw new Found(`${where} is an annotation whose flags are written with a point (/F)`);
    }
    if (flags instanceof PDFNumber && !flagsReadAlike(flags)) {
      throw new Found(
        `${where} is an annotation whose flags (/F ${flags.asNumber()}) are no integer from 0 to 2^31 − 1, read with other bits by other readers`,
      );
    }
    // Drawn where it has an area, through appearances whose boxes have one: pdf.js drew an
    // appearance whose box had none unscaled over the decision, poppler nothing. (Poppler's own
    // zero-sized widget, with no area, draws nothing in any reader.)
    const states = hasArea(file, rect, rev) ? file.dict(get(dict, 'AP'), rev) : null;
    for (const item of states ? appearanceItems(file, states, rev) : []) {
      const stream = file.resolve(item, rev);
      if (stream instanceof PDFRawStream && !isBox(file, get(stream.dict, 'BBox'), rev)) {
        throw new Found(`${where} is an annotation whose appearance box has no area (/BBox)`);
      }
    }
    checkAnnotation(file, dict, subtype, rev, where);
  }
  for (const [, value] of entries) {
    visit(file, value, rev, where, depth + 1, contents);
  }
}

/**
 * What an annotation's appearance dictionary names: each appearance (/N, /R, /D) that is a
 * stream, and each state's stream where it is a dictionary of states, as written (references
 * or direct objects).
 */
export function appearanceItems(file: PdfFile, ap: PDFDict, rev: number): PDFObject[] {
  return ap.values().flatMap((state) => {
    const states = file.dict(state, rev);
    return states ? states.values() : [state];
  });
}

/** An action (or a chain of them through /Next) that only navigates. */
function checkAction(
  file: PdfFile,
  value: PDFObject | undefined,
  rev: number,
  where: string,
  depth: number,
): void {
  if (depth > MAX_DEPTH) {
    throw new Found(`${where} holds actions chained too deeply`);
  }
  const resolved = file.resolve(value, rev);
  if (resolved instanceof PDFArray) {
    for (const item of resolved.asArray()) {
      checkAction(file, item, rev, where, depth + 1);
    }
    return;
  }
  if (!(resolved instanceof PDFDict)) {
    return;
  }
  const s = nameOf(file.resolve(get(resolved, 'S'), rev));
  if (s === null || !HARMLESS_ACTIONS.has(s)) {
    throw new Found(`${where} holds a ${String(s)} action`);
  }
  const next = get(resolved, 'Next');
  if (next !== undefined) {
    checkAction(file, next, rev, where, depth + 1);
  }
}

/** Only signature widgets as honest signers write them, and Links without an appearance. */
function checkAnnotation(
  file: PdfFile,
  dict: PDFDict,
  subtype: string | null,
  rev: number,
  where: string,
): void {
  if (subtype === 'Link') {
    checkLink(file, dict, rev, where);
    return;
  }
  if (subtype !== 'Widget') {
    throw new Found(`${where} is a ${String(subtype)} annotation`);
  }
  const fieldType = inheritedType(file, dict, rev);
  if (fieldType !== 'Sig') {
    throw new Found(`${where} is the widget of a form field that is not a signature field`);
  }
  const f = file.resolve(get(dict, 'F'), rev);
  const flags = f instanceof PDFNumber ? f.asNumber() : 0;
  if (
    !Number.isInteger(flags) ||
    !(flags & FLAG.print) ||
    flags & (FLAG.hidden | FLAG.noView | FLAG.toggleNoView)
  ) {
    throw new Found(
      `${where} is a signature widget with flags ${flags}: not shown alike on screen and in print`,
    );
  }
  // A widget kept at its size when zoomed is drawn so by some viewers and scaled by others: at
  // a small zoom it covers more of the page than its rectangle (poppler's own zero-sized
  // widget carries NoRotate, which checkPages judges on rotated pages).
  if (flags & FLAG.noZoom && hasArea(file, get(dict, 'Rect'), rev)) {
    throw new Found(`${where} is a signature widget kept at its size when zoomed (flag NoZoom)`);
  }
  const ap = file.dict(get(dict, 'AP'), rev);
  // Without an appearance stream of its own, poppler makes one up from the widget's /MK (a box
  // in its background colour over the page) and pdf.js draws nothing: a white box hid "NOT" of
  // "NOT APPROVED" in one reader only.
  if (
    !(file.resolve(ap ? get(ap, 'N') : undefined, rev) instanceof PDFRawStream) &&
    get(dict, 'MK') !== undefined &&
    hasArea(file, get(dict, 'Rect'), rev)
  ) {
    throw new Found(
      `${where} is a signature widget without an appearance, drawn by some viewers from its /MK`,
    );
  }
  if (ap) {
    for (const [key, value] of entriesOf(ap)) {
      if (key !== 'N') {
        throw new Found(`${where} is a signature widget with a /${key} appearance besides /N`);
      }
      if (!(file.resolve(value, rev) instanceof PDFRawStream)) {
        throw new Found(`${where} is a signature widget whose appearance is chosen by its state`);
      }
    }
  }
}

/**
 * What a Link may hold: where it leads, and nothing a viewer draws. Without an appearance a
 * viewer draws a Link's border itself (poppler from /Border or /BS, in the colour /C), and the
 * flags can keep that border off the screen and on paper: a frame printed over signed text. So
 * only these entries, and a border, if any, of width 0.
 */
const LINK_KEYS = new Set([
  'Type',
  'Subtype',
  'Rect',
  'A',
  'Dest',
  'H',
  'QuadPoints',
  'P',
  'NM',
  'M',
  'F',
  'StructParent',
  'PA',
  'Contents',
  'Border',
  'BS',
]);

function checkLink(file: PdfFile, dict: PDFDict, rev: number, where: string): void {
  for (const [key, value] of entriesOf(dict)) {
    if (!LINK_KEYS.has(key)) {
      throw new Found(
        key === 'AP'
          ? `${where} is a Link annotation with an appearance of its own (/AP)`
          : `${where} is a Link annotation with /${key}, which a viewer may draw`,
      );
    }
    const width =
      key === 'Border'
        ? arrayItem(file, value, 2, rev)
        : key === 'BS'
          ? file.resolve(file.dict(value, rev)?.get(PDFName.of('W')), rev)
          : undefined;
    if (
      (key === 'Border' || key === 'BS') &&
      !(width instanceof PDFNumber && width.asNumber() === 0)
    ) {
      throw new Found(`${where} is a Link annotation with a border (/${key}) a viewer draws`);
    }
  }
}

/** Whether a rectangle (after references) covers any of the page: both sides longer than 0. */
function hasArea(file: PdfFile, rect: PDFObject | undefined, rev: number): boolean {
  const [x1, y1, x2, y2] = [0, 1, 2, 3].map((i) => {
    const v = arrayItem(file, rect ?? PDFNull, i, rev);
    return v instanceof PDFNumber ? v.asNumber() : NaN;
  });
  return !(x1 === x2 || y1 === y2);
}

/** Four numbers (after references) that make a box with an area. */
function isBox(file: PdfFile, value: PDFObject | undefined, rev: number): boolean {
  const box = numbers(file, value, rev);
  return box?.length === 4 && box[0] !== box[2] && box[1] !== box[3];
}

/** Item `i` of an array (after references), or undefined. */
function arrayItem(file: PdfFile, value: PDFObject, i: number, rev: number) {
  const array = file.resolve(value, rev);
  return array instanceof PDFArray && i < array.size()
    ? file.resolve(array.get(i), rev)
    : undefined;
}

/** A field's type, inherited through /Parent (null when none says). */
function inheritedType(file: PdfFile, dict: PDFDict, rev: number): string | null {
  let node: PDFDict | null = dict;
  for (let i = 0; node && i < MAX_DEPTH; i++) {
    const ft = get(node, 'FT');
    if (ft !== undefined) {
      return nameOf(file.resolve(ft, rev));
    }
    node = file.dict(get(node, 'Parent'), rev);
  }
  return null;
}

/**
 * Every field the form of revision `rev` lists must be a signature field; returns the object
 * numbers of its fields and their kids (the widgets the form knows).
 */
function checkFields(file: PdfFile, rev: number): Set<number> {
  const members = new Set<number>();
  const form = file.dict(file.catalog(rev)?.get(PDFName.of('AcroForm')), rev);
  const fields = file.resolve(form ? get(form, 'Fields') : undefined, rev);
  if (!(fields instanceof PDFArray)) {
    return members;
  }
  for (const item of fields.asArray()) {
    if (item instanceof PDFRef) {
      members.add(item.objectNumber);
    }
    const field = file.dict(item, rev);
    if (!field) {
      continue;
    }
    // Flat fields only, as the workbench writes them. Under a field with kids, readers tell its
    // fields from its widgets differently: this walk and pdf.js by /T, poppler by /Parent (a
    // kid with /T and no /Parent was a field countersigned here and a widget, unsigned, to
    // pdfsig; a kid with /Parent and no /T, an unsigned field to pdfsig and nothing here:
    // round 20av, and before it pdfsig reading each widget of a field as a field).
    if (get(field, 'Kids') !== undefined) {
      throw new Found(
        `the form of revision ${rev} has a field with kids (/Kids), which readers tell from widgets differently`,
      );
    }
    if (nameOf(file.resolve(get(field, 'FT'), rev)) !== 'Sig') {
      throw new Found(`the form of revision ${rev} has a field that is not a signature field`);
    }
  }
  return members;
}

/**
 * A stream of page-description operators: a form XObject or a tiling pattern, its type read
 * through references as every reader reads it (an indirect /Subtype hid a form from the scan).
 */
function isContentStream(file: PdfFile, dict: PDFDict, rev: number): boolean {
  const subtype = nameOf(file.resolve(get(dict, 'Subtype'), rev));
  const pattern = file.resolve(get(dict, 'PatternType'), rev);
  return subtype === 'Form' || (pattern instanceof PDFNumber && pattern.asNumber() === 1);
}

/** A content stream, after its filter, must be read alike by every reader (content-stream.ts). */
function scanContent(file: PdfFile, stream: PDFRawStream, where: string): void {
  const { problem } = tokens(contentData(file, stream, where));
  if (problem !== null) {
    throw new Found(`${where} ${problem}`);
  }
}

/**
 * A form or a pattern: read alike, and every font it sets is one of its own resources. Readers
 * differ on a font they cannot find (poppler draws nothing, pdf.js and MuPDF a standard font,
 * so a line shows in one viewer and not in another), and on where a form without resources of
 * its own finds one (poppler looks further out, pdf.js does not).
 */
function scanForm(file: PdfFile, stream: PDFRawStream, rev: number, where: string): void {
  const resources = get(stream.dict, 'Resources');
  // Where it draws: a box of four numbers, through a matrix of six that keeps the plane a plane
  // (without a box poppler drew nothing of a form and pdf.js all of it; a seventh number in
  // the matrix moved it in one reader and not the other).
  const box = numbers(file, get(stream.dict, 'BBox'), rev);
  const matrix = get(stream.dict, 'Matrix');
  const m = matrix === undefined ? [1, 0, 0, 1, 0, 0] : numbers(file, matrix, rev);
  if (box?.length !== 4 || m?.length !== 6 || flat(m)) {
    throw new Found(
      `${where} is a form or pattern whose box or matrix readers read differently (/BBox, /Matrix)`,
    );
  }
  const { problem, names } = tokens(contentData(file, stream, where), {
    spaces: colourSpaces(file, resources, rev),
    inherits: true,
    whole: true,
  });
  if (problem !== null) {
    throw new Found(`${where} ${problem}`);
  }
  const missing = missingResource(file, names, resources, rev);
  if (missing !== null) {
    throw new Found(`${where} ${missing}`);
  }
}

/**
 * Every page as the last revision has it (what a viewer shows), its streams read joined, sets
 * only fonts and colour spaces its resources define (inherited through /Parent, as readers
 * inherit them); on a rotated page no widget keeps upright (NoRotate: poppler turns it about
 * its corner, off its rectangle and over the page, pdf.js turns it with the page).
 */
function checkPages(file: PdfFile): void {
  const last = file.revisions.length;
  for (const num of file.pageRefs(last)) {
    const entry = file.entry(num, last)?.entry;
    const leaf = file.dict(PDFRef.of(num, entry?.kind === 'n' ? entry.generation : 0), last);
    const contents = leaf ? file.resolve(get(leaf, 'Contents'), last) : undefined;
    const inherited = (key: string) => {
      let page = leaf;
      for (let depth = 0; page && depth < MAX_DEPTH; depth++) {
        const value = get(page, key);
        if (value !== undefined) {
          return value;
        }
        page = file.dict(get(page, 'Parent'), last);
      }
      return undefined;
    };
    // The page's box as every reader takes it: four numbers with an area, at every level that
    // gives one (poppler passed over a page's box of other than four numbers to the one its
    // parent gave, pdf.js fell back to Letter: each showed another part of the page), and one
    // there is (readers default to different sizes).
    for (let node = leaf, depth = 0; node && depth < MAX_DEPTH; depth++) {
      const box = get(node, 'MediaBox');
      if (box !== undefined && !isBox(file, box, last)) {
        throw new Found(`the page object ${num} has a MediaBox readers read differently`);
      }
      node = file.dict(get(node, 'Parent'), last);
    }
    if (inherited('MediaBox') === undefined) {
      throw new Found(`the page object ${num} has no MediaBox`);
    }
    const resources = inherited('Resources');
    const crop = inherited('CropBox');
    if (crop !== undefined && !sameBox(file, crop, inherited('MediaBox'), last)) {
      throw new Found(`the page object ${num} has a CropBox that is not its MediaBox (inherited)`);
    }
    const rotate = file.resolve(inherited('Rotate'), last);
    if (leaf && rotate instanceof PDFNumber && rotate.asNumber() % 360 !== 0) {
      checkUpright(file, leaf, num, last);
    }
    // No content, one stream, or an array of streams: poppler draws nothing of a page whose
    // array holds an array or a dictionary, pdf.js skips the item and draws the rest.
    const streams =
      contents === undefined || contents === PDFNull
        ? []
        : contents instanceof PDFArray
          ? contents.asArray()
          : [contents];
    const data = streams.map((item) => {
      const stream = file.resolve(item, last);
      if (!(stream instanceof PDFRawStream)) {
        throw new Found(`the page object ${num} has page content that is not a stream`);
      }
      return contentData(file, stream, `page ${num}`);
    });
    const read = tokens(Buffer.concat(data), {
      spaces: colourSpaces(file, resources, last),
      whole: true,
    });
    if (read.problem !== null) {
      throw new Found(`the page object ${num}, its streams read as one, ${read.problem}`);
    }
    const missing = missingResource(file, read.names, resources, last);
    if (missing !== null) {
      throw new Found(`the page object ${num} ${missing}`);
    }
  }
}

/**
 * The colour spaces `resources` defines by name, each as every reader reads it: the CIE-based
 * spaces, ICC profiles of 1, 3 or 4 components, patterns over such a space, and an indexed
 * space whose table holds exactly its entries. Not a space drawn through a function
 * (Separation, DeviceN: readers evaluate functions each their own way), not a table shorter
 * or longer than its highest index says (readers pad it or read past it differently).
 */
function colourSpaces(file: PdfFile, resources: PDFObject | undefined, rev: number): ColourSpaces {
  const defined = file.dict(file.dict(resources, rev)?.get(PDFName.of('ColorSpace')), rev);
  return (name) => (defined ? spaceOf(file, get(defined, name), rev, true) : null);
}

const SPACE_COMPONENTS: Record<string, number> = {
  DeviceGray: 1,
  DeviceRGB: 3,
  DeviceCMYK: 4,
  CalGray: 1,
  CalRGB: 3,
  Lab: 3,
};

/** One colour space (a name or an array, after references); a pattern or indexed one if `outer`. */
function spaceOf(
  file: PdfFile,
  value: PDFObject | undefined,
  rev: number,
  outer: boolean,
): ColourSpace | null {
  const resolved = file.resolve(value, rev);
  const items = resolved instanceof PDFArray ? resolved.asArray() : [resolved];
  const family = nameOf(file.resolve(items[0], rev));
  const plain = (components: number) => ({ components, pattern: false });
  if (family === 'Pattern' && outer && items.length <= 2) {
    const under = items.length === 2 ? spaceOf(file, items[1], rev, false) : plain(0);
    return under && { components: under.components, pattern: true };
  }
  if (family === 'Indexed' && outer && items.length === 4) {
    const base = spaceOf(file, items[1], rev, false);
    const hival = file.resolve(items[2], rev);
    const high = hival instanceof PDFNumber ? hival.asNumber() : NaN;
    const table = lookupBytes(file, file.resolve(items[3], rev));
    return base && Number.isInteger(high) && high >= 0 && high <= 255
      ? table === base.components * (high + 1)
        ? plain(1)
        : null
      : null;
  }
  // No ICC profile: poppler draws through it (lcms), pdf.js without its colour engine through
  // the alternate or device space, with it through the profile or, if it refuses it, the
  // alternate. A profile whose curves are inverted, or whose header names another space than
  // its /N, drew "NOT" black in one reader and white in another (round 20y); checking what a
  // profile does would take a colour engine of our own.
  if (family === 'ICCBased') {
    return null;
  }
  const components = family === null ? undefined : SPACE_COMPONENTS[family];
  const device = family !== null && family.startsWith('Device');
  // A device space by name or alone in an array; a CIE-based one with its dictionary.
  const params = items.length === 2 ? file.dict(items[1], rev) : null;
  const shaped = device ? items.length === 1 : params !== null && cieParams(file, params, rev);
  return components !== undefined && shaped ? plain(components) : null;
}

/** The numbers of an array (after references), or null when it is not one of numbers only. */
function numbers(file: PdfFile, value: PDFObject | undefined, rev: number): number[] | null {
  const out = numbersOf(file, value, rev);
  return out?.every(Number.isFinite) ? out : null;
}

/**
 * A CIE-based space's dictionary as the standard has it (§8.6.5): a white point [X 1 Z] with X
 * and Z above 0, and gammas above 0. Poppler drew a CalGray of white point [1 2 1] in pink,
 * pdf.js refused the space and drew nothing.
 */
function cieParams(file: PdfFile, params: PDFDict, rev: number): boolean {
  const white = numbers(file, get(params, 'WhitePoint'), rev);
  const gamma = get(params, 'Gamma');
  const gammas =
    gamma === undefined
      ? []
      : (numbers(file, gamma, rev) ??
        ((g) => (g instanceof PDFNumber ? [g.asNumber()] : [NaN]))(file.resolve(gamma, rev)));
  return (
    white !== null &&
    white.length === 3 &&
    white[0]! > 0 &&
    white[1] === 1 &&
    white[2]! > 0 &&
    gammas.every((g) => g > 0)
  );
}

/** How many bytes an indexed space's table holds: a string, or a stream after its filter. */
function lookupBytes(file: PdfFile, table: PDFObject | undefined): number {
  if (table instanceof PDFString || table instanceof PDFHexString) {
    return table.asBytes().length;
  }
  return table instanceof PDFRawStream ? contentData(file, table, 'an indexed table').length : -1;
}

/**
 * A Type 3 font's glyphs, each read with the font's own resources: a glyph naming a form only
 * the page defined drew the page's in poppler and nothing in pdf.js.
 */
function checkGlyphs(file: PdfFile, font: PDFDict, rev: number, where: string): void {
  const resources = get(font, 'Resources');
  const procs = file.dict(get(font, 'CharProcs'), rev);
  for (const proc of procs ? procs.values() : []) {
    const glyph = file.resolve(proc, rev);
    if (!(glyph instanceof PDFRawStream)) {
      continue;
    }
    const read = tokens(contentData(file, glyph, where), {
      spaces: colourSpaces(file, resources, rev),
      inherits: true,
      whole: true,
    });
    const missing = read.problem ?? missingResource(file, read.names, resources, rev);
    if (missing !== null) {
      throw new Found(`${where} is a Type 3 font one of whose glyphs ${missing}`);
    }
  }
}

/** No annotation of a rotated page keeps upright (flag NoRotate) where it covers any of it. */
function checkUpright(file: PdfFile, page: PDFDict, num: number, rev: number): void {
  const annots = file.resolve(get(page, 'Annots'), rev);
  for (const item of annots instanceof PDFArray ? annots.asArray() : []) {
    const annot = file.dict(item, rev);
    const f = annot ? file.resolve(get(annot, 'F'), rev) : undefined;
    if (
      annot &&
      f instanceof PDFNumber &&
      f.asNumber() & FLAG.noRotate &&
      hasArea(file, get(annot, 'Rect'), rev)
    ) {
      throw new Found(
        `the page object ${num} is rotated and holds a widget kept upright (flag NoRotate), drawn off its rectangle by some viewers`,
      );
    }
  }
}

/** Font types every reader loads; the standard fonts by the names every reader knows. */
const FONT_TYPES = new Set(['Type1', 'TrueType', 'Type0', 'MMType1', 'Type3']);

/**
 * The first of `fonts` that `resources` (a resource dictionary, after references) does not
 * define as a font every reader can load: a font dictionary (typed /Font), of a type readers
 * share, a composite one with its descendant font. A name mapped to null or a number, a
 * dictionary without its /Subtype, a Type0 font without /DescendantFonts: poppler drew the
 * text and pdf.js did not, or the other way round.
 */
function missingFont(
  file: PdfFile,
  fonts: Set<string>,
  resources: PDFObject | undefined,
  rev: number,
): string | null {
  const defined = file.dict(file.dict(resources, rev)?.get(PDFName.of('Font')), rev);
  const loadable = (font: string) => {
    const dict = defined ? file.dict(get(defined, font), rev) : null;
    const subtype = dict ? nameOf(get(dict, 'Subtype')) : null;
    const descendants = dict ? file.resolve(get(dict, 'DescendantFonts'), rev) : undefined;
    return (
      dict !== null &&
      nameOf(get(dict, 'Type')) === 'Font' &&
      subtype !== null &&
      FONT_TYPES.has(subtype) &&
      (subtype === 'Type0' || subtype === 'Type3' || simpleFontAlike(file, dict, rev)) &&
      (subtype === 'Type0' || widthsAlike(file, dict, rev)) &&
      (subtype !== 'Type0' ||
        (descendants instanceof PDFArray &&
          descendants.size() === 1 &&
          identityEncoded(file, dict, rev) &&
          embeddedCidFont(file, descendants.get(0), rev)))
    );
  };
  return [...fonts].find((font) => !loadable(font)) ?? null;
}

/**
 * A simple font (Type 1, TrueType) every reader maps codes to glyphs alike in: it names its
 * font (without /BaseFont, pdftotext read text no reader drew); its encoding, if any, is a
 * named one without /Differences (glyph names the font lacks: poppler drew the base encoding's
 * "NOT", pdf.js nothing; a symbolic TrueType's: poppler applied them, pdf.js the codes); no
 * encoding at all for Symbol and ZapfDingbats, or for a TrueType flagged symbolic (poppler drew
 * boxes or applied it, pdf.js Greek letters, dingbats or the codes).
 */
function simpleFontAlike(file: PdfFile, dict: PDFDict, rev: number): boolean {
  const base = nameOf(file.resolve(get(dict, 'BaseFont'), rev));
  if (base === null) {
    return false;
  }
  const descriptor = file.dict(get(dict, 'FontDescriptor'), rev);
  // Not embedded, a font is found by its name, and readers know other names: one of the
  // standard fourteen, exactly (Symbol-Bold was Symbol to pdf.js only, a name with "Dingbats"
  // ZapfDingbats, a GBK name a Chinese font).
  if (!embedded(file, descriptor, rev) && !STANDARD_FONTS.has(base)) {
    return false;
  }
  if (!programOfItsType(file, descriptor, nameOf(file.resolve(get(dict, 'Subtype'), rev)), rev)) {
    return false;
  }
  const encoding = file.resolve(get(dict, 'Encoding'), rev);
  const flags = descriptor ? file.resolve(get(descriptor, 'Flags'), rev) : undefined;
  if (flags instanceof PDFNumber && !flagsReadAlike(flags)) {
    return false;
  }
  // An embedded Type 1 program carries an encoding of its own: poppler draws by it unless the
  // font names WinAnsi or MacRoman, pdf.js only when the font is flagged symbolic (a white
  // Euro drawn over "NOT" by one reader, nothing by the other). Either it is flagged symbolic,
  // as an integer, and names no encoding, or it names one of those two.
  const subtype = nameOf(file.resolve(get(dict, 'Subtype'), rev));
  const winOrMac = () => {
    const named = encoding instanceof PDFDict ? get(encoding, 'BaseEncoding') : encoding;
    return (
      ['WinAnsiEncoding', 'MacRomanEncoding'].includes(nameOf(file.resolve(named, rev)) ?? '') &&
      !(encoding instanceof PDFDict && get(encoding, 'Differences') !== undefined)
    );
  };
  if ((subtype === 'Type1' || subtype === 'MMType1') && embedded(file, descriptor, rev)) {
    const builtIn = isIntegerToken(flags) && (flags.asNumber() & 4) !== 0;
    return builtIn ? encoding === undefined : winOrMac();
  }
  // An embedded TrueType program with a (3,0) "symbol" cmap: poppler draws by it whenever the
  // font names no encoding, pdf.js only when the font is flagged symbolic ("NOT" drawn as
  // spaces in one reader only). Its tables must be read to tell.
  if (subtype === 'TrueType' && embedded(file, descriptor, rev)) {
    const cmaps = trueTypeCmaps(file, descriptor!, rev);
    if (cmaps === null) {
      return false;
    }
    const flagged = flags instanceof PDFNumber && (flags.asNumber() & 4) !== 0;
    if (cmaps.includes('3,0') && !flagged && !winOrMac()) {
      return false;
    }
    // A Unicode subtable of platform 0 with an encoding named: pdf.js then maps codes by the
    // glyph names of the font's `post` table, poppler by the cmap ("NOT" drawn as spaces in
    // poppler only).
    if (encoding !== undefined && cmaps.some((c) => c.startsWith('0,'))) {
      return false;
    }
  }
  if (encoding === undefined) {
    return true;
  }
  if (encoding instanceof PDFDict && get(encoding, 'Differences') !== undefined) {
    return false;
  }
  const symbolic =
    /^([A-Z]{6}\+)?(Symbol|ZapfDingbats)$/.test(base) ||
    (subtype === 'TrueType' && flags instanceof PDFNumber && (flags.asNumber() & 4) !== 0);
  return !symbolic;
}

/**
 * An embedded font program's data after its filter (none or Flate), once per stream: a font set
 * on every page of a long letter is checked on every page, and its program is charged to the
 * file's budget once. Null when it cannot be read.
 */
function fontProgram(file: PdfFile, program: PDFRawStream, rev: number): Buffer | null {
  const known = programs.get(program);
  if (known !== undefined) {
    return known;
  }
  const filter = file.resolve(get(program.dict, 'Filter'), rev);
  const kind = filter === undefined ? 'none' : nameOf(filter);
  let data: Buffer | null;
  try {
    data =
      kind === 'none'
        ? Buffer.from(program.contents)
        : kind === 'FlateDecode' || kind === 'Fl'
          ? inflateSync(program.contents, { maxOutputLength: Math.max(file.budget.content, 1) })
          : Buffer.alloc(0);
    file.budget.content -= data.length;
  } catch {
    data = null;
  }
  programs.set(program, data);
  return data;
}

const programs = new WeakMap<PDFRawStream, Buffer | null>();

/**
 * The (platform, encoding) pairs of an embedded TrueType program's cmap subtables,
 * as "3,1", or null when its table directory or cmap cannot be read (unfiltered or Flate only)
 * or lists its subtables out of order or one kind twice.
 */
function trueTypeCmaps(file: PdfFile, descriptor: PDFDict, rev: number): string[] | null {
  const program = file.resolve(get(descriptor, 'FontFile2'), rev);
  if (!(program instanceof PDFRawStream)) {
    return null;
  }
  const data = fontProgram(file, program, rev);
  if (data === null) {
    return null;
  }
  if (data.length < 12 || ![0x00010000, 0x74727565].includes(data.readUInt32BE(0))) {
    return null;
  }
  const tables = data.readUInt16BE(4);
  if (12 + 16 * tables > data.length) {
    return null;
  }
  // A table directory every reader reads alike: each table once, of some length, within the
  // program (poppler read the first of two `cmap` tables, pdf.js the last, and skipped one of
  // length 0); TrueType outlines and no CFF ones (pdf.js drew a `CFF ` table's glyphs, poppler
  // the `glyf` outlines) (round 20z).
  const found = new Map<string, { offset: number; length: number }>();
  for (let t = 0; t < tables; t++) {
    const at = 12 + 16 * t;
    const tag = data.toString('latin1', at, at + 4);
    const offset = data.readUInt32BE(at + 8);
    const length = data.readUInt32BE(at + 12);
    if (found.has(tag) || length === 0 || offset + length > data.length) {
      return null;
    }
    found.set(tag, { offset, length });
  }
  if (!found.has('glyf') || !found.has('loca') || found.has('CFF ') || found.has('CFF2')) {
    return null;
  }
  const table = found.get('cmap');
  if (table) {
    const { offset, length } = table;
    if (length < 4) {
      return null;
    }
    const count = data.readUInt16BE(offset + 2);
    if (4 + 8 * count > length) {
      return null;
    }
    // In ascending order, each (platform, encoding) once, as the format has them: poppler keeps
    // the last subtable of a kind and pdf.js the first ("NOT" blank in one reader only).
    // The subtables that map Unicode (platform 0, Windows' 3,1 and 3,10) must be one table:
    // poppler takes the last of them, pdf.js reads only some (round 20y).
    const out: string[] = [];
    const unicode = new Set<number>();
    let previous = -1;
    for (let i = 0; i < count; i++) {
      const r = offset + 4 + 8 * i;
      const [platform, encoding] = [data.readUInt16BE(r), data.readUInt16BE(r + 2)];
      const key = platform * 0x10000 + encoding;
      if (key <= previous) {
        return null;
      }
      previous = key;
      if (platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10))) {
        unicode.add(data.readUInt32BE(r + 4));
      }
      out.push(`${platform},${encoding}`);
    }
    return unicode.size > 1 ? null : out;
  }
  return null;
}

/** The fonts every reader has without a program in the file, by their names. */
const STANDARD_FONTS = new Set([
  'Times-Roman',
  'Times-Bold',
  'Times-Italic',
  'Times-BoldItalic',
  'Helvetica',
  'Helvetica-Bold',
  'Helvetica-Oblique',
  'Helvetica-BoldOblique',
  'Courier',
  'Courier-Bold',
  'Courier-Oblique',
  'Courier-BoldOblique',
  'Symbol',
  'ZapfDingbats',
]);

/** Whether a font descriptor carries the font's program. */
function embedded(file: PdfFile, descriptor: PDFDict | null, rev: number): boolean {
  return programOf(file, descriptor, rev).kind !== 'none';
}

/**
 * The program a font descriptor carries: none; one (`FontFile`, `FontFile2` or `FontFile3`,
 * with a compact program's /Subtype after a slash: `FontFile3/Type1C`); or one no reader can be
 * sure of — two programs (readers take the one they look for first: a Type 1 program beside a
 * TrueType one under /TrueType was drawn by its own encoding in poppler only), or an entry that
 * is no stream. Only a single program counts as one of its font's type.
 */
type Program = { kind: 'none' } | { kind: 'one'; key: string } | { kind: 'unsure' };

function programOf(file: PdfFile, descriptor: PDFDict | null, rev: number): Program {
  if (descriptor === null) {
    return { kind: 'none' };
  }
  const present = ['FontFile', 'FontFile2', 'FontFile3'].filter(
    (key) => get(descriptor, key) !== undefined,
  );
  const [key] = present;
  if (key === undefined) {
    return { kind: 'none' };
  }
  const program = file.resolve(get(descriptor, key), rev);
  if (present.length > 1 || !(program instanceof PDFRawStream)) {
    return { kind: 'unsure' };
  }
  const sub = nameOf(file.resolve(get(program.dict, 'Subtype'), rev));
  return { kind: 'one', key: key === 'FontFile3' ? `${key}/${sub ?? ''}` : key };
}

/** The programs each font type is drawn from, as every reader loads them. */
const PROGRAMS: Record<string, string[]> = {
  Type1: ['FontFile', 'FontFile3/Type1C'],
  MMType1: ['FontFile', 'FontFile3/Type1C'],
  TrueType: ['FontFile2'],
  CIDFontType0: ['FontFile3/CIDFontType0C'],
  CIDFontType2: ['FontFile2'],
};

/** Whether a font embedding a program embeds one, of the kind its /Subtype says. */
function programOfItsType(
  file: PdfFile,
  descriptor: PDFDict | null,
  subtype: string | null,
  rev: number,
): boolean {
  const program = programOf(file, descriptor, rev);
  return (
    program.kind === 'none' ||
    (program.kind === 'one' && (PROGRAMS[subtype ?? '']?.includes(program.key) ?? false))
  );
}

/**
 * A simple font's widths as every reader takes them: none, or /FirstChar ≤ /LastChar, whole
 * codes, and exactly one number for each code between (/LastChar below /FirstChar: poppler
 * gave a space no width, pdf.js fifty ems, and "NOT" left the line in one reader only).
 */
function widthsAlike(file: PdfFile, dict: PDFDict, rev: number): boolean {
  const [first, last, widths] = ['FirstChar', 'LastChar', 'Widths'].map((key) => get(dict, key));
  if (first === undefined && last === undefined && widths === undefined) {
    return true;
  }
  // Written as integers: poppler takes /FirstChar 32.0 as 0, and every width moved 32 codes.
  const [f, l] = [first, last].map((v) => {
    const n = file.resolve(v, rev);
    return isIntegerToken(n) ? n.asNumber() : NaN;
  });
  const w = numbers(file, widths, rev);
  return (
    Number.isInteger(f) &&
    Number.isInteger(l) &&
    f! >= 0 &&
    f! <= l! &&
    l! <= 255 &&
    w !== null &&
    w.length === l! - f! + 1
  );
}

/**
 * A CID font's widths (/W, or /W2 vertical: `c [w …]` or `c₁ c₂ w`, three numbers a width
 * vertically) as every reader takes them: well formed, no code given two widths (poppler
 * kept the first, pdf.js the last).
 */
function cidWidthsAlike(file: PdfFile, descendant: PDFDict, rev: number): boolean {
  for (const [key, per] of [
    ['W', 1],
    ['W2', 3],
  ] as const) {
    const value = get(descendant, key);
    if (value === undefined) {
      continue;
    }
    const array = file.resolve(value, rev);
    if (!(array instanceof PDFArray)) {
      return false;
    }
    const items = array.asArray().map((item) => file.resolve(item, rev));
    const ranges: [number, number][] = [];
    // A code written as an integer: poppler skipped `3.0 [40000]` for its default width,
    // pdf.js gave the space 40 ems.
    const whole = (v: PDFObject | undefined): v is PDFNumber =>
      isIntegerToken(v) && v.asNumber() >= 0;
    for (let i = 0; i < items.length;) {
      const start = items[i];
      const next = items[i + 1];
      if (!whole(start)) {
        return false;
      }
      if (next instanceof PDFArray) {
        const list = numbers(file, next, rev);
        if (list === null || list.length === 0 || list.length % per !== 0) {
          return false;
        }
        ranges.push([start.asNumber(), start.asNumber() + list.length / per - 1]);
        i += 2;
      } else {
        const end = items[i + 1];
        const values = items.slice(i + 2, i + 2 + per);
        if (
          !whole(end) ||
          end.asNumber() < start.asNumber() ||
          values.length !== per ||
          !values.every((v) => v instanceof PDFNumber)
        ) {
          return false;
        }
        ranges.push([start.asNumber(), end.asNumber()]);
        i += 2 + per;
      }
    }
    ranges.sort((a, b) => a[0] - b[0]);
    if (ranges.some((r, i) => i > 0 && r[0] <= ranges[i - 1]![1])) {
      return false;
    }
  }
  return true;
}

/**
 * A composite font's codes read alike: by an identity encoding. An embedded CMap is read by
 * each reader its own way (code-space ranges of one and two bytes overlapping: pdf.js read one
 * byte a code, poppler two, and one string spelled two words).
 */
function identityEncoded(file: PdfFile, dict: PDFDict, rev: number): boolean {
  const encoding = nameOf(file.resolve(get(dict, 'Encoding'), rev));
  return encoding === 'Identity-H' || encoding === 'Identity-V';
}

/**
 * A composite font's descendant as every reader draws it: a CID font (type 0 or 2) carrying its
 * program. Without one, readers substitute each their own way: poppler drew CID n as the
 * character U+n, pdf.js glyph n of its Helvetica, so one run of codes read REFUSED in one and
 * APPROVED in the other.
 */
function embeddedCidFont(file: PdfFile, value: PDFObject | undefined, rev: number): boolean {
  const descendant = file.dict(value, rev);
  const subtype = descendant ? nameOf(file.resolve(get(descendant, 'Subtype'), rev)) : null;
  const descriptor = descendant ? file.dict(get(descendant, 'FontDescriptor'), rev) : null;
  // Default widths written as integers: poppler passed over `/DW 50000.0` to its default.
  const dw = descendant ? file.resolve(get(descendant, 'DW'), rev) : undefined;
  const dw2 = descendant ? file.resolve(get(descendant, 'DW2'), rev) : undefined;
  return (
    (subtype === 'CIDFontType0' || subtype === 'CIDFontType2') &&
    embedded(file, descriptor, rev) &&
    programOfItsType(file, descriptor, subtype, rev) &&
    cidWidthsAlike(file, descendant!, rev) &&
    (dw === undefined || (dw instanceof PDFNumber && !writtenAsReal(dw))) &&
    (dw2 === undefined ||
      (dw2 instanceof PDFArray &&
        dw2.size() === 2 &&
        dw2.asArray().every((v) => {
          const n = file.resolve(v, rev);
          return n instanceof PDFNumber && !writtenAsReal(n);
        })))
  );
}

/**
 * The first resource `names` (what a stream names, by kind) that `resources` does not define:
 * a font as missingFont reads it, an XObject as a stream, any other as a dictionary or a
 * stream. Named and not found, readers differ: poppler looks in the resources further out
 * (a form drew the page's REFUSED), pdf.js draws nothing.
 */
function missingResource(
  file: PdfFile,
  names: Map<Resource, Set<string>>,
  resources: PDFObject | undefined,
  rev: number,
): string | null {
  const font = missingFont(file, names.get('Font') ?? new Set(), resources, rev);
  if (font !== null) {
    return `sets the font /${font}, which its resources do not define as a font every reader loads`;
  }
  const dict = file.dict(resources, rev);
  for (const [kind, set] of names) {
    const defined = file.dict(dict?.get(PDFName.of(kind)), rev);
    for (const name of kind === 'Font' ? [] : set) {
      const found = defined ? file.resolve(get(defined, name), rev) : undefined;
      const fits =
        found instanceof PDFRawStream || (kind !== 'XObject' && found instanceof PDFDict);
      if (!fits) {
        return `names the ${kind} /${name}, which its resources do not define`;
      }
    }
  }
  return null;
}

/**
 * A page's streams as readers join them into one, read whole: what one stream leaves open the
 * next may finish (a name, an operand and its operator).
 */
function scanJoined(file: PdfFile, items: PDFObject[], rev: number, where: string): void {
  const named = items.filter((item) => item instanceof PDFRef).map((item) => item.objectNumber);
  if (new Set(named).size !== named.length) {
    throw new Found(`the page ${where} names one content stream twice in its /Contents`);
  }
  const parts = items.map((item) => {
    const stream = file.resolve(item, rev);
    return stream instanceof PDFRawStream ? contentData(file, stream, where) : new Uint8Array();
  });
  const { problem } = tokens(Buffer.concat(parts), { whole: true });
  if (problem !== null) {
    throw new Found(`the page ${where}, its streams read as one, ${problem}`);
  }
}

/** A content stream's data after its filter (none or Flate only), within the file's budget. */
export function contentData(file: PdfFile, stream: PDFRawStream, where: string): Uint8Array {
  const read = decoded.get(stream);
  if (read) {
    return read;
  }
  const filter = get(stream.dict, 'Filter');
  const filters = (filter instanceof PDFArray ? filter.asArray() : filter ? [filter] : []).map(
    (f) => nameOf(f),
  );
  if (filters.length > 1 || filters.some((f) => f !== 'FlateDecode' && f !== 'Fl')) {
    throw new Found(`${where} is a content stream filtered by ${filters.join(', ')}`);
  }
  const parms = get(stream.dict, 'DecodeParms') ?? get(stream.dict, 'DP');
  if (parms !== undefined) {
    throw new Found(`${where} is a content stream with decode parameters`);
  }
  const beyond = `${where} takes the file's content beyond ${MAX_CONTENT_INFLATED / 1024 / 1024} MB, more than is read`;
  let data: Uint8Array = stream.contents;
  if (filters.length === 1) {
    try {
      data = inflateSync(data, { maxOutputLength: Math.max(file.budget.content, 1) });
    } catch (error) {
      throw new Found(
        (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE'
          ? beyond
          : `${where} is a content stream whose compressed data cannot be read`,
      );
    }
  }
  // Plain streams count too: a page naming one stream thousands of times read it as often.
  file.budget.content -= data.length;
  if (file.budget.content < 0) {
    throw new Found(beyond);
  }
  decoded.set(stream, data);
  return data;
}

/**
 * An integer entry of a dictionary (after references) written as an integer, or null. Poppler
 * takes an image's depth only as an integer token and skipped an image of
 * `/BitsPerComponent 8.0` that pdf.js drew over "NOT".
 */
function integer(file: PdfFile, dict: PDFDict, key: string, rev: number): number | null {
  const v = file.resolve(get(dict, key), rev);
  return isIntegerToken(v) ? v.asNumber() : null;
}

/** `integer`, or `fallback` when the entry is absent; NaN when present but no integer token. */
function integerOr(
  file: PdfFile,
  dict: PDFDict,
  key: string,
  rev: number,
  fallback: number,
): number {
  return get(dict, key) === undefined ? fallback : (integer(file, dict, key, rev) ?? NaN);
}

/**
 * An image every reader decodes alike: unfiltered, Flate or DCT (JPEG) only; Flate data that
 * inflates whole, with nothing after it, to exactly the rows the image's size, colour space and
 * depth (and PNG predictor) make; JPEG data from its start marker to its end marker, of the
 * image's size. Poppler painted an image whose JPEG data was not a JPEG white over a line of
 * the letter, pdf.js drew nothing; broken, trailing or short Flate data was white in one and
 * black in the other.
 */
function checkImage(
  file: PdfFile,
  stream: PDFRawStream,
  rev: number,
  where: string,
  as: 'image' | 'smask' | 'stencil' = 'image',
): void {
  const dict = stream.dict;
  const refuse = (why: string) => {
    throw new Found(`${where} is an image readers decode differently: ${why}`);
  };
  const filter = file.resolve(get(dict, 'Filter'), rev);
  const filters = (filter instanceof PDFArray ? filter.asArray() : filter ? [filter] : []).map(
    (f) => nameOf(file.resolve(f, rev)),
  );
  const kind = filters.length === 0 ? 'none' : filters.length === 1 ? filters[0] : 'many';
  // The abbreviations of inline images are no keys of an image object: poppler reads the full
  // key first, pdf.js the short one (`/ImageMask false /IM true`, `/Height 2 /H 1`).
  const short = ['IM', 'H', 'W', 'BPC', 'CS', 'D', 'DP', 'F', 'I'].find(
    (key) => get(dict, key) !== undefined,
  );
  if (short !== undefined) {
    return refuse(`it has the inline image entry /${short}`);
  }
  const width = integer(file, dict, 'Width', rev);
  const height = integer(file, dict, 'Height', rev);
  if (width === null || height === null || width < 1 || height < 1) {
    return refuse('its size is not two positive whole numbers');
  }
  // Its masks are images too, whatever their /Subtype says (readers do not ask).
  for (const [key, kind] of [
    ['SMask', 'smask'],
    ['Mask', 'stencil'],
  ] as const) {
    const masking = file.resolve(get(dict, key), rev);
    if (masking instanceof PDFRawStream && as === 'image') {
      checkImage(file, masking, rev, `${where} (its /${key})`, kind);
    }
  }
  const data = stream.contents;
  const jpeg = kind === 'DCTDecode' || kind === 'DCT';
  if (!jpeg && kind !== 'none' && kind !== 'FlateDecode' && kind !== 'Fl') {
    return refuse(`it is filtered by ${filters.join(', ')}`);
  }
  const mask = file.resolve(get(dict, 'ImageMask'), rev);
  // A stencil mask says so, as a boolean (poppler skipped `/ImageMask 1`, pdf.js took it as a
  // mask; poppler skipped an image whose /Mask stream did not say /ImageMask true).
  if (mask !== undefined && !(mask instanceof PDFBool)) {
    return refuse('its /ImageMask is not true or false');
  }
  if (as === 'stencil' && !(mask instanceof PDFBool && mask.asBoolean())) {
    return refuse('its /Mask is a stream that is no stencil mask (/ImageMask true)');
  }
  const isMask = as === 'stencil' || (mask instanceof PDFBool && mask.asBoolean());
  if (isMask) {
    // One bit deep, as an integer if said (poppler skipped a mask of 8 bits), and a decode
    // array of 0 and 1 (poppler inverted `[0.5 0]` only from 0.9, pdf.js from above 0).
    const depth = get(dict, 'BitsPerComponent');
    const decoding = file.resolve(get(dict, 'Decode'), rev);
    const flips =
      decoding instanceof PDFArray
        ? decoding.asArray().map((v) => {
            const n = file.resolve(v, rev);
            return isIntegerToken(n) ? n.asNumber() : NaN;
          })
        : [];
    if (
      (depth !== undefined && integer(file, dict, 'BitsPerComponent', rev) !== 1) ||
      (decoding !== undefined && !['0,1', '1,0'].includes(flips.join(',')))
    ) {
      return refuse('it is a stencil mask not one bit deep, or not decoded by 0 and 1');
    }
  }
  // A soft mask is gray whatever it says (§11.6.5.2); a stencil mask one bit deep.
  const space =
    isMask || as === 'smask'
      ? { components: 1, pattern: false }
      : spaceOf(file, get(dict, 'ColorSpace'), rev, !jpeg);
  const bits = isMask ? 1 : integer(file, dict, 'BitsPerComponent', rev);
  if (!space || space.pattern || bits === null || ![1, 2, 4, 8, 16].includes(bits)) {
    return refuse('its colour space or depth is not one every reader reads alike');
  }
  // A decode array maps each component: two numbers each, or readers skip the image or not.
  const decode = get(dict, 'Decode');
  if (decode !== undefined && numbers(file, decode, rev)?.length !== 2 * space.components) {
    return refuse('its /Decode is not two numbers for each component');
  }
  // A colour key masks the samples within its ranges: two integers for each component, each a
  // sample value (poppler cut `254.5` to 254 and masked the sample, pdf.js drew it; given one
  // number, poppler drew the image and pdf.js did not).
  const key = file.resolve(get(dict, 'Mask'), rev);
  if (key instanceof PDFArray) {
    const ranges = key.asArray().map((item) => file.resolve(item, rev));
    const top = 2 ** bits - 1;
    const samples = ranges.map((n) => (isIntegerToken(n) ? n.asNumber() : NaN));
    if (
      jpeg ||
      samples.length !== 2 * space.components ||
      samples.some((n, i) => !(n >= 0 && n <= top) || (i % 2 === 1 && n < samples[i - 1]!))
    ) {
      return refuse(
        'its colour key (/Mask) is not a range of its sample values for each component',
      );
    }
  }
  if (jpeg) {
    // The JPEG's own frame says its size, depth and components; the dictionary must say the
    // same (a 3-component JPEG declared DeviceCMYK was black to poppler and white to pdf.js).
    const frame = jpegFrame(data);
    if (!frame || frame.width !== width || frame.height !== height) {
      return refuse('its JPEG data is not one whole JPEG of its size');
    }
    if (isMask || frame.precision !== 8 || bits !== 8 || frame.components !== space.components) {
      return refuse('its JPEG data is not of the depth and colour components it declares');
    }
    // Huffman-coded, baseline, extended or progressive: what every reader decodes. Lossless,
    // hierarchical and arithmetic-coded frames pdf.js's own decoder refuses, while poppler
    // draws them as its libjpeg was built.
    if (![0xc0, 0xc1, 0xc2].includes(frame.marker)) {
      return refuse('its JPEG data is coded otherwise than every reader decodes (SOF0 to SOF2)');
    }
    return;
  }
  const parms = file.dict(get(dict, 'DecodeParms'), rev);
  const predictor = parms ? integerOr(file, parms, 'Predictor', rev, 1) : 1;
  const png = predictor >= 10;
  // A predictor every reader applies alike: none, or PNG's (10–15) on samples of at most a byte
  // (pdf.js read 3–9 and 16 and above as no data at all, poppler as none or as PNG; TIFF's on
  // 16-bit samples was black in one reader and white in the other).
  if (
    get(dict, 'DecodeParms') !== undefined &&
    (parms === null || !(predictor === 1 || (predictor >= 10 && predictor <= 15 && bits <= 8)))
  ) {
    return refuse('its predictor is not one every reader applies alike');
  }
  if (parms) {
    const colors = integerOr(file, parms, 'Colors', rev, 1);
    const depth = integerOr(file, parms, 'BitsPerComponent', rev, 8);
    const columns = integerOr(file, parms, 'Columns', rev, 1);
    if (
      [predictor, colors, depth, columns].some(Number.isNaN) ||
      kind === 'none' ||
      (predictor !== 1 && (colors !== space.components || depth !== bits || columns !== width))
    ) {
      return refuse('its decode parameters do not describe its rows');
    }
  }
  const row = Math.ceil((width * space.components * bits) / 8) + (png ? 1 : 0);
  const expected = row * height;
  let decoded: Uint8Array = data;
  if (kind !== 'none') {
    try {
      // (With `info`, inflateSync gives the engine too: how much of the input it read.)
      const out = inflateSync(data, {
        info: true,
        maxOutputLength: Math.max(file.budget.content, 1),
      }) as unknown as {
        buffer: Buffer;
        engine: { bytesWritten: number };
      };
      if (out.engine.bytesWritten !== data.length) {
        return refuse('data follows its compressed data');
      }
      decoded = out.buffer;
    } catch (error) {
      if (error instanceof Found) {
        throw error;
      }
      return refuse('its compressed data cannot be read whole');
    }
    file.budget.content -= decoded.length;
  }
  if (decoded.length !== expected) {
    return refuse(`it holds ${decoded.length} bytes where its rows make ${expected}`);
  }
  for (let at = 0; png && at < decoded.length; at += row) {
    if (decoded[at]! > 4) {
      return refuse('a row of it names no PNG predictor');
    }
  }
}

/**
 * What a JPEG's frame header gives (size, sample precision, number of components), if `data`
 * runs from its start marker to its end marker.
 */
function jpegFrame(
  data: Uint8Array,
): { marker: number; width: number; height: number; precision: number; components: number } | null {
  const n = data.length;
  if (
    n < 4 ||
    data[0] !== 0xff ||
    data[1] !== 0xd8 ||
    data[n - 2] !== 0xff ||
    data[n - 1] !== 0xd9
  ) {
    return null;
  }
  for (let i = 2; i + 9 < n;) {
    if (data[i] !== 0xff) {
      return null;
    }
    const marker = data[i + 1]!;
    const length = (data[i + 2]! << 8) | data[i + 3]!;
    // A frame header: SOF0–SOF15, but for DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      return {
        marker,
        precision: data[i + 4]!,
        height: (data[i + 5]! << 8) | data[i + 6]!,
        width: (data[i + 7]! << 8) | data[i + 8]!,
        components: data[i + 9]!,
      };
    }
    if (marker === 0xd9 || marker === 0xda || length < 2) {
      return null;
    }
    i += 2 + length;
  }
  return null;
}

/**
 * How much content this check reads token by token, first reads and re-reads alike: a stream
 * fifty pages name (2 MB inflated, charged once to the file's budget) was read fifty times,
 * for 19 s. Reading runs at about 5 MB a second.
 */
const MAX_TOKENS_READ = MAX_CONTENT_INFLATED;
let unread = MAX_TOKENS_READ;

/** readContent, within the budget of what one check reads. */
function tokens(data: Uint8Array, options?: Parameters<typeof readContent>[1]) {
  unread -= data.length;
  if (unread < 0) {
    throw new Found(
      `the letter's content streams, read as every page and form names them, run beyond ${MAX_TOKENS_READ / 1024 / 1024} MB, more than is read`,
    );
  }
  return readContent(data, options);
}

/** Each content stream's data once decoded: the joined and font checks read it again. */
const decoded = new WeakMap<PDFRawStream, Uint8Array>();
