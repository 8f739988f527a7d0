/**
 * Deterministic reference datasets for benchmarks (seeded PRNG: the same size gives the same
 * rows on every machine). Sizes follow issue 3: L ≈ 1,000 systems, 300 cases, 100,000 checklist
 * answers, 10,000 risks, 5,000 records, 50,000 audit rows, plus people, findings and acceptances
 * for the dashboard (the JSON output says what was generated).
 */
import type { Database } from 'sql.js';
import { appendAudit, type Actor } from '../../electron/db/audit';
import { builtinMatrices } from '../../electron/areas/risks/repository';
import { assess, fingerprint } from '../../shared/risk';

export const SIZES = {
  /** Tiny: what `npm test` runs every scenario at (test/integration/bench.test.ts). */
  T: { systems: 4, cases: 2, answers: 20, risks: 10, records: 5, audit: 20 },
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
  // People with clearances (some running out), for the dashboard.
  for (let i = 0; i < Math.floor(counts.systems / 2); i++) {
    const id = `30000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    db.run(
      'INSERT INTO people (id, name, organisation_id, email, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
      [id, `Person ${i}`, pick(random, orgs), '', now, now],
    );
    db.run(
      'INSERT INTO clearances (id, person_id, level, domain, issuing_body, expires_on) VALUES (?, ?, ?, ?, ?, ?)',
      [
        `31000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        id,
        pick(random, LEVELS),
        pick(random, DOMAIN_NAMES.slice(0, 3)),
        'NSA',
        isoDay(start, Math.floor(random() * 1400)),
      ],
    );
  }
  // Cases with checklists and findings (issue 5).
  db.run("INSERT INTO catalogues (id, version, json, imported_at) VALUES ('bench', '1', '{}', ?)", [
    now,
  ]);
  const states = [
    'draft',
    'submitted',
    'under_review',
    'awaiting_remediation',
    'decision_pending',
    'in_force',
    'closed',
  ];
  const perCase = Math.ceil(counts.answers / counts.cases);
  const statuses = [
    'not_assessed',
    'compliant',
    'partially',
    'non_compliant',
    'not_applicable',
    'compensated',
  ];
  const caseIds: string[] = [];
  for (let c = 0; c < counts.cases; c++) {
    const id = `40000000-0000-4000-8000-${String(c).padStart(12, '0')}`;
    const systemId = pick(random, systemIds);
    caseIds.push(id);
    db.run(
      `INSERT INTO cases (id, ref, system_id, type, state, title, catalogue_id, catalogue_version, created_at, updated_at)
       VALUES (?, ?, ?, 'initial', ?, ?, 'bench', '1', ?, ?)`,
      [id, `CASE-B-${c}`, systemId, pick(random, states), `Case ${c}`, now, now],
    );
    for (let r = 0; r < perCase; r++) {
      db.run(
        'INSERT INTO checklist_items (case_id, requirement_id, area, position, status, statement, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [
          id,
          `GEN-${String(r).padStart(3, '0')}`,
          'GEN',
          r,
          pick(random, statuses),
          'Generated answer.',
          now,
        ],
      );
    }
    for (let f = 0; f < 3; f++) {
      db.run(
        `INSERT INTO findings (id, case_id, kind, severity, title, owner, due_date, status, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, '', ?, ?, ?, ?)`,
        [
          `50000000-0000-4000-8000-${String(c * 3 + f).padStart(12, '0')}`,
          id,
          f === 2 ? 'condition' : 'finding',
          pick(random, ['critical', 'major', 'minor', 'observation']),
          `Finding ${c}.${f}`,
          isoDay(start, Math.floor(random() * 700)),
          pick(random, ['open', 'in_progress', 'resolved', 'verified']),
          now,
          now,
        ],
      );
    }
  }
  // Risks on the shipped 5×5 matrix, half of them accepted (issue 6).
  const matrix = builtinMatrices().matrices[0]!;
  db.run('INSERT INTO risk_matrices (id, json, builtin, imported_at) VALUES (?, ?, 1, ?)', [
    matrix.id,
    JSON.stringify(matrix),
    now,
  ]);
  db.run(
    `INSERT INTO risk_criteria (id, matrix_id, owner_accepts_up_to, accreditor_accepts_up_to, max_acceptance_months, set_by, set_at)
     VALUES (1, ?, 'low', 'high', 24, ?, ?)`,
    [matrix.id, actor.name, now],
  );
  for (let i = 0; i < counts.risks; i++) {
    const id = `60000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const score = () => 1 + Math.floor(random() * 5);
    const risk = {
      matrixId: matrix.id,
      scope: `Asset ${i}`,
      threatSource: 'Generated',
      threatEvent: `Threat event ${i}`,
      vulnerability: '',
      confidentiality: score(),
      integrity: score(),
      availability: score(),
      authenticity: null,
      likelihood: score(),
      treatment: 'reduce' as const,
      residualLikelihood: score(),
      residualImpact: score(),
    };
    const levels = assess(matrix, risk);
    db.run(
      `INSERT INTO risks (id, ref, system_id, case_id, matrix_id, scope, threat_source, threat_event, vulnerability, impact_c, impact_i, impact_a,
         likelihood, inherent_level, inherent_rank, treatment, residual_likelihood, residual_impact, residual_level, residual_rank, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, 'reduce', ?, ?, ?, ?, ?, ?)`,
      [
        id,
        `RISK-B-${i}`,
        pick(random, systemIds),
        random() < 0.5 ? pick(random, caseIds) : null,
        matrix.id,
        risk.scope,
        risk.threatSource,
        risk.threatEvent,
        risk.confidentiality,
        risk.integrity,
        risk.availability,
        risk.likelihood,
        levels.inherent?.id ?? null,
        levels.inherent?.index ?? null,
        risk.residualLikelihood,
        risk.residualImpact,
        levels.residual.id,
        levels.residual.index,
        now,
        now,
      ],
    );
    db.run("INSERT INTO risk_links (risk_id, kind, target) VALUES (?, 'requirement', ?)", [
      id,
      `GEN-${String(i % perCase).padStart(3, '0')}`,
    ]);
    if (random() < 0.5) {
      db.run(
        `INSERT INTO risk_acceptances (risk_id, accepted_by, role, authority, justification, accepted_on, expires_on, fingerprint, snapshot, at)
         VALUES (?, ?, 'accreditor', 'accreditor', 'Generated acceptance.', ?, ?, ?, '{}', ?)`,
        [id, actor.name, isoDay(start, 0), isoDay(start, 700), fingerprint(risk), now],
      );
    }
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
    cases: counts.cases,
    checklistAnswers: counts.cases * perCase,
    risks: counts.risks,
    people: Math.floor(counts.systems / 2),
  };
}
