/**
 * The machine's head memory (electron/vault/head-memory.ts): a bounded history of heads per
 * vault that spans the whole trail, pinned heads kept, the file of earlier versions read as a
 * history of its one head, and anything malformed read as nothing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  FileHeadMemory,
  HEADS_FILE,
  HISTORY_MAX,
  MapHeadMemory,
  thinHistory,
} from '../../electron/vault/head-memory';
import { tempFolder } from '../helpers/context';

const hash = (n: number) => n.toString(16).padStart(64, '0');
const head = (rows: number) => ({ rows, head: hash(rows) });

let work: ReturnType<typeof tempFolder>;
beforeEach(() => {
  work = tempFolder('awb-heads-');
});
afterEach(() => work.cleanup());

describe('head memory', () => {
  it('keeps every head it is given, oldest first, the newest recalled', () => {
    const memory = new FileHeadMemory(work.path);
    for (let rows = 1; rows <= 5; rows++) {
      memory.remember('v1', head(rows));
    }
    memory.remember('v1', head(5)); // the same again: nothing new
    expect(memory.history('v1')).toEqual([1, 2, 3, 4, 5].map(head));
    expect(memory.recall('v1')).toEqual(head(5));
    expect(memory.history('other')).toEqual([]);
    // Earlier versions read the newest head where they always did.
    const file = JSON.parse(readFileSync(join(work.path, HEADS_FILE), 'utf8')) as Record<
      string,
      { rows: number; head: string }
    >;
    expect(file.v1).toMatchObject(head(5));
  });

  it('reads the file of earlier versions (one head per vault) as a history of that head', () => {
    writeFileSync(join(work.path, HEADS_FILE), JSON.stringify({ v1: head(7) }));
    const memory = new FileHeadMemory(work.path);
    expect(memory.recall('v1')).toEqual(head(7));
    expect(memory.history('v1')).toEqual([head(7)]);
    memory.remember('v1', head(8));
    expect(memory.history('v1')).toEqual([head(7), head(8)]);
  });

  it('reads anything malformed as nothing: a file, a vault, a history entry', () => {
    const file = join(work.path, HEADS_FILE);
    const memory = new FileHeadMemory(work.path);
    for (const text of ['not json', '[]', 'null', '{"v1": {"rows": 0, "head": "00"}}']) {
      writeFileSync(file, text);
      expect(memory.history('v1')).toEqual([]);
      expect(memory.recall('v1')).toBeNull();
    }
    writeFileSync(
      file,
      JSON.stringify({
        v1: {
          ...head(9),
          history: [head(3), { rows: -1, head: hash(1) }, { rows: 4, head: 'zz' }, 'x', head(6)],
        },
        v2: { ...head(2), history: 'not a list' },
        'bad id!': head(1),
      }),
    );
    expect(memory.history('v1')).toEqual([head(3), head(6), head(9)]);
    expect(memory.history('v2')).toEqual([head(2)]);
    expect(memory.recall('bad id!')).toBeNull();
  });

  it('stays bounded and spans the whole trail: the first and the newest kept, pinned heads never thinned', () => {
    const memory = new MapHeadMemory();
    for (let rows = 1; rows <= 400; rows++) {
      memory.remember('v1', head(rows));
      if (rows === 37) {
        memory.pin('v1', head(37));
      }
    }
    for (let rows = 401; rows <= 3000; rows++) {
      memory.remember('v1', head(rows));
    }
    const history = memory.history('v1');
    expect(history.length).toBeLessThanOrEqual(HISTORY_MAX);
    expect(history[0]).toEqual(head(1));
    expect(history.at(-1)).toEqual(head(3000));
    expect(history).toContainEqual(head(37));
    // No gap wider than a small share of the trail.
    const rows = history.map((h) => h.rows);
    const widest = Math.max(...rows.slice(1).map((r, i) => r - rows[i]!));
    expect(widest).toBeLessThan(3000 / 32);
    // The same thinning, on its own: already within bounds, nothing changes.
    expect(thinHistory(history.map((h) => ({ ...h })))).toHaveLength(history.length);
  });

  it('pins nothing for a vault it does not remember', () => {
    const memory = new MapHeadMemory();
    memory.pin('v1', head(3));
    expect(memory.history('v1')).toEqual([]);
  });
});
