/**
 * The IPC contract: every channel the renderer may call (kind "invoke") or listen to
 * (kind "event", sent by main), with its zod schemas. Everything else is derived from this
 * object: the `window.workbench` type, the preload's allow-list, main's registration and
 * validation, the browser preview's routes, and the contract-completeness test.
 * Channels are named `area:verb`.
 *
 * Longer than 500 lines: every IPC channel's schema; it becomes one file per area behind one index
 * with the split by capability.
 */
import { z } from 'zod';
import { PACKAGE_KINDS, PREVIEW_TABLES, TRUST_ROLES } from './exchange';
import { REF_PREFIX } from './references';
import { TEXT_MAX } from './limits';
import { DomainSchema, SchemeSchema } from './classification';
import {
  BLOCKERS,
  CaseFilter,
  CaseInput,
  DisposalInput,
  EvidenceMeta,
  FINDING_SEVERITIES,
  FINDING_STATUSES,
  FindingInput,
  ITEM_STATUSES,
  ItemUpdate,
  VERDICTS,
} from './cases';
import { CountersignInput, DecisionInput, DocumentRequest, SelfSignedInput } from './decisions';
import {
  FILE_STATUSES,
  INDICATIONS,
  SIGNATURE_REASONS,
  SIGNATURE_WARNINGS,
  SUB_INDICATIONS,
} from './signatures';
import { ERROR_CODES } from './errors';
import { CASE_STATES, CASE_TYPES, DECISION_TYPES } from './lifecycle';
import { RULE_CODES } from './rules';
import {
  AcceptanceInput,
  RiskCriteriaSchema,
  RiskFilter,
  RiskInput,
  RiskMatrixSchema,
  TREATMENTS,
} from './risk';
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
} from './register';
import { LANGUAGES } from './i18n';
import {
  EVENT_CHANNELS,
  INVOKE_CHANNELS,
  isEventChannel,
  isInvokeChannel,
  type EventChannel,
  type InvokeChannel,
} from './channels';
import type { Result } from './result';

export { EVENT_CHANNELS, INVOKE_CHANNELS, isEventChannel, isInvokeChannel };
export type { EventChannel, InvokeChannel };

export interface InvokeSpec<I extends z.ZodType, O extends z.ZodType> {
  kind: 'invoke';
  request: I;
  response: O;
}

export interface EventSpec<P extends z.ZodType> {
  kind: 'event';
  payload: P;
}

function invoke<I extends z.ZodType, O extends z.ZodType>(
  request: I,
  response: O,
): InvokeSpec<I, O> {
  return { kind: 'invoke', request, response };
}

function event<P extends z.ZodType>(payload: P): EventSpec<P> {
  return { kind: 'event', payload };
}

const Empty = z.object({}).strict();

export const LanguageSchema = z.enum(LANGUAGES);

/** Non-secret preferences only (electron-store in the app): never content, never keys. */
export const PreferencesSchema = z
  .object({
    language: LanguageSchema,
    recentVaults: z.array(z.string().min(1).max(4096)).max(10),
    idleLockMinutes: z.number().int().min(1).max(240),
    /**
     * The PKCS#11 module (a smart card or HSM vendor's library) for identities on a token. Set
     * only through the main process's file dialog: the window never names a library to load.
     */
    pkcs11Module: z.string().min(1).max(4096).nullable(),
  })
  .strict();
export type Preferences = z.infer<typeof PreferencesSchema>;

export const DEFAULT_PREFERENCES: Preferences = {
  language: 'da',
  recentVaults: [],
  idleLockMinutes: 10,
  pkcs11Module: null,
};

export const PreferencesPatchSchema = z
  .object({
    language: LanguageSchema.optional(),
    idleLockMinutes: PreferencesSchema.shape.idleLockMinutes.optional(),
  })
  .strict();

export const VaultStateSchema = z.enum(['none', 'locked', 'unlocked']);
export type VaultState = z.infer<typeof VaultStateSchema>;

export const DiagnosticsSchema = z
  .object({
    appVersion: z.string(),
    runtime: z.enum(['electron', 'preview']),
    versions: z
      .object({
        electron: z.string().nullable(),
        chrome: z.string().nullable(),
        node: z.string(),
      })
      .strict(),
    platform: z.string(),
    dataFolder: z.string(),
    vaultState: VaultStateSchema,
  })
  .strict();
export type Diagnostics = z.infer<typeof DiagnosticsSchema>;

const FolderSchema = z.string().min(1).max(4096);
const PassphraseSchema = z.string().min(1).max(1024);

export const RoleSchema = z.enum(['accreditor', 'system_owner']);

export const ProfileSchema = z
  .object({
    name: z.string().trim().min(1).max(TEXT_MAX.name),
    organisation: z.string().trim().min(1).max(TEXT_MAX.organisation),
    role: RoleSchema,
    /** The prefix of the vault's references; chosen at creation (default: the organisation's initials). */
    referencePrefix: z.string().regex(REF_PREFIX).optional(),
  })
  .strict();
export type Profile = z.infer<typeof ProfileSchema>;

/**
 * Unsaved form text the renderer hands to the core to keep across a lock (issue 22): the screen
 * (its route), the form's name on it and the form's value. Sealed beside the vault, never plain.
 */
