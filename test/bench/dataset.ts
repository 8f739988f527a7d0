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

const DOMAIN_NAMES = ['national', 'nato', 'eu', 'bilateral'] as const;
const LEVELS = ['RESTRICTED', 'CONFIDENTIAL', 'SECRET', 'TOP_SECRET'] as const;
const MODE_NAMES = ['dedicated', 'system_high', 'compartmented', 'multilevel'] as const;
const PHASE_NAMES = ['planned', 'build', 'test', 'operational', 'decommissioned'] as const;
const WORDS = [
  'Ledelsesnet',
  'Missionsnet',
  'Sagsbehandling',
  'Logistik',
  'Krisestyring',
  'Overvågning',
  'Telegrammer',
  'Kryptostyring',
  'Øvelsesnet',
  'Portal',
];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function isoDay(base: number, offsetDays: number): string {
  return new Date(base + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/** Fills an open vault database; returns what was generated. */
export function generate(
  db: Database,
  actor: Actor,
  size: SizeName,
): Record<string, number | string> {
  const counts = SIZES[size];
  const random = prng(0xa5b + size.charCodeAt(0));
  const start = Date.UTC(2026, 0, 1);
  const now = new Date(start).toISOString();
  db.run('BEGIN');
  const orgs: string[] = [];
  for (let i = 0; i < Math.max(5, Math.floor(counts.systems / 20)); i++) {
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    orgs.push(id);
    db.run(
      'INSERT INTO organisations (id, name, type, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
      [id, `Organisation ${i}`, 'system_owner', now, now],
    );
  }
  const systemIds: string[] = [];
  for (let i = 0; i < counts.systems; i++) {
    const id = `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    systemIds.push(id);
    db.run(
      `INSERT INTO systems (id, ref, name, purpose, owner_org_id, phase, mode, user_count, min_clearance, boundary, next_review, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        id,
        `SYS-${String(i).padStart(5, '0')}`,
        `${pick(random, WORDS)} ${i}`,
        'Generated for benchmarks.',
        pick(random, orgs),
        pick(random, PHASE_NAMES),
        pick(random, MODE_NAMES),
        Math.floor(random() * 2000),
        pick(random, LEVELS),
        'Boundary text.',
        isoDay(start, Math.floor(random() * 700)),
        now,
        now,
      ],
    );
    const domains = DOMAIN_NAMES.filter(() => random() < 0.45);
    for (const d of domains.length ? domains : (['national'] as const)) {
      db.run('INSERT INTO system_levels (system_id, domain, level) VALUES (?, ?, ?)', [
        id,
        d,
        pick(random, LEVELS),
      ]);
    }
  }
  for (let i = 0; i < counts.records; i++) {
    const id = `20000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    db.run(
      `INSERT INTO records (id, type, title, counterpart, their_ref, our_ref, follow_up_due, marking_level, marking_domain, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        id,
        'correspondence',
        `Record ${i}`,
        'NATO Office of Security',
        `EXT-${i}`,
        `DK-${i}`,
        random() < 0.8 ? isoDay(start, Math.floor(random() * 700)) : null,
        pick(random, LEVELS),
        pick(random, DOMAIN_NAMES),
        random() < 0.2 ? 'closed' : 'open',
        now,
        now,
      ],
    );
    db.run('INSERT INTO record_systems (record_id, system_id) VALUES (?, ?)', [
      id,
      pick(random, systemIds),
    ]);
  }
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
    systems: counts.systems,
    records: counts.records,
    auditRows: counts.audit,
    pending: 'cases, checklist answers and risks join with their tables (issues 5–6)',
  };
}
