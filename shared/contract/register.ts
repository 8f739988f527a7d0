/**
 * The register: the classification scheme, organisations, systems, people, products, sites,
 * components, interconnections and the EU/NATO records.
 */
import { z } from 'zod';
import { DomainSchema, SchemeSchema } from '../classification';
import { CASE_STATES, DECISION_TYPES } from '../lifecycle';
import {
  ComponentInput,
  InterconnectionInput,
  MODES,
  OrganisationInput,
  PersonInput,
  PHASES,
  ProductInput,
  SiteInput,
  RecordClosing,
  RecordFilter,
  RecordInput,
  RecordRow,
  RETIRABLE,
  SystemFilter,
  SystemInput,
  SystemRow,
} from '../register';
import {
  Empty,
  IdInput,
  IdOutput,
  Nullable,
  Retired,
  Uuid,
  ViolationSchema,
  invoke,
} from './common';

/** A site as lists and the system page show it. */
const SiteRow = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string(),
  areaClass: z.string(),
  maxLevel: z.string(),
  tempestZone: z.string(),
  lastInspection: Nullable,
  nextInspection: Nullable,
});

export const SystemDetailSchema = z.object({
  system: z.object({
    id: z.string(),
    ref: z.string(),
    name: z.string(),
    purpose: z.string(),
    ownerOrgId: Nullable,
    operatorOrgId: Nullable,
    phase: z.enum(PHASES),
    mode: z.enum(MODES),
    levels: z.array(z.object({ domain: DomainSchema, level: z.string() })),
    userCount: z.number(),
    minClearance: Nullable,
    boundary: z.string(),
    nextReview: Nullable,
  }),
  sites: z.array(SiteRow),
  components: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      product: z.string(),
      version: z.string(),
      siteId: Nullable,
      level: z.string(),
      tempestLevel: z.string(),
      crypto: z.boolean(),
      approvedProductId: Nullable,
    }),
  ),
  interconnections: z.array(
    z.object({
      id: z.string(),
      peerSystemId: Nullable,
      peer: z.string(),
      peerName: z.string(),
      localLevel: z.string(),
      peerLevel: z.string(),
      domain: DomainSchema,
      boundaryDevice: z.string(),
      boundaryProductId: Nullable,
      direction: z.string(),
      approvalStatus: z.string(),
      validUntil: Nullable,
    }),
  ),
  products: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      maxLevel: z.string(),
      domain: DomainSchema,
      expiresOn: Nullable,
    }),
  ),
  people: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      role: z.string(),
      clearances: z.array(
        z.object({ level: z.string(), domain: DomainSchema, expiresOn: z.string() }),
      ),
    }),
  ),
  records: z.array(RecordRow),
  history: z.array(
    z.object({
      seq: z.number(),
      at: z.string(),
      actor: z.string(),
      action: z.string(),
      entityType: z.string(),
      entityId: z.string(),
      /** What the entry was called when the row was written (from the trail), if known. */
      entityName: Nullable,
      changes: z.string(),
      /** The names the row kept of the entries it refers to; null on rows from before. */
      names: z.record(z.string(), z.string()).nullable(),
    }),
  ),
  violations: z.array(ViolationSchema),
  /** The approval in force (or suspended, or due for renewal), if any. */
  approval: z
    .object({
      caseId: z.string(),
      caseRef: z.string(),
      state: z.enum(CASE_STATES),
      decisionRef: z.string(),
      decisionType: z.enum(DECISION_TYPES),
      validTo: Nullable,
      issuedAt: z.string(),
      renewing: z.boolean(),
    })
    .nullable(),
  /** Open findings and conditions of the system's cases past their due date. */
  overdue: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(['finding', 'condition']),
      title: z.string(),
      dueDate: z.string(),
      owner: z.string(),
      caseId: z.string(),
      caseRef: z.string(),
    }),
  ),
  /** What lies outside the approval's scope now: each calls for a re-accreditation. */
  significantChanges: z.array(
    z.object({ kind: z.enum(['interconnection', 'site', 'level']), label: z.string() }),
  ),
});
export type SystemDetail = z.infer<typeof SystemDetailSchema>;

export const PersonRowSchema = z.object({
  id: z.string(),
  name: z.string(),
  organisation: Nullable,
  organisationId: Nullable,
  retiredAt: Nullable,
  email: z.string(),
  briefedOn: Nullable,
  clearances: z.array(
    z.object({
      level: z.string(),
      domain: DomainSchema,
      issuingBody: z.string(),
      expiresOn: z.string(),
    }),
  ),
  expired: z.boolean(),
  expiringSoon: z.boolean(),
});

