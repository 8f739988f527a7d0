/**
 * The register's entities as the core and the UI exchange them (docs/domain.md): inputs are
 * zod schemas (what a form, an import or an IPC call may submit); rows are what lists return.
 * Level codes refer to the classification scheme in force; the services check them against it.
 */
import { z } from 'zod';
import { TEXT_MAX } from './limits';
import { DomainSchema } from './classification';

const Id = z.string().uuid();
const Text = (max: number) => z.string().trim().max(max);
const Required = (max: number) => z.string().trim().min(1).max(max);
const LevelCode = z.string().regex(/^[A-Z][A-Z_]{1,30}$/);
/** A calendar date as YYYY-MM-DD that exists (no 31 February) in a sane range (1950–2100). */
export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine((s) => {
    const [y, m, d] = s.split('-').map(Number) as [number, number, number];
    const date = new Date(Date.UTC(y, m - 1, d));
    return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  }, 'not a real date')
  .refine((s) => s >= '1950-01-01' && s <= '2100-12-31', 'a date between 1950 and 2100');
const OptionalDate = IsoDate.nullable().optional();
/** Two optional dates of one entry in order (either may be missing). */
const inOrder =
  <K extends string>(first: K, second: K) =>
  (v: Partial<Record<K, string | null | undefined>>) => {
    const [a, b] = [v[first], v[second]];
    return !a || !b || a <= b;
  };

export const ORG_TYPES = ['authority', 'system_owner', 'operator', 'supplier', 'other'] as const;
export const PHASES = ['planned', 'build', 'test', 'operational', 'decommissioned'] as const;
export const MODES = ['dedicated', 'system_high', 'compartmented', 'multilevel'] as const;
export const COMPONENT_KINDS = [
  'workstation',
  'server',
  'network',
  'boundary_device',
  'crypto_device',
  'storage',
  'printer',
  'mobile',
  'other',
] as const;
export const PRODUCT_KINDS = ['crypto', 'boundary_device', 'tempest_equipment'] as const;
export const DIRECTIONS = ['outbound', 'inbound', 'bidirectional'] as const;
export const APPROVAL_STATUSES = ['none', 'pending', 'approved', 'expired', 'refused'] as const;
export const RECORD_TYPES = [
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
export const RECORD_STATUSES = ['open', 'awaiting_reply', 'closed'] as const;
/** The register entries edited through one channel (systems have their own). */
export const ENTITY_KINDS = [
  'organisation',
  'person',
  'site',
  'product',
  'component',
  'interconnection',
  'record',
] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];
/** The entries that are retired rather than deleted (records close instead). */
export const RETIRABLE = [
  'organisation',
  'person',
  'site',
  'product',
  'component',
  'interconnection',
] as const;
export type Retirable = (typeof RETIRABLE)[number];

export const OrganisationInput = z
  .object({
    name: Required(200),
    type: z.enum(ORG_TYPES),
    cvr: Text(20).default(''),
    contact: Text(500).default(''),
  })
  .strict();
export type OrganisationInput = z.input<typeof OrganisationInput>;

export const ClearanceInput = z
  .object({
    level: LevelCode,
    domain: DomainSchema,
    issuingBody: Required(200),
    expiresOn: IsoDate,
  })
  .strict();

export const PersonInput = z
  .object({
    name: Required(200),
    organisationId: Id.nullable().optional(),
    email: z.union([z.literal(''), z.string().trim().email().max(200)]).default(''),
    briefedOn: OptionalDate,
    clearances: z.array(ClearanceInput).max(10).default([]),
  })
  .strict();
export type PersonInput = z.input<typeof PersonInput>;

export const SystemLevelInput = z.object({ domain: DomainSchema, level: LevelCode }).strict();

export const SystemInput = z
  .object({
    ref: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, 'letters, digits, dot, dash or underscore'),
    name: Required(TEXT_MAX.name),
    purpose: Text(TEXT_MAX.purpose).default(''),
    ownerOrgId: Id.nullable().optional(),
    operatorOrgId: Id.nullable().optional(),
    phase: z.enum(PHASES),
    mode: z.enum(MODES),
    levels: z
      .array(SystemLevelInput)
      .min(1, 'at least one information domain with its maximum level')
      .max(4)
      .refine((ls) => new Set(ls.map((l) => l.domain)).size === ls.length, 'each domain once'),
    userCount: z.number().int().min(0).max(10_000_000),
    minClearance: LevelCode.nullable().optional(),
    boundary: Text(TEXT_MAX.boundary).default(''),
    nextReview: OptionalDate,
  })
  .strict();
export type SystemInput = z.input<typeof SystemInput>;

export const SiteInput = z
  .object({
    name: Required(200),
    address: Text(500).default(''),
    areaClass: Text(80).default(''),
    maxLevel: LevelCode,
    tempestZone: Text(40).default(''),
    lastInspection: OptionalDate,
    nextInspection: OptionalDate,
  })
  .strict()
  .refine(inOrder('lastInspection', 'nextInspection'), {
    message: 'the next inspection comes after the last',
    path: ['nextInspection'],
  });
export type SiteInput = z.input<typeof SiteInput>;

