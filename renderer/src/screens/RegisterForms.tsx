/** The register's add-forms: sites, components and interconnections of a system; organisations and approved products. */
import { DOMAINS, type InfoDomain } from '../../../shared/classification';
import type { MessageKey } from '../../../shared/i18n';
import {
  APPROVAL_STATUSES,
  COMPONENT_KINDS,
  DIRECTIONS,
  ORG_TYPES,
  PRODUCT_KINDS,
  type EntityKind,
  type PersonInput,
  type Retirable,
} from '../../../shared/register';
import { ConfirmButton } from '../components/Confirm';
import { call, callRaw } from '../api';
import { useLoad } from '../load';
import { EntityForm, orNull, text, type FieldSpec, type Values } from '../components/EntityForm';
import type { RequestOf } from '../../../shared/contract';
import type { ErrorInfo } from '../../../shared/result';
import { useT } from '../i18n';
import { useLevelLabel, useRegister } from '../stores/register';

type UpdateInput = RequestOf<'register:update'>;

function useLevelOptions(domain: InfoDomain = 'national') {
  const scheme = useRegister((s) => s.scheme);
  const label = useLevelLabel();
  return (scheme?.levels ?? []).map((l) => ({ value: l.code, label: label(l.code, domain) }));
}

/** An entry being edited: its id and its present values (as the form holds them). */
export interface Existing {
  id: string;
  values: Values;
}

/** Creates, or with `existing` saves the corrected entry through the register's update. */
async function save<K extends EntityKind>(
  kind: K,
  existing: Existing | undefined,
  input: Extract<UpdateInput, { kind: K }>['input'],
  create: () => Promise<{ ok: true } | { ok: false; error: ErrorInfo }>,
): Promise<{ ok: true } | { ok: false; error: ErrorInfo }> {
  if (!existing) {
    return create();
  }
  const r = await callRaw('register:update', { kind, id: existing.id, input } as UpdateInput);
  return r.ok ? { ok: true } : r;
}

const options = (t: (k: MessageKey) => string, prefix: string, values: readonly string[]) =>
  values.map((v) => ({ value: v, label: t(`${prefix}.${v}` as MessageKey) }));

export function SiteForm({
  systemId,
  onDone,
  existing,
}: {
  systemId: string;
  onDone: () => void;
  existing?: Existing;
}) {
  const t = useT();
  const levels = useLevelOptions();
  const fields: FieldSpec[] = [
    { name: 'name', label: t('col.name'), kind: 'text' },
    { name: 'address', label: t('col.address'), kind: 'text' },
    { name: 'areaClass', label: t('col.areaClass'), kind: 'text' },
    { name: 'maxLevel', label: t('col.maxLevel'), kind: 'select', options: levels },
    { name: 'tempestZone', label: t('col.tempestZone'), kind: 'text' },
    { name: 'lastInspection', label: t('field.lastInspection'), kind: 'date' },
    { name: 'nextInspection', label: t('field.nextInspection'), kind: 'date' },
  ];
  return (
    <EntityForm
      name="site"
      title={t(existing ? 'form.editSite' : 'form.site')}
      fields={fields}
      initial={existing?.values ?? { maxLevel: levels[0]?.value ?? 'RESTRICTED' }}
      editing={Boolean(existing)}
      onDone={onDone}
      onSubmit={(v) => {
        const site = {
          name: text(v.name),
          address: text(v.address),
          areaClass: text(v.areaClass),
          maxLevel: text(v.maxLevel),
          tempestZone: text(v.tempestZone),
          lastInspection: orNull(v.lastInspection),
          nextInspection: orNull(v.nextInspection),
        };
        return save('site', existing, site, () =>
          callRaw('sites:create', { systemIds: [systemId], site }),
        );
      }}
    />
  );
}

