/**
 * Consistency rules of the register (pure; table-tested). Each violation names the entity it
 * concerns so the UI shows it where the user works (on the component, the interconnection,
 * the person), not only in a report.
 *
 * - A component may not handle a higher level than its site is approved for, nor than the
 *   approved product it relies on; that product must be valid and for the right domain.
 * - A component may not handle, nor an interconnection's local end hold, a level above what the
 *   system is registered to hold (in the interconnection's domain): the system's levels are what
 *   its approval and four eyes are judged by.
 * - An interconnection between different levels needs a boundary device; an approved boundary
 *   product must cover the higher side.
 * - In dedicated and system-high mode every user must be cleared for everything on the system:
 *   the minimum clearance must reach the system's highest level.
 * - A person assigned to the system whose clearance is below the system's minimum, expired, or
 *   for no domain the system holds is flagged.
 */
import type { ClassificationScheme, InfoDomain } from './classification';

export const RULE_CODES = [
  'COMPONENT_ABOVE_SITE',
  'COMPONENT_ABOVE_SYSTEM',
  'INTERCONNECTION_ABOVE_SYSTEM',
  'COMPONENT_ABOVE_PRODUCT',
  'PRODUCT_EXPIRED',
  'PRODUCT_WRONG_DOMAIN',
  'CRYPTO_WITHOUT_PRODUCT',
  'INTERCONNECTION_NEEDS_BOUNDARY',
  'BOUNDARY_BELOW_LEVEL',
  'INTERCONNECTION_APPROVAL_LAPSED',
  'MIN_CLEARANCE_BELOW_LEVEL',
  'CLEARANCE_BELOW_MINIMUM',
  'CLEARANCE_EXPIRED',
  'CLEARANCE_NO_DOMAIN',
] as const;
export type RuleCode = (typeof RULE_CODES)[number];

export interface Violation {
  code: RuleCode;
  entity: 'system' | 'component' | 'interconnection' | 'person';
  entityId: string;
  params: Record<string, string>;
}

export interface RuleProduct {
  id: string;
  name: string;
  maxLevel: string;
  domain: InfoDomain;
  expiresOn: string | null;
}

export interface RuleInput {
  system: {
    id: string;
    mode: 'dedicated' | 'system_high' | 'compartmented' | 'multilevel';
    levels: { domain: InfoDomain; level: string }[];
    minClearance: string | null;
  };
  sites: { id: string; name: string; maxLevel: string }[];
  products: RuleProduct[];
  components: {
    id: string;
    product: string;
    level: string;
    siteId: string | null;
    crypto: boolean;
    approvedProductId: string | null;
  }[];
  interconnections: {
    id: string;
    peer: string;
    localLevel: string;
    peerLevel: string;
    domain: InfoDomain;
    boundaryDevice: string;
    boundaryProductId: string | null;
    approvalStatus: string;
    validUntil: string | null;
  }[];
  people: {
    id: string;
    name: string;
    clearances: { level: string; domain: InfoDomain; expiresOn: string }[];
  }[];
  /** YYYY-MM-DD */
  today: string;
}

