/**
 * What the package format reads (electron/exchange/package.ts), without a vault: the signed
 * manifest, the signer and every part, authorised before any part; and what it refuses, with its
 * reason, whenever a file is not exactly a package — a table of hand-made hostile packages, and a
 * property over random damage. (What it writes opening with openssl and tar alone is
 * `package-format.test.ts`.)
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LIMITS,
  ENVELOPE_FILE,
  MARKING_FILE,
  readPackage,
  writePackage,
  type Manifest,
  type ReadOptions,
} from '../../electron/exchange/package';
import {
  accept,
  evidence,
  header,
  json,
  keysOf,
  parts,
  signerOf,
  usePackageParties,
} from '../helpers/package-fixture';
import { craftPackage, manifestFor, sha256, type TarEntry } from '../helpers/packages';

const { work, parties: p, written } = usePackageParties('awb-package-rules-');

describe('reading a package', () => {
  it('gives back the signed manifest, the signer and every part, authorised before any part', async () => {
    const { file, digest } = await written('round.awbpkg', p.ecRecipient);
    const order: string[] = [];
    const got = new Map<string, Buffer>();
    const read = await readPackage(file, {
      keys: keysOf(p.ecRecipient),
      authorize: (manifest, d, who) => {
        order.push('authorize');
        expect(d).toBe(digest);
        expect(who.certificate.subject).toBe('CN=Sender Person, O=Owner Org');
        expect(who.certificates.map((c) => c.subject)).toContain('CN=Owner Org Root');
        expect(manifest.case.ref).toBe('ACME-CASE-2026-0001');
      },
      consume: (part, stream) => {
        order.push(part.path);
        if (part.type !== 'evidence') {
          return null;
        }
        return (async () => {
          const chunks: Buffer[] = [];
          for await (const c of stream) {
            chunks.push(c as Buffer);
          }
          got.set(part.path, Buffer.concat(chunks));
          return { sha256: sha256(Buffer.concat(chunks)) };
        })();
      },
    });
    expect(order).toEqual(['authorize', 'parts/submission.json', 'parts/evidence-0001']);
    expect(read.digest).toBe(digest);
    expect(read.marking).toBe('NATO RESTRICTED');
    expect(read.buffered.get('parts/submission.json')?.equals(json)).toBe(true);
    expect(got.get('parts/evidence-0001')?.equals(evidence)).toBe(true);
  });

  it('a refusal by the caller stops the read before the first part', async () => {
    const { file } = await written('refused-by-caller.awbpkg', p.rsaRecipient);
    let consumed = 0;
    await expect(
      readPackage(file, {
        keys: keysOf(p.rsaRecipient),
        authorize: () => {
          throw new Error('no');
        },
        consume: () => {
          consumed++;
          return null;
        },
      }),
    ).rejects.toThrow();
    expect(consumed).toBe(0);
  });

  it('a part that is not what the manifest says fails the write, and leaves no file', async () => {
    const file = join(work.path, 'lying-part.awbpkg');
    await expect(
      writePackage(file, {
        manifest: header,
        parts: [{ ...parts[0]!, sha256: '0'.repeat(64) }],
        signer: signerOf(p.sender, [p.root]),
        recipient: p.rsaRecipient.cert,
      }),
    ).rejects.toMatchObject({ code: 'SAVE_FAILED' });
    expect(spawnSync('test', ['-e', file]).status).not.toBe(0);
  });
});

describe('hostile packages are refused with their reason', () => {
  const part = Buffer.from('evidence bytes');

  async function refusal(
    name: string,
    craft: (file: string) => Promise<void>,
    options: Partial<ReadOptions> = {},
  ): Promise<string> {
    const file = join(work.path, `${name}.awbpkg`);
    await craft(file);
    let consumed = 0;
    try {
      await readPackage(file, {
        keys: keysOf(p.rsaRecipient),
        authorize: accept,
        consume: () => {
          consumed++;
          return null;
        },
        ...options,
      });
    } catch (error) {
      expect(error).toMatchObject({ code: 'PACKAGE_REJECTED' });
      return (error as { details: { reason: string } }).details.reason;
    }
    return `accepted (${consumed} parts)`;
  }

  // The table is built before the certificates exist: each row builds its package when run.
  const standard =
    (overrides: Partial<Parameters<typeof craftPackage>[1]> = {}) =>
    (file: string) =>
      craftPackage(file, {
        recipient: p.rsaRecipient.cert,
        signer: signerOf(p.sender, [p.root]),
        manifest: Buffer.from(
          JSON.stringify(manifestFor([{ path: 'parts/a', data: part }], p.rsaRecipient.cert)),
        ),
        inner: [{ name: 'parts/a', data: part }],
        ...overrides,
      });
  const withManifest =
    (fields: Partial<Manifest>, inner: TarEntry[], listed = [{ path: 'parts/a', data: part }]) =>
    (file: string) =>
      standard({
        manifest: Buffer.from(JSON.stringify(manifestFor(listed, p.rsaRecipient.cert, fields))),
        inner,
      })(file);

  const table: [string, (file: string) => Promise<void>, string, Partial<ReadOptions>?][] = [
    ['well formed', standard(), 'accepted (1 parts)'],
    ['random bytes', async (f) => writeFileSync(f, randomBytes(5000)), 'NOT_A_PACKAGE'],
    [
      'no marking first',
      standard({ outer: (e) => [{ name: ENVELOPE_FILE, data: e }] }),
      'NOT_A_PACKAGE',
    ],
    [
      'an extra file outside',
      standard({
        outer: (e) => [
          { name: MARKING_FILE, data: Buffer.from('NATO RESTRICTED\n') },
          { name: ENVELOPE_FILE, data: e },
          { name: 'README', data: Buffer.from('hi') },
        ],
      }),
      'UNLISTED_ENTRY',
    ],
    [
      'a link for the envelope',
      standard({
        outer: () => [
          { name: MARKING_FILE, data: Buffer.from('NATO RESTRICTED\n') },
          { name: ENVELOPE_FILE, type: 'symlink', linkname: '/etc/passwd' },
        ],
      }),
      'NOT_A_PACKAGE',
    ],
    [
      'an envelope that is not CMS',
      standard({
        outer: () => [
          { name: MARKING_FILE, data: Buffer.from('NATO RESTRICTED\n') },
          { name: ENVELOPE_FILE, data: randomBytes(4000) },
        ],
      }),
      'NOT_A_PACKAGE',
    ],
    [
      'encrypted to someone else',
      async (f) => {
        const manifest = manifestFor([{ path: 'parts/a', data: part }], p.stranger.cert);
        await craftPackage(f, {
          recipient: p.stranger.cert,
          signer: signerOf(p.sender, [p.root]),
          manifest: Buffer.from(JSON.stringify(manifest)),
          inner: [{ name: 'parts/a', data: part }],
        });
      },
      'WRONG_RECIPIENT',
    ],
    [
      'a flipped ciphertext byte',
      async (f) => {
        await standard()(f);
        const bytes = readFileSync(f);
        // Inside the envelope's content: past the outer tar's two headers and the CMS head.
        bytes[512 * 3 + 700]! ^= 0x04;
        writeFileSync(f, bytes);
      },
      'DECRYPTION_FAILED',
    ],
    [
      'a signature over other bytes',
      standard({ signed: Buffer.from('something else') }),
      'SIGNATURE_INVALID',
    ],
    [
      'a signature that is not CMS',
      async (f) => {
        const manifest = Buffer.from(
          JSON.stringify(manifestFor([{ path: 'parts/a', data: part }], p.rsaRecipient.cert)),
        );
        await standard({
          manifest,
          head: [
            { name: 'manifest.json', data: manifest },
            { name: 'manifest.p7s', data: randomBytes(300) },
          ],
        })(f);
      },
      'SIGNATURE_INVALID',
    ],
    [
      'the signature first',
      async (f) => {
        const manifest = Buffer.from(
          JSON.stringify(manifestFor([{ path: 'parts/a', data: part }], p.rsaRecipient.cert)),
        );
        await standard({
          manifest,
          head: [
            { name: 'manifest.p7s', data: randomBytes(300) },
            { name: 'manifest.json', data: manifest },
          ],
        })(f);
      },
      'UNLISTED_ENTRY',
    ],
    [
      'a manifest that is not JSON',
      standard({ manifest: Buffer.from('{"format": "awb-package", ') }),
      'MALFORMED',
    ],
    [
      'a manifest of another format',
      withManifest({ version: 1 as never }, [{ name: 'parts/a', data: part }]),
      'MALFORMED',
    ],
    [
      'a deeply nested manifest',
      standard({ manifest: Buffer.from('['.repeat(5000) + ']'.repeat(5000)) }),
      'TOO_DEEP',
    ],
    [
      'a link among the parts',
      withManifest({}, [{ name: 'parts/a', type: 'symlink', linkname: '/etc/passwd' }]),
      'LINK',
    ],
    [
      'a directory among the parts',
      withManifest({}, [{ name: 'parts/a', type: 'directory' }]),
      'LINK',
    ],
    [
      'a traversal name listed',
      withManifest({}, [{ name: '../a', data: part }], [{ path: '../a', data: part }]),
      'PATH_TRAVERSAL',
    ],
    [
      'an absolute name listed',
      withManifest({}, [{ name: '/etc/a', data: part }], [{ path: '/etc/a', data: part }]),
      'PATH_TRAVERSAL',
    ],
    [
      'a name outside parts/ listed',
      withManifest({}, [{ name: 'notes.txt', data: part }], [{ path: 'notes.txt', data: part }]),
      'UNLISTED_ENTRY',
    ],
    [
      'an entry the manifest does not list',
      withManifest({}, [
        { name: 'parts/a', data: part },
        { name: 'parts/b', data: part },
      ]),
      'UNLISTED_ENTRY',
    ],
    [
      'entries in another order',
      withManifest(
        {},
        [
          { name: 'parts/b', data: part },
          { name: 'parts/a', data: part },
        ],
        [
          { path: 'parts/a', data: part },
          { path: 'parts/b', data: part },
        ],
      ),
      'UNLISTED_ENTRY',
    ],
    [
      'a part listed twice',
      withManifest(
        {},
        [
          { name: 'parts/a', data: part },
          { name: 'parts/a', data: part },
        ],
        [
          { path: 'parts/a', data: part },
          { path: 'parts/a', data: part },
        ],
      ),
      'DUPLICATE_ENTRY',
    ],
    ['a listed part missing', withManifest({}, []), 'MISSING_PART'],
    [
      'a part with other bytes',
      withManifest({}, [{ name: 'parts/a', data: Buffer.from('Evidence bytes') }]),
      'HASH_MISMATCH',
    ],
    [
      'a part of another size',
      withManifest({}, [{ name: 'parts/a', data: Buffer.from('evidence bytes!') }]),
      'HASH_MISMATCH',
    ],
    [
      'more entries than allowed',
      standard(),
      'TOO_MANY_ENTRIES',
      { limits: { ...DEFAULT_LIMITS, maxEntries: 2 } },
    ],
    [
      'larger than allowed',
      standard(),
      'TOO_LARGE',
      { limits: { ...DEFAULT_LIMITS, maxTotalBytes: 1000 } },
    ],
  ];

  for (const [name, craft, reason, options] of table) {
    it(`${name} → ${reason}`, async () => {
      expect(await refusal(name.replace(/\W+/g, '-'), craft, options)).toBe(reason);
    });
  }

  it('a package read is refused with a reason, or gives exactly the signed manifest (property)', async () => {
    const { file } = await written('property.awbpkg', p.rsaRecipient);
    const original = readFileSync(file);
    const reference = await readPackage(file, { keys: keysOf(p.rsaRecipient), authorize: accept });
    const mutant = join(work.path, 'mutant.awbpkg');
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: original.length - 1 }), fc.integer({ min: 1, max: 255 })), {
          minLength: 1,
          maxLength: 3,
        }),
        fc.option(fc.nat({ max: original.length }), { nil: undefined }),
        async (flips, cut) => {
          const bytes = Buffer.from(original.subarray(0, cut ?? original.length));
          for (const [at, bits] of flips) {
            if (at < bytes.length) {
              bytes[at]! ^= bits;
            }
          }
          writeFileSync(mutant, bytes);
          try {
            const read = await readPackage(mutant, {
              keys: keysOf(p.rsaRecipient),
              authorize: accept,
            });
            // Accepted only when every signed and encrypted byte is as it was (a flip in the
            // clear marking text or in tar padding).
            expect(read.manifest).toEqual(reference.manifest);
            expect(read.buffered).toEqual(reference.buffered);
          } catch (error) {
            expect(error).toMatchObject({ code: 'PACKAGE_REJECTED' });
          }
        },
      ),
      { numRuns: 80 },
    );
  });
});