export function ComponentForm({
  systemId,
  onDone,
  existing,
}: {
  systemId: string;
  onDone: () => void;
  existing?: Existing;
}) {
  const t = useT();
  const levels = useLevelOptions();
  const sites = useLoad(() => callRaw('sites:list', {}), []).data?.sites ?? [];
  const products = useLoad(() => callRaw('products:list', {}), []).data?.products ?? [];
  const fields: FieldSpec[] = [
    {
      name: 'kind',
      label: t('col.kind'),
      kind: 'select',
      options: options(t, 'componentKind', COMPONENT_KINDS),
    },
    { name: 'product', label: t('col.product'), kind: 'text' },
    { name: 'version', label: t('field.version'), kind: 'text' },
    {
      name: 'siteId',
      label: t('col.site'),
      kind: 'select',
      empty: t('system.none'),
      options: sites.map((s) => ({ value: s.id, label: s.name })),
    },
    { name: 'level', label: t('col.level'), kind: 'select', options: levels },
    { name: 'tempestLevel', label: t('field.tempestLevel'), kind: 'text' },
    {
      name: 'approvedProductId',
      label: t('col.approvedProduct'),
      kind: 'select',
      empty: t('system.none'),
      options: products.map((p) => ({ value: p.id, label: `${p.name} (${p.reference})` })),
    },
    { name: 'crypto', label: t('col.crypto'), kind: 'checkbox' },
  ];
  return (
    <EntityForm
      name="component"
      title={t(existing ? 'form.editComponent' : 'form.component')}
      fields={fields}
      initial={
        existing?.values ?? {
          kind: 'workstation',
          level: levels[0]?.value ?? 'RESTRICTED',
          crypto: false,
        }
      }
      editing={Boolean(existing)}
      onDone={onDone}
      onSubmit={(v) => {
        const component = {
          systemId,
          kind: text(v.kind) as (typeof COMPONENT_KINDS)[number],
          product: text(v.product),
          version: text(v.version),
          siteId: orNull(v.siteId),
          level: text(v.level),
          tempestLevel: text(v.tempestLevel),
          crypto: v.crypto === true,
          approvedProductId: orNull(v.approvedProductId),
        };
        return save('component', existing, component, () =>
          callRaw('components:create', component),
        );
      }}
    />
  );
}

export function InterconnectionForm({
  systemId,
  onDone,
  existing,
}: {
  systemId: string;
  onDone: () => void;
  existing?: Existing;
}) {
  const t = useT();
  const levels = useLevelOptions();
  const systems = (useLoad(() => callRaw('systems:list', {}), []).data?.systems ?? []).filter(
    (s) => s.id !== systemId,
  );
  const products = (useLoad(() => callRaw('products:list', {}), []).data?.products ?? []).filter(
    (p) => p.kind === 'boundary_device',
  );
  const fields: FieldSpec[] = [
    {
      name: 'peerSystemId',
      label: t('field.peerSystem'),
      kind: 'select',
      empty: t('system.none'),
      options: systems.map((s) => ({ value: s.id, label: `${s.ref} ${s.name}` })),
    },
    { name: 'peerName', label: t('field.peerName'), kind: 'text' },
    { name: 'localLevel', label: t('field.localLevel'), kind: 'select', options: levels },
    { name: 'peerLevel', label: t('field.peerLevel'), kind: 'select', options: levels },
    {
      name: 'domain',
      label: t('col.domain'),
      kind: 'select',
      options: options(t, 'domain', DOMAINS),
    },
    {
      name: 'boundaryProductId',
      label: t('field.boundaryProduct'),
      kind: 'select',
      empty: t('system.none'),
      options: products.map((p) => ({ value: p.id, label: p.name })),
    },
    {
      name: 'boundaryDevice',
      label: t('field.boundaryDevice'),
      kind: 'text',
    },
    {
      name: 'direction',
      label: t('col.direction'),
      kind: 'select',
      options: options(t, 'direction', DIRECTIONS),
    },
    {
      name: 'approvalStatus',
      label: t('col.approval'),
      kind: 'select',
      options: options(t, 'approval', APPROVAL_STATUSES),
    },
    { name: 'validUntil', label: t('col.validUntil'), kind: 'date' },
  ];
  const first = levels[0]?.value ?? 'RESTRICTED';
  return (
    <EntityForm
      name="interconnection"
      title={t(existing ? 'form.editInterconnection' : 'form.interconnection')}
      fields={fields}
      initial={
        existing?.values ?? {
          localLevel: first,
          peerLevel: first,
          domain: 'national',
          direction: 'bidirectional',
          approvalStatus: 'pending',
        }
      }
      editing={Boolean(existing)}
      onDone={onDone}
      onSubmit={(v) => {
        const link = {
          systemId,
          peerSystemId: orNull(v.peerSystemId),
          peerName: text(v.peerName),
          localLevel: text(v.localLevel),
          peerLevel: text(v.peerLevel),
          domain: text(v.domain) as InfoDomain,
          boundaryProductId: orNull(v.boundaryProductId),
          boundaryDevice: text(v.boundaryDevice),
          direction: text(v.direction) as (typeof DIRECTIONS)[number],
          approvalStatus: text(v.approvalStatus) as (typeof APPROVAL_STATUSES)[number],
          validUntil: orNull(v.validUntil),
        };
        return save('interconnection', existing, link, () =>
          callRaw('interconnections:create', link),
        );
      }}
    />
  );
}

