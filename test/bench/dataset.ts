/**
 * Deterministic reference datasets for benchmarks (seeded PRNG: the same size gives the same
 * rows on every machine). Sizes follow issue 3: L ≈ 1,000 systems, 300 cases, 100,000 checklist
 * answers, 10,000 risks, 5,000 records, 50,000 audit rows. Rows are generated for the tables
 * that exist in the schema; the register, case and risk tables join here as their issues land
 * (the JSON output says which parts were generated).
 */
import type { Database } from 'sql.js';
import { appendAudit, type Actor } from '../../electron/db/audit';

export const SIZES = {
  S: { systems: 20, cases: 6, answers: 2_000, risks: 200, records: 100, audit: 1_000 },
  M: { systems: 200, cases: 60, answers: 20_000, risks: 2_000, records: 1_000, audit: 10_000 },
  L: { systems: 1_000, cases: 300, answers: 100_000, risks: 10_000, records: 5_000, audit: 50_000 },
} as const;
export type SizeName = keyof typeof SIZES;

/** mulberry32: small, fast, good enough for reproducible test data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ACTIONS = [
  'system.update',
  'case.transition',
  'checklist.answer',
  'risk.update',
  'record.create',
  'evidence.add',
];
const ENTITIES = ['system', 'case', 'checklist_answer', 'risk', 'record', 'evidence'];

/** Fills an open vault database; returns what was generated. */
export function generate(
  db: Database,
  actor: Actor,
  size: SizeName,
): Record<string, number | string> {
  const counts = SIZES[size];
  const random = prng(0xa5b + size.charCodeAt(0));
  const start = Date.UTC(2026, 0, 1);
  db.run('BEGIN');
  for (let i = 0; i < counts.audit; i++) {
    const kind = Math.floor(random() * ACTIONS.length);
    appendAudit(
      db,
      actor,
      {
        action: ACTIONS[kind] ?? 'x',
        entityType: ENTITIES[kind] ?? 'x',
        entityId: `E-${Math.floor(random() * counts.systems * 10)}`,
        changes: {
          status: ['not_assessed', random() < 0.5 ? 'compliant' : 'partially'],
          comment: [
            null,
            `Reviewed against requirement ${Math.floor(random() * 90)}; evidence ${Math.floor(random() * 1e6)}`,
          ],
        },
      },
      new Date(start + i * 60_000),
    );
  }
  db.run('COMMIT');
  return {
    size,
    auditRows: counts.audit,
    pending: 'systems, cases, checklist answers, risks, records (issues 4–6)',
  };
}
