import { describe, expect, it } from 'vitest';
import { judge, parseCsv } from '../security/gate';

describe('security gate', () => {
  it('parses quoted CSV fields with commas and quotes', () => {
    expect(parseCsv('a,"b, c","say ""hi"""\n1,2,3\n')).toEqual([
      ['a', 'b, c', 'say "hi"'],
      ['1', '2', '3'],
    ]);
  });

  it('accepts only findings that match a reviewed entry by check, file and sample', () => {
    const entries = [
      {
        check: 'SANDBOX_JS_CHECK',
        file: 'main/window.ts',
        sample: 'new BrowserWindow(',
        reason: 'r',
      },
    ];
    const verdicts = judge(
      [
        {
          issue: 'SANDBOX_JS_CHECK',
          severity: 'MEDIUM',
          file: 'main/window.ts',
          location: '1:1',
          sample: 'const w = new BrowserWindow({',
        },
        {
          issue: 'SANDBOX_JS_CHECK',
          severity: 'MEDIUM',
          file: 'main/other.ts',
          location: '1:1',
          sample: 'new BrowserWindow({',
        },
        {
          issue: 'NODE_INTEGRATION_JS_CHECK',
          severity: 'HIGH',
          file: 'main/window.ts',
          location: '1:1',
          sample: 'new BrowserWindow({',
        },
      ],
      entries,
    );
    expect(verdicts.map((v) => v.entry !== null)).toEqual([true, false, false]);
  });
});