export const DraftSchema = z
  .object({
    route: z.string().max(500),
    form: z.string().min(1).max(100),
    value: z.unknown(),
  })
  .strict();
export type Draft = z.infer<typeof DraftSchema>;
/** At most 256 KiB of drafts (as JSON): a form's text, not a file. */
export const DRAFTS_MAX_BYTES = 256 * 1024;
export const DraftsSchema = z
  .array(DraftSchema)
  .max(50)
  .refine((drafts) => JSON.stringify(drafts).length <= DRAFTS_MAX_BYTES, {
    message: 'drafts too large',
  });

/** Why the vault is locked: by the user, after the idle time, or by the system (suspend, screen lock). */
export const LockReasonSchema = z
  .object({
    reason: z.enum(['user', 'idle', 'system']),
    /** The idle time that passed, in minutes (reason 'idle'). */
    minutes: z.number().int().optional(),
    /** How many forms' unsaved text the lock kept (sealed), to offer after unlock. */
    kept: z.number().int().optional(),
  })
  .strict();
export type LockReason = z.infer<typeof LockReasonSchema>;

export const VaultStatusSchema = z
  .object({
    state: VaultStateSchema,
    folder: z.string().nullable(),
    profile: ProfileSchema.nullable(),
    recoveryKey: z
      .object({ present: z.boolean(), createdAt: z.string().nullable(), confirmed: z.boolean() })
      .strict()
      .nullable(),
    audit: z
      .object({
        intact: z.boolean(),
        rows: z.number().int(),
        brokenAt: z.number().int().optional(),
      })
      .strict()
      .nullable(),
    /**
     * The database checks run right after unlock (SQLite integrity and foreign keys, the whole
     * audit chain): still running, passed, or failed (then nothing is saved until restored).
     */
    integrity: z.enum(['checking', 'ok', 'failed']).nullable(),
    /** Groups of the new recovery key the user must type back (1-based), while unconfirmed. */
    confirmGroups: z.array(z.number().int()).nullable(),
    /** While locked in this run: why it locked (the lock screen says so). */
    locked: LockReasonSchema.nullable().optional(),
    /**
     * Set while the vault is read-only: its audit trail is broken (the first break, with the
     * hash expected there and the one found), or it does not reach a head it reached before (a
     * rollback, suspected: the head not reached and the vault file's), until a signed
     * explanation is recorded.
     */
    readOnly: z
      .object({
        reason: z.enum(['AUDIT_CHAIN_BROKEN', 'ROLLBACK_SUSPECTED']),
        row: z.number().int(),
        kind: z.enum(['link', 'content', 'sequence', 'anchor', 'signature']),
        expected: z.string(),
        found: z.string(),
      })
      .strict()
      .nullable()
      .optional(),
    /** Kept generations whose audit trail the vault file does not reach (rollback suspected). */
    rollback: z
      .array(
        z
          .object({
            generation: z.number().int(),
            rows: z.number().int(),
            mainRows: z.number().int(),
          })
          .strict(),
      )
      .optional(),
    /** What this unlock did with a re-key an earlier process left unfinished. */
    rekey: z
      .object({ state: z.enum(['finished', 'undone', 'refused']), code: z.string().optional() })
      .strict()
      .nullable()
      .optional(),
  })
  .strict();
export type VaultStatus = z.infer<typeof VaultStatusSchema>;

export const GenerationSchema = z
  .object({ generation: z.number().int(), size: z.number().int(), modifiedAt: z.string() })
  .strict();

const IdInput = z.object({ id: z.string().uuid() }).strict();
const IdOutput = z.object({ id: z.string().uuid() }).strict();
const ViolationSchema = z.object({
  code: z.enum(RULE_CODES),
  entity: z.enum(['system', 'component', 'interconnection', 'person']),
  entityId: z.string(),
  params: z.record(z.string(), z.string()),
});
const Nullable = z.string().nullable();
const Uuid = z.string().uuid();
const Retired = z.object({ includeRetired: z.boolean().optional() }).strict();

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

