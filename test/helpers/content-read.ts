/**
 * Content streams read as the tests write them (latin1 text), for the unit rows of
 * electron/signing/content-stream.ts: each returns the first problem named, or null.
 */
import { readContent } from '../../electron/signing/content-stream';

type Options = Parameters<typeof readContent>[1];

/** `text` read with `options`: the whole result. */
export const read = (text: string, options?: Options) =>
  readContent(Buffer.from(text, 'latin1'), options);
/** The first problem in one stream read on its own. */
export const problem = (text: string, options?: Options) => read(text, options).problem;
/** The first problem in a page's content read whole. */
export const whole = (text: string) => read(text, { whole: true }).problem;
/** The first problem in a letter's content read whole, held to the letter's sizes. */
export const letter = (text: string) => read(text, { whole: true, letter: true }).problem;
/** The first problem in one of a letter's streams read on its own. */
export const letterStream = (text: string) => read(text, { letter: true }).problem;
