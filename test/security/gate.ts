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

/** Allow-list entries no finding matches any more: reviewed once, now stale (and a blind spot). */
export function staleEntries(verdicts: { entry: Entry | null }[], entries: Entry[]): Entry[] {
  return entries.filter((e) => !verdicts.some((v) => v.entry === e));
}

/** What the canary (test/security/canary/) must make the scanner report, by check. */
export const CANARY_CHECKS = ['NODE_INTEGRATION_JS_CHECK', 'CONTEXT_ISOLATION_JS_CHECK'];

/** The checks of `CANARY_CHECKS` the scanner did not report on the canary. */
export function missedCanary(findings: Finding[]): string[] {
  return CANARY_CHECKS.filter((check) => !findings.some((f) => f.issue === check));
}

/** Runs electronegativity over `folder`; its findings, or null when it wrote no report. */
function scan(root: string, folder: string, out: string): Finding[] | null {
  const report = join(out, `${folder.replace(/[^a-z]/gi, '_')}.sarif`);
  const bin = join(root, 'node_modules', '.bin', 'electronegativity');
  const run = spawnSync(bin, ['-i', folder, '-r', '-e', '41.7.1', '-o', report], {
    encoding: 'utf8',
    timeout: 180_000,
  });
  let text: string;
  try {
    text = readFileSync(report, 'utf8');
  } catch {
    console.error(
      `security gate: electronegativity produced no report for ${folder} (exit ${run.status})\n${run.stderr}`,
    );
    return null;
  }
  return readFindings(JSON.parse(text) as Sarif, (file, line) => {
    try {
      return readFileSync(join(folder, file), 'utf8').split('\n')[line - 1] ?? '';
    } catch {
      return '';
    }
  });
}

function main(): number {
  const root = resolve(import.meta.dirname, '..', '..');
  const out = mkdtempSync(join(tmpdir(), 'awb-electronegativity-'));
  try {
    // First the canary: a scanner that finds nothing there would pass anything.
    const canary = scan(root, join(root, 'test', 'security', 'canary'), out);
    if (!canary) {
      return 1;
    }
    const missed = missedCanary(canary);
    if (missed.length) {
      console.error(`security gate: the scanner missed the canary's ${missed.join(', ')}`);
      return 1;
    }
    const findings = scan(root, join(root, 'electron'), out);
    if (!findings) {
      return 1;
    }
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
    const stale = staleEntries(verdicts, allowlist.entries);
    for (const entry of stale) {
      console.log(`STALE      ${entry.check} ${entry.file}: no finding matches "${entry.sample}"`);
    }
    const unreviewed = verdicts.filter((v) => v.entry === null).length;
    console.log(
      `security gate: canary found; ${findings.length} findings, ${findings.length - unreviewed} reviewed, ${unreviewed} unreviewed, ${stale.length} stale allow-list entries`,
    );
    return unreviewed === 0 && stale.length === 0 ? 0 : 1;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  process.exit(main());
}
