/**
 * No screen loads its data from a hand-written useEffect (issue 23, item 7): every effect in
 * renderer/src is read, and one that calls the core fails here, so a new one is written with
 * useLoad (renderer/src/load.ts), which drops stale answers and never loses an error.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../helpers/context';

/** The body of every `useEffect(` / `useLayoutEffect(` call in a source text (balanced parens). */
function effectBodies(source: string): { line: number; body: string }[] {
  const found: { line: number; body: string }[] = [];
  const start = /\buse(?:Layout)?Effect\(/g;
  for (let m = start.exec(source); m; m = start.exec(source)) {
    let depth = 0;
    let end = m.index + m[0].length - 1;
    for (; end < source.length; end++) {
      const c = source[end];
      if (c === '(') {
        depth++;
      } else if (c === ')' && --depth === 0) {
        break;
      }
    }
    found.push({
      line: source.slice(0, m.index).split('\n').length,
      body: source.slice(m.index, end + 1),
    });
  }
  return found;
}

/** A call to the core: `call(`, `callRaw(`, or the bridge itself. */
const CALLS_THE_CORE = /\b(?:call|callRaw)\s*(?:<[^>]*>)?\(|\bworkbench\.invoke\b/;

/**
 * Effects that reach the core and are not a screen's data: each with why.
 * App.tsx: at unlock, the kept drafts are taken once and handed to the unsaved-text store (and
 * their screen opened); nothing is shown from the answer, so there is nothing stale to drop.
 */
const NOT_LOADS: Record<string, number> = { 'renderer/src/App.tsx': 1 };

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      return sources(path);
    }
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('no screen loads from a hand-written useEffect', () => {
  it('finds a load in an effect (the check checks)', () => {
    const sample = `
      useEffect(() => {
        const timer = setTimeout(() => setFilter(search), 100);
        return () => clearTimeout(timer);
      }, [search]);
      useEffect(() => {
        let live = true;
        void call('cases:list', {}).then((r) => live && r && setCases(r.cases));
        return () => { live = false; };
      }, []);
      useLayoutEffect(() => void callRaw('a', {}).then(show), []);`;
    const calling = effectBodies(sample).filter((e) => CALLS_THE_CORE.test(e.body));
    expect(calling.map((e) => e.line)).toEqual([6, 11]);
  });

  it('every effect in renderer/src that calls the core is a known non-load', () => {
    const root = join(projectRoot, 'renderer', 'src');
    const offenders: Record<string, number[]> = {};
    for (const path of sources(root)) {
      const file = relative(projectRoot, path).split('\\').join('/');
      if (file === 'renderer/src/load.ts') {
        continue; // the hook's own effect: it runs what useLoad was given
      }
      const lines = effectBodies(readFileSync(path, 'utf8'))
        .filter((e) => CALLS_THE_CORE.test(e.body))
        .map((e) => e.line);
      if (lines.length > 0) {
        offenders[file] = lines;
      }
    }
    const counts = Object.fromEntries(Object.entries(offenders).map(([f, l]) => [f, l.length]));
    // A new entry here is a screen fetching by hand: use useLoad (renderer/src/load.ts).
    expect(counts, JSON.stringify(offenders)).toEqual(NOT_LOADS);
  });
});
