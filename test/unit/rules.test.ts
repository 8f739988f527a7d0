import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClassificationScheme, parseScheme } from '../../shared/classification';
import { checkSystem, type RuleInput } from '../../shared/rules';
import { projectRoot } from '../helpers/context';

const parsed = parseScheme(
  JSON.parse(
    readFileSync(join(projectRoot, 'resources', 'classification', 'default-scheme.json'), 'utf8'),
  ),
);
if (!parsed.ok) {
  throw new Error('default scheme invalid');
}
const scheme = new ClassificationScheme(parsed.scheme);

function base(): RuleInput {
  return {
    system: {
      id: 's',
      mode: 'system_high',
      levels: [{ domain: 'nato', level: 'SECRET' }],
      minClearance: 'SECRET',
    },
    sites: [
      { id: 'site-s', name: 'Bunker', maxLevel: 'SECRET' },
      { id: 'site-r', name: 'Office', maxLevel: 'RESTRICTED' },
    ],
    products: [
      {
        id: 'p-s',
        name: 'CryptoBox S',
        maxLevel: 'SECRET',
        domain: 'nato',
        expiresOn: '2030-01-01',
      },
      {
        id: 'p-r',
        name: 'CryptoBox R',
        maxLevel: 'RESTRICTED',
        domain: 'nato',
        expiresOn: '2030-01-01',
      },
      { id: 'p-old', name: 'Old Box', maxLevel: 'SECRET', domain: 'nato', expiresOn: '2020-01-01' },
      { id: 'p-eu', name: 'EU Box', maxLevel: 'SECRET', domain: 'eu', expiresOn: null },
    ],
    components: [],
    interconnections: [],
    people: [],
    today: '2026-11-27',
  };
}

type Mutate = (i: RuleInput) => void;
const comp = (over: Partial<RuleInput['components'][number]>) => ({
  id: 'c',
  product: 'PC',
  level: 'SECRET',
  siteId: 'site-s',
  crypto: false,
  approvedProductId: null,
  ...over,
});
const link = (over: Partial<RuleInput['interconnections'][number]>) => ({
  id: 'i',
  peer: 'Other',
  localLevel: 'SECRET',
  peerLevel: 'SECRET',
  domain: 'nato' as const,
  boundaryDevice: '',
  boundaryProductId: null,
  approvalStatus: 'approved',
  validUntil: '2030-01-01',
  ...over,
});
const person = (clearances: RuleInput['people'][number]['clearances']) => ({
  id: 'p',
  name: 'Ole',
  clearances,
});

