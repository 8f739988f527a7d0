/**
 * The words of a PDF as poppler places them (`pdftotext -bbox`), to check a layout as a reader
 * sees it: a table cell's text that runs into the next column overlaps the next word, or is
 * merged with it into one word.
 */
import { execFileSync } from 'node:child_process';

export interface Word {
  page: number;
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

const decode = (text: string) =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

export function pdfWords(file: string): Word[] {
  const xhtml = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8' });
  const words: Word[] = [];
  let page = 0;
  const pattern =
    /<page |<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g;
  for (const m of xhtml.matchAll(pattern)) {
    if (m[0] === '<page ') {
      page++;
      continue;
    }
    words.push({
      page,
      text: decode(m[5] ?? ''),
      xMin: Number(m[1]),
      yMin: Number(m[2]),
      xMax: Number(m[3]),
      yMax: Number(m[4]),
    });
  }
  return words;
}

/** Each pair of words on one line of a page whose boxes overlap, as "a / b (page N)". */
export function overlappingWords(words: Word[]): string[] {
  const found: string[] = [];
  for (const [i, a] of words.entries()) {
    for (const b of words.slice(i + 1)) {
      const sameLine = a.page === b.page && a.yMin < b.yMax - 1 && b.yMin < a.yMax - 1;
      if (sameLine && a.xMin < b.xMax - 0.5 && b.xMin < a.xMax - 0.5) {
        found.push(`${a.text} / ${b.text} (page ${a.page})`);
      }
    }
  }
  return found;
}
