/**
 * What an approval covers against what its system now is: an information domain it did not cover,
 * a level raised above the one it approved (of the system, of a component it runs, of an
 * interconnection's local end), a site or an interconnection it did not name. Each is a
 * significant change that calls for a re-accreditation; the system page lists them and the
 * dashboard flags the system while no re-accreditation is under way.
 */
/** A level the system holds in one information domain. */
export interface SystemLevel {
  domain: string;
  level: string;
}

export interface ApprovalScope {
  levels: SystemLevel[];
  sites: string[];
  interconnections: string[];
}

export interface SystemNow {
  levels: SystemLevel[];
  sites: { name: string }[];
  interconnections: { id: string; peer: string; localLevel?: string; domain?: string }[];
  /** What its components handle (a component names no domain). */
  components?: { product: string; level: string }[];
}

export interface SignificantChange {
  kind: 'interconnection' | 'site' | 'level';
  label: string;
}

/** The changes outside `approval`, levels compared by `rank` (the scheme in force). */
export function outsideApproval(
  approval: ApprovalScope,
  now: SystemNow,
  rank: (level: string) => number,
): SignificantChange[] {
  const top = Math.max(0, ...approval.levels.map((l) => rank(l.level)));
  const above = (level: string, domain?: string) => {
    const approved = domain ? approval.levels.find((l) => l.domain === domain) : undefined;
    return rank(level) > (approved ? rank(approved.level) : top);
  };
  return [
    ...now.levels
      .filter((l) => {
        const old = approval.levels.find((b) => b.domain === l.domain);
        return !old || rank(l.level) > rank(old.level);
      })
      .map((l) => ({ kind: 'level' as const, label: `${l.domain}: ${l.level}` })),
    ...(now.components ?? [])
      .filter((c) => above(c.level))
      .map((c) => ({ kind: 'level' as const, label: `${c.product}: ${c.level}` })),
    ...now.interconnections
      // One it did not name is listed as such below.
      .filter((x) => approval.interconnections.includes(x.id))
      .filter((x) => x.localLevel !== undefined && above(x.localLevel, x.domain))
      .map((x) => ({ kind: 'level' as const, label: `${x.peer}: ${x.localLevel}` })),
    ...now.sites
      .filter((x) => !approval.sites.includes(x.name))
      .map((x) => ({ kind: 'site' as const, label: x.name })),
    ...now.interconnections
      .filter((x) => !approval.interconnections.includes(x.id))
      .map((x) => ({ kind: 'interconnection' as const, label: x.peer })),
  ];
}

/**
 * The levels a system holds once an owner's submission declares `declared` for it: per domain the
 * higher of what is held and what is declared, a domain only declared added. Null when nothing is
 * raised. An owner may raise what the authority records of its system (a raise is only stricter),
 * never lower it (round 20v: a system raised to SECRET in the owner's vault stayed RESTRICTED at
 * the authority, and one accreditor approved it alone).
 */
export function raisedBy(
  held: SystemLevel[],
  declared: SystemLevel[],
  rank: (level: string) => number,
): SystemLevel[] | null {
  const after = held.map((l) => ({ ...l }));
  let raised = false;
  for (const d of declared) {
    const mine = after.find((l) => l.domain === d.domain);
    if (!mine) {
      after.push({ domain: d.domain, level: d.level });
      raised = true;
    } else if (rank(d.level) > rank(mine.level)) {
      mine.level = d.level;
      raised = true;
    }
  }
  return raised ? after : null;
}