const cases: [string, Mutate, string[]][] = [
  ['a sound system', () => undefined, []],
  ['component at its site level', (i) => i.components.push(comp({})), []],
  [
    'component above its site',
    (i) => i.components.push(comp({ siteId: 'site-r' })),
    ['COMPONENT_ABOVE_SITE'],
  ],
  ['component without a site', (i) => i.components.push(comp({ siteId: null })), []],
  [
    'component above every level of its system',
    (i) => i.components.push(comp({ siteId: null, level: 'TOP_SECRET' })),
    ['COMPONENT_ABOVE_SYSTEM'],
  ],
  [
    "interconnection's local end above its system",
    (i) => i.interconnections.push(link({ localLevel: 'TOP_SECRET', peerLevel: 'TOP_SECRET' })),
    ['INTERCONNECTION_ABOVE_SYSTEM'],
  ],
  [
    'interconnection in a domain its system does not hold',
    (i) => i.interconnections.push(link({ domain: 'eu' })),
    ['INTERCONNECTION_ABOVE_SYSTEM'],
  ],
  [
    'crypto on an approved product',
    (i) => i.components.push(comp({ crypto: true, approvedProductId: 'p-s' })),
    [],
  ],
  [
    'crypto above its product',
    (i) => i.components.push(comp({ crypto: true, approvedProductId: 'p-r' })),
    ['COMPONENT_ABOVE_PRODUCT'],
  ],
  [
    'crypto without a product',
    (i) => i.components.push(comp({ crypto: true })),
    ['CRYPTO_WITHOUT_PRODUCT'],
  ],
  [
    'product expired',
    (i) => i.components.push(comp({ approvedProductId: 'p-old' })),
    ['PRODUCT_EXPIRED'],
  ],
  [
    'product for another domain',
    (i) => i.components.push(comp({ approvedProductId: 'p-eu' })),
    ['PRODUCT_WRONG_DOMAIN'],
  ],
  ['same-level interconnection without boundary', (i) => i.interconnections.push(link({})), []],
  [
    'cross-level interconnection without boundary',
    (i) => i.interconnections.push(link({ peerLevel: 'RESTRICTED' })),
    ['INTERCONNECTION_NEEDS_BOUNDARY'],
  ],
  [
    'cross-level interconnection with a named device',
    (i) =>
      i.interconnections.push(link({ peerLevel: 'RESTRICTED', boundaryDevice: 'Data diode X' })),
    [],
  ],
  [
    'cross-level with an approved boundary product',
    (i) => i.interconnections.push(link({ peerLevel: 'RESTRICTED', boundaryProductId: 'p-s' })),
    [],
  ],
  [
    'boundary product below the higher side',
    (i) => i.interconnections.push(link({ peerLevel: 'RESTRICTED', boundaryProductId: 'p-r' })),
    ['BOUNDARY_BELOW_LEVEL'],
  ],
  [
    'interconnection approval lapsed',
    (i) => i.interconnections.push(link({ validUntil: '2026-01-01' })),
    ['INTERCONNECTION_APPROVAL_LAPSED'],
  ],
  [
    'pending interconnection past its date is not "lapsed"',
    (i) => i.interconnections.push(link({ approvalStatus: 'pending', validUntil: '2026-01-01' })),
    [],
  ],
  [
    'system-high with minimum clearance below the level',
    (i) => (i.system.minClearance = 'CONFIDENTIAL'),
    ['MIN_CLEARANCE_BELOW_LEVEL'],
  ],
  [
    'dedicated with no minimum clearance',
    (i) => ((i.system.mode = 'dedicated'), (i.system.minClearance = null)),
    ['MIN_CLEARANCE_BELOW_LEVEL'],
  ],
  [
    'multilevel may have a lower minimum',
    (i) => ((i.system.mode = 'multilevel'), (i.system.minClearance = 'RESTRICTED')),
    [],
  ],
  [
    'person cleared at the minimum',
    (i) => i.people.push(person([{ level: 'SECRET', domain: 'nato', expiresOn: '2028-01-01' }])),
    [],
  ],
  [
    'person cleared above the minimum',
    (i) =>
      i.people.push(person([{ level: 'TOP_SECRET', domain: 'nato', expiresOn: '2028-01-01' }])),
    [],
  ],
  [
    'person below the minimum',
    (i) =>
      i.people.push(person([{ level: 'CONFIDENTIAL', domain: 'nato', expiresOn: '2028-01-01' }])),
    ['CLEARANCE_BELOW_MINIMUM'],
  ],
  [
    'person with only expired clearances',
    (i) => i.people.push(person([{ level: 'SECRET', domain: 'nato', expiresOn: '2025-01-01' }])),
    ['CLEARANCE_EXPIRED'],
  ],
  [
    'person cleared only for another domain',
    (i) => i.people.push(person([{ level: 'SECRET', domain: 'eu', expiresOn: '2028-01-01' }])),
    ['CLEARANCE_NO_DOMAIN'],
  ],
  ['person with no clearance at all', (i) => i.people.push(person([])), ['CLEARANCE_NO_DOMAIN']],
  [
    'expiry on the day itself still counts',
    (i) => i.people.push(person([{ level: 'SECRET', domain: 'nato', expiresOn: '2026-11-27' }])),
    [],
  ],
];

