/**
 * A realistic, fictional sample register for demonstrations and tests (`awb demo`): several
 * organisations, systems across the national, NATO and EU domains in all four security modes,
 * sites, approved products, components, interconnections, cleared people and 30+ records with
 * deadlines around today. Every name is invented.
 *
 * Longer than 500 lines: the demo's records written as code; it becomes data plus a small seeder.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InfoDomain } from '../../shared/classification';
import { translate } from '../../shared/i18n';
import type { CaseState } from '../../shared/lifecycle';
import { addMonths, type RiskInput } from '../../shared/risk';
import type { Vault } from '../vault/vault';
import type { VaultServices } from '.';
import type { CaseService } from '../areas/cases/use-cases';
import { asOf } from './clock';
import { today } from './clock';
import type { RegisterService } from '../areas/register/use-cases';
import type { RecordService } from '../areas/records/use-cases';
import { fingerprintsOf } from '../areas/identities/use-cases';
import { createAuthority, issueIdentity, revocationList } from '../signing/authority';
import { derOf, toPem } from '../signing/x509';

function day(offset: number, from = new Date()): string {
  const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
}

/**
 * `offset` days from `from`, at noon (UTC): the moment the demo records an entry as of, when its
 * story began before today (a follow-up due last week was set before then). The rules of sense
 * judge it as of that day, as they judged it when it happened (./clock).
 */
function daysAgo(offset: number, from = new Date()): Date {
  return new Date(`${day(-offset, from)}T12:00:00Z`);
}

type Mode = 'dedicated' | 'system_high' | 'compartmented' | 'multilevel';
type Phase = 'planned' | 'build' | 'test' | 'operational' | 'decommissioned';

const SYSTEMS: [string, string, Mode, Phase, [InfoDomain, string][], string, number, string][] = [
  [
    'SYS-001',
    'Forsvarets Ledelsesnet (demo)',
    'system_high',
    'operational',
    [
      ['national', 'SECRET'],
      ['nato', 'SECRET'],
    ],
    'SECRET',
    1200,
    'Command and control network for national and NATO staff work.',
  ],
  [
    'SYS-002',
    'NATO Missionsnet Nord',
    'dedicated',
    'operational',
    [['nato', 'SECRET']],
    'SECRET',
    140,
    'Mission network for a deployed NATO headquarters element.',
  ],
  [
    'SYS-003',
    'EU Rådsarbejdsstation',
    'dedicated',
    'operational',
    [['eu', 'SECRET']],
    'SECRET',
    12,
    'Stand-alone workstations for handling EU Council documents.',
  ],
  [
    'SYS-004',
    'Ministeriets Sagsbehandling TTJ',
    'system_high',
    'operational',
    [['national', 'RESTRICTED']],
    'RESTRICTED',
    850,
    'Case handling system for restricted national material.',
  ],
  [
    'SYS-005',
    'Krisestyringsnet',
    'compartmented',
    'test',
    [
      ['national', 'SECRET'],
      ['eu', 'CONFIDENTIAL'],
    ],
    'CONFIDENTIAL',
    300,
    'Crisis management network with compartments per ministry.',
  ],
  [
    'SYS-006',
    'Efterretningsfusion (demo)',
    'multilevel',
    'build',
    [
      ['national', 'TOP_SECRET'],
      ['nato', 'SECRET'],
      ['eu', 'SECRET'],
    ],
    'SECRET',
    60,
    'Multilevel fusion platform with labelled data.',
  ],
  [
    'SYS-007',
    'Havneovervågning',
    'system_high',
    'operational',
    [['national', 'CONFIDENTIAL']],
    'CONFIDENTIAL',
    90,
    'Surveillance of harbour approaches.',
  ],
  [
    'SYS-008',
    'NATO Logistikportal',
    'system_high',
    'operational',
    [['nato', 'RESTRICTED']],
    'RESTRICTED',
    400,
    'Logistics exchange with NATO agencies.',
  ],
  [
    'SYS-009',
    'EU Galileo PRS-terminal',
    'dedicated',
    'test',
    [['eu', 'CONFIDENTIAL']],
    'CONFIDENTIAL',
    8,
    'Public Regulated Service receiver management.',
  ],
  [
    'SYS-010',
    'Bilateralt Samarbejdsnet',
    'system_high',
    'planned',
    [
      ['bilateral', 'CONFIDENTIAL'],
      ['national', 'CONFIDENTIAL'],
    ],
    'CONFIDENTIAL',
    25,
    'Exchange with a partner nation under a bilateral agreement.',
  ],
  [
    'SYS-011',
    'Kryptonøglehåndtering',
    'dedicated',
    'operational',
    [
      ['national', 'SECRET'],
      ['nato', 'SECRET'],
    ],
    'SECRET',
    6,
    'Key management for national and NATO crypto.',
  ],
  [
    'SYS-012',
    'Gammelt Beredskabsnet',
    'system_high',
    'decommissioned',
    [['national', 'CONFIDENTIAL']],
    'CONFIDENTIAL',
    0,
    'Retired emergency network; disposal under verification.',
  ],
  [
    'SYS-013',
    'Udenrigstjenestens Telegrammer',
    'compartmented',
    'operational',
    [
      ['national', 'SECRET'],
      ['eu', 'SECRET'],
      ['nato', 'CONFIDENTIAL'],
    ],
    'CONFIDENTIAL',
    520,
    'Diplomatic telegram handling across compartments.',
  ],
  [
    'SYS-014',
    'Øvelsesnet (test)',
    'multilevel',
    'test',
    [
      ['nato', 'RESTRICTED'],
      ['national', 'RESTRICTED'],
    ],
    'RESTRICTED',
    200,
    'Exercise network; no live classified data.',
  ],
];

