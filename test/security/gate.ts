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

/** Parses the report's CSV (RFC 4180 quoting). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else if (ch !== '\r') {
      field += ch;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
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
  const report = join(out, 'report.csv');
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
    const [header, ...rows] = parseCsv(text).filter((r) => r.length > 1);
    if (!header || header[0] !== 'issue') {
      console.error('security gate: unexpected report format');
      return 1;
    }
    const findings = rows.map((r) => ({
      issue: r[0] ?? '',
      severity: r[1] ?? '',
      file: r[3] ?? '',
      location: r[4] ?? '',
      sample: r[5] ?? '',
    }));
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
