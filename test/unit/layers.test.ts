/**
 * The house's layers (.dependency-cruiser.mjs): the real tree has no import cycle and no import
 * against the layers; a small tree breaking each rule once is refused by that rule, so a rule
 * written wrong (a path that matches nothing) fails here. And every file in electron/ or shared/
 * longer than 500 lines says at its top why it is long.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot, tempFolder } from '../helpers/context';

const CONFIG = join(projectRoot, '.dependency-cruiser.mjs');
const BIN = join(projectRoot, 'node_modules', '.bin', 'depcruise');

function cruise(cwd: string, paths: string[]): { code: number | null; out: string } {
  const run = spawnSync(BIN, [...paths, '--config', CONFIG, '--output-type', 'err'], {
    cwd,
    encoding: 'utf8',
  });
  return { code: run.status, out: `${run.stdout}${run.stderr}` };
}

const work = tempFolder('awb-layers-');
afterAll(() => work.cleanup());

describe('layers', () => {
  it('the tree as it is: no cycle, no import against the layers', () => {
    const { code, out } = cruise(projectRoot, ['electron', 'shared', 'renderer/src']);
    expect(out).toContain('no dependency violations found');
    expect(code).toBe(0);
  });

  it('each rule refuses the import it is written for', () => {
    const files: Record<string, string> = {
      'tsconfig.json': '{"compilerOptions":{"module":"esnext","moduleResolution":"bundler"}}',
      'shared/a.ts': "import { b } from '../electron/vault/b';\nexport const a = b;\n",
      'electron/vault/b.ts':
        "import { c } from '../services/c';\nimport { u } from '../areas/a/use-cases';\nexport const b = [c, u];\n",
      'electron/services/c.ts':
        "import { app } from 'electron';\nimport { d } from '../cli/d';\nexport const c = [app, d];\n",
      'electron/cli/d.ts': "import { e } from './e';\nexport const d = e;\n",
      'electron/cli/e.ts': "import { d } from './d';\nexport const e = () => d;\n",
      // An area: its use cases name a host; its repository composes use cases and reads another
      // area's repository. Its own repository, read by its own use cases, is allowed (area b).
      'electron/areas/a/use-cases.ts': "import { d } from '../../cli/d';\nexport const u = d;\n",
      'electron/areas/a/repository.ts':
        "import { u } from './use-cases';\nimport { q } from '../b/repository';\nexport const p = [u, q];\n",
      'electron/areas/b/repository.ts': 'export const q = 1;\n',
      'electron/areas/b/use-cases.ts': "import { q } from './repository';\nexport const v = q;\n",
      'renderer/src/r.ts': "import { c } from '../../electron/services/c';\nexport const r = c;\n",
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(work.path, path)), { recursive: true });
      writeFileSync(join(work.path, path), text);
    }
    symlinkSync(join(projectRoot, 'node_modules'), join(work.path, 'node_modules'));
    const { code, out } = cruise(work.path, ['electron', 'shared', 'renderer']);
    expect(code).not.toBe(0);
    // Each violation once, by rule and the importing file (and, where it is ours, the imported).
    const fired = [...out.matchAll(/error ([a-z-]+): (\S+) →\s*(\S+)/g)].map(
      ([, rule, from, to]) =>
        to!.includes('node_modules') ? `${rule} ${from}` : `${rule} ${from} ${to}`,
    );
    expect(fired.sort()).toEqual([
      'areas-through-use-cases electron/areas/a/repository.ts electron/areas/b/repository.ts',
      'electron-only-in-the-shell electron/services/c.ts',
      'engine-below-use-cases electron/vault/b.ts electron/areas/a/use-cases.ts',
      'engine-below-use-cases electron/vault/b.ts electron/services/c.ts',
      'no-circular electron/cli/d.ts electron/cli/e.ts',
      'renderer-only-through-the-contract renderer/src/r.ts electron/services/c.ts',
      'repository-below-use-cases electron/areas/a/repository.ts electron/areas/a/use-cases.ts',
      'shared-imports-nothing-of-ours shared/a.ts electron/vault/b.ts',
      'use-cases-below-hosts electron/areas/a/use-cases.ts electron/cli/d.ts',
      'use-cases-below-hosts electron/services/c.ts electron/cli/d.ts',
    ]);
  });
});

/** Every .ts file under `dir` (recursively). */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sources(path) : entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('long files', () => {
  it('a file in electron/ or shared/ over 500 lines says why at its top', () => {
    const unexplained = ['electron', 'shared']
      .flatMap((dir) => sources(join(projectRoot, dir)))
      .filter((path) => {
        const text = readFileSync(path, 'utf8');
        const lines = text.split('\n').length;
        return lines > 500 && !/Longer than 500 lines: \S/.test(text.split('\n', 40).join('\n'));
      })
      .map((path) => relative(projectRoot, path));
    expect(unexplained).toEqual([]);
  });
});