const RECORD_TYPES = [
  'notification_nos',
  'notification_eu',
  'statement_of_compliance',
  'interconnection_approval',
  'crypto_approval',
  'tempest_approval',
  'inspection',
  'correspondence',
  'other',
] as const;
const COUNTERPARTS = [
  'NATO Office of Security',
  'EU Council Security Office',
  'NATO CIS Security Accreditation Office',
  'Partner NSA (demo)',
  'EU Crypto Approval Authority',
];

export async function seedDemo(
  { register, records: recordService }: { register: RegisterService; records: RecordService },
  now = new Date(),
): Promise<{ systems: number; records: number; people: number }> {
  const authority = await register.createOrganisation({
    name: 'National IT-sikkerhedsmyndighed (demo)',
    type: 'authority',
  });
  const owners = [
    await register.createOrganisation({
      name: 'Forsvarsministeriets Systemejer (demo)',
      type: 'system_owner',
    }),
    await register.createOrganisation({
      name: 'Udenrigsministeriets IT (demo)',
      type: 'system_owner',
    }),
    await register.createOrganisation({
      name: 'Beredskabsstyrelsen Nord (demo)',
      type: 'system_owner',
    }),
  ];
  const operator = await register.createOrganisation({
    name: 'Statens Drift A/S (demo)',
    type: 'operator',
  });
  const supplier = await register.createOrganisation({
    name: 'Nordisk Kryptoteknik (demo)',
    type: 'supplier',
  });

  const sites = [
    await register.createSite({
      name: 'Kastellet Bygning 7',
      areaClass: 'Klasse I',
      maxLevel: 'TOP_SECRET',
      tempestZone: 'Zone 2',
      lastInspection: day(-200, now),
      nextInspection: day(165, now),
    }),
    await register.createSite({
      name: 'Ministeriets Sikre Rum',
      areaClass: 'Klasse II',
      maxLevel: 'SECRET',
      tempestZone: 'Zone 1',
      lastInspection: day(-400, now),
      nextInspection: day(-35, now),
    }),
    await register.createSite({
      name: 'Kontorhus Øst',
      areaClass: 'Administrativt område',
      maxLevel: 'RESTRICTED',
      tempestZone: '',
      lastInspection: day(-90, now),
      nextInspection: day(275, now),
    }),
  ];
  const products = {
    cryptoS: await register.createProduct({
      name: 'KryptoBoks S-2000',
      vendor: 'Nordisk Kryptoteknik',
      kind: 'crypto',
      authority: 'NATO MC (demo)',
      reference: 'NC-2024-117',
      maxLevel: 'SECRET',
      domain: 'nato',
      expiresOn: day(700, now),
    }),
    cryptoNat: await register.createProduct({
      name: 'NatCrypt 4',
      vendor: 'Nordisk Kryptoteknik',
      kind: 'crypto',
      authority: 'National CAA (demo)',
      reference: 'DK-K-0042',
      maxLevel: 'SECRET',
      domain: 'national',
      expiresOn: day(20, now),
    }),
    diode: await register.createProduct({
      name: 'Envejsdiode D1',
      vendor: 'Sikker Grænse ApS',
      kind: 'boundary_device',
      authority: 'National CAA (demo)',
      reference: 'DK-B-0007',
      maxLevel: 'SECRET',
      domain: 'national',
      expiresOn: null,
    }),
    euCrypto: await register.createProduct({
      name: 'EU-Krypt R',
      vendor: 'Euro Secure',
      kind: 'crypto',
      authority: 'EU Council CAA (demo)',
      reference: 'EU-CAA-55',
      maxLevel: 'CONFIDENTIAL',
      domain: 'eu',
      expiresOn: day(-10, now),
    }),
    tempest: await register.createProduct({
      name: 'Tempest-skærm T3',
      vendor: 'Nordisk Kryptoteknik',
      kind: 'tempest_equipment',
      authority: 'National TEMPEST (demo)',
      reference: 'DK-T-311',
      maxLevel: 'SECRET',
      domain: 'national',
      expiresOn: day(900, now),
    }),
  };

  const people = [
    ['Anne Sørensen', 'SECRET', 'national', 400],
    ['Bjarne Holm', 'SECRET', 'nato', 25],
    ['Camilla Dahl', 'CONFIDENTIAL', 'national', 800],
    ['Dorte Lund', 'TOP_SECRET', 'national', 60],
    ['Erik Vestergaard', 'SECRET', 'eu', -5],
    ['Frederik Bang', 'RESTRICTED', 'national', 1000],
  ] as const;
  const personIds: string[] = [];
  for (const [name, level, domain, expires] of people) {
    personIds.push(
      await register.createPerson({
        name,
        organisationId: owners[personIds.length % owners.length],
        email: `${name.split(' ')[0]?.toLowerCase() ?? 'x'}@demo.invalid`,
        briefedOn: day(-300, now),
        clearances: [
          {
            level,
            domain,
            issuingBody:
              domain === 'national'
                ? 'PET (demo)'
                : domain === 'nato'
                  ? 'NSA DK (demo)'
                  : 'NSA DK for EU (demo)',
            expiresOn: day(expires, now),
          },
        ],
      }),
    );
  }

  const systemIds: string[] = [];
  for (const [
    i,
    [ref, name, mode, phase, levels, minClearance, users, purpose],
  ] of SYSTEMS.entries()) {
    const id = await register.createSystem({
      ref,
      name,
      purpose,
      ownerOrgId: owners[i % owners.length],
      operatorOrgId: operator,
      phase,
      mode,
      levels: levels.map(([domain, level]) => ({ domain, level })),
      userCount: users,
      minClearance,
      boundary: `The boundary of ${ref} comprises its workstations, servers and the network between them, up to the boundary devices.`,
      nextReview: day(((i * 47) % 400) - 30, now),
    });
    systemIds.push(id);
  }
  const [s1, s2, s3, s4, s5, s6, s7, , , , s11] = systemIds as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const [site1, site2, site3] = sites as [string, string, string];

  // Sites and components (a few deliberate inconsistencies for the rules to find).
  for (const [system, site] of [
    [s1, site1],
    [s2, site1],
    [s3, site2],
    [s4, site3],
    [s5, site2],
    [s6, site1],
    [s7, site2],
    [s11, site1],
  ] as const) {
    await register.assignSite(system, site);
  }
  await register.createComponent({
    systemId: s1,
    kind: 'server',
    product: 'Serverklynge A',
    version: '3.1',
    siteId: site1,
    level: 'SECRET',
  });
  await register.createComponent({
    systemId: s1,
    kind: 'crypto_device',
    product: 'KryptoBoks S-2000',
    siteId: site1,
    level: 'SECRET',
    crypto: true,
    approvedProductId: products.cryptoS,
  });
  await register.createComponent({
    systemId: s1,
    kind: 'workstation',
    product: 'Klient W11 hærdet',
    version: '24H2',
    siteId: site3,
    level: 'SECRET',
  });
  await register.createComponent({
    systemId: s2,
    kind: 'crypto_device',
    product: 'KryptoBoks S-2000',
    siteId: site1,
    level: 'SECRET',
    crypto: true,
    approvedProductId: products.cryptoS,
  });
  await register.createComponent({
    systemId: s3,
    kind: 'workstation',
    product: 'Tempest-arbejdsstation',
    siteId: site2,
    level: 'SECRET',
    tempestLevel: 'Level A',
    approvedProductId: products.tempest,
  });
  await register.createComponent({
    systemId: s4,
    kind: 'server',
    product: 'Sagsserver',
    siteId: site3,
    level: 'RESTRICTED',
  });
  await register.createComponent({
    systemId: s5,
    kind: 'crypto_device',
    product: 'EU-Krypt R',
    siteId: site2,
    level: 'CONFIDENTIAL',
    crypto: true,
    approvedProductId: products.euCrypto,
  });
  await register.createComponent({
    systemId: s6,
    kind: 'boundary_device',
    product: 'Envejsdiode D1',
    siteId: site1,
    level: 'SECRET',
    approvedProductId: products.diode,
  });
  await register.createComponent({
    systemId: s11,
    kind: 'crypto_device',
    product: 'NatCrypt 4',
    siteId: site1,
    level: 'SECRET',
    crypto: true,
    approvedProductId: products.cryptoNat,
  });
  await register.createComponent({
    systemId: s7,
    kind: 'crypto_device',
    product: 'Ukendt VPN',
    siteId: site2,
    level: 'CONFIDENTIAL',
    crypto: true,
  });

  await register.createInterconnection({
    systemId: s1,
    peerSystemId: s2,
    localLevel: 'SECRET',
    peerLevel: 'SECRET',
    domain: 'nato',
    direction: 'bidirectional',
    approvalStatus: 'approved',
    validUntil: day(300, now),
    boundaryDevice: 'NATO-gateway',
  });
  await register.createInterconnection({
    systemId: s1,
    peerSystemId: s4,
    localLevel: 'SECRET',
    peerLevel: 'RESTRICTED',
    domain: 'national',
    direction: 'inbound',
    approvalStatus: 'approved',
    validUntil: day(120, now),
    boundaryProductId: products.diode,
  });
  await register.createInterconnection({
    systemId: s7,
    peerName: 'Kystradar (ekstern)',
    localLevel: 'CONFIDENTIAL',
    peerLevel: 'RESTRICTED',
    domain: 'national',
    direction: 'inbound',
    approvalStatus: 'pending',
  });
  await register.createInterconnection({
    systemId: s5,
    peerSystemId: s4,
    localLevel: 'SECRET',
    peerLevel: 'RESTRICTED',
    domain: 'national',
    direction: 'bidirectional',
    approvalStatus: 'approved',
    validUntil: day(-15, now),
    boundaryDevice: 'Filtrerende gateway',
  });
  await register.createInterconnection({
    systemId: s6,
    peerSystemId: s1,
    localLevel: 'TOP_SECRET',
    peerLevel: 'SECRET',
    domain: 'national',
    direction: 'inbound',
    approvalStatus: 'pending',
    boundaryProductId: products.diode,
  });

  for (const [i, person] of personIds.entries()) {
    await register.assignPerson(
      systemIds[i % 7] ?? s1,
      person,
      i % 2 === 0 ? 'security_officer' : 'system_administrator',
    );
  }

  let records = 0;
  for (let i = 0; i < 32; i++) {
    const type = RECORD_TYPES[i % RECORD_TYPES.length] ?? 'other';
    const due = [-20, -3, 5, 12, 25, 45, 90, 200][i % 8] ?? 30;
    // Entered the day before its follow-up fell due (or yesterday): a deadline now past was
    // not past when it was set.
    await asOf(daysAgo(1 - Math.min(due, 0), now), () =>
      recordService.create({
        type,
        // The demo is a Danish authority's register: its titles are written in Danish.
        title: `${translate('da', `recordType.${type}`)} ${i + 1}: ${SYSTEMS[i % SYSTEMS.length]?.[1] ?? ''}`,
        counterpart: COUNTERPARTS[i % COUNTERPARTS.length] ?? 'Other',
        theirRef: `EXT-${2026}-${String(100 + i)}`,
        ourRef: `DK-AKK-${String(1000 + i)}`,
        sentOn: day(-60 - i, now),
        receivedOn: i % 3 === 0 ? day(-30 - i, now) : null,
        validFrom: type.endsWith('approval') ? day(-365, now) : null,
        validTo: type.endsWith('approval') ? day(365 - i * 10, now) : null,
        followUpDue: i % 5 === 4 ? null : day(due, now),
        markingLevel: (['RESTRICTED', 'CONFIDENTIAL', 'SECRET'] as const)[i % 3],
        markingDomain: (['nato', 'eu', 'national'] as const)[i % 3],
        status: i % 7 === 6 ? 'closed' : i % 2 === 0 ? 'awaiting_reply' : 'open',
        notes: i % 4 === 0 ? 'Reminder sent by registered mail.' : '',
        systemIds: [systemIds[i % systemIds.length] ?? s1],
      }),
    );
    records++;
  }
  void authority;
  void supplier;
  return { systems: systemIds.length, records, people: personIds.length };
}