export function OrganisationForm({
  onDone,
  existing,
}: {
  onDone: () => void;
  existing?: Existing;
}) {
  const t = useT();
  return (
    <EntityForm
      name="organisation"
      title={t(existing ? 'form.editOrganisation' : 'form.organisation')}
      fields={[
        { name: 'name', label: t('col.name'), kind: 'text' },
        {
          name: 'type',
          label: t('field.orgType'),
          kind: 'select',
          options: options(t, 'orgType', ORG_TYPES),
        },
        { name: 'cvr', label: t('field.cvr'), kind: 'text' },
        { name: 'contact', label: t('field.contact'), kind: 'text' },
      ]}
      initial={existing?.values ?? { type: 'system_owner' }}
      editing={Boolean(existing)}
      onDone={onDone}
      onSubmit={(v) => {
        const organisation = {
          name: text(v.name),
          type: text(v.type) as (typeof ORG_TYPES)[number],
          cvr: text(v.cvr),
          contact: text(v.contact),
        };
        return save('organisation', existing, organisation, () =>
          callRaw('organisations:create', organisation),
        );
      }}
    />
  );
}

export function ProductForm({ onDone, existing }: { onDone: () => void; existing?: Existing }) {
  const t = useT();
  const levels = useLevelOptions();
  return (
    <EntityForm
      name="product"
      title={t(existing ? 'form.editProduct' : 'form.product')}
      fields={[
        { name: 'name', label: t('col.name'), kind: 'text' },
        { name: 'vendor', label: t('field.vendor'), kind: 'text' },
        { name: 'version', label: t('field.version'), kind: 'text' },
        {
          name: 'kind',
          label: t('field.productKind'),
          kind: 'select',
          options: options(t, 'productKind', PRODUCT_KINDS),
        },
        { name: 'authority', label: t('field.authority'), kind: 'text' },
        { name: 'reference', label: t('field.reference'), kind: 'text' },
        { name: 'maxLevel', label: t('col.maxLevel'), kind: 'select', options: levels },
        {
          name: 'domain',
          label: t('col.domain'),
          kind: 'select',
          options: options(t, 'domain', DOMAINS),
        },
        { name: 'expiresOn', label: t('field.expiresOn'), kind: 'date' },
      ]}
      initial={
        existing?.values ?? {
          kind: 'crypto',
          maxLevel: levels[0]?.value ?? 'RESTRICTED',
          domain: 'national',
        }
      }
      editing={Boolean(existing)}
      onDone={onDone}
      onSubmit={(v) => {
        const product = {
          name: text(v.name),
          vendor: text(v.vendor),
          version: text(v.version),
          kind: text(v.kind) as (typeof PRODUCT_KINDS)[number],
          authority: text(v.authority),
          reference: text(v.reference),
          maxLevel: text(v.maxLevel),
          domain: text(v.domain) as InfoDomain,
          expiresOn: orNull(v.expiresOn),
        };
        return save('product', existing, product, () => callRaw('products:create', product));
      }}
    />
  );
}

