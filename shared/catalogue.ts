/**
 * Requirement catalogues as versioned data (resources/catalogues/): each requirement has an id,
 * an area, its text and rationale, applicability (minimum level, domains, security modes,
 * component kinds), expected evidence and the severity if unmet. A case freezes the catalogue
 * version it used. Imports are parsed here and refused with exact paths; `diffCatalogues`
 * says what changed between two versions.
 */
import { z } from 'zod';
import { DomainSchema, type ClassificationScheme, type InfoDomain } from './classification';
import { COMPONENT_KINDS, MODES } from './register';

export const SEVERITIES = ['critical', 'major', 'minor'] as const;

const Applicability = z
  .object({
    /** The lowest level (code) at which the requirement applies; null = every level. */
    minLevel: z
      .string()
      .regex(/^[A-Z][A-Z_]{1,30}$/)
      .nullable(),
    /** Empty = every domain. */
    domains: z.array(DomainSchema).max(4),
    /** Empty = every mode. */
    modes: z.array(z.enum(MODES)).max(4),
    /** Empty = regardless of components; otherwise only when the system has one of these kinds. */
    componentKinds: z.array(z.enum(COMPONENT_KINDS)).max(COMPONENT_KINDS.length),
  })
  .strict();

export const RequirementSchema = z
  .object({
    id: z.string().regex(/^[A-Z]{2,5}-\d{2,3}$/, 'an id like PER-01'),
    area: z.string().regex(/^[A-Z]{2,5}$/),
    text: z.string().trim().min(10).max(2000),
    rationale: z.string().trim().max(2000),
    applicability: Applicability,
    evidence: z.array(z.string().regex(/^[a-z_]{2,40}$/)).max(20),
    severity: z.enum(SEVERITIES),
    source: z.string().max(500).optional(),
    /** The text (and rationale) in the other language of the interface. */
    translations: z
      .partialRecord(
        z.enum(['da', 'en']),
        z
          .object({
            text: z.string().trim().min(10).max(2000),
            rationale: z.string().trim().max(2000).optional(),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();
export type Requirement = z.infer<typeof RequirementSchema>;

export const CatalogueSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{2,60}$/),
    version: z.string().regex(/^[0-9A-Za-z.+-]{1,40}$/),
    name: z.object({ da: z.string().min(1).max(200), en: z.string().min(1).max(200) }).strict(),
    language: z.enum(['da', 'en']),
    areas: z
      .array(
        z
          .object({
            code: z.string().regex(/^[A-Z]{2,5}$/),
            key: z.string().regex(/^[a-z_]{2,40}$/),
          })
          .strict(),
      )
      .min(1)
      .max(40),
    requirements: z.array(RequirementSchema).min(1).max(2000),
  })
  .strict()
  .superRefine((cat, ctx) => {
    const areas = new Set(cat.areas.map((a) => a.code));
    const ids = new Set<string>();
    cat.requirements.forEach((r, i) => {
      if (ids.has(r.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['requirements', i, 'id'],
          message: `duplicate id ${r.id}`,
        });
      }
      ids.add(r.id);
      if (!areas.has(r.area)) {
        ctx.addIssue({
          code: 'custom',
          path: ['requirements', i, 'area'],
          message: `unknown area ${r.area}`,
        });
      }
      if (!r.id.startsWith(`${r.area}-`)) {
        ctx.addIssue({
          code: 'custom',
          path: ['requirements', i, 'id'],
          message: `id ${r.id} does not belong to area ${r.area}`,
        });
      }
    });
  });
export type Catalogue = z.infer<typeof CatalogueSchema>;

export function parseCatalogue(
  input: unknown,
): { ok: true; catalogue: Catalogue } | { ok: false; issues: { path: string; message: string }[] } {
  const parsed = CatalogueSchema.safeParse(input);
  return parsed.success
    ? { ok: true, catalogue: parsed.data }
    : {
        ok: false,
        issues: parsed.error.issues
          .slice(0, 100)
          .map((i) => ({ path: i.path.join('.'), message: i.message })),
      };
}

/** What the applicability rules look at in a system. */
export interface SystemProfile {
  levels: { domain: InfoDomain; level: string }[];
  mode: (typeof MODES)[number];
  componentKinds: string[];
}

/** Whether a requirement applies to a system (its highest level, domains, mode, components). */
export function applies(
  requirement: Requirement,
  system: SystemProfile,
  scheme: ClassificationScheme,
): boolean {
  const a = requirement.applicability;
  const relevant =
    a.domains.length === 0
      ? system.levels
      : system.levels.filter((l) => a.domains.includes(l.domain));
  if (relevant.length === 0) {
    return false;
  }
  if (a.minLevel !== null) {
    const top = Math.max(...relevant.map((l) => scheme.rank(l.level)));
    if (top < scheme.rank(a.minLevel)) {
      return false;
    }
  }
  if (a.modes.length > 0 && !a.modes.includes(system.mode)) {
    return false;
  }
  if (
    a.componentKinds.length > 0 &&
    !a.componentKinds.some((k) => system.componentKinds.includes(k))
  ) {
    return false;
  }
  return true;
}

export function applicableRequirements(
  catalogue: Catalogue,
  system: SystemProfile,
  scheme: ClassificationScheme,
): Requirement[] {
  return catalogue.requirements.filter((r) => applies(r, system, scheme));
}

export interface CatalogueDiff {
  added: string[];
  removed: string[];
  /** Requirements whose text, applicability, evidence or severity changed, with the fields. */
  changed: { id: string; fields: string[] }[];
}

export function diffCatalogues(before: Catalogue, after: Catalogue): CatalogueDiff {
  const old = new Map(before.requirements.map((r) => [r.id, r]));
  const next = new Map(after.requirements.map((r) => [r.id, r]));
  const fields = ['area', 'text', 'rationale', 'applicability', 'evidence', 'severity'] as const;
  return {
    added: [...next.keys()].filter((id) => !old.has(id)),
    removed: [...old.keys()].filter((id) => !next.has(id)),
    changed: [...next.values()]
      .filter((r) => old.has(r.id))
      .map((r) => ({
        id: r.id,
        fields: fields.filter((f) => JSON.stringify(r[f]) !== JSON.stringify(old.get(r.id)?.[f])),
      }))
      .filter((c) => c.fields.length > 0),
  };
}