/**
 * Demo cases in several states, with answered checklists, verdicts, evidence in the blob store
 * and findings (issue 5). Run after seedDemo, by an accreditor.
 */
export async function seedDemoCases(
  cases: CaseService,
  register: RegisterService,
  vault: Vault,
): Promise<{ cases: number }> {
  const systems = register.listSystems();
  const byRef = (ref: string) => systems.find((s) => s.ref === ref)?.id ?? systems[0]?.id ?? '';
  const evidence = async (
    caseId: string,
    type: 'ssrs' | 'secops_user' | 'network_diagram' | 'risk_assessment',
    title: string,
    requirementIds: string[],
  ) => {
    const body = Buffer.from(
      `%PDF-1.4\n% ${title} (demo document)\n${'Demo content. '.repeat(200)}\n%%EOF\n`,
    );
    const stored = await vault.blobs.put(
      (async function* () {
        yield body;
      })(),
    );
    await cases.addEvidence(
      caseId,
      { ...stored, name: `${type}.pdf` },
      {
        type,
        title,
        version: '1.0',
        author: 'Demo owner',
        effectiveDate: '2026-09-01',
        markingLevel: 'RESTRICTED',
        markingDomain: 'national',
        requirementIds,
      },
    );
  };
  const answer = async (caseId: string, share = 1, nonCompliant: string[] = []) => {
    const items = cases.getCase(caseId).items;
    for (const [i, item] of items.entries()) {
      if (i / items.length >= share) {
        break;
      }
      const bad = nonCompliant.includes(item.requirementId);
      await cases.updateItem(caseId, item.requirementId, {
        status: bad ? 'non_compliant' : i % 9 === 4 ? 'partially' : 'compliant',
        statement: bad
          ? 'Not yet in place; planned for next quarter.'
          : `Implemented as described in the SSRS, section ${1 + (i % 12)}.`,
      });
    }
  };
  const walk = async (caseId: string, states: CaseState[]) => {
    for (const state of states) {
      if (state === 'decision_pending') {
        await judgeAll(cases, caseId);
      }
      await cases.transition(
        caseId,
        state,
        `Demo: flyttet til ${translate('da', `state.${state}`).toLowerCase()}`,
      );
    }
  };

  const draft = await cases.createCase({
    systemId: byRef('SYS-001'),
    type: 'reaccreditation',
    deadline: day(86),
  });
  await answer(draft, 0.5);
  await evidence(draft, 'ssrs', 'SSRS Forsvarets Ledelsesnet', ['DOC-01']);

  const submitted = await cases.createCase({ systemId: byRef('SYS-002'), type: 'initial' });
  await answer(submitted);
  await evidence(submitted, 'ssrs', 'SSRS NATO Missionsnet', ['DOC-01']);
  await evidence(submitted, 'network_diagram', 'Netværksdiagram', ['DOC-03', 'ICN-01']);
  await walk(submitted, ['submitted']);

  const review = await cases.createCase({ systemId: byRef('SYS-003'), type: 'initial' });
  await answer(review, 1, ['PHY-03']);
  await evidence(review, 'secops_user', 'SecOPs for brugere', ['DOC-02']);
  await walk(review, ['submitted', 'intake', 'under_review']);
  await cases.updateItem(review, 'PHY-01', {
    verdict: 'agreed',
    assessorComment: 'Verified on site.',
  });
  await cases.updateItem(review, 'PHY-03', {
    verdict: 'disagreed',
    assessorComment: 'No guard response times documented.',
  });
  await cases.addFinding(review, {
    requirementId: 'PHY-03',
    severity: 'major',
    title: 'Guard response time not documented',
    owner: 'Site security officer',
    dueDate: day(10),
    recommendedAction: 'Document and test the response time.',
  });

  // A case opened two months ago, whose critical finding is now a month overdue.
  const remediation = await asOf(daysAgo(60), async () => {
    const id = await cases.createCase({
      systemId: byRef('SYS-007'),
      type: 'significant_change',
    });
    await answer(id, 1, ['CRY-02']);
    await walk(id, ['submitted', 'intake', 'under_review']);
    await cases.addFinding(id, {
      requirementId: 'CRY-02',
      severity: 'critical',
      title: 'VPN product not approved',
      owner: 'System owner',
      dueDate: day(-34),
    });
    return id;
  });
  await cases.addFinding(remediation, {
    severity: 'minor',
    title: 'Diagram out of date',
    owner: 'System owner',
    dueDate: day(36),
  });
  await walk(remediation, ['awaiting_remediation']);

  const pending = await cases.createCase({ systemId: byRef('SYS-011'), type: 'reaccreditation' });
  await answer(pending);
  await evidence(pending, 'risk_assessment', 'Risikovurdering 2026', ['DOC-04']);
  await walk(pending, ['submitted', 'intake', 'under_review', 'verification', 'decision_pending']);

  const cancelled = await cases.createCase({ systemId: byRef('SYS-012'), type: 'decommissioning' });
  await walk(cancelled, ['cancelled']);
  return { cases: 6 };
}

