/**
 * The layers of the code, enforced (`npm run lint` runs `depcruise`; docs/architecture.md draws
 * them). From the bottom:
 *
 *   shared/                      types, rules and texts both processes use; imports nothing else
 *   electron/db, vault, signing,
 *     documents, exchange        the engine: storage, crypto, PDFs, the package format
 *   electron/areas/<area>,       the use cases, over the engine: one folder per capability
 *     electron/services          (repository.ts, rules.ts, use-cases.ts); the services not yet
 *                                split into areas stand on the same level
 *   electron/ipc, main, preload,
 *     preview, cli, dev          the hosts that expose the use cases to a window or a terminal
 *   renderer/                    the interface; speaks to the core only through the contract
 *
 * A layer may import its own and the layers below it, never one above; no import cycle anywhere.
 * Inside an area, the repository (the only SQL for the area's tables) is below its use cases;
 * another area reaches it only through those use cases.
 */
const ENGINE = '^electron/(db|vault|signing|documents|exchange)/';
const USE_CASES = '^electron/(services|areas)/';
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
        'The engine (db, vault, signing, documents, exchange) is below the use cases (areas and services) and the hosts.',
      severity: 'error',
      from: { path: ENGINE },
      to: { path: [USE_CASES, HOSTS] },
    },
    {
      name: 'use-cases-below-hosts',
      comment:
        'The use cases (areas and services) run in Electron, the preview and the CLI alike: they name no host.',
      severity: 'error',
      from: { path: USE_CASES },
      to: { path: HOSTS },
    },
    {
      name: 'repository-below-use-cases',
      comment:
        'A repository is storage: the use cases compose it, never the other way round (its own area’s, another’s or a service).',
      severity: 'error',
      from: { path: '^electron/areas/[^/]+/repository\\.ts$' },
      to: { path: ['^electron/areas/[^/]+/use-cases\\.ts$', '^electron/services/'] },
    },
    {
      name: 'areas-through-use-cases',
      comment:
        'An area speaks SQL only to its own tables: another area’s data comes through that area’s use cases.',
      severity: 'error',
      from: { path: '^electron/areas/([^/]+)/' },
      to: { path: '^electron/areas/[^/]+/repository\\.ts$', pathNot: '^electron/areas/$1/' },
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
