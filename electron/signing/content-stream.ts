/**
 * A content stream read as readers read it: token by token (PDF 32000-1 §7.2, §7.8.2), not
 * searched as text. A regular expression over the text was fooled by `03 Tr`, by a comment
 * between operand and operator, by extra operands (`[](x)3 Tr`, of which readers take the last)
 * and by an operand left at the end of one stream of a page for the operator at the start of
 * the next.
 *
 * `readContent` names the first thing in a stream that can make readers show different
 * things, or that shows text nobody sees:
 *
 * - an operator that is not PDF's, or one with other operands than it takes, in number or in
 *   kind (readers drop the operator or take the last operands, each their own way); a
 *   compatibility section (BX … EX) and an inline image (whose end readers find by guessing);
 * - a colour given with other components than its colour space has (`1 1 1 sc` in DeviceGray:
 *   poppler keeps the last colour, pdf.js takes the first operand), and, where the resources are
 *   known, a colour space they do not define (`/CS9 cs`: each reader falls back its own way);
 * - text render mode 3 or 7, or one that is not a mode: text drawn invisibly that every text
 *   reader still extracts;
 * - a name of optional content (/OC) or of text read instead of what is drawn (/ActualText,
 *   /Alt); a font set by anything but a name (`(F1) 12 Tf`);
 * - a stream that ends inside a string, array or dictionary, or with operands left over.
 *
 * Longer than 500 lines: the table of PDF's operators with the kinds of their operands, and one
 * reader that tokenizes, types each operand and follows the colour state, each rule beside the
 * operator it judges.
 */
import { MAX_NUMBER_LENGTH } from './pdf-structure';

/**
 * Each operator of PDF's content streams and the kinds of operands it takes, one letter each:
 * n a number, / a name, s a string, a an array, d a dictionary or a name; null: a colour,
 * whose operands its colour space decides.
 */
const OPERATORS: Record<string, string | null> = {
  b: '',
  B: '',
  'b*': '',
  'B*': '',
  BDC: '/d',
  BMC: '/',
  BT: '',
  c: 'nnnnnn',
  cm: 'nnnnnn',
  CS: '/',
  cs: '/',
  d: 'an',
  d0: 'nn',
  d1: 'nnnnnn',
  Do: '/',
  DP: '/d',
  EMC: '',
  ET: '',
  f: '',
  F: '',
  'f*': '',
  G: 'n',
  g: 'n',
  gs: '/',
  h: '',
  i: 'n',
  j: 'n',
  J: 'n',
  K: 'nnnn',
  k: 'nnnn',
  l: 'nn',
  m: 'nn',
  M: 'n',
  MP: '/',
  n: '',
  q: '',
  Q: '',
  re: 'nnnn',
  RG: 'nnn',
  rg: 'nnn',
  ri: '/',
  s: '',
  S: '',
  SC: null,
  sc: null,
  SCN: null,
  scn: null,
  sh: '/',
  'T*': '',
  Tc: 'n',
  Td: 'nn',
  TD: 'nn',
  Tf: '/n',
  Tj: 's',
  TJ: 'a',
  TL: 'n',
  Tm: 'nnnnnn',
  Tr: 'n',
  Ts: 'n',
  Tw: 'n',
  Tz: 'n',
  v: 'nnnn',
  w: 'n',
  W: '',
  'W*': '',
  y: 'nnnn',
  "'": 's',
  '"': 'nns',
};

/** Operators readers do not agree on where they end, or that admit any operator. */
const REFUSED: Record<string, string> = {
  BI: 'holds an inline image (BI … ID … EI), whose end readers find each their own way',
  ID: 'holds an inline image (BI … ID … EI), whose end readers find each their own way',
  EI: 'holds an inline image (BI … ID … EI), whose end readers find each their own way',
  BX: 'opens a compatibility section (BX … EX), inside which readers skip what they do not know',
  EX: 'opens a compatibility section (BX … EX), inside which readers skip what they do not know',
};

/** Text render modes that draw: fill, stroke, both, and each with clipping (not 3 or 7). */
const DRAWN_MODES = new Set([0, 1, 2, 4, 5, 6]);

/** Names that mark content optional or give text read instead of what is drawn. */
const NAMES: Record<string, string> = {
  OC: 'marks content as optional (/OC … BDC)',
  ActualText: 'gives text read instead of what it draws (/ActualText)',
  Alt: 'gives text read instead of what it draws (/Alt)',
};

const WHITESPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIMITERS = new Set([...'()<>[]{}/%'].map((c) => c.charCodeAt(0)));
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)$/;
/** Operators whose operands poppler takes as integers only (a real one and it skips them). */
const INTEGER_OPERANDS = new Set(['Tr', 'J', 'j']);

class Problem extends Error {}

