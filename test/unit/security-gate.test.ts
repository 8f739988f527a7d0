import { describe, expect, it } from 'vitest';
import { CANARY_CHECKS, judge, missedCanary, readFindings, staleEntries } from '../security/gate';

describe('security gate', () => {
  it('reads SARIF results, taking the flagged source line as the sample', () => {
    const findings = readFindings(
      {
        runs: [
          {
            results: [
              {
                ruleId: 'CSP_GLOBAL_CHECK',
                level: 'warning',
                locations: [{ physicalLocation: { artifactLocation: { uri: 'file:///' } } }],
              },
              {
                ruleId: 'SANDBOX_JS_CHECK',
                level: 'warning',
                locations: [
                  {
                    physicalLocation: {
                      artifactLocation: { uri: 'main/window.ts' },
                      region: { startLine: 2 },
                    },
                  },
                ],
              },
            ],
          },
        ],
      },
      (file, line) => `${file}#${line}`,
    );
    expect(findings).toEqual([
      { issue: 'CSP_GLOBAL_CHECK', severity: 'warning', file: 'N/A', location: '0', sample: 'N/A' },
      {
        issue: 'SANDBOX_JS_CHECK',
        severity: 'warning',
        file: 'main/window.ts',
        location: '2',
        sample: 'main/window.ts#2',
      },
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

describe('security gate: the scanner is watched too', () => {
  const finding = (issue: string, file = 'main/window.ts', sample = 'new BrowserWindow({') => ({
    issue,
    severity: 'warning',
    file,
    location: '1',
    sample,
  });

  it('an allow-list entry no finding matches is stale', () => {
    const used = {
      check: 'SANDBOX_JS_CHECK',
      file: 'main/window.ts',
      sample: 'new BrowserWindow(',
      reason: 'r',
    };
    const gone = {
      check: 'OPEN_EXTERNAL_JS_CHECK',
      file: 'main/old.ts',
      sample: 'openExternal',
      reason: 'r',
    };
    const entries = [used, gone];
    const verdicts = judge([finding('SANDBOX_JS_CHECK')], entries);
    expect(staleEntries(verdicts, entries)).toEqual([gone]);
    expect(staleEntries(judge([], entries), entries)).toEqual(entries);
  });

  it('the canary must be found, every check of it', () => {
    expect(missedCanary(CANARY_CHECKS.map((c) => finding(c, 'window.js')))).toEqual([]);
    expect(missedCanary([finding('NODE_INTEGRATION_JS_CHECK', 'window.js')])).toEqual([
      'CONTEXT_ISOLATION_JS_CHECK',
    ]);
    expect(missedCanary([])).toEqual(CANARY_CHECKS);
  });
});
