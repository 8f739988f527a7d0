/**
 * The layers of the code, enforced (`npm run lint` runs `depcruise`; docs/architecture.md draws
 * them). From the bottom:
 *
 *   shared/                      types, rules and texts both processes use; imports nothing else
 *   electron/db, vault, signing,
 *     documents, exchange        the engine: storage, crypto, PDFs, the package format
 *   electron/services            the use cases, over the engine
 *   electron/ipc, main, preload,
 *     preview, cli, dev          the hosts that expose the use cases to a window or a terminal
 *   renderer/                    the interface; speaks to the core only through the contract
 *
 * A layer may import its own and the layers below it, never one above; no import cycle anywhere.
 */
const ENGINE = '^electron/(db|vault|signing|documents|exchange)/';
const HOSTS = '^electron/(ipc|main|preload|preview|cli|dev)/';

export default {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import cycle: the modules cannot be understood, tested or moved one at a time.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'shared-imports-nothing-of-ours',
      comment: 'shared/ is read by both processes: it may not reach into either.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(electron|renderer)/' },
    },
    {
      name: 'renderer-only-through-the-contract',
      comment:
        'The renderer runs sandboxed: it knows the core only through shared/ (the contract).',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '^electron/' },
    },
    {
      name: 'engine-below-use-cases',
      comment:
        'The engine (db, vault, signing, documents, exchange) is below the use cases and the hosts.',
      severity: 'error',
      from: { path: ENGINE },
      to: { path: ['^electron/services/', HOSTS] },
    },
    {
      name: 'use-cases-below-hosts',
      comment: 'The use cases run in Electron, the preview and the CLI alike: they name no host.',
      severity: 'error',
      from: { path: '^electron/services/' },
      to: { path: HOSTS },
    },
    {
      name: 'electron-only-in-the-shell',
      comment:
        'Only the main process and the preload speak to Electron; the core runs in plain Node.',
      severity: 'error',
      from: { pathNot: '^electron/(main|preload)/' },
      to: { path: '(^|/)node_modules/electron/|^electron$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|release|scratch)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