/** A colour space as content sets it: how many components a colour in it has, and whether its
 * colours are patterns (named last, after the components of the space beneath, if any). */
export interface ColourSpace {
  components: number;
  pattern: boolean;
}

/**
 * The colour spaces a stream's resources define, by name: null for a name they do not define.
 * Without it (a stream read on its own, its resources unknown) a named space's colours are
 * only read as numbers.
 */
export type ColourSpaces = (name: string) => ColourSpace | null;

/** Spaces a `cs` names directly, without resources (PDF 32000-1 §8.6.8). */
const DEVICE_SPACES: Record<string, ColourSpace> = {
  DeviceGray: { components: 1, pattern: false },
  DeviceRGB: { components: 3, pattern: false },
  DeviceCMYK: { components: 4, pattern: false },
  Pattern: { components: 0, pattern: true },
};

/**
 * The first thing in `data` (one content stream after its filter, or a page's streams joined as
 * readers join them) that readers may show differently (`problem`, null when there is none), and
 * the fonts the content sets by name (`/F1 12 Tf`): each must be one its
 * resources define, or poppler draws nothing of the text and pdf.js a standard font's. A form
 * (`inherits`) draws in the colour spaces of whatever draws it: a colour it gives before
 * setting a space of its own has as many components as its caller's, which it cannot know.
 * Content read `whole` (a page's streams joined, a form, a glyph) restores only states it saved.
 */
export function readContent(
  data: Uint8Array,
  {
    spaces,
    inherits = false,
    whole = false,
    letter = false,
  }: { spaces?: ColourSpaces; inherits?: boolean; whole?: boolean; letter?: boolean } = {},
): {
  problem: string | null;
  fonts: Set<string>;
  names: Map<Resource, Set<string>>;
  /** Every operator the content uses, and every colour space it sets by name (cs, CS). */
  operators: Set<string>;
  colourSpaces: Set<string>;
} {
  const reader = new Reader(spaces, inherits ? INHERITED : GRAY, whole, letter);
  let problem: string | null = null;
  try {
    reader.read(data);
  } catch (error) {
    if (!(error instanceof Problem)) {
      throw error;
    }
    problem = error.message;
  }
  return {
    problem,
    fonts: reader.named('Font'),
    names: reader.names,
    operators: reader.operators,
    colourSpaces: reader.colourSpaces,
  };
}

/**
 * The kinds of resource content names (PDF 32000-1 §7.8.3): each name must be one the stream's
 * own resources define, or readers differ (poppler looks in the resources further out, pdf.js
 * does not).
 */
export type Resource = 'Font' | 'XObject' | 'ExtGState' | 'Shading' | 'Pattern' | 'Properties';

/** The operators that name a resource, and the kind each names (by its first operand). */
const NAMING: Record<string, Resource> = {
  Tf: 'Font',
  Do: 'XObject',
  gs: 'ExtGState',
  sh: 'Shading',
};

