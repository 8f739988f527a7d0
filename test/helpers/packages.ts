/**
 * Packages made by hand, right or wrong, for the reader's refusal table: real tars (tar-stream),
 * a real CMS envelope (envelope.ts) and a real CMS signature, with whatever inside — extra
 * entries, links, traversal names, a manifest that lies. Small enough to build in memory.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import tar from 'tar-stream';
import { writeEnvelope, type DecryptionKey } from '../../electron/exchange/envelope';
import {
  ENVELOPE_FILE,
  MARKING_FILE,
  markingText,
  PACKAGE_FORMAT,
  PACKAGE_VERSION,
  readPackage,
  type Manifest,
} from '../../electron/exchange/package';
import { buildPadesCms, type CmsSigner } from '../../electron/signing/cms';
import type { x509 } from '../../electron/signing/x509';

export interface TarEntry {
  name: string;
  data?: Buffer;
  type?: 'file' | 'symlink' | 'directory';
  linkname?: string;
}

/** A POSIX tar of `entries`, in order. */
export async function tarOf(entries: TarEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const chunk of pack as AsyncIterable<Buffer>) {
      chunks.push(chunk);
    }
  })();
  for (const e of entries) {
    const type = e.type ?? 'file';
    await new Promise<void>((resolve, reject) => {
      const header = {
        name: e.name,
        type,
        mode: 0o600,
        mtime: new Date(0),
        ...(e.linkname ? { linkname: e.linkname } : {}),
      };
      const callback = (error?: Error | null) => (error ? reject(error) : resolve());
      if (type === 'file') {
        pack.entry(header, e.data ?? Buffer.alloc(0), callback);
      } else {
        pack.entry(header, callback);
      }
    });
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** A CMS envelope of `content` to `recipient`, in memory. */
export async function envelopeOf(content: Buffer, recipient: x509.X509Certificate) {
  const out: Buffer[] = [];
  await writeEnvelope(
    async (chunk) => {
      out.push(Buffer.from(chunk));
    },
    (async function* () {
      yield content;
    })(),
    content.length,
    recipient,
  );
  return Buffer.concat(out);
}

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A manifest for `parts`, with the given fields over sensible defaults. */
export function manifestFor(
  parts: { path: string; data: Buffer; type?: 'json' | 'evidence' | 'pdf' }[],
  recipient: x509.X509Certificate,
  fields: Partial<Manifest> = {},
): Manifest {
  return {
    format: PACKAGE_FORMAT,
    version: PACKAGE_VERSION,
    kind: 'submission',
    createdAt: new Date().toISOString(),
    sender: { name: 'Hand Made', organisation: 'Test', role: 'system_owner' },
    recipient: sha256(Buffer.from(recipient.rawData)),
    case: { id: 'c-1', ref: 'T-CASE-2026-0001' },
    system: { id: 's-1', ref: 'SYS-1' },
    sequence: 1,
    previous: null,
    replyTo: null,
    marking: { text: 'NATO RESTRICTED', rank: 2 },
    auditAnchor: { rows: 1, head: '0'.repeat(64) },
    parts: parts.map((p) => ({
      path: p.path,
      sha256: sha256(p.data),
      size: p.data.length,
      type: p.type ?? 'evidence',
    })),
    ...fields,
  };
}

export interface Craft {
  recipient: x509.X509Certificate;
  signer: CmsSigner;
  /** The manifest's bytes (JSON of a Manifest, or anything). */
  manifest: Buffer;
  /** The bytes the signature covers (the manifest by default). */
  signed?: Buffer;
  /** Inner entries after manifest.json and manifest.p7s. */
  inner: TarEntry[];
  /** Replaces the inner tar's first two entries. */
  head?: TarEntry[];
  /** The outer tar's entries around the envelope (default: MARKING.txt, package.p7m). */
  outer?: (envelope: Buffer) => TarEntry[];
  /** The marking line, for a manifest that is no manifest (else MARKING.txt is the manifest's). */
  marking?: string;
  /** All of MARKING.txt (by default what the writer writes for the manifest). */
  markingFile?: string;
}

/** MARKING.txt as the writer writes it for a manifest's bytes; a line of `marking` for anything else. */
function markingFileOf(craft: Craft): string {
  if (craft.markingFile !== undefined) {
    return craft.markingFile;
  }
  try {
    return markingText(JSON.parse(craft.manifest.toString('utf8')) as Manifest);
  } catch {
    return `${craft.marking ?? 'NATO RESTRICTED'}\n`;
  }
}

/** Writes a package built from `craft` to `file`. */
export async function craftPackage(file: string, craft: Craft): Promise<void> {
  const signed = craft.signed ?? craft.manifest;
  const signature = await buildPadesCms(
    createHash(craft.signer.hash).update(signed).digest(),
    craft.signer,
  );
  const inner = await tarOf([
    ...(craft.head ?? [
      { name: 'manifest.json', data: craft.manifest },
      { name: 'manifest.p7s', data: signature },
    ]),
    ...craft.inner,
  ]);
  const envelope = await envelopeOf(inner, craft.recipient);
  const outer =
    craft.outer?.(envelope) ??
    ([
      { name: MARKING_FILE, data: Buffer.from(markingFileOf(craft)) },
      { name: ENVELOPE_FILE, data: envelope },
    ] satisfies TarEntry[]);
  writeFileSync(file, await tarOf(outer));
}

/**
 * Opens a real package with the recipient's keys, lets the test change what it likes (the
 * manifest, any part), and writes it again — signed by `signer`, encrypted to `recipient`. The
 * tool of the forgery table: a package re-signed by the wrong key, re-encrypted, or with a
 * changed step, dossier or reference, every other byte as the genuine one.
 */
export async function repack(
  file: string,
  out: string,
  options: {
    keys: DecryptionKey[];
    signer: CmsSigner;
    recipient: x509.X509Certificate;
    manifest?: (m: Manifest) => Manifest;
    parts?: (parts: Map<string, Buffer>) => void;
  },
): Promise<void> {
  const read = await readPackage(file, { keys: options.keys, authorize: () => undefined });
  const parts = new Map(read.buffered);
  options.parts?.(parts);
  // The manifest names the new recipient and lists the parts as they are now, unless the test
  // edits that too.
  const listed = read.manifest.parts.map((p) => {
    const bytes = parts.get(p.path) ?? Buffer.alloc(0);
    return { ...p, sha256: sha256(bytes), size: bytes.length };
  });
  const manifest = (options.manifest ?? ((m) => m))({
    ...read.manifest,
    recipient: sha256(Buffer.from(options.recipient.rawData)),
    parts: listed,
  });
  await craftPackage(out, {
    recipient: options.recipient,
    signer: options.signer,
    manifest: Buffer.from(JSON.stringify(manifest, null, 2)),
    inner: manifest.parts.map((p) => ({
      name: p.path,
      data: parts.get(p.path) ?? Buffer.alloc(0),
    })),
  });
}

/** The same package with another marking written outside (the envelope untouched). */
export async function remark(file: string, out: string, marking: string): Promise<void> {
  await relabel(file, out, () => `${marking}\n`);
}

/** The same package with MARKING.txt rewritten by `edit` (the envelope untouched). */
export async function relabel(
  file: string,
  out: string,
  edit: (text: string) => string,
): Promise<void> {
  const extract = tar.extract();
  const entries: TarEntry[] = [];
  const done = (async () => {
    for await (const entry of extract as AsyncIterable<
      AsyncIterable<Buffer> & { header: { name: string } }
    >) {
      const chunks: Buffer[] = [];
      for await (const c of entry) {
        chunks.push(c);
      }
      entries.push({ name: entry.header.name, data: Buffer.concat(chunks) });
    }
  })();
  extract.end(readFileSync(file));
  await done;
  writeFileSync(
    out,
    await tarOf(
      entries.map((e) =>
        e.name === MARKING_FILE
          ? { ...e, data: Buffer.from(edit(e.data?.toString('utf8') ?? '')) }
          : e,
      ),
    ),
  );
}
