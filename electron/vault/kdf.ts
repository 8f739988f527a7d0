/**
 * Key derivation for the passphrase slot: Argon2id via hash-wasm (Node 20 has no built-in
 * Argon2). What ships derives with DEFAULT_KDF and refuses any header below SHIPPED_FLOORS;
 * tests inject a cheaper parameter set *and* matching floors through VaultConfig, so the
 * shipped floors are never weakened (and a test proves they refuse a test-KDF vault).
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
  floor: KdfParams;
  /** Upper bounds keep a crafted header from making unlock exhaust memory or time. */
  ceiling: KdfParams;
}

/** 64 MiB, t=3, p=4 (docs/architecture.md). */
export const DEFAULT_KDF: KdfParams = { memoryKiB: 64 * 1024, iterations: 3, parallelism: 4 };

/** OWASP's minimum for Argon2id (19 MiB, t=2, p=1): no weaker header is opened. */
export const SHIPPED_LIMITS: KdfLimits = {
  floor: { memoryKiB: 19 * 1024, iterations: 2, parallelism: 1 },
  ceiling: { memoryKiB: 1024 * 1024, iterations: 20, parallelism: 16 },
};

export function checkKdfParams(id: number, params: KdfParams, limits: KdfLimits): void {
  const { floor, ceiling } = limits;
  if (
    id !== KDF_ARGON2ID ||
    params.memoryKiB < floor.memoryKiB ||
    params.iterations < floor.iterations ||
    params.parallelism < floor.parallelism ||
    params.memoryKiB > ceiling.memoryKiB ||
    params.iterations > ceiling.iterations ||
    params.parallelism > ceiling.parallelism ||
    params.memoryKiB < 8 * params.parallelism
  ) {
    throw new AppError('UNSAFE_PARAMETERS', 'Key-derivation parameters outside the allowed range');
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