export function PersonForm({
  onDone,
  existing,
  otherClearances = [],
}: {
  onDone: () => void;
  existing?: Existing;
  /** Clearances beyond the first, kept as they are when the first is edited. */
  otherClearances?: PersonInput['clearances'];
}) {
  const t = useT();
  const levels = useLevelOptions();
  const organisations = useRegister((s) => s.organisations);
  return (
    <EntityForm
      name="person"
      title={t(existing ? 'form.editPerson' : 'form.person')}
      fields={[
        { name: 'name', label: t('col.name'), kind: 'text' },
        {
          name: 'organisationId',
          label: t('col.organisation'),
          kind: 'select',
          empty: t('system.none'),
          options: organisations.map((o) => ({ value: o.id, label: o.name })),
        },
        { name: 'email', label: t('col.email'), kind: 'text' },
        { name: 'briefedOn', label: t('field.briefedOn'), kind: 'date' },
        {
          name: 'level',
          path: 'clearances.0.level',
          label: t('field.clearanceLevel'),
          kind: 'select',
          empty: t('system.none'),
          options: levels,
        },
        {
          name: 'domain',
          path: 'clearances.0.domain',
          label: t('field.clearanceDomain'),
          kind: 'select',
          options: options(t, 'domain', DOMAINS),
        },
        {
          name: 'issuingBody',
          path: 'clearances.0.issuingBody',
          label: t('field.issuingBody'),
          kind: 'text',
        },
        {
          name: 'expiresOn',
          path: 'clearances.0.expiresOn',
          label: t('field.clearanceExpires'),
          kind: 'date',
        },
      ]}
      initial={existing?.values ?? { domain: 'national' }}
      editing={Boolean(existing)}
      onDone={onDone}
      onSubmit={(v) => {
        const person = {
          name: text(v.name),
          organisationId: orNull(v.organisationId),
          email: text(v.email),
          briefedOn: orNull(v.briefedOn),
          clearances: orNull(v.level)
            ? [
                {
                  level: text(v.level),
                  domain: text(v.domain) as InfoDomain,
                  issuingBody: text(v.issuingBody),
                  expiresOn: text(v.expiresOn),
                },
                ...(otherClearances ?? []),
              ]
            : (otherClearances ?? []),
        };
        return save('person', existing, person, () => callRaw('people:create', person));
      }}
    />
  );
}

export function AssignPersonForm({ systemId, onDone }: { systemId: string; onDone: () => void }) {
  const t = useT();
  const people = useLoad(() => callRaw('people:list', {}), []).data?.people ?? [];
  return (
    <EntityForm
      name="assign"
      title={t('form.assign')}
      fields={[
        {
          name: 'personId',
          label: t('field.person'),
          kind: 'select',
          empty: '—',
          options: people.map((p) => ({ value: p.id, label: p.name })),
        },
        { name: 'role', label: t('col.role'), kind: 'text' },
      ]}
      initial={{}}
      onDone={onDone}
      onSubmit={(v) =>
        callRaw('systems:assignPerson', {
          systemId,
          personId: text(v.personId),
          role: text(v.role),
        })
      }
    />
  );
}

/** Retires a register entry after a confirmation that says what retiring means. */
export function RetireButton({
  kind,
  id,
  name,
  onDone,
}: {
  kind: Retirable;
  id: string;
  name: string;
  onDone: () => void;
}) {
  const t = useT();
  return (
    <ConfirmButton
      label={t('action.retire')}
      className="secondary"
      impact={t('retire.impact', { name })}
      onConfirm={() =>
        call('register:retire', { kind, id, retired: true }).then((r) => r && onDone())
      }
    />
  );
}