/** The accreditor agrees with the owner on every requirement of a case under review. */
async function judgeAll(cases: VaultServices['cases'], caseId: string): Promise<void> {
  const detail = cases.getCase(caseId);
  const ids = detail.items.filter((i) => i.verdict === 'none').map((i) => i.requirementId);
  if (ids.length > 0) {
    await cases.updateItems(caseId, ids, {
      verdict: 'agreed',
      assessorComment: 'Gennemgået og verificeret mod dokumentationen.',
    });
  }
}

/**
 * Demo risk registers (issue 6): acceptance criteria on the 5×5 matrix, risks for the cases
 * under way and for systems in force, some accepted (by the owner's or the accreditor's
 * authority), one changed after its acceptance, and open ones above the criteria.
 */
export async function seedDemoRisks(services: VaultServices): Promise<{ risks: number }> {
  const { risks, cases, register } = services;
  await risks.setCriteria({
    matrixId: 'nist-5x5',
    ownerAcceptsUpTo: 'low',
    accreditorAcceptsUpTo: 'high',
    maxAcceptanceMonths: 24,
  });
  const systems = register.listSystems();
  const systemOf = (ref: string) => systems.find((s) => s.ref === ref)?.id ?? systems[0]!.id;
  const caseOf = (ref: string) => cases.listCases().find((c) => c.system.startsWith(`${ref} `))?.id;
  const expires = addMonths(today(), 12);
  let count = 0;
  const add = async (
    ref: string,
    risk: Omit<RiskInput, 'systemId' | 'caseId'>,
    accept?: string,
  ): Promise<string> => {
    const id = await risks.createRisk({ ...risk, systemId: systemOf(ref), caseId: caseOf(ref) });
    count++;
    if (accept) {
      await risks.acceptRisk(id, { justification: accept, expiresOn: expires });
    }
    return id;
  };
  const base = {
    authenticity: null,
    owner: 'System owner',
    reviewDate: addMonths(today(), 6),
  };

  await add(
    'SYS-003',
    {
      ...base,
      scope: 'Server room, building 12',
      threatSource: 'Intruder (physical)',
      threatEvent: 'Unauthorised entry outside office hours goes unanswered',
      vulnerability: 'Guard response time neither documented nor tested',
      confidentiality: 4,
      integrity: 3,
      availability: 2,
      likelihood: 3,
      treatment: 'reduce',
      measures: 'Alarm connected to the guard service; quarterly response drills.',
      residualLikelihood: 2,
      residualImpact: 4,
      requirementIds: ['PHY-03'],
    },
    'Compensated by the alarm link and drills until the response times are documented.',
  );
  await add(
    'SYS-003',
    {
      ...base,
      scope: 'Administrator workstations',
      threatSource: 'Insider (careless)',
      threatEvent: 'Malware introduced by removable media',
      vulnerability: 'USB ports open on two legacy workstations',
      confidentiality: 3,
      integrity: 3,
      availability: 3,
      likelihood: 3,
      treatment: 'reduce',
      measures: 'Device control policy; sheep-dip station.',
      residualLikelihood: 1,
      residualImpact: 3,
      requirementIds: ['MED-01'],
    },
    'Residual risk is low after device control; accepted by the system owner.',
  );
  await add('SYS-007', {
    ...base,
    scope: 'VPN between sites',
    threatSource: 'Foreign intelligence service',
    threatEvent: 'Traffic decrypted after interception on the carrier network',
    vulnerability: 'VPN product is not an approved cryptographic product',
    confidentiality: 5,
    integrity: 4,
    availability: 2,
    likelihood: 4,
    treatment: 'reduce',
    measures: 'Replace with an approved product (finding CRY-02).',
    residualLikelihood: 4,
    residualImpact: 5,
    requirementIds: ['CRY-02'],
  });
  await add(
    'SYS-007',
    {
      ...base,
      scope: 'Network documentation',
      threatSource: 'Administrator error',
      threatEvent: 'Change made on the wrong segment',
      vulnerability: 'Network diagram out of date',
      confidentiality: 2,
      integrity: 3,
      availability: 3,
      likelihood: 3,
      treatment: 'reduce',
      measures: 'Update the diagram at each change (change board).',
      residualLikelihood: 2,
      residualImpact: 3,
    },
    'Accepted while the diagram is brought up to date; checked at the next review.',
  );
  const changed = await add(
    'SYS-003',
    {
      ...base,
      scope: 'Backup media',
      threatSource: 'Theft',
      threatEvent: 'Backup tapes lost in transport to the second site',
      vulnerability: 'Tapes are transported by courier',
      confidentiality: 4,
      integrity: 1,
      availability: 3,
      likelihood: 2,
      treatment: 'reduce',
      measures: 'Tapes encrypted with an approved product; sealed containers.',
      residualLikelihood: 2,
      residualImpact: 3,
    },
    'Encryption makes loss of a tape a moderate risk; accepted for one year.',
  );
  // Reviewed after acceptance: the accepted state no longer matches and needs re-acceptance.
  const current = risks.getRisk(changed);
  await risks.updateRisk(changed, {
    ...base,
    systemId: current.systemId,
    caseId: current.caseId,
    scope: current.scope,
    threatSource: current.threatSource,
    threatEvent: current.threatEvent,
    vulnerability: current.vulnerability,
    confidentiality: current.confidentiality,
    integrity: current.integrity,
    availability: current.availability,
    likelihood: 3,
    treatment: current.treatment,
    measures: current.measures,
    residualLikelihood: 3,
    residualImpact: 3,
  });
  await add('SYS-011', {
    ...base,
    scope: 'Operating system baseline',
    threatSource: 'Hacker group',
    threatEvent: 'Known vulnerability exploited before patches are installed',
    vulnerability: 'Patch window of 60 days on the isolated network',
    confidentiality: 4,
    integrity: 4,
    availability: 3,
    likelihood: 2,
    treatment: 'accept',
    residualLikelihood: 2,
    residualImpact: 4,
  });
  for (const [i, ref] of ['SYS-001', 'SYS-002', 'SYS-004', 'SYS-005'].entries()) {
    await add(
      ref,
      {
        ...base,
        scope: 'Emanations from terminal equipment',
        threatSource: 'Foreign intelligence service',
        threatEvent: 'Compromising emanations intercepted from outside the zone',
        vulnerability: 'Equipment zoning not re-measured after the refurbishment',
        confidentiality: 3 + (i % 3),
        integrity: null,
        availability: null,
        likelihood: 1 + (i % 3),
        treatment: i % 2 ? 'share' : 'reduce',
        measures: 'Zone measurement ordered; equipment kept in the inner area.',
        // Never above the inherent risk (likelihood 1 + i % 3): what remains is not more.
        residualLikelihood: Math.min(1 + (i % 2), 1 + (i % 3)),
        residualImpact: 2 + (i % 3),
      },
      i % 2 === 0
        ? 'Zone measurement is ordered; the residual risk is accepted until then.'
        : undefined,
    );
  }
  return { risks: count };
}

