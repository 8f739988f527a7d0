/**
 * The recovery key: 200 random bits shown once at creation, written as ten groups of four
 * Crockford base32 characters plus one checksum group (so a mistyped character is caught
 * before any decryption is tried). It unwraps its own key slot through HKDF: with 200 bits of
 * entropy a slow KDF adds nothing.
 */
import { createHash, hkdfSync, randomBytes } from 'node:crypto';
import { AppError } from '../../shared/errors';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const RECOVERY_KEY_BYTES = 25;
const GROUP = 4;

function toBase32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) {
    out += ALPHABET[(value << (5 - bits)) & 31];
  }
  return out;
}

function fromBase32(text: string): Buffer | null {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of text) {
    const index = ALPHABET.indexOf(ch);
    if (index < 0) {
      return null;
    }
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
    value &= (1 << bits) - 1;
  }
  return Buffer.from(out);
}

function checksum(bytes: Uint8Array): string {
  return toBase32(createHash('sha256').update(bytes).digest()).slice(0, GROUP);
}

/** Formats key bytes for writing down: "ABCD-EFGH-…-CHK1". */
export function formatRecoveryKey(bytes: Uint8Array): string {
  const body = toBase32(bytes) + checksum(bytes);
  return body.match(new RegExp(`.{1,${GROUP}}`, 'g'))?.join('-') ?? body;
}

export function generateRecoveryKey(): { bytes: Buffer; text: string } {
  const bytes = randomBytes(RECOVERY_KEY_BYTES);
  return { bytes, text: formatRecoveryKey(bytes) };
}

/**
 * Reads a typed recovery key: case, spaces and dashes do not matter, and the letters people
 * confuse with digits (O, I, L) are read as 0, 1, 1. A wrong checksum is WRONG_RECOVERY_KEY.
 */
export function parseRecoveryKey(text: string): Buffer {
  const clean = text.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  const bodyLength = Math.ceil((RECOVERY_KEY_BYTES * 8) / 5);
  if (clean.length !== bodyLength + GROUP) {
    throw new AppError('WRONG_RECOVERY_KEY', 'Recovery key has the wrong length');
  }
  const bytes = fromBase32(clean.slice(0, bodyLength));
  if (
    bytes === null ||
    bytes.length !== RECOVERY_KEY_BYTES ||
    checksum(bytes) !== clean.slice(bodyLength)
  ) {
    throw new AppError('WRONG_RECOVERY_KEY', 'Recovery key checksum does not match');
  }
  return bytes;
}

/** The key that wraps the recovery slot. The recovery key is itself random: no salt needed. */
export function recoveryKek(recoveryKey: Uint8Array): Buffer {
  return Buffer.from(hkdfSync('sha256', recoveryKey, 'awb recovery', 'awb recovery slot v1', 32));
}

/** Groups of the formatted key, for the "type back part of it" confirmation. */
export function recoveryKeyGroups(text: string): string[] {
  return text.split('-');
}