describe('consistency rules', () => {
  it.each(cases)('%s', (_name, mutate, expected) => {
    const input = base();
    mutate(input);
    expect(checkSystem(input, scheme).map((v) => v.code)).toEqual(expected);
  });

  it('says what each violation is about: the entity, its id and the values in its message', () => {
    const all = (mutate: Mutate) => {
      const input = base();
      mutate(input);
      return checkSystem(input, scheme);
    };
    expect(all((i) => i.components.push(comp({ crypto: true, approvedProductId: 'p-r' })))).toEqual(
      [
        {
          code: 'COMPONENT_ABOVE_PRODUCT',
          entity: 'component',
          entityId: 'c',
          params: { product: 'CryptoBox R', level: 'SECRET', productLevel: 'RESTRICTED' },
        },
      ],
    );
    expect(all((i) => i.components.push(comp({ crypto: true })))).toEqual([
      {
        code: 'CRYPTO_WITHOUT_PRODUCT',
        entity: 'component',
        entityId: 'c',
        params: { component: 'PC' },
      },
    ]);
    expect(all((i) => i.components.push(comp({ approvedProductId: 'p-old' })))).toEqual([
      {
        code: 'PRODUCT_EXPIRED',
        entity: 'component',
        entityId: 'c',
        params: { product: 'Old Box', expiresOn: '2020-01-01' },
      },
    ]);
    expect(all((i) => i.components.push(comp({ approvedProductId: 'p-eu' })))).toEqual([
      {
        code: 'PRODUCT_WRONG_DOMAIN',
        entity: 'component',
        entityId: 'c',
        params: { product: 'EU Box', domain: 'eu' },
      },
    ]);
    expect(all((i) => i.interconnections.push(link({ peerLevel: 'RESTRICTED' })))).toEqual([
      {
        code: 'INTERCONNECTION_NEEDS_BOUNDARY',
        entity: 'interconnection',
        entityId: 'i',
        params: { peer: 'Other', localLevel: 'SECRET', peerLevel: 'RESTRICTED' },
      },
    ]);
    // The boundary is judged against the higher side, whichever side that is.
    for (const [localLevel, peerLevel] of [
      ['SECRET', 'RESTRICTED'],
      ['RESTRICTED', 'SECRET'],
    ]) {
      expect(
        all((i) =>
          i.interconnections.push(link({ localLevel, peerLevel, boundaryProductId: 'p-r' })),
        ),
      ).toEqual([
        {
          code: 'BOUNDARY_BELOW_LEVEL',
          entity: 'interconnection',
          entityId: 'i',
          params: { product: 'CryptoBox R', level: 'SECRET', productLevel: 'RESTRICTED' },
        },
      ]);
    }
    expect(all((i) => i.interconnections.push(link({ validUntil: '2026-01-01' })))).toEqual([
      {
        code: 'INTERCONNECTION_APPROVAL_LAPSED',
        entity: 'interconnection',
        entityId: 'i',
        params: { peer: 'Other', validUntil: '2026-01-01' },
      },
    ]);
    // On the day itself a product or an interconnection approval still holds.
    expect(
      all((i) => {
        i.products.push({
          id: 'p-t',
          name: 'T',
          maxLevel: 'SECRET',
          domain: 'nato',
          expiresOn: i.today,
        });
        i.components.push(comp({ approvedProductId: 'p-t' }));
        i.interconnections.push(link({ validUntil: i.today }));
      }),
    ).toEqual([]);
  });

  it('names the entity so the UI can show the violation where it occurs', () => {
    const input = base();
    input.components.push(comp({ id: 'comp-42', siteId: 'site-r' }));
    expect(checkSystem(input, scheme)[0]).toMatchObject({
      entity: 'component',
      entityId: 'comp-42',
      params: { site: 'Office' },
    });
  });
});

describe('classification scheme', () => {
  it('holds the four Danish, NATO and EU levels with their equivalences', () => {
    expect(scheme.levels.map((l) => l.code)).toEqual([
      'RESTRICTED',
      'CONFIDENTIAL',
      'SECRET',
      'TOP_SECRET',
    ]);
    expect(scheme.equivalents('SECRET')).toEqual({
      national: 'HEMMELIGT',
      nato: 'NATO SECRET',
      eu: 'SECRET UE/EU SECRET',
      bilateral: 'HEMMELIGT',
    });
    expect(scheme.label('TOP_SECRET', 'nato')).toBe('COSMIC TOP SECRET');
    expect(scheme.label('RESTRICTED', 'national')).toBe('TIL TJENESTEBRUG');
    expect(scheme.label('TOP_SECRET', 'eu')).toBe('TRÈS SECRET UE/EU TOP SECRET');
  });

  it('shows the highest marking with every domain present at that rank', () => {
    expect(
      scheme.highestMarking([
        { domain: 'national', level: 'CONFIDENTIAL' },
        { domain: 'nato', level: 'SECRET' },
        { domain: 'national', level: 'SECRET' },
      ])?.text,
    ).toBe('HEMMELIGT / NATO SECRET');
    expect(scheme.highestMarking([])).toBeNull();
  });

  it.each([
    ['not an object', 42, ''],
    [
      'a duplicate code',
      { ...parsed.scheme, levels: [parsed.scheme.levels[0], parsed.scheme.levels[0]] },
      'levels.1.code',
    ],
    [
      'unreadable banner colours',
      {
        ...parsed.scheme,
        levels: [
          { ...parsed.scheme.levels[0], banner: { background: '#ffffff', foreground: '#eeeeee' } },
        ],
      },
      'levels.0.banner',
    ],
    [
      'a bad colour',
      {
        ...parsed.scheme,
        levels: [
          { ...parsed.scheme.levels[0], banner: { background: 'blue', foreground: '#000000' } },
        ],
      },
      'levels.0.banner.background',
    ],
    [
      'a missing NATO label',
      {
        ...parsed.scheme,
        levels: [
          { ...parsed.scheme.levels[0], labels: { national: 'X', eu: 'Y', bilateral: 'Z' } },
        ],
      },
      'levels.0.labels.nato',
    ],
    ['no levels', { ...parsed.scheme, levels: [] }, 'levels'],
  ])('refuses a scheme with %s, naming the path', (_name, input, path) => {
    const result = parseScheme(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issues.map((i) => i.path)).toContain(path);
    }
  });
});