/**
 * The demo authority's signed decision (issue 7): two accreditors certified by the demo's CA, a
 * full approval of the case in "decision pending" (its risks accepted) signed and countersigned,
 * and the documents written to `exportsFolder`: decision letter (signed), dossier report,
 * residual-risk acceptance (signed), records extract, and for verifiers the CA's certificate
 * (`signer-certificate.pem`) and its CRL (`demo-ca.crl`).
 */
export async function seedDemoDecision(
  services: VaultServices,
  exportsFolder: string,
): Promise<Record<string, string>> {
  const { decisions, cases, signing } = services;
  // Two accreditors (approvals at HEMMELIGT and above need four eyes), both certified by the
  // demo's CA, which stands for the authority's own: four eyes takes only names a CA trusted as
  // the authority vouches for (a self-signed identity names whoever made it). The vault trusts
  // the CA as the authority and holds its current CRL.
  const ca = await createAuthority({
    commonName: 'Demo Authority CA',
    organisation: 'National IT-sikkerhedsmyndighed (demo)',
  });
  const identityId = await signing.addIssued(
    await issueIdentity(ca, {
      commonName: 'Demo Accreditor',
      organisation: 'National IT-sikkerhedsmyndighed (demo)',
    }),
    'Demo accreditor (issued by the demo CA)',
  );
  const secondId = await signing.addIssued(
    await issueIdentity(ca, {
      commonName: 'Demo Countersigner',
      organisation: 'National IT-sikkerhedsmyndighed (demo)',
      algorithm: 'ec-p256',
    }),
    'Demo second accreditor (issued by the demo CA)',
  );
  const caPem = toPem(derOf(ca.cert));
  await signing.trust(caPem, 'authority', fingerprintsOf(caPem));
  // One CRL for the demo's life (its identities' three years): a signer's revocation must be
  // known, or the letter is indeterminate.
  const crlDer = await revocationList(ca, { nextUpdateDays: 3 * 365 });
  await signing.addCrl(crlDer);
  const pending = cases.listCases().find((c) => c.state === 'decision_pending');
  if (!pending) {
    throw new Error('the demo has no case awaiting its decision');
  }
  // Risks still open on this case (changed after acceptance, or never accepted) are accepted
  // now, as the accreditor does before signing.
  for (const risk of services.risks.listRisks({ caseId: pending.id })) {
    if (risk.acceptance.status !== 'accepted' && risk.authority !== 'none') {
      await services.risks.acceptRisk(risk.id, {
        justification: 'Accepted for the approval period; reviewed at the next re-accreditation.',
        expiresOn: addMonths(today(), 12),
      });
    }
  }
  const issued = await decisions.issueDecision(pending.id, {
    type: 'full_approval',
    identityId,
    language: 'da',
    reason:
      'Systemet opfylder kravene i kravkataloget; de anførte restrisici er vurderet og accepteret.',
    conditions: [
      // Each requirement met only in part is answered by a condition (the approval policy).
      ...services.risks.unacceptedNonCompliant(pending.id).map((requirementId) => ({
        text: `${requirementId} bringes i fuld overensstemmelse med kravet`,
        dueDate: addMonths(today(), 6),
        owner: 'Systemejer',
        requirementId,
      })),
      {
        text: 'Patchvinduet nedbringes til 30 dage',
        dueDate: addMonths(today(), 6),
        owner: 'Systemejer',
      },
      {
        text: 'Beredskabsplanen afprøves og rapporteres',
        dueDate: addMonths(today(), 9),
        owner: 'Systemejer',
      },
    ],
  });
  if (issued.status === 'awaiting_countersignature') {
    await decisions.countersign(pending.id, {
      identityId: secondId,
      reason: 'Medunderskrevet efter gennemgang af sagen (fire øjne).',
      language: 'da',
    });
  }
  await cases.transition(pending.id, 'in_force', 'Afgørelsen er meddelt systemejeren.');
  mkdirSync(exportsFolder, { recursive: true });
  const files: Record<string, string> = {};
  const write = (name: string, bytes: Buffer | string) => {
    const file = join(exportsFolder, name);
    writeFileSync(file, bytes);
    files[name.replace(/\.\w+$/, '')] = file;
  };
  write('decision-letter.pdf', await decisions.decisionPdf(pending.id));
  write(
    'dossier-report.pdf',
    (await decisions.issueDocument({ caseId: pending.id, kind: 'dossier-report', language: 'da' }))
      .pdf,
  );
  write(
    'risk-acceptance.pdf',
    (
      await decisions.issueDocument({
        caseId: pending.id,
        kind: 'risk-acceptance',
        language: 'da',
        identityId,
      })
    ).pdf,
  );
  write('records-extract.pdf', await decisions.render(decisions.recordsSpec('da')));
  // For a verifier: the CA that certified both accreditors, with its CRL (a signer's revocation
  // must be known).
  write('signer-certificate.pem', caPem);
  write('demo-ca.crl', crlDer);
  return files;
}

