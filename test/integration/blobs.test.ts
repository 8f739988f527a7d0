import { createCipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobStore, CHUNK_SIZE } from '../../electron/vault/blobs';
import { BLOB_DIR, Vault } from '../../electron/vault/vault';
import { tempFolder } from '../helpers/context';
import { PASSPHRASE, PROFILE, TEST_CONFIG } from '../helpers/vault';

const folder = tempFolder('awb-blobs-');
let vault: Vault;

beforeAll(async () => {
  ({ vault } = await Vault.create(folder.path, PASSPHRASE, PROFILE, TEST_CONFIG));
});
afterAll(async () => {
  await vault.close();
  folder.cleanup();
});

/** Yields `bytes` in pieces of awkward sizes, as a file stream or an upload would. */
async function* pieces(
  bytes: Buffer,
  sizes = [1, 7000, 65535, 65537, 100_003],
): AsyncGenerator<Buffer> {
  let at = 0;
  let i = 0;
  while (at < bytes.length) {
    const n = sizes[i++ % sizes.length] ?? 1;
    yield bytes.subarray(at, at + n);
    at += n;
  }
}

async function readAll(address: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of vault.blobs.read(address)) {
    parts.push(part);
  }
  return Buffer.concat(parts);
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('blob store', () => {
  it.each([0, 1, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 3 * CHUNK_SIZE, 5_000_000])(
    'round-trips %i bytes with its SHA-256',
    async (size) => {
      const content = randomBytes(size);
      const progress: number[] = [];
      const stored = await vault.blobs.put(pieces(content), (n) => progress.push(n));
      expect(stored.size).toBe(size);
      expect(stored.sha256).toBe(sha256(content));
      expect(progress.at(-1)).toBe(size);
      expect((await readAll(stored.address)).equals(content)).toBe(true);
      expect(await vault.blobs.verify(stored.address)).toEqual({ sha256: sha256(content), size });
    },
  );

  it('stores the same content once, under a name that is not its plain SHA-256, never in plaintext', async () => {
    const content = Buffer.from('FORTROLIGT evidence '.repeat(5000));
    const a = await vault.blobs.put(pieces(content));
    const b = await vault.blobs.put(pieces(content));
    expect(a.address).toBe(b.address);
    expect(a.address).not.toBe(a.sha256);
    const dir = join(folder.path, BLOB_DIR);
    expect(readdirSync(dir).filter((n) => n.includes('.tmp-'))).toEqual([]);
    const onDisk = readFileSync(join(dir, a.address));
    expect(onDisk.includes('FORTROLIGT')).toBe(false);
  });

  describe('tampering is BLOB_CORRUPTED', () => {
    let address: string;
    let pristine: Buffer;
    const path = () => join(folder.path, BLOB_DIR, address);
    beforeAll(async () => {
      ({ address } = await vault.blobs.put(pieces(randomBytes(3 * CHUNK_SIZE + 100))));
      pristine = readFileSync(path());
    });
    const record = CHUNK_SIZE + 16;
    const cases: [string, (b: Buffer) => Buffer][] = [
      ['a flipped byte in the first chunk', (b) => ((b[19 + 10] = (b[19 + 10] ?? 0) ^ 1), b)],
      [
        'a flipped byte in the tag of the last chunk',
        (b) => ((b[b.length - 1] = (b[b.length - 1] ?? 0) ^ 1), b),
      ],
      ['a flipped header byte', (b) => ((b[13] = (b[13] ?? 0) ^ 1), b)],
      ['the final chunk dropped', (b) => b.subarray(0, 19 + 3 * record)],
      ['truncation inside a chunk', (b) => b.subarray(0, 19 + record + 500)],
      [
        'two chunks swapped',
        (b) =>
          Buffer.concat([
            b.subarray(0, 19),
            b.subarray(19 + record, 19 + 2 * record),
            b.subarray(19, 19 + record),
            b.subarray(19 + 2 * record),
          ]),
      ],
      ['data appended', (b) => Buffer.concat([b, Buffer.alloc(10)])],
      ['an empty file', () => Buffer.alloc(0)],
    ];
    it.each(cases)('%s', async (_name, damage) => {
      writeFileSync(path(), damage(Buffer.from(pristine)));
      await expect(vault.blobs.verify(address)).rejects.toMatchObject({ code: 'BLOB_CORRUPTED' });
      writeFileSync(path(), pristine);
      await expect(vault.blobs.verify(address)).resolves.toBeTruthy();
    });

    it('a blob copied under another address does not verify', async () => {
      const other = await vault.blobs.put(pieces(Buffer.from('other')));
      writeFileSync(join(folder.path, BLOB_DIR, other.address), pristine);
      await expect(vault.blobs.verify(other.address)).rejects.toMatchObject({
        code: 'BLOB_CORRUPTED',
      });
    });
  });

  it('refuses addresses that are not blob names', async () => {
    await expect(vault.blobs.verify('../vault.awb')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(vault.blobs.verify('0'.repeat(64))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('another vault (another key) cannot read these blobs', async () => {
    const other = tempFolder('awb-blobs-other-');
    const { vault: second } = await Vault.create(other.path, PASSPHRASE, PROFILE, TEST_CONFIG);
    const stored = await vault.blobs.put(pieces(Buffer.from('mine')));
    writeFileSync(
      join(other.path, BLOB_DIR, stored.address),
      readFileSync(join(folder.path, BLOB_DIR, stored.address)),
    );
    await expect(second.blobs.verify(stored.address)).rejects.toMatchObject({
      code: 'BLOB_CORRUPTED',
    });
    await second.close();
    other.cleanup();
  });
});

describe('blob store after lock', () => {
  it('an upload still streaming when the vault locks fails instead of sealing under wiped keys', async () => {
    const other = tempFolder('awb-blobs-lock-');
    const { vault: v } = await Vault.create(other.path, PASSPHRASE, PROFILE, TEST_CONFIG);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    async function* slow(): AsyncGenerator<Buffer> {
      yield randomBytes(CHUNK_SIZE);
      await gate;
      yield randomBytes(CHUNK_SIZE * 2);
    }
    const pending = v.blobs.put(slow());
    await new Promise((r) => setTimeout(r, 20));
    await v.close();
    release();
    await expect(pending).rejects.toMatchObject({ code: 'VAULT_LOCKED' });
    expect(readdirSync(join(other.path, BLOB_DIR))).toEqual([]);
    other.cleanup();
  });
});

describe('blobs written by the first format', () => {
  /**
   * A format-1 blob, sealed here by the format's description (not by the store): header
   * "AWBBLOB1" | chunk size | nonce prefix, AES-256-GCM chunks with prefix ‖ counter ‖ last as
   * nonce and the header as associated data, named by an HMAC of the content.
   */
  function sealV1(content: Buffer, dataKey: Buffer): { address: string; file: Buffer } {
    const encKey = Buffer.from(
      hkdfSync('sha256', dataKey, 'awb blobs', 'awb blob encryption v1', 32),
    );
    const macKey = Buffer.from(hkdfSync('sha256', dataKey, 'awb blobs', 'awb blob address v1', 32));
    const prefix = randomBytes(7);
    const header = Buffer.concat([Buffer.from('AWBBLOB1'), Buffer.alloc(4), prefix]);
    header.writeUInt32LE(CHUNK_SIZE, 8);
    const out = [header];
    const chunks = Math.max(1, Math.ceil(content.length / CHUNK_SIZE));
    for (let i = 0; i < chunks; i++) {
      const nonce = Buffer.concat([prefix, Buffer.alloc(5)]);
      nonce.writeUInt32BE(i, 7);
      nonce[11] = i === chunks - 1 ? 1 : 0;
      const cipher = createCipheriv('aes-256-gcm', encKey, nonce);
      cipher.setAAD(header);
      out.push(
        cipher.update(content.subarray(i * CHUNK_SIZE, (i + 1) * CHUNK_SIZE)),
        cipher.final(),
        cipher.getAuthTag(),
      );
    }
    return {
      address: createHmac('sha256', macKey).update(content).digest('hex'),
      file: Buffer.concat(out),
    };
  }

  it('are still read, verified, and refused when altered', async () => {
    const dir = join(folder.path, 'v1');
    mkdirSync(dir);
    const dataKey = randomBytes(32);
    const store = new BlobStore(dir, dataKey);
    const content = randomBytes(3 * CHUNK_SIZE + 5);
    const { address, file } = sealV1(content, dataKey);
    writeFileSync(join(dir, address), file);
    expect(await store.verify(address)).toEqual({ sha256: sha256(content), size: content.length });
    // The same content stored now is a format-2 blob under another name; both read the same.
    const again = await store.put(pieces(content));
    expect(again.address).not.toBe(address);
    expect(readFileSync(join(dir, again.address)).subarray(0, 8).toString()).toBe('AWBBLOB2');
    const flipped = Buffer.from(file);
    flipped[file.length - 40]! ^= 1;
    writeFileSync(join(dir, address), flipped);
    await expect(store.verify(address)).rejects.toMatchObject({ code: 'BLOB_CORRUPTED' });
    // Format 1 named by the content's HMAC: a format-2 name for it does not verify.
    writeFileSync(join(dir, again.address), file);
    await expect(store.verify(again.address)).rejects.toMatchObject({ code: 'BLOB_CORRUPTED' });
  });
});
