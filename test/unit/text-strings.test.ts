/**
 * Text strings poppler and pdf.js decode differently (electron/signing/static-content.ts,
 * textReadTwoWays; round 20d): each class named, and the strings the workbench and other tools
 * write read alike.
 */
import { describe, expect, it } from 'vitest';
import { textReadTwoWays } from '../../electron/signing/static-content';

const latin1 = (text: string) => Buffer.from(text, 'latin1');
const utf16 = (text: string) =>
  Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);

describe('text strings read alike', () => {
  it('PDFDocEncoding and UTF-16 as the workbench writes them', () => {
    expect(textReadTwoWays(latin1('Godkendelse - SYS-011 Kryptonøglehåndtering'))).toBeNull();
    expect(textReadTwoWays(latin1('line one\nline two\r\n\ttabbed'))).toBeNull();
    expect(textReadTwoWays(latin1('\x80\x9e\xa0\xae\xff'))).toBeNull(); // defined there
    expect(textReadTwoWays(utf16('Łódź € 田中'))).toBeNull();
    expect(textReadTwoWays(utf16('\u{1f600} a pair'))).toBeNull();
    expect(textReadTwoWays(utf16(''))).toBeNull();
    expect(textReadTwoWays(latin1(''))).toBeNull();
  });

  it('control codes, escapes and the bytes PDFDocEncoding leaves undefined', () => {
    for (const code of [0x00, 0x08, 0x0b, 0x0c, 0x0e, 0x18, 0x1b, 0x1f, 0x7f, 0x9f, 0xad]) {
      expect(textReadTwoWays(Buffer.from([0x41, code, 0x42])), code.toString(16)).toBe(
        `with a byte PDFDocEncoding reads apart (0x${code.toString(16).padStart(2, '0')})`,
      );
    }
    expect(textReadTwoWays(utf16('DECISION: \x1bNOT \x1bAPPROVED'))).toBe(
      'with a control code (0x1b)',
    );
    expect(textReadTwoWays(utf16('a\x1fb'))).toBe('with a control code (0x1f)');
    expect(textReadTwoWays(utf16('a\tb\nc\rd'))).toBeNull();
  });

  it('UTF-16 of the wrong byte order, of an odd length, or with a lone surrogate', () => {
    expect(textReadTwoWays(Buffer.from([0xff, 0xfe, 0x41, 0x00]))).toBe(
      'in UTF-16 of the wrong byte order',
    );
    expect(textReadTwoWays(Buffer.from([0xfe, 0xff, 0x00, 0x41, 0x00]))).toBe(
      'in UTF-16 of an odd length',
    );
    const lone = 'with a UTF-16 surrogate without its pair';
    expect(textReadTwoWays(Buffer.from([0xfe, 0xff, 0xd8, 0x3d, 0x00, 0x41]))).toBe(lone);
    expect(textReadTwoWays(Buffer.from([0xfe, 0xff, 0x00, 0x41, 0xd8, 0x3d]))).toBe(lone);
    expect(textReadTwoWays(Buffer.from([0xfe, 0xff, 0xde, 0x00, 0x00, 0x41]))).toBe(lone);
    expect(textReadTwoWays(Buffer.from([0xfe, 0xff, 0xdb, 0xff, 0xdf, 0xff]))).toBeNull();
    expect(textReadTwoWays(Buffer.from([0xfe, 0xff, 0xdc, 0x00, 0xdc, 0x00]))).toBe(lone);
  });

  it('each bound where it stands: the surrogates’ ranges, the byte-order marks, a control code’s digits', () => {
    const lone = 'with a UTF-16 surrogate without its pair';
    const units = (...u: number[]) =>
      Buffer.from([0xfe, 0xff, ...u.flatMap((x) => [x >> 8, x & 0xff])]);
    // The first high surrogate, paired with the first and the last low one; and unpaired.
    expect(textReadTwoWays(units(0xd800, 0xdc00))).toBeNull();
    expect(textReadTwoWays(units(0xd800, 0xdfff))).toBeNull();
    expect(textReadTwoWays(units(0xd800, 0x0041))).toBe(lone);
    expect(textReadTwoWays(units(0xd800, 0xe000))).toBe(lone);
    expect(textReadTwoWays(units(0xd800, 0xdbff))).toBe(lone);
    // The last low surrogate alone; the first unit past the surrogates is a character.
    expect(textReadTwoWays(units(0xdfff))).toBe(lone);
    expect(textReadTwoWays(units(0xe000))).toBeNull();
    expect(textReadTwoWays(units(0xd7ff))).toBeNull();
    // A byte-order mark is both its bytes: one of them alone is a PDFDocEncoding character.
    for (const bytes of [
      [0xff, 0x41],
      [0x41, 0xfe],
      [0xfe, 0x41],
      [0x41, 0xff],
    ]) {
      expect(textReadTwoWays(Buffer.from(bytes)), bytes.join(',')).toBeNull();
    }
    // …and the two readings differ where one byte of a mark would start UTF-16: PDFDocEncoding
    // names the NUL, UTF-16 would name the control code it makes with the next byte.
    expect(textReadTwoWays(Buffer.from([0xfe, 0x41, 0x00, 0x01]))).toBe(
      'with a byte PDFDocEncoding reads apart (0x00)',
    );
    expect(textReadTwoWays(Buffer.from([0x41, 0xff, 0x00, 0x01]))).toBe(
      'with a byte PDFDocEncoding reads apart (0x00)',
    );
    // A control code below 0x10 is named with two digits.
    expect(textReadTwoWays(units(0x0041, 0x0001))).toBe('with a control code (0x01)');
  });
});