/**
 * An approval's life after the first decision, in the demo: SYS-014's approval suspended and
 * reinstated (each a signed decision), and SYS-012 approved, decommissioned, its disposal
 * verified and its case closed.
 */
export async function seedDemoLifecycle(services: VaultServices): Promise<{ lifecycle: number }> {
  const { cases, decisions, register, signing } = services;
  const identityId = signing.identities().find((i) => i.usage === 'signing' && !i.expired)?.id;
  if (!identityId) {
    throw new Error('the demo has no signing identity yet');
  }
  const byRef = (ref: string) => {
    const system = register.listSystems().find((x) => x.ref === ref);
    if (!system) {
      throw new Error(`the demo has no ${ref}`);
    }
    return system.id;
  };
  const approve = async (ref: string, type: 'full_approval' | 'approval_to_test') => {
    const caseId = await cases.createCase({ systemId: byRef(ref), type: 'initial' });
    const ids = cases.getCase(caseId).items.map((i) => i.requirementId);
    await cases.updateItems(caseId, ids, {
      status: 'compliant',
      statement: 'Implementeret som beskrevet i SSRS.',
    });
    for (const to of ['submitted', 'intake', 'under_review', 'decision_pending'] as const) {
      if (to === 'decision_pending') {
        await judgeAll(cases, caseId);
      }
      await cases.transition(caseId, to, `Demo: ${translate('da', `state.${to}`).toLowerCase()}`);
    }
    await decisions.issueDecision(caseId, {
      type,
      identityId,
      language: 'da',
      reason: 'Kravene er opfyldt for godkendelsesperioden.',
    });
    await cases.transition(caseId, 'in_force', 'Afgørelsen er meddelt systemejeren.');
    return caseId;
  };
  const decide = (caseId: string, type: 'suspension' | 'reinstatement', reason: string) =>
    decisions.issueDecision(caseId, { type, identityId, language: 'da', reason });

  const exercise = await approve('SYS-014', 'approval_to_test');
  await decide(
    exercise,
    'suspension',
    'Logningen er slået fra under øvelsen; systemet må ikke bruges.',
  );
  await decide(exercise, 'reinstatement', 'Logningen er genetableret og kontrolleret.');

  const retired = await approve('SYS-012', 'full_approval');
  await cases.transition(retired, 'decommissioned', 'Systemet er taget ud af drift.');
  await cases.recordDisposal(retired, {
    verifiedBy: 'Demo Accreditor',
    method: 'Diske destrueret (makuleret) under tilsyn; kvittering arkiveret.',
    verifiedOn: today(),
  });
  await cases.transition(retired, 'closed', 'Bortskaffelsen er verificeret.');
  return { lifecycle: 2 };
}