/** A name token's text after its `#xx` escapes. */
function decodeName(raw: string): string {
  return raw.replace(/#([0-9a-fA-F]{2})/g, (_, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
}

/** An operand: a number as its value, a name as itself, anything else by its kind. */
type Operand = number | { name: string } | 'string' | 'array' | 'dictionary' | null;

/** The colour spaces in force for filling and stroking (not known: null). */
interface Colours {
  fill: ColourSpace | null;
  stroke: ColourSpace | null;
}

const GRAY = DEVICE_SPACES.DeviceGray!;
/** The space of whatever draws a form, which the form cannot know. */
const INHERITED: ColourSpace = { components: -1, pattern: false };

class Reader {
  /** The resources the content names, by kind. */
  readonly names = new Map<Resource, Set<string>>();
  readonly operators = new Set<string>();
  readonly colourSpaces = new Set<string>();
  /** DeviceGray for both at the start of a page (§8.4.1), saved by q and restored by Q. */
  private colours: Colours;
  private readonly saved: Colours[] = [];
  /** The matrix content has set (cm) since it began, saved and restored with q and Q. */
  private ctm = [1, 0, 0, 1, 0, 0];
  private readonly savedCtm: number[][] = [];
  /** Whether a path has a current point, and whether a text object is open (read whole). */
  private point = false;
  private inText = false;
  /** Text as a letter places it (letterSizes): its state, saved with q and Q, and its line. */
  private text: TextState = { ...DEFAULT_TEXT };
  private readonly savedText: TextState[] = [];
  /** The text line matrix (set by BT, Tm, Td, TD, T*), and how far text has run along it since. */
  private line = [1, 0, 0, 1, 0, 0];
  private run = 0;
  /** The bytes of the strings among the operands before the next operator (at most: raw). */
  private shownBytes = 0;
  /** Whether one of those strings holds a control code (0x00–0x1F). */
  private shownControl = false;
  /** The items directly in the last array closed at the top level, NaN where no number (a dash's, for `d`). */
  private lastArray: number[] = [];
  private inArray: number[] = [];

  constructor(
    private readonly spaces: ColourSpaces | undefined,
    start: ColourSpace,
    /** Read whole (a page's streams joined, a form, a glyph): every Q restores a q of its own. */
    private readonly whole = false,
    /** Held to the letter profile's sizes (LETTER_LIMITS). */
    private readonly letter = false,
  ) {
    this.colours = { fill: start, stroke: start };
  }

  named(kind: Resource): Set<string> {
    const names = this.names.get(kind) ?? new Set<string>();
    this.names.set(kind, names);
    return names;
  }

  read(data: Uint8Array): void {
    const length = data.length;
    let i = 0;
    /** The operands before the next operator. */
    let operands: Operand[] = [];
    /** Whether any of them is a number written with a point (`4.0`, `2.`). */
    let real = false;
    /** Open arrays and dictionaries, innermost last: an operand only once all are closed. */
    const open: ('array' | 'dictionary')[] = [];
    const operand = (value: Operand, point = false) => {
      // What a dash array holds: a number, or NaN for anything else (a string, a name, an array).
      if (open.length === 1 && open[0] === 'array') {
        this.inArray.push(typeof value === 'number' ? value : NaN);
      }
      if (open.length === 0) {
        operands.push(value);
        real ||= point;
      }
    };
    // The bytes a string shows: one at the top level, or directly in an array there (TJ's).
    const shown = (bytes: number, control: boolean) => {
      if (open.length === 0 || (open.length === 1 && open[0] === 'array')) {
        this.shownBytes += bytes;
        this.shownControl ||= control;
      }
    };
    const close = (kind: 'array' | 'dictionary') => {
      const opened = open.pop();
      if (opened !== kind) {
        throw new Problem(
          opened === undefined
            ? `closes ${a(kind)} it never opened`
            : `closes ${a(opened)} as if it were ${a(kind)}`,
        );
      }
      if (open.length === 0 && kind === 'array') {
        this.lastArray = this.inArray;
      }
      operand(kind);
    };
    while (i < length) {
      const c = data[i]!;
      if (WHITESPACE.has(c)) {
        i++;
      } else if (c === 0x25 /* % */) {
        while (i < length && data[i] !== 0x0a && data[i] !== 0x0d) {
          i++;
        }
        // Poppler runs a comment on into the page's next stream, pdf.js ends it with the stream:
        // a line after `% …` at a stream's end was drawn by pdf.js only (round 20ac).
        if (i === length) {
          throw new Problem('ends inside a comment, which readers end in different places');
        }
      } else if (c === 0x28 /* ( */) {
        const start = i;
        const literal = readLiteral(data, i);
        i = literal.end;
        shown(i - start - 2, literal.control);
        operand('string');
      } else if (c === 0x3c /* < */ && data[i + 1] === 0x3c) {
        open.push('dictionary');
        i += 2;
      } else if (c === 0x3e /* > */ && data[i + 1] === 0x3e) {
        i += 2;
        close('dictionary');
      } else if (c === 0x3c) {
        const end = data.indexOf(0x3e, i + 1);
        if (end < 0) {
          throw new Problem('ends inside a hexadecimal string');
        }
        shown(Math.ceil((end - i - 1) / 2), hexHasControl(data, i + 1, end));
        i = end + 1;
        operand('string');
      } else if (c === 0x5b /* [ */) {
        if (open.length === 0) {
          this.inArray = [];
        }
        open.push('array');
        i++;
      } else if (c === 0x5d /* ] */) {
        i++;
        close('array');
      } else if (c === 0x2f /* / */) {
        const start = ++i;
        while (i < length && !WHITESPACE.has(data[i]!) && !DELIMITERS.has(data[i]!)) {
          i++;
        }
        const raw = latin1(data, start, i);
        // Poppler drops a `#` escape's bad second digit (`/X#4Z` is /X@ to it, /X#4Z to pdf.js)
        // and ends a name at `#00` (round 20ak).
        if (/#(?![0-9a-fA-F]{2})|#00/.test(raw)) {
          throw new Problem(`names /${raw}, an escape readers decode differently`);
        }
        const name = decodeName(raw);
        const what = NAMES[name];
        if (what) {
          throw new Problem(what);
        }
        operand({ name });
      } else if (DELIMITERS.has(c)) {
        throw new Problem(`holds a stray ${String.fromCharCode(c)}`);
      } else {
        const start = i;
        while (i < length && !WHITESPACE.has(data[i]!) && !DELIMITERS.has(data[i]!)) {
          i++;
        }
        const token = latin1(data, start, i);
        if (NUMBER.test(token)) {
          // pdf.js read `170.` and 310 zeros as NaN, poppler as 170 (round 20aj).
          if (token.length > MAX_NUMBER_LENGTH) {
            throw new Problem(
              `writes a number of ${token.length} characters, which readers read as different values`,
            );
          }
          operand(Number(token), token.includes('.'));
        } else if (token === 'true' || token === 'false' || token === 'null') {
          operand(null);
        } else if (open.length > 0) {
          throw new Problem(`holds the operator ${token} inside an array or dictionary`);
        } else {
          // Poppler takes only an integer here and skips the operator given a real; pdf.js
          // applies it (`4.0 Tr` clipped "NOT" away in pdf.js, `2.0 J` capped a stroke over it).
          if (real && INTEGER_OPERANDS.has(token)) {
            throw new Problem(`gives ${token} a number with a point where readers take an integer`);
          }
          this.operator(token, operands);
          operands = [];
          real = false;
          this.shownBytes = 0;
          this.shownControl = false;
        }
      }
    }
    if (open.length > 0) {
      throw new Problem('ends inside an array or dictionary');
    }
    if (operands.length > 0) {
      throw new Problem('ends with operands no operator takes (split from it, across streams)');
    }
    // Whatever the page draws next (an annotation's appearance) starts from its own text state
    // in some readers and from the page's in others.
    if (this.letter && this.whole && !defaultText(this.text)) {
      throw new Problem(
        'ends with its text state set (Tc, Tw, Tz, TL or Ts), which readers carry on differently',
      );
    }
  }

  private operator(token: string, operands: Operand[]): void {
    this.operators.add(token);
    const refused = REFUSED[token];
    if (refused) {
      throw new Problem(refused);
    }
    const kinds = OPERATORS[token];
    if (kinds === undefined) {
      throw new Problem(`uses ${token}, which is no operator of PDF's`);
    }
    if (kinds === null) {
      this.colour(token, operands);
      return;
    }
    if (operands.length !== kinds.length) {
      throw new Problem(`gives ${token} ${operands.length} operands, not ${kinds.length}`);
    }
    const [first] = operands;
    if (token === 'Tr' && !(typeof first === 'number' && DRAWN_MODES.has(first))) {
      throw new Problem(`writes text nobody sees (${shown(first)} Tr)`);
    }
    // A cap or join that is no style, a miter limit below 1, a negative width: poppler takes
    // `7 J` as butt caps and pdf.js keeps the cap set before, so a white stroke 0.01 long
    // under `2 J 7 J` was a square over "NOT" in pdf.js and nothing in poppler (round 20aa);
    // poppler bevels every join at `0 M`, pdf.js keeps its limit of 10.
    if ((token === 'J' || token === 'j') && !(first === 0 || first === 1 || first === 2)) {
      throw new Problem(
        `sets a ${token === 'J' ? 'line cap' : 'line join'} that is no style (${shown(first)} ${token})`,
      );
    }
    if (token === 'M' && !(typeof first === 'number' && first >= 1)) {
      throw new Problem(`sets a miter limit below 1 (${shown(first)} M)`);
    }
    if (token === 'w' && !(typeof first === 'number' && first >= 0)) {
      throw new Problem(`sets a negative line width (${shown(first)} w)`);
    }
    if (token === 'Tf') {
      // Readers differ on a font they cannot find: poppler draws nothing, pdf.js a standard font.
      if (!isName(first)) {
        throw new Problem(`sets a font by ${shown(first)}, not by name (Tf)`);
      }
      if (operands[1] === 0) {
        throw new Problem('sets a font of size 0 (Tf): text drawn at no size, still extracted');
      }
    }
    operands.forEach((value, at) => {
      const kind = kinds[at]!;
      if (!KINDS[kind]!.test(value)) {
        throw new Problem(
          `gives ${token} ${shown(value)} where it takes ${KINDS[kind]!.name} (operand ${at + 1})`,
        );
      }
    });
    const naming = NAMING[token];
    if (naming) {
      this.named(naming).add((first as { name: string }).name);
    }
    const properties = operands[1];
    if ((token === 'BDC' || token === 'DP') && isName(properties)) {
      this.named('Properties').add(properties.name);
    }
    // A dash of no length: pdf.js strokes it solid, poppler not at all. A dash of anything but
    // numbers is one too, to poppler (it reads the rest as 0), and solid to pdf.js.
    if (token === 'd' && this.lastArray.some((n) => Number.isNaN(n))) {
      throw new Problem('sets a dash of other things than numbers (d)');
    }
    if (token === 'd' && this.lastArray.length > 0 && this.lastArray.every((n) => n === 0)) {
      throw new Problem('sets a dash of no length (d)');
    }
    // A negative length: poppler strokes nothing, a canvas ignores the dash and strokes solid
    // (a white bar over "NOT" in pdf.js only, round 20ac).
    if (token === 'd' && (this.lastArray.some((n) => n < 0) || (operands[1] as number) < 0)) {
      throw new Problem('sets a dash with a negative length or phase (d)');
    }
    // Text and drawings flattened to nothing are drawn by nobody and extracted by every reader.
    if (token === 'Tz' && first === 0) {
      throw new Problem('scales text to no width (0 Tz): drawn by nobody, still extracted');
    }
    if ((token === 'cm' || token === 'Tm') && flat(operands as number[])) {
      throw new Problem(
        `sets a matrix that flattens what follows to a line or a point (${token}): drawn by nobody, still extracted`,
      );
    }
    if (this.whole) {
      this.wholeOrder(token);
    }
    if (this.letter) {
      this.letterSizes(token, operands);
    }
    this.state(token, first);
  }

  /**
   * The order of operators in content read whole (round 20ad): a path goes on from a current
   * point (poppler skips `l`, `c`, `v`, `y` and `h` without one, a canvas starts a path there:
   * a white box of four `l` filled over "NOT" in pdf.js only, and `h W n` clipped everything
   * away in pdf.js only); text is shown and placed inside BT … ET, and no form is drawn there
   * (poppler starts a form's text at the form's origin, pdf.js where the page's text stood: a
   * form's `(REFUSED) Tj` showed in pdf.js, another's `(APPROVED) Tj` in poppler); and no
   * graphics state is saved, restored or transformed inside a text object.
   */
  private wholeOrder(token: string): void {
    if (PATH_ON.has(token) && !this.point) {
      throw new Problem(`draws a path on from no current point (${token})`);
    }
    if (TEXT_PLACING.has(token) && !this.inText) {
      throw new Problem(`shows or places text outside BT … ET (${token})`);
    }
    if (token === 'Do' && this.inText) {
      throw new Problem('draws a form inside a text object (Do between BT and ET)');
    }
    // Poppler's Q restores the text matrix but not the line's position, pdf.js's both: `Td`
    // inside `q … Q` put "NOT" in its place in poppler and off the page in pdf.js (round 20ag).
    if ((token === 'q' || token === 'Q' || token === 'cm') && this.inText) {
      throw new Problem(
        `saves, restores or transforms the graphics state inside a text object (${token} between BT and ET)`,
      );
    }
    if (token === 'm' || token === 're') {
      this.point = true;
    } else if (PAINTING.has(token) || token === 'BT' || token === 'ET') {
      this.point = false;
    }
    if (token === 'BT' || token === 'ET') {
      this.inText = token === 'BT';
    }
  }

  /**
   * The sizes a letter draws at (letter-profile.ts): numbers of at most LETTER_LIMITS.number,
   * matrices that scale by at most LETTER_LIMITS.scale however they are composed, and butt caps.
   * Poppler computes in doubles, a canvas in single precision: `2^50 + 10^6` then `-2^50`
   * translated a white box a million points away in poppler and onto "NOT" in pdf.js; a
   * zero-length stroke with round caps was a dot in poppler and nothing in pdf.js (round 20ac).
   */
  private letterSizes(token: string, operands: Operand[]): void {
    const numbers = [
      ...operands.filter((o): o is number => typeof o === 'number'),
      // (An array's strings are NaN here: only its numbers are sizes.)
      ...(token === 'TJ' || token === 'd' ? this.lastArray.filter((n) => !Number.isNaN(n)) : []),
    ];
    const big = numbers.find((n) => !(Math.abs(n) <= LETTER_LIMITS.number));
    if (big !== undefined) {
      throw new Problem(`gives ${token} ${big}, a number beyond the sizes a letter draws at`);
    }
    // A form draws at the scale it is drawn at times its own: at most 1 here, so forms within
    // forms never compose beyond LETTER_LIMITS (a form's /Matrix is held to 1 too).
    // (By how far it stretches, not its entries: [1 1 -1 1] doubles the size, round 20ai.)
    if (token === 'Do' && !(stretch(this.ctm) <= 1 + 1e-9)) {
      throw new Problem('draws a form at a scale above 1 (Do)');
    }
    // Mirrored text has no place in a letter (pdftotext extracted `-100 Tz (REFUSED)` as
    // DESUFER, pdf.js as REFUSED).
    if (
      (token === 'Tz' && !((operands[0] as number) > 0)) ||
      (token === 'Tf' && !((operands[1] as number) > 0))
    ) {
      throw new Problem(`sets text mirrored or of no size (${token})`);
    }
    if (token === 'J' && operands[0] !== 0) {
      throw new Problem(
        `sets line caps other than butt (${shown(operands[0])} J): a zero-length stroke with round caps is a dot to poppler and nothing to pdf.js`,
      );
    }
    this.textPlacing(token, operands);
    if (token === 'cm' || token === 'Tm') {
      const m = operands as number[];
      const composed = token === 'cm' ? multiply(m, this.ctm) : m;
      if (composed.slice(0, 4).some((v) => Math.abs(v) > LETTER_LIMITS.scale)) {
        throw new Problem(`sets a matrix (${token}) that scales beyond what a letter draws`);
      }
      if (composed.slice(4).some((v) => Math.abs(v) > LETTER_LIMITS.number)) {
        throw new Problem(`sets a matrix (${token}) that moves beyond what a letter draws`);
      }
      if (token === 'cm') {
        this.ctm = composed;
      }
    }
  }

  /**
   * Where a letter's text goes, in page units (round 20af): each number and matrix within the
   * limits, twenty `10000 0 Td` under a text matrix and a `cm` of 100 each took a line 2·10⁹
   * points away, and `-10000 Tc` brought each glyph of one string back: poppler, in doubles,
   * drew "NOT" in its place, pdf.js's canvas, in single precision, lost it. So the line's start
   * through the text and page matrices, how far text runs along the line (each glyph at most
   * GLYPH_EM of its size, with its spacing and TJ's moves, counted whatever their sign) and its
   * rise stay within LETTER_LIMITS.number; the matrices compose within LETTER_LIMITS.scale. A
   * form starts from the text state of whatever draws it, so it is drawn with none set, and text
   * is shown only in a font set where it is read.
   */
  private textPlacing(token: string, operands: Operand[]): void {
    const n = operands.filter((o): o is number => typeof o === 'number');
    const text = this.text;
    const lineTo = (tx: number, ty: number) => {
      this.line = multiply([1, 0, 0, 1, tx, ty], this.line);
      this.run = 0;
    };
    switch (token) {
      case 'BT':
        this.line = [1, 0, 0, 1, 0, 0];
        this.run = 0;
        return;
      case 'Tc':
        text.tc = n[0]!;
        return;
      case 'Tw':
        text.tw = n[0]!;
        return;
      case 'Tz':
        text.th = n[0]! / 100;
        return;
      case 'TL':
        text.tl = n[0]!;
        return;
      case 'Ts':
        text.ts = n[0]!;
        return;
      case 'Tf':
        text.size = n[0]!;
        return;
      case 'Tm':
        this.line = n;
        this.run = 0;
        return;
      case 'TD':
        text.tl = -n[1]!;
        lineTo(n[0]!, n[1]!);
        return;
      case 'Td':
        lineTo(n[0]!, n[1]!);
        return;
      case 'T*':
        lineTo(0, -text.tl);
        return;
      case 'Do':
        if (!defaultText(text)) {
          throw new Problem('draws a form with its text state set (Tc, Tw, Tz, TL or Ts)');
        }
        return;
      case '"':
        text.tw = n[0]!;
        text.tc = n[1]!;
        lineTo(0, -text.tl);
        break;
      case "'":
        lineTo(0, -text.tl);
        break;
      case 'Tj':
      case 'TJ':
        break;
      default:
        return;
    }
    if (text.size === null) {
      throw new Problem(`shows text before setting its font here (${token} without Tf)`);
    }
    // Codes 0x00–0x1F are no WinAnsi character: poppler gives them no width in Courier, pdf.js
    // 0.6 em, so fifty of them put "NOT" in place in one and off the page in the other (20al).
    if (this.shownControl) {
      throw new Problem(
        `shows a control code (0x00–0x1F) that readers space differently (${token})`,
      );
    }
    const moves = token === 'TJ' ? this.lastArray.filter((v) => !Number.isNaN(v)) : [];
    this.run +=
      text.th *
      (this.shownBytes * (GLYPH_EM * text.size + Math.abs(text.tc) + Math.abs(text.tw)) +
        (moves.reduce((sum, v) => sum + Math.abs(v), 0) / 1000) * text.size);
    const [a, b, c, d, e, f] = multiply(this.line, this.ctm) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    if ([a, b, c, d].some((v) => !(Math.abs(v) <= LETTER_LIMITS.scale))) {
      throw new Problem(
        `shows text (${token}) through matrices that scale beyond what a letter draws`,
      );
    }
    if (
      !(Math.abs(e) <= LETTER_LIMITS.number && Math.abs(f) <= LETTER_LIMITS.number) ||
      !(this.run * Math.hypot(a, b) <= LETTER_LIMITS.number) ||
      !(Math.abs(text.ts) * Math.hypot(c, d) <= LETTER_LIMITS.number)
    ) {
      throw new Problem(
        `shows text (${token}) beyond the page's sizes, where readers place it apart`,
      );
    }
  }

  /** What q and Q, and the operators that set a colour space, change. */
  private state(token: string, first: Operand | undefined): void {
    const set = SET_BY[token];
    if (token === 'q') {
      this.saved.push({ ...this.colours });
      this.savedCtm.push(this.ctm);
      this.savedText.push({ ...this.text });
    } else if (token === 'Q') {
      // Poppler stops drawing the stream at a Q with nothing saved; pdf.js draws on (inside a
      // form it restores the state from before the form, out of its matrix and box): a white
      // square after `Q` hid "NOT" in pdf.js only (round 20ab).
      if (this.whole && this.saved.length === 0) {
        throw new Problem('restores a graphics state it never saved (Q without q)');
      }
      this.colours = this.saved.pop() ?? this.colours;
      this.ctm = this.savedCtm.pop() ?? this.ctm;
      this.text = this.savedText.pop() ?? this.text;
    } else if (set) {
      this.colours[set[0]] = set[1];
    } else if (token === 'cs' || token === 'CS') {
      const { name } = first as { name: string };
      this.colourSpaces.add(name);
      const space = DEVICE_SPACES[name] ?? this.spaces?.(name) ?? null;
      if (space === null && this.spaces) {
        throw new Problem(
          `sets the colour space /${name}, which its resources do not define as one every reader reads alike`,
        );
      }
      this.colours[token === 'cs' ? 'fill' : 'stroke'] = space;
    }
  }

  /** sc, SC, scn and SCN: the components of the space in force; a pattern named last by scn. */
  private colour(token: string, operands: Operand[]): void {
    const space = this.colours[token === token.toLowerCase() ? 'fill' : 'stroke'];
    const last = operands[operands.length - 1];
    const pattern = /n$/i.test(token) && isName(last) && (space === null || space.pattern);
    if (pattern) {
      this.named('Pattern').add(last.name);
    }
    const numbers = pattern ? operands.slice(0, -1) : operands;
    const bad = numbers.find((value) => typeof value !== 'number');
    if (operands.length === 0) {
      throw new Problem(`gives ${token} no operands`);
    }
    if (bad !== undefined) {
      throw new Problem(`gives ${token} ${shown(bad)} where it takes a number`);
    }
    if (space === null) {
      return;
    }
    if (space === INHERITED) {
      throw new Problem(`gives ${token} a colour before setting a colour space of its own`);
    }
    if (space.pattern && !pattern) {
      throw new Problem(`gives ${token} no pattern in a pattern colour space`);
    }
    if (numbers.length !== space.components) {
      throw new Problem(
        `gives ${token} ${numbers.length} components in a colour space of ${space.components}`,
      );
    }
  }
}

/**
 * How far a matrix [a b c d …] stretches any length at most (its largest singular value): the
 * factor by which nested forms' sizes compose, whatever their entries.
 */
export function stretch(m: readonly number[]): number {
  const [a, b, c, d] = m as [number, number, number, number];
  const sum = a * a + b * b + c * c + d * d;
  const det = a * d - b * c;
  return Math.sqrt((sum + Math.sqrt(Math.max(0, sum * sum - 4 * det * det))) / 2);
}

/** Path operators that go on from the current point, and those that paint (and end) a path. */
const PATH_ON = new Set(['l', 'c', 'v', 'y', 'h']);
const PAINTING = new Set(['S', 's', 'f', 'F', 'f*', 'B', 'B*', 'b', 'b*', 'n']);
/** Operators that show or place text: only inside a text object. */
const TEXT_PLACING = new Set(['Tj', 'TJ', "'", '"', 'Td', 'TD', 'T*', 'Tm']);

/** The sizes a letter draws at: numbers, and the scale of any matrix (letterSizes). */
export const LETTER_LIMITS = { number: 10_000, scale: 100 } as const;

/** The widest glyph of a standard Latin font, in ems (Helvetica's @ is 1.015). */
const GLYPH_EM = 1.1;

/** The text state a letter sets (PDF 32000-1 §9.3); the font's size is null until Tf. */
interface TextState {
  tc: number;
  tw: number;
  /** Horizontal scaling, as a factor (Tz / 100). */
  th: number;
  tl: number;
  ts: number;
  size: number | null;
}

const DEFAULT_TEXT: TextState = { tc: 0, tw: 0, th: 1, tl: 0, ts: 0, size: null };

/** Whether nothing but the font is set: what a form may be drawn with, and a page end with. */
function defaultText(text: TextState): boolean {
  return text.tc === 0 && text.tw === 0 && text.th === 1 && text.tl === 0 && text.ts === 0;
}

/** The product `m × n` of two PDF matrices [a b c d e f]. */
function multiply(m: number[], n: number[]): number[] {
  const [a, b, c, d, e, f] = m as [number, number, number, number, number, number];
  const [A, B, C, D, E, F] = n as [number, number, number, number, number, number];
  return [
    a * A + b * C,
    a * B + b * D,
    c * A + d * C,
    c * B + d * D,
    e * A + f * C + E,
    e * B + f * D + F,
  ];
}

/** Whether a matrix [a b c d e f] maps the plane onto a line or a point (its determinant is 0). */
export function flat([a, b, c, d]: number[]): boolean {
  return a! * d! - b! * c! === 0;
}

const a = (kind: 'array' | 'dictionary') => (kind === 'array' ? 'an array' : 'a dictionary');

const isName = (value: Operand | undefined): value is { name: string } =>
  value !== null && typeof value === 'object';

/** Each kind of operand: how it is recognised, and how a refusal names it. */
const KINDS: Record<string, { test: (value: Operand) => boolean; name: string }> = {
  n: { test: (value) => typeof value === 'number', name: 'a number' },
  '/': { test: isName, name: 'a name' },
  s: { test: (value) => value === 'string', name: 'a string' },
  a: { test: (value) => value === 'array', name: 'an array' },
  d: { test: (value) => value === 'dictionary' || isName(value), name: 'a dictionary or a name' },
};

/** The operators that set a device colour, and the space each sets. */
const SET_BY: Record<string, ['fill' | 'stroke', ColourSpace]> = {
  g: ['fill', GRAY],
  G: ['stroke', GRAY],
  rg: ['fill', DEVICE_SPACES.DeviceRGB!],
  RG: ['stroke', DEVICE_SPACES.DeviceRGB!],
  k: ['fill', DEVICE_SPACES.DeviceCMYK!],
  K: ['stroke', DEVICE_SPACES.DeviceCMYK!],
};

/** An operand as a refusal names it. */
function shown(operand: Operand | undefined): string {
  if (isName(operand)) {
    return `/${operand.name}`;
  }
  if (typeof operand === 'number' || operand == null) {
    return String(operand ?? null);
  }
  return operand === 'string' ? 'a string' : a(operand);
}

/**
 * Reads a literal string starting at `start` (its opening parenthesis): where it ends
 * (parentheses balanced, escapes skipped) and whether its body holds a control code — a byte
 * below 0x20 written as is (an end of line in a string is one), or as `\n`, `\r`, `\t`, `\b`,
 * `\f` or an octal escape below `\040`. A backslash before an end of line continues the line.
 */
function readLiteral(data: Uint8Array, start: number): { end: number; control: boolean } {
  let depth = 0;
  let control = false;
  for (let i = start; i < data.length; i++) {
    const c = data[i]!;
    if (c === 0x5c /* \ */) {
      const next = data[i + 1];
      const octal = /^[0-7]{1,3}/.exec(latin1(data, i + 1, Math.min(i + 4, data.length)));
      if (next === 0x0d) {
        i += data[i + 2] === 0x0a ? 2 : 1;
      } else if (next === 0x0a) {
        i += 1;
      } else if (next !== undefined && 'nrtbf'.includes(String.fromCharCode(next))) {
        control = true;
        i += 1;
      } else if (octal) {
        // An octal escape above \377: poppler keeps its low byte ("NOT" from \516\517\524),
        // pdf.js a code no font has (nothing drawn), round 20ak.
        const value = parseInt(octal[0], 8);
        if (value > 0o377) {
          throw new Problem(
            `writes \\${octal[0]} in a string, above a byte, which readers read differently`,
          );
        }
        control ||= value < 0x20;
        i += octal[0].length;
      } else {
        i += 1;
      }
    } else if (c === 0x28) {
      depth++;
    } else if (c === 0x29 && --depth === 0) {
      return { end: i + 1, control };
    } else if (c < 0x20 && depth > 0) {
      control = true;
    }
  }
  throw new Problem('ends inside a string');
}

/**
 * Whether a hex string's body holds a control code (a last odd digit is followed by 0). A
 * character that is no hex digit is refused: poppler reads it as 0, pdf.js skips it (round 20ak).
 */
function hexHasControl(data: Uint8Array, start: number, end: number): boolean {
  let control = false;
  let high: number | null = null;
  for (let k = start; k < end; k++) {
    const h = data[k]!;
    if (WHITESPACE.has(h)) {
      continue;
    }
    if (!isHexDigit(h)) {
      throw new Problem(
        `writes ${String.fromCharCode(h)} in a hexadecimal string, which readers read differently`,
      );
    }
    const digit = parseInt(String.fromCharCode(h), 16);
    if (high === null) {
      high = digit;
    } else {
      control ||= high * 16 + digit < 0x20;
      high = null;
    }
  }
  return control || (high !== null && high * 16 < 0x20);
}

/** 0–9, A–F, a–f. */
function isHexDigit(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function latin1(data: Uint8Array, start: number, end: number): string {
  return Buffer.from(data.buffer, data.byteOffset + start, end - start).toString('latin1');
}
