/**
 * Key derivation for the passphrase slot: Argon2id via hash-wasm (Node 20 has no built-in
 * Argon2). Three thresholds (docs/vault.md, "Key derivation"):
 *
 * - SHIPPED_KDF (64 MiB, t=3, p=4) is the floor: every passphrase slot the app writes uses at
 *   least these parameters, and a vault whose header is weaker in any of them is re-wrapped with
 *   them at its next unlock by passphrase (audit row `vault.kdfUpgrade`, from → to).
 * - SHIPPED_LIMITS.minimum (8 MiB, t=1, p=1) is where "weaker" becomes "absurd": no version of
 *   the app wrote such a header, so it is refused (UNSAFE_PARAMETERS, BELOW_MINIMUM) rather
 *   than opened; so is one above SHIPPED_LIMITS.ceiling (a header that would exhaust memory).
 * - A VaultConfig below either (tests derive with 64 KiB, t=1) is refused too
 *   (CONFIG_BELOW_FLOOR) unless its parameters were made by `belowFloorForTests`, which no
 *   shipped module may import (lint rule, and test/unit/kdf-floor.test.ts reads the sources).
 */
import { argon2id } from 'hash-wasm';
import { AppError } from '../../shared/errors';
import { runInWorker } from '../workers';

export const KDF_ARGON2ID = 1;

export interface KdfParams {
  /** Memory in KiB. */
  memoryKiB: number;
  iterations: number;
  parallelism: number;
}

export interface KdfLimits {
  /** A header below this in any parameter is refused: no version of the app wrote it. */
  minimum: KdfParams;
  /** Upper bounds keep a crafted header from making unlock exhaust memory or time. */
  ceiling: KdfParams;
}

/** The floor, and what the app derives with: 64 MiB, t=3, p=4 (docs/vault.md). */
export const SHIPPED_KDF: Readonly<KdfParams> = Object.freeze({
  memoryKiB: 64 * 1024,
  iterations: 3,
  parallelism: 4,
});

/** The name the benchmarks know the shipped parameters by. */
export const DEFAULT_KDF = SHIPPED_KDF;

/** What a header may hold and still be opened (and then re-wrapped up to SHIPPED_KDF). */
export const SHIPPED_LIMITS: Readonly<KdfLimits> = Object.freeze({
  minimum: Object.freeze({ memoryKiB: 8 * 1024, iterations: 1, parallelism: 1 }),
  ceiling: Object.freeze({ memoryKiB: 1024 * 1024, iterations: 20, parallelism: 16 }),
});

/** Why parameters were refused; the texts are `kdf.reason.*` in shared/i18n. */
export type KdfRefusal = 'UNKNOWN_KDF' | 'BELOW_MINIMUM' | 'ABOVE_CEILING' | 'CONFIG_BELOW_FLOOR';

function refuse(reason: KdfRefusal, params: KdfParams | null, message: string): never {
  throw new AppError('UNSAFE_PARAMETERS', message, {
    reason,
    ...(params
      ? {
          memoryKiB: params.memoryKiB,
          iterations: params.iterations,
          parallelism: params.parallelism,
        }
      : {}),
  });
}

/** Whether `a` is below `b` in any parameter. */
export function weakerThan(a: KdfParams, b: KdfParams): boolean {
  return a.memoryKiB < b.memoryKiB || a.iterations < b.iterations || a.parallelism < b.parallelism;
}

/** Whether `a` is above `b` in any parameter. */
function strongerThan(a: KdfParams, b: KdfParams): boolean {
  return a.memoryKiB > b.memoryKiB || a.iterations > b.iterations || a.parallelism > b.parallelism;
}

/** A header's KDF: refused (UNSAFE_PARAMETERS) when unknown, absurdly weak, or too costly. */
export function checkKdfParams(id: number, params: KdfParams, limits: KdfLimits): void {
  if (id !== KDF_ARGON2ID) {
    refuse('UNKNOWN_KDF', null, 'Unknown key-derivation function');
  }
  if (
    weakerThan(params, limits.minimum) ||
    // Argon2 itself needs 8 KiB per lane.
    params.memoryKiB < 8 * params.parallelism
  ) {
    refuse('BELOW_MINIMUM', params, 'Key-derivation parameters below any the app ever wrote');
  }
  if (strongerThan(params, limits.ceiling)) {
    refuse('ABOVE_CEILING', params, 'Key-derivation parameters above the allowed ceiling');
  }
}