/**
 * The exchange as it happens between two laptops: a system owner's vault (made here, in
 * `ownerFolder`) and this authority's, each with a signing and a separate encryption identity,
 * each trusting the other's certificates in its role. The owner submits a case; the authority
 * imports it, decides it and sends the decision back; the owner imports that. Both packages
 * are left in `exportsFolder`.
 */
export async function seedDemoExchange(
  authority: { services: VaultServices; vault: Vault },
  owner: { services: VaultServices; vault: Vault },
  exportsFolder: string,
): Promise<Record<string, string>> {
  const a = authority.services;
  const o = owner.services;
  const signingOf = (services: VaultServices) =>
    services.signing.identities().find((i) => i.usage === 'signing' && !i.expired)?.id;
  const authoritySigning =
    signingOf(a) ??
    (await a.signing.createSelfSigned({
      label: 'Demo accreditor (self-signed)',
      commonName: 'Demo Accreditor',
      organisation: 'National IT-sikkerhedsmyndighed (demo)',
    }));
  await a.signing.createSelfSigned({
    label: 'Demo authority encryption',
    commonName: 'Demo Authority Encryption',
    organisation: 'National IT-sikkerhedsmyndighed (demo)',
    usage: 'encryption',
  });
  const ownerSigning = await o.signing.createSelfSigned({
    label: 'Demo system owner (self-signed)',
    commonName: 'Demo Systemejer',
    organisation: 'Forsvarets Demoenhed',
    algorithm: 'ec-p256',
  });
  await o.signing.createSelfSigned({
    label: 'Demo system owner encryption',
    commonName: 'Demo Systemejer Encryption',
    organisation: 'Forsvarets Demoenhed',
    algorithm: 'ec-p256',
    usage: 'encryption',
  });
  // The certificates are exchanged out of band; each side trusts the other's in its role. The
  // owner also trusts every accreditor who may sign a letter (a countersigner too).
  // Both vaults are in this process: the fingerprints compared are the very certificates'.
  const ownerPem = o.signing.exchangeCertificates(ownerSigning);
  await a.signing.trust(ownerPem, 'owner', fingerprintsOf(ownerPem));
  for (const id of a.signing.identities().filter((i) => i.usage === 'signing')) {
    const pem = a.signing.exchangeCertificates(id.id);
    await o.signing.trust(pem, 'authority', fingerprintsOf(pem));
  }
  // And the authority's CAs' CRLs, so that its accreditors' revocation is known there too.
  for (const der of a.signing.trustStore('authority').crls.map((c) => Buffer.from(c.rawData))) {
    await o.signing.addCrl(der);
  }

  // The owner's side: a RESTRICTED system, its case answered and submitted.
  await o.risks.setCriteria({
    matrixId: 'nist-5x5',
    ownerAcceptsUpTo: 'low',
    accreditorAcceptsUpTo: 'high',
    maxAcceptanceMonths: 24,
  });
  const systemId = await o.register.createSystem({
    ref: 'FDE-SYS-001',
    name: 'Demo Feltnet',
    purpose: 'Taktisk feltnet til øvelser (fiktivt).',
    phase: 'test',
    mode: 'dedicated',
    levels: [{ domain: 'national', level: 'RESTRICTED' }],
    userCount: 25,
    minClearance: 'RESTRICTED',
  });
  const caseId = await o.cases.createCase({ systemId, type: 'initial' });
  for (const item of o.cases.getCase(caseId).items) {
    await o.cases.updateItem(caseId, item.requirementId, {
      status: 'compliant',
      statement: `Implementeret som beskrevet i SSRS (${item.requirementId}).`,
    });
  }
  const body = Buffer.from(`%PDF-1.4\n% SSRS Demo Feltnet (demo document)\n%%EOF\n`);
  const stored = await owner.vault.blobs.put(
    (async function* () {
      yield body;
    })(),
  );
  await o.cases.addEvidence(
    caseId,
    { ...stored, name: 'ssrs-feltnet.pdf' },
    { type: 'ssrs', title: 'SSRS Demo Feltnet', version: '1.0', requirementIds: ['DOC-01'] },
  );
  await o.cases.transition(caseId, 'submitted', 'Dossieret er komplet.');
  mkdirSync(exportsFolder, { recursive: true });
  const submission = await o.exchange.exportPackage('submission', caseId, exportsFolder, {
    identityId: ownerSigning,
  });

  // The authority's side: received, assessed, decided and answered.
  await a.exchange.importPackage(submission.file, { expect: 'submission' });
  for (const to of ['intake', 'under_review', 'decision_pending'] as const) {
    if (to === 'decision_pending') {
      await judgeAll(a.cases, caseId);
    }
    await a.cases.transition(caseId, to, 'Demo: sagen behandles.');
  }
  await a.decisions.issueDecision(caseId, {
    type: 'full_approval',
    identityId: authoritySigning,
    language: 'da',
    reason: 'Systemet opfylder kravene; ingen restrisici ud over de accepterede.',
    conditions: [],
  });
  await a.cases.transition(caseId, 'in_force', 'Afgørelsen er meddelt systemejeren.');
  const decision = await a.exchange.exportPackage('decision', caseId, exportsFolder, {
    identityId: authoritySigning,
  });
  await o.exchange.importPackage(decision.file, { expect: 'decision' });
  return { 'submission-package': submission.file, 'decision-package': decision.file };
}
