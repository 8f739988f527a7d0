/**
 * A content stream read as readers read it: token by token (PDF 32000-1 §7.2, §7.8.2), not
 * searched as text. A regular expression over the text was fooled by `03 Tr`, by a comment
 * between operand and operator, by extra operands (`[](x)3 Tr`, of which readers take the last)
 * and by an operand left at the end of one stream of a page for the operator at the start of
 * the next.
 *
 * `contentProblem` names the first thing in a stream that can make readers show different
 * things, or that shows text nobody sees:
 *
 * - an operator that is not PDF's, or one with other operands than it takes (readers drop the
 *   operator or take the last operands, each their own way); a compatibility section (BX … EX)
 *   and an inline image (whose end readers find by guessing);
 * - text render mode 3 or 7, or one that is not a mode: text drawn invisibly that every text
 *   reader still extracts;
 * - a name of optional content (/OC) or of text read instead of what is drawn (/ActualText,
 *   /Alt); a font set by anything but a name (`(F1) 12 Tf`);
 * - a stream that ends inside a string, array or dictionary, or with operands left over.
 */

/** Each operator of PDF's content streams, and how many operands it takes (-1: one or more). */
const OPERATORS: Record<string, number> = {
  b: 0,
  B: 0,
  'b*': 0,
  'B*': 0,
  BDC: 2,
  BMC: 1,
  BT: 0,
  c: 6,
  cm: 6,
  CS: 1,
  cs: 1,
  d: 2,
  d0: 2,
  d1: 6,
  Do: 1,
  DP: 2,
  EMC: 0,
  ET: 0,
  f: 0,
  F: 0,
  'f*': 0,
  G: 1,
  g: 1,
  gs: 1,
  h: 0,
  i: 1,
  j: 1,
  J: 1,
  K: 4,
  k: 4,
  l: 2,
  m: 2,
  M: 1,
  MP: 1,
  n: 0,
  q: 0,
  Q: 0,
  re: 4,
  RG: 3,
  rg: 3,
  ri: 1,
  s: 0,
  S: 0,
  SC: -1,
  sc: -1,
  SCN: -1,
  scn: -1,
  sh: 1,
  'T*': 0,
  Tc: 1,
  Td: 2,
  TD: 2,
  Tf: 2,
  Tj: 1,
  TJ: 1,
  TL: 1,
  Tm: 6,
  Tr: 1,
  Ts: 1,
  Tw: 1,
  Tz: 1,
  v: 4,
  w: 1,
  W: 0,
  'W*': 0,
  y: 4,
  "'": 1,
  '"': 3,
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

class Problem extends Error {}

/**
 * The first thing in `data` (one content stream after its filter, or a page's streams joined as
 * readers join them) that readers may show differently; null when there is none.
 */
export function contentProblem(data: Uint8Array): string | null {
  return readContent(data).problem;
}

/**
 * `contentProblem`, and the fonts the content sets by name (`/F1 12 Tf`): each must be one its
 * resources define, or poppler draws nothing of the text and pdf.js a standard font's.
 */
export function readContent(data: Uint8Array): { problem: string | null; fonts: Set<string> } {
  const fonts = new Set<string>();
  try {
    read(data, fonts);
    return { problem: null, fonts };
  } catch (error) {
    if (error instanceof Problem) {
      return { problem: error.message, fonts };
    }
    throw error;
  }
}

/** A name token's text after its `#xx` escapes. */
function decodeName(raw: string): string {
  return raw.replace(/#([0-9a-fA-F]{2})/g, (_, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
}

/** An operand: a number as its value, a name as itself, anything else as null. */
type Operand = number | { name: string } | null;

function read(data: Uint8Array, fonts: Set<string>): void {
  const length = data.length;
  let i = 0;
  /** The operands before the next operator. */
  let operands: Operand[] = [];
  /** Open arrays and dictionaries: an operand only once closed. */
  let nesting = 0;
  const operand = (value: Operand) => {
    if (nesting === 0) {
      operands.push(value);
    }
  };
  while (i < length) {
    const c = data[i]!;
    if (WHITESPACE.has(c)) {
      i++;
    } else if (c === 0x25 /* % */) {
      while (i < length && data[i] !== 0x0a && data[i] !== 0x0d) {
        i++;
      }
    } else if (c === 0x28 /* ( */) {
      i = skipString(data, i);
      operand(null);
    } else if (c === 0x3c /* < */ && data[i + 1] === 0x3c) {
      nesting++;
      i += 2;
    } else if (c === 0x3e /* > */ && data[i + 1] === 0x3e) {
      if (--nesting < 0) {
        throw new Problem('closes a dictionary it never opened');
      }
      i += 2;
      operand(null);
    } else if (c === 0x3c) {
      const end = data.indexOf(0x3e, i + 1);
      if (end < 0) {
        throw new Problem('ends inside a hexadecimal string');
      }
      i = end + 1;
      operand(null);
    } else if (c === 0x5b /* [ */) {
      nesting++;
      i++;
    } else if (c === 0x5d /* ] */) {
      if (--nesting < 0) {
        throw new Problem('closes an array it never opened');
      }
      i++;
      operand(null);
    } else if (c === 0x2f /* / */) {
      const start = ++i;
      while (i < length && !WHITESPACE.has(data[i]!) && !DELIMITERS.has(data[i]!)) {
        i++;
      }
      const name = decodeName(latin1(data, start, i));
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
        operand(Number(token));
      } else if (token === 'true' || token === 'false' || token === 'null') {
        operand(null);
      } else if (nesting > 0) {
        throw new Problem(`holds the operator ${token} inside an array or dictionary`);
      } else {
        operator(token, operands, fonts);
        operands = [];
      }
    }
  }
  if (nesting > 0) {
    throw new Problem('ends inside an array or dictionary');
  }
  if (operands.length > 0) {
    throw new Problem('ends with operands no operator takes (split from it, across streams)');
  }
}

function operator(token: string, operands: Operand[], fonts: Set<string>): void {
  const refused = REFUSED[token];
  if (refused) {
    throw new Problem(refused);
  }
  const count = OPERATORS[token];
  if (count === undefined) {
    throw new Problem(`uses ${token}, which is no operator of PDF's`);
  }
  if (count === -1 ? operands.length === 0 : operands.length !== count) {
    throw new Problem(
      `gives ${token} ${operands.length} operands, not ${count === -1 ? 'one or more' : count}`,
    );
  }
  const [first] = operands;
  if (token === 'Tr' && !(typeof first === 'number' && DRAWN_MODES.has(first))) {
    throw new Problem(`writes text nobody sees (${shown(first)} Tr)`);
  }
  if (token === 'Tf') {
    // Readers differ on a font they cannot find: poppler draws nothing, pdf.js a standard font.
    if (first === null || typeof first !== 'object') {
      throw new Problem(`sets a font by ${shown(first)}, not by name (Tf)`);
    }
    fonts.add(first.name);
  }
}

/** An operand as a refusal names it. */
function shown(operand: Operand | undefined): string {
  return operand !== null && typeof operand === 'object' ? `/${operand.name}` : String(operand);
}

/** Where a literal string starting at `start` ends: parentheses balanced, escapes skipped. */
function skipString(data: Uint8Array, start: number): number {
  let depth = 0;
  for (let i = start; i < data.length; i++) {
    const c = data[i];
    if (c === 0x5c /* \ */) {
      i++;
    } else if (c === 0x28) {
      depth++;
    } else if (c === 0x29 && --depth === 0) {
      return i + 1;
    }
  }
  throw new Problem('ends inside a string');
}

function latin1(data: Uint8Array, start: number, end: number): string {
  return Buffer.from(data.buffer, data.byteOffset + start, end - start).toString('latin1');
}
