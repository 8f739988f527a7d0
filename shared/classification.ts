/**
 * Classification schemes as data: levels with rank, labels and abbreviations per information
 * domain (national, NATO, EU, bilateral), banner colours. Levels of equal rank across domains
 * are equivalent (the equivalence table). The shipped scheme lives in resources/; a user may
 * import another, which is parsed here and refused with the exact problems when malformed.
 */
import { z } from 'zod';

export const DOMAINS = ['national', 'nato', 'eu', 'bilateral'] as const;
export type InfoDomain = (typeof DOMAINS)[number];
export const DomainSchema = z.enum(DOMAINS);

const Colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #1f5fa8');
const PerDomain = z.object({
  national: z.string().trim().min(1).max(80),
  nato: z.string().trim().min(1).max(80),
  eu: z.string().trim().min(1).max(80),
  bilateral: z.string().trim().min(1).max(80),
});

export const LevelSchema = z
  .object({
    code: z.string().regex(/^[A-Z][A-Z_]{1,30}$/, 'upper-case letters and underscores'),
    rank: z.number().int().min(1).max(20),
    labels: PerDomain.strict(),
    abbreviations: PerDomain.strict(),
    banner: z.object({ background: Colour, foreground: Colour }).strict(),
  })
  .strict();
export type Level = z.infer<typeof LevelSchema>;

/** Relative luminance contrast (WCAG) between two #rrggbb colours. */
export function contrastRatio(a: string, b: string): number {
  const lum = (hex: string): number => {
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (bl ?? 0);
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
}

export const SchemeSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{2,40}$/),
    version: z.string().min(1).max(40),
    name: z.object({ da: z.string().min(1).max(200), en: z.string().min(1).max(200) }).strict(),
    source: z.string().max(500).optional(),
    levels: z.array(LevelSchema).min(1).max(20),
  })
  .strict()
  .superRefine((scheme, ctx) => {
    const codes = new Set<string>();
    const ranks = new Set<number>();
    scheme.levels.forEach((level, i) => {
      if (codes.has(level.code)) {
        ctx.addIssue({
          code: 'custom',
          path: ['levels', i, 'code'],
          message: `duplicate code ${level.code}`,
        });
      }
      if (ranks.has(level.rank)) {
        ctx.addIssue({
          code: 'custom',
          path: ['levels', i, 'rank'],
          message: `duplicate rank ${level.rank}`,
        });
      }
      codes.add(level.code);
      ranks.add(level.rank);
      if (contrastRatio(level.banner.background, level.banner.foreground) < 4.5) {
        ctx.addIssue({
          code: 'custom',
          path: ['levels', i, 'banner'],
          message: 'banner text must contrast with its background (at least 4.5:1)',
        });
      }
    });
  });
export type Scheme = z.infer<typeof SchemeSchema>;

export class ClassificationScheme {
  readonly levels: readonly Level[];
  private readonly byCode: Map<string, Level>;

  constructor(readonly scheme: Scheme) {
    this.levels = [...scheme.levels].sort((a, b) => a.rank - b.rank);
    this.byCode = new Map(this.levels.map((l) => [l.code, l]));
  }

  level(code: string): Level | undefined {
    return this.byCode.get(code);
  }

  rank(code: string | null | undefined): number {
    return code ? (this.byCode.get(code)?.rank ?? 0) : 0;
  }

  label(code: string, domain: InfoDomain): string {
    return this.byCode.get(code)?.labels[domain] ?? code;
  }

  /** The equivalent level in another domain is the same level: the labels differ. */
  equivalents(code: string): Record<InfoDomain, string> | null {
    const level = this.byCode.get(code);
    return level ? { ...level.labels } : null;
  }

  /**
   * The marking to show for a set of (domain, level) items: the highest rank present, with the
   * labels of every domain present at that rank ("HEMMELIGT / NATO SECRET").
   */
  highestMarking(
    items: { domain: InfoDomain; level: string }[],
  ): { code: string; text: string; background: string; foreground: string } | null {
    let top: Level | undefined;
    for (const item of items) {
      const level = this.byCode.get(item.level);
      if (level && (!top || level.rank > top.rank)) {
        top = level;
      }
    }
    if (!top) {
      return null;
    }
    const domains = DOMAINS.filter((d) =>
      items.some((i) => i.domain === d && this.byCode.get(i.level)?.rank === top.rank),
    );
    const labels = [...new Set(domains.map((d) => top.labels[d]))];
    return { code: top.code, text: labels.join(' / '), ...top.banner };
  }

  /**
   * The (domain, level) items a marking text stands for: the inverse of highestMarking ("HEMMELIGT
   * / NATO SECRET" → the national and NATO labels of one level). Empty when any part of the text
   * is no label of this scheme, or the parts are of different levels: a marking this scheme does
   * not know.
   */
  levelsOfMarking(text: string): { domain: InfoDomain; level: string }[] {
    const items: { domain: InfoDomain; level: string }[] = [];
    const ranks = new Set<number>();
    for (const label of text.split(' / ').map((l) => l.trim())) {
      const found = this.levels.flatMap((level) =>
        DOMAINS.filter((d) => level.labels[d] === label).map((domain) => ({ domain, level })),
      );
      if (!found.length) {
        return [];
      }
      for (const f of found) {
        ranks.add(f.level.rank);
        items.push({ domain: f.domain, level: f.level.code });
      }
    }
    return ranks.size === 1 ? items : [];
  }
}

/** Parses an untrusted scheme; the issues name the exact paths that are wrong. */
export function parseScheme(
  input: unknown,
): { ok: true; scheme: Scheme } | { ok: false; issues: { path: string; message: string }[] } {
  const parsed = SchemeSchema.safeParse(input);
  if (parsed.success) {
    return { ok: true, scheme: parsed.data };
  }
  return {
    ok: false,
    issues: parsed.error.issues
      .slice(0, 50)
      .map((i) => ({ path: i.path.join('.'), message: i.message })),
  };
}
