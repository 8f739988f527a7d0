/**
 * Builds what Electron and the preview load: the renderer (Vite), the main process (one ESM
 * file), the preload (one CommonJS file: sandboxed preloads cannot be ESM), and the preview's
 * web bridge. Development tooling: not part of the packaged app.
 *   tsx electron/dev/build.ts [--renderer-only|--no-renderer]
 */
import { build as esbuild } from 'esbuild';
import { build as vite } from 'vite';

const args = new Set(process.argv.slice(2));
const started = Date.now();

if (!args.has('--no-renderer')) {
  await vite({ configFile: 'vite.config.ts', logLevel: 'warn' });
}

// Some bundled CommonJS code calls require(); give the ESM bundles one.
const requireShim =
  "import { createRequire as __awbCreateRequire } from 'node:module'; const require = __awbCreateRequire(import.meta.url);";

if (!args.has('--renderer-only')) {
  const common = {
    bundle: true,
    platform: 'node',
    sourcemap: false,
    legalComments: 'none',
  } as const;
  await Promise.all([
    esbuild({
      ...common,
      entryPoints: ['electron/main/index.ts'],
      outfile: 'dist/electron/main.js',
      format: 'esm',
      target: 'node22',
      external: ['electron', 'electron-store', 'sql.js', 'hash-wasm'],
      banner: { js: requireShim },
    }),
    esbuild({
      ...common,
      entryPoints: ['electron/preload/index.ts'],
      outfile: 'dist/electron/preload.cjs',
      format: 'cjs',
      target: 'chrome130',
      external: ['electron'],
    }),
    esbuild({
      ...common,
      entryPoints: ['electron/cli/index.ts'],
      outfile: 'dist/cli/awb.js',
      format: 'esm',
      target: 'node20',
      external: ['sql.js', 'hash-wasm'],
      banner: { js: `#!/usr/bin/env node\n${requireShim}` },
    }),
    // The PDF worker runs as its own process next to main (utility process) and next to the
    // CLI (child process); it carries React and @react-pdf itself.
    ...['dist/electron/pdf-worker.js', 'dist/cli/pdf-worker.js'].map((outfile) =>
      esbuild({
        ...common,
        entryPoints: ['electron/documents/worker.ts'],
        outfile,
        format: 'esm',
        target: 'node20',
        jsx: 'automatic',
        // pdfkit loads its standard fonts through package "imports" at run time: keep it a
        // runtime dependency rather than bundling it.
        external: ['pdfkit'],
        banner: { js: requireShim },
      }),
    ),
    // The database checks after unlock and the passphrase's Argon2id run in worker threads
    // beside main and the CLI.
    ...[
      ['electron/db/check-worker.ts', 'check-worker.js'],
      ['electron/vault/kdf-worker.ts', 'kdf-worker.js'],
    ].flatMap(([entry, name]) =>
      ['dist/electron', 'dist/cli'].map((dir) =>
        esbuild({
          ...common,
          entryPoints: [entry!],
          outfile: `${dir}/${name}`,
          format: 'esm',
          target: 'node20',
          external: ['sql.js', 'hash-wasm'],
          banner: { js: requireShim },
        }),
      ),
    ),
    esbuild({
      bundle: true,
      entryPoints: ['renderer/preview/bridge.ts'],
      outfile: 'dist/preview/bridge.js',
      format: 'iife',
      platform: 'browser',
      target: 'chrome130',
      legalComments: 'none',
    }),
  ]);
}

process.stdout.write(`build: done in ${Date.now() - started} ms\n`);