export const CaseDetailSchema = z.object({
  id: z.string(),
  ref: z.string(),
  type: z.enum(CASE_TYPES),
  state: z.enum(CASE_STATES),
  title: z.string(),
  systemId: z.string(),
  systemLevels: z.array(z.object({ domain: DomainSchema, level: z.string() })),
  deadline: Nullable,
  catalogue: z.object({ id: z.string(), version: z.string() }),
  /** A package about the case has come from the other side (an authority answers only such). */
  received: z.boolean(),
  progress: z.array(z.object({ area: z.string(), assessed: z.number(), total: z.number() })),
  items: z.array(
    z.object({
      requirementId: z.string(),
      area: z.string(),
      text: z.string(),
      textDa: Nullable,
      severity: z.string(),
      expectedEvidence: z.array(z.string()),
      status: z.enum(ITEM_STATUSES),
      statement: z.string(),
      justification: z.string(),
      verdict: z.enum(VERDICTS),
      assessorComment: z.string(),
      evidence: z.array(z.string()),
    }),
  ),
  missing: z.array(z.string()),
  blockers: z.array(z.object({ requirementId: z.string(), problem: z.enum(BLOCKERS) })),
  unaccepted: z.array(z.string()),
  next: z.array(
    z.object({
      to: z.enum(CASE_STATES),
      verdict: z.union([
        z.object({ ok: z.literal(true) }),
        z.object({
          ok: z.literal(false),
          code: z.string(),
          params: z.record(z.string(), z.string()).optional(),
        }),
      ]),
    }),
  ),
  history: z.array(
    z.object({
      from: z.string(),
      to: z.string(),
      actor: z.string(),
      role: z.string(),
      reason: z.string(),
      at: z.string(),
    }),
  ),
  findings: z.array(
    z.object({
      id: z.string(),
      requirementId: Nullable,
      kind: z.string(),
      severity: z.enum(FINDING_SEVERITIES),
      title: z.string(),
      description: z.string(),
      recommendedAction: z.string(),
      owner: z.string(),
      dueDate: Nullable,
      status: z.enum(FINDING_STATUSES),
      history: z.array(
        z.object({
          from: Nullable,
          to: z.string(),
          note: z.string(),
          actor: z.string(),
          at: z.string(),
        }),
      ),
    }),
  ),
  evidence: z.array(
    z.object({
      id: z.string(),
      type: z.string(),
      title: z.string(),
      version: z.string(),
      author: z.string(),
      effectiveDate: Nullable,
      markingLevel: Nullable,
      markingDomain: Nullable,
      fileName: z.string(),
      sha256: z.string(),
      size: z.number(),
      reviewStatus: z.string(),
      uploadedAt: z.string(),
      address: z.string(),
    }),
  ),
});
export type CaseDetail = z.infer<typeof CaseDetailSchema>;

const Score = z.number().int().nullable();
const Movement = z.object({
  id: z.string(),
  inherent: z.tuple([Nullable, Nullable]),
  residual: z.tuple([z.string(), z.string()]),
});
const ACCEPTANCE_STATUSES = [
  'none',
  'accepted',
  'reaccept',
  'expired',
  'owner_not_valid',
  'authority_not_valid',
] as const;

export const RiskRowSchema = z.object({
  id: z.string(),
  ref: z.string(),
  systemId: z.string(),
  system: z.string(),
  caseId: Nullable,
  caseRef: Nullable,
  matrixId: z.string(),
  scope: z.string(),
  threatSource: z.string(),
  threatEvent: z.string(),
  vulnerability: z.string(),
  confidentiality: Score,
  integrity: Score,
  availability: Score,
  authenticity: Score,
  likelihood: z.number().int(),
  treatment: z.enum(TREATMENTS),
  measures: z.string(),
  residualLikelihood: z.number().int(),
  residualImpact: z.number().int(),
  owner: z.string(),
  reviewDate: Nullable,
  inherentLevel: Nullable,
  inherentRank: Score,
  residualLevel: z.string(),
  residualRank: z.number().int(),
  authority: z.enum(['owner', 'accreditor', 'none']),
  acceptance: z.object({
    status: z.enum(ACCEPTANCE_STATUSES),
    by: Nullable,
    role: Nullable,
    on: Nullable,
    expiresOn: Nullable,
    justification: Nullable,
  }),
  requirementIds: z.array(z.string()),
  findingIds: z.array(z.string()),
  updatedAt: z.string(),
});
export type RiskRow = z.infer<typeof RiskRowSchema>;

export const DashboardSchema = z.object({
  today: z.string(),
  approvals: z.array(
    z.object({
      kind: z.enum(['record', 'interconnection', 'decision']),
      id: z.string(),
      title: z.string(),
      type: z.string(),
      systemId: Nullable,
      validTo: z.string(),
      daysLeft: z.number().int(),
      window: z.number().int(),
    }),
  ),
  approvalWindows: z.array(z.object({ days: z.number().int(), count: z.number().int() })),
  pipeline: z.array(z.object({ state: z.enum(CASE_STATES), count: z.number().int() })),
  /** The first hour's steps and whether each is done (shown until all are). */
  firstRun: z.array(
    z.object({
      step: z.enum(['system', 'criteria', 'identity', 'exchange']),
      done: z.boolean(),
    }),
  ),
  /** Systems whose approval is in any state but "one in force". */
  standing: z.array(
    z.object({
      systemId: z.string(),
      system: z.string(),
      state: z.enum([
        'multiple',
        'suspended',
        'reaccreditation_due',
        'expired',
        'withdrawn',
        'none',
      ]),
    }),
  ),
  overdue: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(['finding', 'condition']),
      severity: z.string(),
      title: z.string(),
      dueDate: z.string(),
      daysOverdue: z.number().int(),
      owner: z.string(),
      caseId: z.string(),
      caseRef: z.string(),
    }),
  ),
  followUps: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      type: z.string(),
      counterpart: z.string(),
      due: z.string(),
      overdue: z.boolean(),
    }),
  ),
  clearances: z.array(
    z.object({
      personId: z.string(),
      name: z.string(),
      level: z.string(),
      domain: DomainSchema,
      expiresOn: z.string(),
      expired: z.boolean(),
    }),
  ),
  risks: z.array(
    z.object({
      id: z.string(),
      ref: z.string(),
      system: z.string(),
      scope: z.string(),
      threatEvent: z.string(),
      residualLevel: z.string(),
      residualRank: z.number().int(),
      acceptance: z.enum(ACCEPTANCE_STATUSES),
    }),
  ),
  levels: z.array(z.object({ domain: DomainSchema, level: z.string() })),
});
export type Dashboard = z.infer<typeof DashboardSchema>;

