import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  applicableRequirements,
  diffCatalogues,
  parseCatalogue,
  type Catalogue,
  type SystemProfile,
} from '../../shared/catalogue';
import { ClassificationScheme } from '../../shared/classification';
import { defaultScheme } from '../../electron/areas/register/use-cases';
import { projectRoot } from '../helpers/context';

const raw = JSON.parse(
  readFileSync(join(projectRoot, 'resources', 'catalogues', 'baseline-2026.1.json'), 'utf8'),
) as unknown;
const parsed = parseCatalogue(raw);
if (!parsed.ok) {
  throw new Error(JSON.stringify(parsed.issues));
}
const baseline: Catalogue = parsed.catalogue;
const scheme = new ClassificationScheme(defaultScheme());

describe('baseline catalogue', () => {
  it('has at least 70 requirements and covers every area of docs/domain.md', () => {
    expect(baseline.requirements.length).toBeGreaterThanOrEqual(70);
    const areas = new Set(baseline.requirements.map((r) => r.area));
    for (const area of [
      'PER',
      'PHY',
      'TEM',
      'CRY',
      'IAA',
      'ACC',
      'AUD',
      'MAL',
      'CFG',
      'MED',
      'ICN',
      'INC',
      'BCP',
      'DSP',
      'DOC',
    ]) {
      expect(areas, area).toContain(area);
    }
  });

  it('gives every requirement text, rationale, expected evidence and a severity', () => {
    for (const r of baseline.requirements) {
      expect(r.text.length, r.id).toBeGreaterThan(20);
      expect(r.rationale.length, r.id).toBeGreaterThan(10);
      expect(r.evidence.length, r.id).toBeGreaterThan(0);
    }
  });
});

describe('translations', () => {
  it('gives every requirement a Danish text of its own (not the English one copied)', () => {
    for (const r of baseline.requirements) {
      const da = r.translations?.da?.text ?? '';
      expect(da.length, r.id).toBeGreaterThan(20);
      expect(da, r.id).not.toBe(r.text);
    }
  });
});

describe('applicability', () => {
  const ids = (system: SystemProfile) =>
    applicableRequirements(baseline, system, scheme).map((r) => r.id);

  it('a NATO SECRET system-high system with crypto gets the TEMPEST and crypto requirements', () => {
    const got = ids({
      levels: [{ domain: 'nato', level: 'SECRET' }],
      mode: 'system_high',
      componentKinds: ['crypto_device', 'server'],
    });
    expect(got.filter((id) => id.startsWith('TEM-'))).toHaveLength(5);
    expect(got.filter((id) => id.startsWith('CRY-'))).toHaveLength(5);
    expect(got).toContain('ACC-02'); // need-to-know enforcement in system-high
    expect(got).not.toContain('ACC-06'); // label enforcement is for compartmented/multilevel
  });

  it('a national TIL TJENESTEBRUG system does not get TEMPEST zoning', () => {
    const got = ids({
      levels: [{ domain: 'national', level: 'RESTRICTED' }],
      mode: 'dedicated',
      componentKinds: ['workstation'],
    });
    expect(got.filter((id) => id.startsWith('TEM-'))).toEqual([]);
    expect(got).toContain('CRY-01'); // links leaving the area are still encrypted
    expect(got).not.toContain('CRY-02'); // no crypto devices: no device-specific crypto requirements
    expect(got).not.toContain('ACC-02'); // dedicated mode
  });

  it('the highest level in any domain counts, and component kinds switch requirements on', () => {
    const mixed = ids({
      levels: [
        { domain: 'national', level: 'RESTRICTED' },
        { domain: 'eu', level: 'CONFIDENTIAL' },
      ],
      mode: 'multilevel',
      componentKinds: ['boundary_device'],
    });
    expect(mixed).toContain('TEM-01');
    expect(mixed).toContain('ACC-06');
    expect(mixed).toContain('DOC-07');
    expect(mixed).not.toContain('SUP-02'); // from SECRET up
  });
});

describe('catalogue import', () => {
  it.each([
    ['not an object', 'x', ''],
    ['no requirements', { ...baseline, requirements: [] }, 'requirements'],
    [
      'a duplicate id',
      { ...baseline, requirements: [baseline.requirements[0], baseline.requirements[0]] },
      'requirements.1.id',
    ],
    [
      'an unknown area',
      { ...baseline, requirements: [{ ...baseline.requirements[0], area: 'XYZ', id: 'XYZ-01' }] },
      'requirements.0.area',
    ],
    [
      'an id outside its area',
      { ...baseline, requirements: [{ ...baseline.requirements[0], id: 'PHY-09' }] },
      'requirements.0.id',
    ],
    [
      'a bad severity',
      { ...baseline, requirements: [{ ...baseline.requirements[0], severity: 'fatal' }] },
      'requirements.0.severity',
    ],
    [
      'an unknown mode',
      {
        ...baseline,
        requirements: [
          {
            ...baseline.requirements[0],
            applicability: { minLevel: null, domains: [], modes: ['paranoid'], componentKinds: [] },
          },
        ],
      },
      'requirements.0.applicability.modes.0',
    ],
    [
      'an extra field',
      { ...baseline, requirements: [{ ...baseline.requirements[0], secret: true }] },
      'requirements.0',
    ],
  ])('refuses %s, naming the path', (_name, input, path) => {
    const result = parseCatalogue(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issues.map((i) => i.path)).toContain(path);
    }
  });

  it('says what changed between two versions', () => {
    const next: Catalogue = {
      ...baseline,
      version: '2026.2',
      requirements: [
        ...baseline.requirements
          .filter((r) => r.id !== 'APP-02')
          .map((r) =>
            r.id === 'PER-01'
              ? { ...r, severity: 'major' as const, text: `${r.text} Revised.` }
              : r,
          ),
        {
          ...baseline.requirements[0]!,
          id: 'PER-06',
          text: 'A new personnel requirement written for the test.',
        },
      ],
    };
    expect(diffCatalogues(baseline, next)).toEqual({
      added: ['PER-06'],
      removed: ['APP-02'],
      changed: [{ id: 'PER-01', fields: ['text', 'severity'] }],
    });
  });
});