/**
 * What a header's parameters are re-wrapped with at unlock, or null when they already meet
 * `target` (the configuration's, SHIPPED_KDF in what ships): each parameter at least the
 * target's, a stronger one kept.
 */
export function kdfUpgrade(header: KdfParams, target: KdfParams): KdfParams | null {
  if (!weakerThan(header, target)) {
    return null;
  }
  return {
    memoryKiB: Math.max(header.memoryKiB, target.memoryKiB),
    iterations: Math.max(header.iterations, target.iterations),
    parallelism: Math.max(header.parallelism, target.parallelism),
  };
}

/** Parameters and limits a test has declared, by identity (frozen when declared). */
const declaredForTests = new WeakSet<object>();

/**
 * TESTS ONLY: declares cheap KDF parameters (or lowered limits) that a VaultConfig may then
 * carry. Shipped code never calls this: eslint forbids importing it outside test/, and
 * test/unit/kdf-floor.test.ts fails if any module under electron/, renderer/ or shared/ names it.
 */
export function belowFloorForTests<T extends KdfParams | KdfLimits>(value: T): Readonly<T> {
  const copy: KdfParams | KdfLimits =
    'minimum' in value
      ? {
          minimum: Object.freeze({ ...value.minimum }),
          ceiling: Object.freeze({ ...value.ceiling }),
        }
      : { ...value };
  const frozen = Object.freeze(copy) as Readonly<T>;
  declaredForTests.add(frozen);
  return frozen;
}

/**
 * A configuration's KDF: the parameters it derives with must meet SHIPPED_KDF, and its limits
 * may not accept what the shipped limits refuse — unless a test declared them. A VaultConfig
 * that fails this opens and creates nothing (UNSAFE_PARAMETERS, CONFIG_BELOW_FLOOR).
 */
export function checkConfigKdf(config: { kdf: KdfParams; limits: KdfLimits }): void {
  const { kdf, limits } = config;
  if (weakerThan(kdf, SHIPPED_KDF) && !declaredForTests.has(kdf)) {
    refuse('CONFIG_BELOW_FLOOR', kdf, 'The configuration derives below the shipped floor');
  }
  if (
    (weakerThan(limits.minimum, SHIPPED_LIMITS.minimum) ||
      strongerThan(limits.ceiling, SHIPPED_LIMITS.ceiling)) &&
    !declaredForTests.has(limits)
  ) {
    refuse('CONFIG_BELOW_FLOOR', null, 'The configuration accepts headers the shipped one refuses');
  }
  if (strongerThan(kdf, limits.ceiling)) {
    refuse('ABOVE_CEILING', kdf, 'The configuration derives above its own ceiling');
  }
}

/**
 * The key of a passphrase. A real Argon2id (tens of MiB) runs in a worker thread: its
 * WebAssembly heap, which would otherwise stay with the process for good, goes when the worker
 * ends, and the app's thread keeps answering meanwhile. Small test parameters run here.
 */
export async function deriveKey(
  passphrase: string,
  salt: Uint8Array,
  params: KdfParams,
): Promise<Buffer> {
  if (params.memoryKiB >= WORKER_FROM_KIB) {
    const key = await runInWorker<Uint8Array>(import.meta.dirname, 'kdf-worker', {
      passphrase,
      salt: Uint8Array.from(salt),
      params,
    });
    if (key) {
      return Buffer.from(key);
    }
  }
  return deriveKeyHere(passphrase, salt, params);
}

/** Heaps from this size up are worth a worker. */
const WORKER_FROM_KIB = 8 * 1024;

/** Argon2id in this thread (the worker calls this too). */
export async function deriveKeyHere(
  passphrase: string,
  salt: Uint8Array,
  params: KdfParams,
): Promise<Buffer> {
  const out = await argon2id({
    password: passphrase.normalize('NFC'),
    salt,
    parallelism: params.parallelism,
    iterations: params.iterations,
    memorySize: params.memoryKiB,
    hashLength: 32,
    outputType: 'binary',
  });
  return Buffer.from(out);
}