const Base64 = (maxBytes: number) =>
  z
    .string()
    .max(Math.ceil((maxBytes * 4) / 3) + 4)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/);
const AbsolutePath = z
  .string()
  .min(2)
  .max(4096)
  .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p), 'an absolute path');

const CertificateSummarySchema = z.object({
  subject: z.string(),
  issuer: z.string(),
  serial: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  fingerprint: z.string(),
});

export const VerificationSchema = z.object({
  valid: z.boolean(),
  status: z.enum(FILE_STATUSES),
  indication: z.enum(INDICATIONS),
  subIndication: z.enum(SUB_INDICATIONS).nullable(),
  reason: z.enum(SIGNATURE_REASONS).nullable(),
  revisions: z.number().int(),
  unsignedFields: z.array(z.string()),
  signatures: z.array(
    z.object({
      field: z.string(),
      status: z.enum(['valid', 'invalid', 'indeterminate']),
      indication: z.enum(INDICATIONS),
      subIndication: z.enum(SUB_INDICATIONS).nullable(),
      reason: z.enum(SIGNATURE_REASONS).nullable(),
      detail: z.string().nullable(),
      warnings: z.array(z.enum(SIGNATURE_WARNINGS)),
      signer: CertificateSummarySchema.nullable(),
      path: z.array(CertificateSummarySchema),
      claimedTime: z.string().nullable(),
      revision: z.number().int().nullable(),
      coversWholeFile: z.boolean(),
      subFilter: z.string().nullable(),
      level: z.enum(['PAdES-B-B', 'CMS']).nullable(),
    }),
  ),
});

const IdentityRow = z.object({
  id: z.string(),
  label: z.string(),
  kind: z.enum(['pkcs12', 'self_signed', 'pkcs11']),
  usage: z.enum(['signing', 'encryption']),
  token: z.string().nullable(),
  algorithm: z.string(),
  subject: z.string(),
  issuer: z.string(),
  serial: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  fingerprint: z.string(),
  expired: z.boolean(),
  daysLeft: z.number().int(),
});

const PackagePreview = z.object({
  kind: z.enum(['submission', 'decision']),
  caseId: z.string(),
  caseRef: z.string(),
  caseExists: z.boolean(),
  sender: z.string(),
  signer: z.string(),
  sequence: z.number().int(),
  marking: z.string(),
  /** The levels the signed marking stands for here: what the classification banner shows. */
  levels: z.array(z.object({ domain: DomainSchema, level: z.string() })),
  encrypted: z.boolean(),
  changes: z.array(
    z.discriminatedUnion('what', [
      z.object({ what: z.literal('system'), ref: z.string(), added: z.boolean() }),
      z.object({
        what: z.literal('case'),
        ref: z.string(),
        added: z.boolean(),
        states: z.array(z.string()),
      }),
      z.object({
        what: z.enum(['answers', 'evidence', 'risks', 'findings', 'verdicts']),
        n: z.number().int(),
      }),
      z.object({ what: z.literal('decision'), ref: z.string(), type: z.string() }),
      z.object({ what: z.literal('catalogue'), ref: z.string(), sha256: z.string() }),
      z.object({ what: z.literal('notApplicable'), refs: z.array(z.string()) }),
      z.object({
        what: z.literal('row'),
        table: z.enum(PREVIEW_TABLES),
        ref: z.string(),
        added: z.boolean(),
        fields: z.array(z.object({ field: z.string(), from: Nullable, to: Nullable })),
        valid: z.boolean().optional(),
      }),
    ]),
  ),
});

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