export function checkSystem(input: RuleInput, scheme: ClassificationScheme): Violation[] {
  const out: Violation[] = [];
  const { system, today } = input;
  const rank = (code: string | null) => scheme.rank(code);
  const systemTop = Math.max(0, ...system.levels.map((l) => rank(l.level)));
  const systemDomains = new Set(system.levels.map((l) => l.domain));
  const sites = new Map(input.sites.map((s) => [s.id, s]));
  const products = new Map(input.products.map((p) => [p.id, p]));

  const checkProduct = (
    entity: 'component' | 'interconnection',
    entityId: string,
    product: RuleProduct,
    level: string,
    domains: InfoDomain[],
  ) => {
    if (rank(level) > rank(product.maxLevel)) {
      out.push({
        code: entity === 'component' ? 'COMPONENT_ABOVE_PRODUCT' : 'BOUNDARY_BELOW_LEVEL',
        entity,
        entityId,
        params: { product: product.name, level, productLevel: product.maxLevel },
      });
    }
    if (product.expiresOn !== null && product.expiresOn < today) {
      out.push({
        code: 'PRODUCT_EXPIRED',
        entity,
        entityId,
        params: { product: product.name, expiresOn: product.expiresOn },
      });
    }
    if (!domains.includes(product.domain)) {
      out.push({
        code: 'PRODUCT_WRONG_DOMAIN',
        entity,
        entityId,
        params: { product: product.name, domain: product.domain },
      });
    }
  };

  const levelIn = (domain: InfoDomain) => {
    const held = system.levels.find((l) => l.domain === domain);
    return held ? rank(held.level) : 0;
  };
  for (const c of input.components) {
    if (rank(c.level) > systemTop) {
      out.push({
        code: 'COMPONENT_ABOVE_SYSTEM',
        entity: 'component',
        entityId: c.id,
        params: { component: c.product, level: c.level },
      });
    }
    const site = c.siteId ? sites.get(c.siteId) : undefined;
    if (site && rank(c.level) > rank(site.maxLevel)) {
      out.push({
        code: 'COMPONENT_ABOVE_SITE',
        entity: 'component',
        entityId: c.id,
        params: { component: c.product, site: site.name, level: c.level, siteLevel: site.maxLevel },
      });
    }
    const product = c.approvedProductId ? products.get(c.approvedProductId) : undefined;
    if (product) {
      checkProduct('component', c.id, product, c.level, [...systemDomains]);
    } else if (c.crypto) {
      out.push({
        code: 'CRYPTO_WITHOUT_PRODUCT',
        entity: 'component',
        entityId: c.id,
        params: { component: c.product },
      });
    }
  }

  for (const i of input.interconnections) {
    if (rank(i.localLevel) > levelIn(i.domain)) {
      out.push({
        code: 'INTERCONNECTION_ABOVE_SYSTEM',
        entity: 'interconnection',
        entityId: i.id,
        params: { peer: i.peer, localLevel: i.localLevel, domain: i.domain },
      });
    }
    const high = rank(i.localLevel) >= rank(i.peerLevel) ? i.localLevel : i.peerLevel;
    const differs = rank(i.localLevel) !== rank(i.peerLevel);
    const product = i.boundaryProductId ? products.get(i.boundaryProductId) : undefined;
    if (differs && !product && i.boundaryDevice.trim() === '') {
      out.push({
        code: 'INTERCONNECTION_NEEDS_BOUNDARY',
        entity: 'interconnection',
        entityId: i.id,
        params: { peer: i.peer, localLevel: i.localLevel, peerLevel: i.peerLevel },
      });
    }
    if (product) {
      checkProduct('interconnection', i.id, product, high, [i.domain]);
    }
    if (i.approvalStatus === 'approved' && i.validUntil !== null && i.validUntil < today) {
      out.push({
        code: 'INTERCONNECTION_APPROVAL_LAPSED',
        entity: 'interconnection',
        entityId: i.id,
        params: { peer: i.peer, validUntil: i.validUntil },
      });
    }
  }

  if (
    (system.mode === 'dedicated' || system.mode === 'system_high') &&
    rank(system.minClearance) < systemTop
  ) {
    out.push({
      code: 'MIN_CLEARANCE_BELOW_LEVEL',
      entity: 'system',
      entityId: system.id,
      params: { mode: system.mode, minClearance: system.minClearance ?? '' },
    });
  }

  const required = rank(system.minClearance);
  for (const person of input.people) {
    const valid = person.clearances.filter((c) => c.expiresOn >= today);
    const relevant = valid.filter((c) => systemDomains.has(c.domain));
    if (person.clearances.length > 0 && valid.length === 0) {
      out.push({
        code: 'CLEARANCE_EXPIRED',
        entity: 'person',
        entityId: person.id,
        params: { person: person.name },
      });
      continue;
    }
    if (relevant.length === 0) {
      out.push({
        code: 'CLEARANCE_NO_DOMAIN',
        entity: 'person',
        entityId: person.id,
        params: { person: person.name },
      });
      continue;
    }
    const best = Math.max(...relevant.map((c) => rank(c.level)));
    if (best < required) {
      out.push({
        code: 'CLEARANCE_BELOW_MINIMUM',
        entity: 'person',
        entityId: person.id,
        params: { person: person.name, minClearance: system.minClearance ?? '' },
      });
    }
  }
  return out;
}
