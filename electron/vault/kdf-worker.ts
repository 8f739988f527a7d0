/** Argon2id in a worker thread (kdf.ts): the key is posted back, the heap ends with the worker. */
import { parentPort, workerData } from 'node:worker_threads';
import { deriveKeyHere, type KdfParams } from './kdf';

const { passphrase, salt, params } = workerData as {
  passphrase: string;
  salt: Uint8Array;
  params: KdfParams;
};
void deriveKeyHere(passphrase, salt, params).then((key) =>
  parentPort?.postMessage(new Uint8Array(key)),
);