export const contract = {
  'app:diagnostics': invoke(Empty, DiagnosticsSchema),
  'prefs:get': invoke(Empty, PreferencesSchema),
  'prefs:set': invoke(PreferencesPatchSchema, PreferencesSchema),
  'shell:openExternal': invoke(
    z.object({ url: z.string().min(1).max(2048) }).strict(),
    z.object({ opened: z.literal(true) }).strict(),
  ),
  'vault:status': invoke(Empty, VaultStatusSchema),
  'vault:create': invoke(
    z
      .object({ folder: FolderSchema, passphrase: PassphraseSchema, profile: ProfileSchema })
      .strict(),
    z.object({ recoveryKey: z.string(), status: VaultStatusSchema }).strict(),
  ),
  'vault:confirmRecoveryKey': invoke(
    z
      .object({
        answers: z
          .array(
            z.object({ group: z.number().int().min(1).max(20), text: z.string().max(64) }).strict(),
          )
          .min(1)
          .max(20),
      })
      .strict(),
    VaultStatusSchema,
  ),
  'vault:unlock': invoke(
    z.object({ folder: FolderSchema, passphrase: PassphraseSchema }).strict(),
    VaultStatusSchema,
  ),
  'vault:recover': invoke(
    z
      .object({
        folder: FolderSchema,
        recoveryKey: z.string().min(1).max(200),
        newPassphrase: PassphraseSchema,
      })
      .strict(),
    VaultStatusSchema,
  ),
  /** Locks the vault; the drafts are the forms' unsaved text, kept sealed until the next unlock. */
  'vault:lock': invoke(z.object({ drafts: DraftsSchema.optional() }).strict(), VaultStatusSchema),
  /** The forms' unsaved text now (replacing what was kept): sealed beside the vault at once. */
  'vault:keepDrafts': invoke(
    z.object({ drafts: DraftsSchema }).strict(),
    z.object({ kept: z.number().int() }).strict(),
  ),
  /** The unsaved text kept when the vault last locked, until the forms answer (restored or discarded). */
  'vault:takeDrafts': invoke(Empty, z.object({ drafts: z.array(DraftSchema) }).strict()),
  'vault:changePassphrase': invoke(
    z.object({ current: PassphraseSchema, next: PassphraseSchema }).strict(),
    VaultStatusSchema,
  ),
  'vault:newRecoveryKey': invoke(
    z.object({ current: PassphraseSchema }).strict(),
    VaultStatusSchema,
  ),
  'vault:pendingRecoveryKey': invoke(
    Empty,
    z.object({ recoveryKey: z.string().nullable() }).strict(),
  ),
  'vault:generations': invoke(
    z.object({ folder: FolderSchema }).strict(),
    z.object({ generations: z.array(GenerationSchema) }).strict(),
  ),
  'vault:restore': invoke(
    z
      .object({
        folder: FolderSchema,
        generation: z.number().int().min(1).max(9),
        passphrase: PassphraseSchema,
      })
      .strict(),
    VaultStatusSchema,
  ),
  'vault:pickFolder': invoke(Empty, z.object({ folder: z.string().nullable() }).strict()),
  /**
   * Records the signed explanation of a broken audit trail (read-only until then): an audit
   * row citing every break, signed with one of the vault's signing identities; the trail is
   * anchored again and the vault saved.
   */
  'vault:explainBreak': invoke(
    z
      .object({
        text: z.string().trim().min(1).max(4000),
        identityId: z.string().uuid(),
        pin: z.string().max(256).nullable().optional(),
      })
      .strict(),
    z
      .object({ row: z.number().int(), breaks: z.number().int(), status: VaultStatusSchema })
      .strict(),
  ),
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
  'uploads:begin': invoke(
    z
      .object({
        name: z.string().min(1).max(255),
        size: z
          .number()
          .int()
          .min(0)
          .max(2 ** 40),
      })
      .strict(),
    z.object({ uploadId: z.string().uuid() }).strict(),
  ),
  'uploads:chunk': invoke(
    z
      .object({
        uploadId: z.string().uuid(),
        index: z.number().int().min(0),
        // base64 of at most 1 MiB
        data: z
          .string()
          .max(1_398_104)
          .regex(/^[A-Za-z0-9+/]*={0,2}$/),
      })
      .strict(),
    z.object({ received: z.number().int() }).strict(),
  ),
  'uploads:finish': invoke(
    z.object({ uploadId: z.string().uuid() }).strict(),
    z.object({ name: z.string(), sha256: z.string(), size: z.number().int() }).strict(),
  ),
  'uploads:abort': invoke(
    z.object({ uploadId: z.string().uuid() }).strict(),
    z.object({ aborted: z.literal(true) }).strict(),
  ),
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
  'cases:list': invoke(
    CaseFilter,
    z
      .object({
        cases: z.array(
          z.object({
            id: z.string(),
            ref: z.string(),
            type: z.string(),
            state: z.enum(CASE_STATES),
            title: z.string(),
            deadline: Nullable,
            systemId: z.string(),
            system: z.string(),
            progress: z.object({ assessed: z.number(), total: z.number() }),
            openFindings: z.number(),
            levels: z.array(z.object({ domain: DomainSchema, level: z.string() })),
          }),
        ),
      })
      .strict(),
  ),
  'cases:create': invoke(CaseInput, IdOutput),
  'cases:get': invoke(IdInput, CaseDetailSchema),
  'cases:setFindingStatus': invoke(
    z
      .object({
        findingId: z.string().uuid(),
        status: z.enum(FINDING_STATUSES),
        note: z.string().trim().max(2000).optional(),
      })
      .strict(),
    z.object({ updated: z.literal(true) }).strict(),
  ),
  'cases:updateItem': invoke(
    z
      .object({ caseId: z.string().uuid(), requirementId: z.string().max(20), update: ItemUpdate })
      .strict(),
    z.object({ updated: z.literal(true) }).strict(),
  ),
  'settings:policy': invoke(
    Empty,
    z
      .object({
        approval: z.object({
          verdictOnEveryRequirement: z.boolean(),
          partialNeedsRiskOrCondition: z.boolean(),
        }),
        validity: z.object({
          default: z.record(z.string(), z.number()),
          byLevel: z.record(z.string(), z.record(z.string(), z.number())),
          reaccreditationDueMonths: z.number(),
          /** The longest validity of each approving type (months): a rule of sense. */
          maximum: z.record(z.string(), z.number()),
        }),
        fourEyes: z.array(z.object({ types: z.array(z.string()), fromLevel: z.string() })),
      })
      .strict(),
  ),
  'cases:recordDisposal': invoke(
    z.object({ caseId: Uuid, disposal: DisposalInput }).strict(),
    z.object({ recorded: z.literal(true) }).strict(),
  ),
  'cases:disposal': invoke(
    IdInput,
    z
      .object({
        disposal: z
          .object({
            verifiedBy: z.string(),
            method: z.string(),
            verifiedOn: z.string(),
            evidence: z.array(z.object({ id: z.string(), title: z.string(), sha256: z.string() })),
            recordedBy: z.string(),
            recordedAt: z.string(),
          })
          .nullable(),
      })
      .strict(),
  ),
  'cases:updateItems': invoke(
    z
      .object({
        caseId: z.string().uuid(),
        requirementIds: z.array(z.string().max(20)).min(1).max(2000),
        update: ItemUpdate,
      })
      .strict(),
    z.object({ updated: z.number().int() }).strict(),
  ),
  'cases:transition': invoke(
    z
      .object({
        caseId: z.string().uuid(),
        to: z.enum(CASE_STATES),
        reason: z.string().max(TEXT_MAX.reason),
      })
      .strict(),
    z.object({ state: z.enum(CASE_STATES) }).strict(),
  ),
  'cases:addFinding': invoke(
    z.object({ caseId: z.string().uuid(), finding: FindingInput }).strict(),
    IdOutput,
  ),
  'cases:reviewEvidence': invoke(
    z
      .object({
        evidenceId: z.string().uuid(),
        status: z.enum(['submitted', 'accepted', 'rejected', 'superseded']),
      })
      .strict(),
    z.object({ updated: z.literal(true) }).strict(),
  ),
  'cases:addEvidence': invoke(
    z
      .object({ caseId: z.string().uuid(), uploadId: z.string().uuid(), meta: EvidenceMeta })
      .strict(),
    IdOutput,
  ),
  'catalogues:list': invoke(
    Empty,
    z
      .object({
        catalogues: z.array(
          z.object({
            id: z.string(),
            name: z.object({ da: z.string(), en: z.string() }),
            version: z.string(),
            requirements: z.number().int(),
            baseline: z.boolean(),
          }),
        ),
      })
      .strict(),
  ),
  'cases:catalogueDiff': invoke(
    IdInput,
    z
      .object({
        newer: z
          .object({
            version: z.string(),
            diff: z.object({
              added: z.array(z.string()),
              removed: z.array(z.string()),
              changed: z.array(z.object({ id: z.string(), fields: z.array(z.string()) })),
            }),
          })
          .nullable(),
      })
      .strict(),
  ),
  'catalogues:import': invoke(
    z.object({ catalogue: z.unknown() }).strict(),
    z
      .object({
        id: z.string(),
        version: z.string(),
        diff: z
          .object({
            added: z.array(z.string()),
            removed: z.array(z.string()),
            changed: z.array(z.object({ id: z.string(), fields: z.array(z.string()) })),
          })
          .nullable(),
      })
      .strict(),
  ),
  'risks:matrices': invoke(
    z.object({}).strict(),
    z
      .object({
        matrices: z.array(RiskMatrixSchema),
        defaultId: z.string(),
        criteria: RiskCriteriaSchema.extend({ setBy: z.string(), setAt: z.string() }).nullable(),
        recalculations: z.array(
          z.object({
            from: z.string(),
            to: z.string(),
            moved: z.array(Movement),
            actor: z.string(),
            at: z.string(),
          }),
        ),
      })
      .strict(),
  ),
  'risks:importMatrix': invoke(
    z.object({ matrix: z.unknown() }).strict(),
    z.object({ id: z.string() }).strict(),
  ),
  'risks:setCriteria': invoke(RiskCriteriaSchema, z.object({ moved: z.array(Movement) }).strict()),
  'risks:list': invoke(RiskFilter, z.object({ risks: z.array(RiskRowSchema) }).strict()),
  'risks:get': invoke(
    IdInput,
    z
      .object({
        risk: RiskRowSchema,
        reviews: z.array(
          z.object({
            at: z.string(),
            actor: z.string(),
            note: z.string(),
            matrixId: z.string(),
            inherentLevel: Nullable,
            inherentRank: Score,
            residualLevel: z.string(),
            residualRank: z.number().int(),
          }),
        ),
        acceptances: z.array(
          z.object({
            by: z.string(),
            role: z.string(),
            authority: z.string(),
            justification: z.string(),
            on: z.string(),
            expiresOn: z.string(),
            residualLevel: z.string(),
            received: z.boolean(),
            claimedBy: Nullable,
          }),
        ),
      })
      .strict(),
  ),
  'risks:create': invoke(RiskInput, IdOutput),
  'risks:update': invoke(
    z.object({ id: z.string().uuid(), risk: RiskInput }).strict(),
    z.object({ updated: z.literal(true) }).strict(),
  ),
  'risks:accept': invoke(
    z.object({ id: z.string().uuid(), acceptance: AcceptanceInput }).strict(),
    z.object({ updated: z.literal(true) }).strict(),
  ),
  'dashboard:summary': invoke(z.object({}).strict(), DashboardSchema),
  'identities:list': invoke(
    z.object({}).strict(),
    z
      .object({
        identities: z.array(IdentityRow),
        trusted: z.array(
          z.object({
            fingerprint: z.string(),
            subject: z.string(),
            issuer: z.string(),
            notAfter: z.string(),
            addedAt: z.string(),
            addedBy: z.string(),
            role: z.enum(TRUST_ROLES),
            canSign: z.boolean(),
            canEncrypt: z.boolean(),
          }),
        ),
        crls: z.array(
          z.object({
            fingerprint: z.string(),
            issuer: z.string(),
            thisUpdate: z.string(),
            nextUpdate: Nullable,
            entries: z.number().int(),
            stale: z.boolean(),
            addedAt: z.string(),
            addedBy: z.string(),
          }),
        ),
        /** The configured PKCS#11 module's file name (null when none is configured). */
        pkcs11Module: Nullable,
      })
      .strict(),
  ),
  'identities:createSelfSigned': invoke(SelfSignedInput, IdOutput),
  'identities:chooseModule': invoke(Empty, z.object({ pkcs11Module: Nullable }).strict()),
  'identities:tokenCertificates': invoke(
    Empty,
    z
      .object({
        certificates: z.array(
          CertificateSummarySchema.extend({
            tokenSerial: z.string(),
            tokenLabel: z.string(),
            keyId: z.string(),
            label: z.string(),
          }),
        ),
      })
      .strict(),
  ),
  'identities:addToken': invoke(
    z
      .object({
        fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
        label: z.string().trim().min(1).max(200),
        chainPem: z
          .string()
          .max(256 * 1024)
          .optional(),
      })
      .strict(),
    IdOutput,
  ),
  'identities:importKeyFile': invoke(
    z
      .object({
        label: z.string().trim().min(1).max(200),
        data: Base64(1024 * 1024),
        password: z.string().max(1000),
        usage: z.enum(['signing', 'encryption']).default('signing'),
      })
      .strict(),
    IdOutput,
  ),
  'identities:certificate': invoke(IdInput, z.object({ pem: z.string() }).strict()),
  /** The certificates a counterpart needs: this signing identity's chain and every encryption certificate. */
  'identities:exchangeCertificates': invoke(IdInput, z.object({ pem: z.string() }).strict()),
  /** What a certificate file holds (subject, SHA-256 fingerprint), shown before it is trusted. */
  'trust:inspect': invoke(
    z.object({ pem: z.string().max(256 * 1024) }).strict(),
    z
      .object({
        certificates: z.array(
          z
            .object({
              subject: z.string(),
              issuer: z.string(),
              notAfter: z.string(),
              fingerprint: z.string(),
            })
            .strict(),
        ),
      })
      .strict(),
  ),
  /**
   * Trusts the certificates of a file once the user compared their fingerprints with the sender
   * by another channel: `compared` holds those fingerprints (none: TRUST_NOT_COMPARED).
   */
  'trust:add': invoke(
    z
      .object({
        pem: z.string().max(256 * 1024),
        role: z.enum(TRUST_ROLES).default('documents'),
        compared: z.array(z.string().max(200)).max(100).default([]),
      })
      .strict(),
    z.object({ fingerprints: z.array(z.string()) }).strict(),
  ),
  'trust:setRole': invoke(
    z
      .object({ fingerprint: z.string().regex(/^[0-9a-f]{64}$/), role: z.enum(TRUST_ROLES) })
      .strict(),
    z.object({ updated: z.literal(true) }).strict(),
  ),
  'trust:addCrl': invoke(
    z.object({ data: Base64(16 * 1024 * 1024) }).strict(),
    z.object({ fingerprint: z.string() }).strict(),
  ),
  'trust:removeCrl': invoke(
    z.object({ fingerprint: z.string().regex(/^[0-9a-f]{64}$/) }).strict(),
    z.object({ removed: z.literal(true) }).strict(),
  ),
  'trust:remove': invoke(
    z.object({ fingerprint: z.string().regex(/^[0-9a-f]{64}$/) }).strict(),
    z.object({ removed: z.literal(true) }).strict(),
  ),
  'decisions:get': invoke(
    z.object({ caseId: z.string().uuid() }).strict(),
    z
      .object({
        decision: z
          .object({
            id: z.string(),
            ref: z.string(),
            type: z.enum(DECISION_TYPES),
            validFrom: Nullable,
            validTo: Nullable,
            acceptedRisks: z.array(
              z.object({ ref: z.string(), residualLevel: z.string(), expiresOn: Nullable }),
            ),
            dossierSha256: z.string(),
            signer: z.string(),
            signerFingerprint: z.string(),
            signedAt: z.string(),
            pdfSha256: z.string(),
            createdBy: z.string(),
            status: z.enum(['awaiting_countersignature', 'issued']),
            signaturesRequired: z.union([z.literal(1), z.literal(2)]),
            signatures: z.array(
              z.object({
                field: z.string(),
                subject: z.string(),
                fingerprint: z.string(),
                signedAt: z.string(),
                signedBy: z.string(),
              }),
            ),
          })
          .nullable(),
        defaults: z.record(z.string(), Nullable),
        /** The longest validity (months from its first day) of each type here; null: none chosen. */
        maximum: z.record(z.string(), z.number().int().nullable()),
        dossierSha256: z.string(),
      })
      .strict(),
  ),
  'decisions:issue': invoke(
    z.object({ caseId: z.string().uuid(), decision: DecisionInput }).strict(),
    z
      .object({
        id: z.string(),
        ref: z.string(),
        pdfSha256: z.string(),
        status: z.enum(['awaiting_countersignature', 'issued']),
      })
      .strict(),
  ),
  'decisions:countersign': invoke(
    z.object({ caseId: z.string().uuid(), countersign: CountersignInput }).strict(),
    z.object({ pdfSha256: z.string() }).strict(),
  ),
  'decisions:preview': invoke(
    z.object({ caseId: z.string().uuid(), decision: DecisionInput }).strict(),
    z.object({ pdf: z.string() }).strict(),
  ),
  'documents:issue': invoke(
    DocumentRequest,
    z.object({ id: z.string(), sha256: z.string(), pdf: z.string() }).strict(),
  ),
  'documents:decisionPdf': invoke(
    z.object({ caseId: z.string().uuid() }).strict(),
    z.object({ pdf: z.string(), verification: VerificationSchema }).strict(),
  ),
  'documents:verify': invoke(
    z.object({ pdf: Base64(50 * 1024 * 1024) }).strict(),
    VerificationSchema,
  ),
  'packages:recipients': invoke(
    z.object({ kind: z.enum(PACKAGE_KINDS) }).strict(),
    z
      .object({
        recipients: z.array(
          z.object({ fingerprint: z.string(), subject: z.string(), notAfter: z.string() }),
        ),
      })
      .strict(),
  ),
  'packages:export': invoke(
    z
      .object({
        caseId: z.string().uuid(),
        kind: z.enum(PACKAGE_KINDS),
        identityId: z.string().uuid(),
        folder: AbsolutePath,
        /** The recipient's encryption certificate; may be left out when only one is trusted. */
        recipient: z
          .string()
          .regex(/^[0-9a-f]{64}$/)
          .nullable()
          .optional(),
        pin: z.string().max(256).nullable().optional(),
      })
      .strict(),
    z
      .object({
        file: z.string(),
        sha256: z.string(),
        size: z.number(),
        parts: z.number(),
        sequence: z.number().int(),
        recipient: z.string(),
        encrypted: z.literal(true),
      })
      .strict(),
  ),
  'packages:pickFile': invoke(Empty, z.object({ file: z.string().nullable() }).strict()),
  'packages:inspect': invoke(z.object({ file: AbsolutePath }).strict(), PackagePreview),
  'packages:import': invoke(z.object({ file: AbsolutePath }).strict(), PackagePreview),
  'packages:log': invoke(
    z.object({}).strict(),
    z
      .object({
        entries: z.array(
          z.object({
            direction: z.string(),
            kind: z.string(),
            /** The case, where it is in this vault (the log keeps the reference regardless). */
            caseId: Nullable,
            caseRef: z.string(),
            counterpart: z.string(),
            fingerprint: z.string(),
            sha256: z.string(),
            size: z.number(),
            sequence: z.number().int().nullable(),
            marking: z.string(),
            at: z.string(),
            actor: z.string(),
          }),
        ),
      })
      .strict(),
  ),
  'evidence:content': invoke(
    z.object({ evidenceId: z.string().uuid() }).strict(),
    z.object({ fileName: z.string(), data: z.string() }).strict(),
  ),
  'csv:export': invoke(
    z.object({ kind: z.enum(['systems', 'records', 'people']), language: LanguageSchema }).strict(),
    z.object({ fileName: z.string(), content: z.string() }).strict(),
  ),
  'csv:import': invoke(
    z
      .object({ kind: z.enum(['systems', 'people']), content: z.string().max(5 * 1024 * 1024) })
      .strict(),
    z
      .object({
        imported: z.number().int(),
        errors: z.array(
          z.object({
            line: z.number().int(),
            field: z.string(),
            message: z.string(),
            key: z.string().optional(),
            params: z.record(z.string(), z.string()).optional(),
            code: z.string().optional(),
            minimum: z.number().optional(),
            maximum: z.number().optional(),
            origin: z.string().optional(),
          }),
        ),
      })
      .strict(),
  ),
  'vault:stateChanged': event(z.object({ state: VaultStateSchema }).strict()),
  'vault:saveFailed': event(z.object({ code: z.enum(ERROR_CODES) }).strict()),
  'task:progress': event(
    z
      .object({
        task: z.enum(['package-export', 'package-import', 'rekey']),
        done: z.number(),
        total: z.number(),
      })
      .strict(),
  ),
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
type InvokeKeys = {
  [C in Channel]: Contract[C] extends InvokeSpec<z.ZodType, z.ZodType> ? C : never;
}[Channel];
type EventKeys = {
  [C in Channel]: Contract[C] extends EventSpec<z.ZodType> ? C : never;
}[Channel];

// Compile-time proof that shared/channels.ts lists exactly the contract's channels.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const invokeListMatches: Same<InvokeKeys, InvokeChannel> = true;
const eventListMatches: Same<EventKeys, EventChannel> = true;
void invokeListMatches;
void eventListMatches;

export type RequestOf<C extends InvokeChannel> = z.input<Contract[C]['request']>;
export type ParsedRequestOf<C extends InvokeChannel> = z.output<Contract[C]['request']>;
export type ResponseOf<C extends InvokeChannel> = z.output<Contract[C]['response']>;
export type PayloadOf<E extends EventChannel> = z.output<Contract[E]['payload']>;

/** What the preload (or, in the browser preview, the web bridge) exposes as `window.workbench`. */
export interface WorkbenchApi {
  invoke<C extends InvokeChannel>(channel: C, input: RequestOf<C>): Promise<Result<ResponseOf<C>>>;
  on<E extends EventChannel>(channel: E, listener: (payload: PayloadOf<E>) => void): () => void;
}