export const registerChannels = {
  'register:scheme': invoke(Empty, SchemeSchema),
  'register:importScheme': invoke(z.object({ scheme: z.unknown() }).strict(), SchemeSchema),
  'organisations:list': invoke(
    Retired,
    z
      .object({
        organisations: z.array(
          z.object({
            id: z.string(),
            name: z.string(),
            type: z.string(),
            cvr: z.string(),
            contact: z.string(),
            retiredAt: Nullable,
          }),
        ),
      })
      .strict(),
  ),
  'systems:list': invoke(SystemFilter, z.object({ systems: z.array(SystemRow) }).strict()),
  'systems:get': invoke(IdInput, SystemDetailSchema),
  'systems:create': invoke(SystemInput, IdOutput),
  'systems:update': invoke(
    z.object({ id: z.string().uuid(), system: SystemInput }).strict(),
    IdOutput,
  ),
  'records:list': invoke(
    RecordFilter,
    // `total`: how many match the filter, whatever `limit` drew of them.
    z.object({ records: z.array(RecordRow), total: z.number().int().min(0) }).strict(),
  ),
  'records:create': invoke(RecordInput, IdOutput),
  'people:list': invoke(
    z
      .object({
        expiringWithinDays: z.number().int().min(0).max(3650).optional(),
        includeRetired: z.boolean().optional(),
      })
      .strict(),
    z.object({ people: z.array(PersonRowSchema) }).strict(),
  ),
  'organisations:create': invoke(OrganisationInput, IdOutput),
  'people:create': invoke(PersonInput, IdOutput),
  'systems:assignPerson': invoke(
    z
      .object({
        systemId: z.string().uuid(),
        personId: z.string().uuid(),
        role: z.string().trim().min(1).max(80),
      })
      .strict(),
    z.object({ assigned: z.literal(true) }).strict(),
  ),
  'products:list': invoke(
    Retired,
    z
      .object({
        products: z.array(
          z.object({
            id: z.string(),
            name: z.string(),
            vendor: z.string(),
            version: z.string(),
            retiredAt: Nullable,
            kind: z.string(),
            authority: z.string(),
            reference: z.string(),
            maxLevel: z.string(),
            domain: DomainSchema,
            expiresOn: Nullable,
          }),
        ),
      })
      .strict(),
  ),
  'products:create': invoke(ProductInput, IdOutput),
  'sites:list': invoke(
    Retired,
    z
      .object({
        sites: z.array(SiteRow.extend({ retiredAt: Nullable })),
      })
      .strict(),
  ),
  'register:update': invoke(
    z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('organisation'), id: Uuid, input: OrganisationInput }).strict(),
      z.object({ kind: z.literal('person'), id: Uuid, input: PersonInput }).strict(),
      z.object({ kind: z.literal('site'), id: Uuid, input: SiteInput }).strict(),
      z.object({ kind: z.literal('product'), id: Uuid, input: ProductInput }).strict(),
      z.object({ kind: z.literal('component'), id: Uuid, input: ComponentInput }).strict(),
      z
        .object({ kind: z.literal('interconnection'), id: Uuid, input: InterconnectionInput })
        .strict(),
      z.object({ kind: z.literal('record'), id: Uuid, input: RecordInput }).strict(),
    ]),
    z.object({ changed: z.boolean() }).strict(),
  ),
  'register:retire': invoke(
    z.object({ kind: z.enum(RETIRABLE), id: Uuid, retired: z.boolean() }).strict(),
    z.object({ retired: z.boolean() }).strict(),
  ),
  'systems:unassignPerson': invoke(
    z.object({ systemId: Uuid, personId: Uuid, role: z.string().trim().min(1).max(80) }).strict(),
    z.object({ unassigned: z.literal(true) }).strict(),
  ),
  'systems:unassignSite': invoke(
    z.object({ systemId: Uuid, siteId: Uuid }).strict(),
    z.object({ unassigned: z.literal(true) }).strict(),
  ),
  'records:close': invoke(
    z.object({ id: Uuid, closing: RecordClosing }).strict(),
    z.object({ closed: z.literal(true) }).strict(),
  ),
  'records:attachmentContent': invoke(
    z.object({ recordId: Uuid, address: z.string().regex(/^[0-9a-f]{64}$/) }).strict(),
    z.object({ fileName: z.string(), data: z.string() }).strict(),
  ),
  'sites:create': invoke(
    z
      .object({ site: SiteInput, systemIds: z.array(z.string().uuid()).max(100).default([]) })
      .strict(),
    IdOutput,
  ),
  'components:create': invoke(ComponentInput, IdOutput),
  'interconnections:create': invoke(InterconnectionInput, IdOutput),
  'records:attach': invoke(
    z.object({ recordId: z.string().uuid(), uploadId: z.string().uuid() }).strict(),
    z.object({ attached: z.literal(true) }).strict(),
  ),
  'records:attachments': invoke(
    z.object({ recordId: z.string().uuid() }).strict(),
    z
      .object({
        attachments: z.array(
          z.object({
            address: z.string(),
            name: z.string(),
            sha256: z.string(),
            size: z.number(),
            addedAt: z.string(),
          }),
        ),
      })
      .strict(),
  ),
} as const;
