/**
 * Security gate: runs electronegativity over electron/ and fails on any finding that is not
 * in the reviewed allowlist (electronegativity itself exits 0 even on HIGH findings).
 * Prints every finding with its verdict; exit 1 on an unreviewed finding or a scan failure.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

interface Entry {
  check: string;
  file: string;
  sample: string;
  reason: string;
}
interface Finding {
  issue: string;
  severity: string;
  file: string;
  location: string;
  sample: string;
}

interface Sarif {
  runs: {
    results: {
      ruleId: string;
      level?: string;
      locations?: {
        physicalLocation: { artifactLocation: { uri: string }; region?: { startLine?: number } };
      }[];
    }[];
  }[];
}

/**
 * Turns electronegativity's SARIF report into findings. SARIF carries no code sample, so the
 * sample is the flagged source line itself, read from the scanned folder.
 */
export function readFindings(
  sarif: Sarif,
  readLine: (file: string, line: number) => string,
): Finding[] {
  return (sarif.runs[0]?.results ?? []).map((result) => {
    const location = result.locations?.[0]?.physicalLocation;
    const uri = location?.artifactLocation.uri ?? '';
    const line = location?.region?.startLine ?? 0;
    const global = uri === '' || uri.startsWith('file:');
    return {
      issue: result.ruleId,
      severity: result.level ?? '',
      file: global ? 'N/A' : uri,
      location: String(line),
      sample: global ? 'N/A' : readLine(uri, line),
    };
  });
}

export function judge(
  findings: Finding[],
  entries: Entry[],
): { finding: Finding; entry: Entry | null }[] {
  return findings.map((finding) => ({
    finding,
    entry:
      entries.find(
        (e) =>
          e.check === finding.issue && e.file === finding.file && finding.sample.includes(e.sample),
      ) ?? null,
  }));
}

function main(): number {
  const root = resolve(import.meta.dirname, '..', '..');
  const out = mkdtempSync(join(tmpdir(), 'awb-electronegativity-'));
  const report = join(out, 'report.sarif');
  try {
    const bin = join(root, 'node_modules', '.bin', 'electronegativity');
    const run = spawnSync(bin, ['-i', join(root, 'electron'), '-r', '-e', '41.7.1', '-o', report], {
      encoding: 'utf8',
      timeout: 180_000,
    });
    let text: string;
    try {
      text = readFileSync(report, 'utf8');
    } catch {
      console.error(
        `security gate: electronegativity produced no report (exit ${run.status})\n${run.stderr}`,
      );
      return 1;
    }
    const scanned = join(root, 'electron');
    const findings = readFindings(JSON.parse(text) as Sarif, (file, line) => {
      try {
        return readFileSync(join(scanned, file), 'utf8').split('\n')[line - 1] ?? '';
      } catch {
        return '';
      }
    });
    const allowlist = JSON.parse(
      readFileSync(join(root, 'test', 'security', 'electronegativity-allowlist.json'), 'utf8'),
    ) as { entries: Entry[] };
    const verdicts = judge(findings, allowlist.entries);
    for (const { finding, entry } of verdicts) {
      const where = `${finding.file}:${finding.location}`;
      console.log(
        `${entry ? 'reviewed  ' : 'UNREVIEWED'} ${finding.severity.padEnd(6)} ${finding.issue} ${where}`,
      );
    }
    const unreviewed = verdicts.filter((v) => v.entry === null).length;
    console.log(
      `security gate: ${findings.length} findings, ${findings.length - unreviewed} reviewed, ${unreviewed} unreviewed`,
    );
    return unreviewed === 0 ? 0 : 1;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  process.exit(main());
}