export const ProductInput = z
  .object({
    name: Required(200),
    vendor: Text(200).default(''),
    version: Text(80).default(''),
    kind: z.enum(PRODUCT_KINDS),
    authority: Required(200),
    reference: Required(120),
    maxLevel: LevelCode,
    domain: DomainSchema,
    expiresOn: OptionalDate,
  })
  .strict();
export type ProductInput = z.input<typeof ProductInput>;

export const ComponentInput = z
  .object({
    systemId: Id,
    kind: z.enum(COMPONENT_KINDS),
    product: Required(200),
    version: Text(80).default(''),
    siteId: Id.nullable().optional(),
    level: LevelCode,
    tempestLevel: Text(40).default(''),
    crypto: z.boolean().default(false),
    approvedProductId: Id.nullable().optional(),
  })
  .strict();
export type ComponentInput = z.input<typeof ComponentInput>;

export const InterconnectionInput = z
  .object({
    systemId: Id,
    peerSystemId: Id.nullable().optional(),
    peerName: Text(200).default(''),
    localLevel: LevelCode,
    peerLevel: LevelCode,
    domain: DomainSchema,
    boundaryProductId: Id.nullable().optional(),
    boundaryDevice: Text(200).default(''),
    direction: z.enum(DIRECTIONS),
    approvalStatus: z.enum(APPROVAL_STATUSES),
    validUntil: OptionalDate,
  })
  .strict()
  .refine((i) => Boolean(i.peerSystemId) || i.peerName.trim() !== '', {
    message: 'name the other end',
    path: ['peerName'],
  });
export type InterconnectionInput = z.input<typeof InterconnectionInput>;

export const RecordInput = z
  .object({
    type: z.enum(RECORD_TYPES),
    title: Required(300),
    counterpart: Required(200),
    theirRef: Text(120).default(''),
    ourRef: Text(120).default(''),
    sentOn: OptionalDate,
    receivedOn: OptionalDate,
    validFrom: OptionalDate,
    validTo: OptionalDate,
    followUpDue: OptionalDate,
    markingLevel: LevelCode.nullable().optional(),
    markingDomain: DomainSchema.nullable().optional(),
    status: z.enum(RECORD_STATUSES),
    notes: Text(8000).default(''),
    systemIds: z.array(Id).max(200).default([]),
  })
  .strict()
  .refine(inOrder('validFrom', 'validTo'), {
    message: 'valid to comes after valid from',
    path: ['validTo'],
  });

/** Closing a record: what came of it, and the day. */
export const RecordClosing = z.object({ outcome: Required(2000), closedOn: IsoDate }).strict();
export type RecordClosing = z.input<typeof RecordClosing>;
export type RecordInput = z.input<typeof RecordInput>;

export const SystemFilter = z
  .object({
    search: z.string().max(200).optional(),
    domain: DomainSchema.optional(),
    level: LevelCode.optional(),
    mode: z.enum(MODES).optional(),
    phase: z.enum(PHASES).optional(),
    ownerOrgId: Id.optional(),
    sort: z.enum(['ref', 'name', 'level', 'nextReview', 'phase']).default('ref'),
    descending: z.boolean().default(false),
  })
  .strict();
export type SystemFilter = z.input<typeof SystemFilter>;

export const SystemRow = z.object({
  id: Id,
  ref: z.string(),
  name: z.string(),
  phase: z.enum(PHASES),
  mode: z.enum(MODES),
  ownerOrgId: z.string().nullable(),
  ownerName: z.string().nullable(),
  levels: z.array(z.object({ domain: DomainSchema, level: z.string() })),
  topRank: z.number(),
  userCount: z.number(),
  nextReview: z.string().nullable(),
});
export type SystemRow = z.infer<typeof SystemRow>;

export const RecordFilter = z
  .object({
    type: z.enum(RECORD_TYPES).optional(),
    status: z.enum(RECORD_STATUSES).optional(),
    systemId: Id.optional(),
    search: z.string().max(200).optional(),
    /** Only records whose follow-up is overdue or due within this many days (and not closed). */
    dueWithinDays: z.number().int().min(0).max(3650).optional(),
    /** One record, by its id. */
    id: Id.optional(),
    /** At most this many, the first in the list's order (a page of a long register). */
    limit: z.number().int().min(1).max(100_000).optional(),
  })
  .strict();
export type RecordFilter = z.input<typeof RecordFilter>;

export const RecordRow = z.object({
  id: Id,
  type: z.enum(RECORD_TYPES),
  title: z.string(),
  counterpart: z.string(),
  theirRef: z.string(),
  ourRef: z.string(),
  sentOn: z.string().nullable(),
  receivedOn: z.string().nullable(),
  validFrom: z.string().nullable(),
  validTo: z.string().nullable(),
  followUpDue: z.string().nullable(),
  markingLevel: z.string().nullable(),
  markingDomain: DomainSchema.nullable(),
  status: z.enum(RECORD_STATUSES),
  notes: z.string(),
  systemIds: z.array(z.string()),
  attachments: z.number().int(),
  overdue: z.boolean(),
  outcome: z.string(),
  closedOn: z.string().nullable(),
});
export type RecordRow = z.infer<typeof RecordRow>;
