/**
 * No silent failure (issue 22, item 2), held from both sides:
 *  - the lint rule refuses every way of ignoring a failed callRaw result, and lets through
 *    the ways that look at it or hand it on;
 *  - every <form> of the renderer names itself (data-form), so the e2e walk of forms
 *    (test/e2e/forms.spec.ts) knows each one and a new form without field errors fails there;
 *  - every length limit (shared/limits.ts) is the number of a schema and of a form's counter.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import examineFailure from '../../eslint-rules/examine-failure.js';
import { ItemUpdate } from '../../shared/cases';
import { TEXT_MAX } from '../../shared/limits';
import { projectRoot } from '../helpers/context';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester({
  languageOptions: { parser: tseslint.parser, ecmaVersion: 2022, sourceType: 'module' },
});

const file = 'renderer/src/screens/X.tsx';
tester.run('awb/examine-failure', examineFailure, {
  valid: [
    // The failure is read and shown.
    {
      filename: file,
      code: `async function f() { const r = await callRaw('a', {}); if (r.ok) { use(r.value); } else { show(r.error); } }`,
    },
    { filename: file, code: `callRaw('a', {}).then((r) => (r.ok ? done() : show(r.error)));` },
    // Handed on whole: the receiver answers for it.
    { filename: file, code: `const submit = () => callRaw('a', {});` },
    { filename: file, code: `async function f() { return callRaw('a', {}); }` },
    { filename: file, code: `async function f() { const r = await callRaw('a', {}); return r; }` },
    {
      filename: file,
      code: `async function f(x) { const r = x ? await callRaw('a', {}) : await callRaw('b', {}); form.show(r.error); }`,
    },
    // api.ts itself is where callRaw and the bridge live.
    {
      filename: 'renderer/src/api.ts',
      code: `window.workbench.invoke('a', {}); callRaw('a', {});`,
    },
  ],
  invalid: [
    { filename: file, code: `callRaw('a', {});`, errors: [{ messageId: 'ignored' }] },
    { filename: file, code: `void callRaw('a', {});`, errors: [{ messageId: 'ignored' }] },
    {
      filename: file,
      code: `async function f() { await callRaw('a', {}); }`,
      errors: [{ messageId: 'ignored' }],
    },
    // Only the success is looked at: the known bug (a refused checklist save said nothing).
    {
      filename: file,
      code: `async function f() { const r = await callRaw('a', {}); if (r.ok) { onChanged(); } }`,
      errors: [{ messageId: 'ignored' }],
    },
    {
      filename: file,
      code: `callRaw('a', {}).then((r) => r.ok && onDone());`,
      errors: [{ messageId: 'ignored' }],
    },
    {
      filename: file,
      code: `callRaw('a', {}).then(onChanged);`,
      errors: [{ messageId: 'ignored' }],
    },
    {
      filename: file,
      code: `callRaw('a', {}).then(() => reload());`,
      errors: [{ messageId: 'ignored' }],
    },
    {
      filename: file,
      code: `async function f() { const { ok } = await callRaw('a', {}); return ok; }`,
      errors: [{ messageId: 'ignored' }],
    },
    // Around api.ts, straight to the bridge.
    {
      filename: file,
      code: `window.workbench.invoke('a', {});`,
      errors: [{ messageId: 'bridge' }],
    },
  ],
});

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('the forms of the renderer', () => {
  it('every <form> carries data-form, its name in the e2e table of forms', () => {
    const unnamed: string[] = [];
    const names: string[] = [];
    for (const path of sources(join(projectRoot, 'renderer', 'src'))) {
      // Comments aside: only the forms the renderer draws.
      const text = readFileSync(path, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
      for (const match of text.matchAll(/<form\b([^>]*)>/g)) {
        const name = /data-form(?:=\{?"([\w-]+)"\}?|=\{name\})/.exec(match[1] ?? '');
        if (!name) {
          unnamed.push(`${path.slice(projectRoot.length + 1)}: ${match[0].slice(0, 60)}`);
        } else if (name[1]) {
          names.push(name[1]);
        }
      }
    }
    expect(unnamed).toEqual([]);
    // Names are the table's keys: two forms cannot share one.
    expect(names.length).toBeGreaterThan(15);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('length limits', () => {
  it('the schema refuses one character more than the limit the form counts to', () => {
    expect(ItemUpdate.safeParse({ statement: 'a'.repeat(TEXT_MAX.statement) }).success).toBe(true);
    expect(ItemUpdate.safeParse({ statement: 'a'.repeat(TEXT_MAX.statement + 1) }).success).toBe(
      false,
    );
  });

  it('every limit is used by a schema in shared/ and by a field of the renderer', () => {
    const shared = sources(join(projectRoot, 'shared'))
      .filter((p) => !p.endsWith('limits.ts'))
      .map((p) => readFileSync(p, 'utf8'))
      .join('\n');
    const renderer = sources(join(projectRoot, 'renderer', 'src'))
      .map((p) => readFileSync(p, 'utf8'))
      .join('\n');
    const unused = Object.keys(TEXT_MAX).filter(
      (key) =>
        !shared.includes(`TEXT_MAX.${key})`) ||
        !new RegExp(`limit(?:=\\{|: )TEXT_MAX\\.${key}\\b`).test(renderer),
    );
    expect(unused).toEqual([]);
  });
});
