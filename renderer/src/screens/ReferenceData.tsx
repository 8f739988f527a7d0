/** Reference data of the vault: organisations, approved products, and the classification scheme (view and import). */
import { useState } from 'react';
import { DOMAINS } from '../../../shared/classification';
import { errorMessage } from '../../../shared/i18n';
import { callRaw } from '../api';
import { useLoad } from '../load';
import { useIssues, useT } from '../i18n';
import { useLanguage } from '../stores/preferences';
import { useRegister } from '../stores/register';
import { OrganisationForm, ProductForm, RetireButton, type Existing } from './RegisterForms';
import { FileButton } from '../components/FileButton';
import { useFormat } from '../format';

function CatalogueImport() {
  const t = useT();
  const fieldIssues = useIssues();
  const language = useLanguage();
  const [message, setMessage] = useState<{ ok: boolean; lines: string[] } | null>(null);
  async function importFile(file: File | undefined) {
    if (!file) {
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(await file.text());
    } catch {
      setMessage({ ok: false, lines: [t('catalogue.rejected'), 'not JSON'] });
      return;
    }
    const r = await callRaw('catalogues:import', { catalogue: parsed });
    if (r.ok) {
      const { diff } = r.value;
      setMessage({
        ok: true,
        lines: [
          t('catalogue.imported', { id: r.value.id, version: r.value.version }),
          diff
            ? t('catalogue.diff', {
                added: diff.added.length,
                removed: diff.removed.length,
                changed: diff.changed.length,
              })
            : t('catalogue.first'),
          ...(diff
            ? [
                ...diff.added.map((id) => `+ ${id}`),
                ...diff.removed.map((id) => `− ${id}`),
                ...diff.changed.map((c) => `~ ${c.id}: ${c.fields.join(', ')}`),
              ]
            : []),
        ],
      });
    } else {
      setMessage({
        ok: false,
        lines: [
          t('catalogue.rejected'),
          errorMessage(language, r.error.code),
          ...fieldIssues.lines(r.error),
        ],
      });
    }
  }
  return (
    <>
      <h3>{t('catalogue.title')}</h3>
      <FileButton
        label={t('catalogue.import')}
        accept=".json,application/json"
        testId="catalogue-import"
        onFile={(file) => void importFile(file)}
      />
      {message ? (
        <ul
          role="status"
          data-testid="catalogue-message"
          className={message.ok ? undefined : 'form-error'}
        >
          {message.lines.slice(0, 200).map((line, i) => (
            <li key={i} className={i > 1 ? 'mono' : undefined}>
              {line}
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}

export function ReferenceData() {
  const t = useT();
  const format = useFormat();
  const fieldIssues = useIssues();
  const language = useLanguage();
  const scheme = useRegister((s) => s.scheme);
  const organisations = useRegister((s) => s.organisations);
  const reload = useRegister((s) => s.load);
  const { data: productList, reload: reloadProducts } = useLoad(
    () => callRaw('products:list', {}),
    [],
  );
  const products = productList?.products ?? [];
  const [editOrg, setEditOrg] = useState<Existing | null>(null);
  const [editProduct, setEditProduct] = useState<Existing | null>(null);
  const [schemeMessage, setSchemeMessage] = useState<{
    ok: boolean;
    text: string;
    issues?: string[];
  } | null>(null);

  async function importScheme(file: File | undefined) {
    if (!file) {
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(await file.text());
    } catch {
      setSchemeMessage({
        ok: false,
        text: errorMessage(language, 'VALIDATION_FAILED'),
        issues: ['not JSON'],
      });
      return;
    }
    const result = await callRaw('register:importScheme', { scheme: parsed });
    if (result.ok) {
      setSchemeMessage({ ok: true, text: t('scheme.imported') });
      await reload();
    } else {
      setSchemeMessage({
        ok: false,
        text: errorMessage(language, result.error.code),
        issues: fieldIssues.lines(result.error),
      });
    }
  }

  return (
    <section className="field-group" aria-labelledby="reference-title">
      <h2 id="reference-title">{t('settings.reference')}</h2>
      <h3>{t('settings.scheme')}</h3>
      {scheme ? (
        <>
          <p>
            {scheme.scheme.name[language]} —{' '}
            {t('scheme.version', { version: scheme.scheme.version })}
          </p>
          <table className="table" data-testid="scheme-table">
            <thead>
              <tr>
                <th scope="col">{t('col.rank')}</th>
                <th scope="col">{t('col.code')}</th>
                {DOMAINS.map((d) => (
                  <th key={d} scope="col">
                    {t(`domain.${d}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {scheme.levels.map((l) => (
                <tr key={l.code}>
                  <td>{l.rank}</td>
                  <td className="mono">{l.code}</td>
                  {DOMAINS.map((d) => (
                    <td key={d}>
                      {l.labels[d]} ({l.abbreviations[d]})
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      <FileButton
        label={t('scheme.import')}
        accept=".json,application/json"
        testId="scheme-import"
        onFile={(file) => void importScheme(file)}
      />
      {schemeMessage ? (
        <div role="status" data-testid="scheme-message">
          <p className={schemeMessage.ok ? undefined : 'form-error'}>{schemeMessage.text}</p>
          {schemeMessage.issues ? (
            <ul>
              {schemeMessage.issues.map((i) => (
                <li key={i} className="mono">
                  {i}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}

      <CatalogueImport />

      <h3>{t('settings.organisations')}</h3>
      <ul>
        {organisations.map((o) => (
          <li key={o.id} className="row-actions">
            {o.name} ({t(`orgType.${o.type}` as 'orgType.other')})
            <button
              type="button"
              className="secondary"
              onClick={() =>
                setEditOrg({
                  id: o.id,
                  values: { name: o.name, type: o.type, cvr: o.cvr, contact: o.contact },
                })
              }
            >
              {t('action.edit')}
            </button>
            <RetireButton
              kind="organisation"
              id={o.id}
              name={o.name}
              onDone={() => void reload()}
            />
          </li>
        ))}
      </ul>
      <OrganisationForm
        key={editOrg?.id ?? 'new-org'}
        existing={editOrg ?? undefined}
        onDone={() => {
          setEditOrg(null);
          void reload();
        }}
      />

      <h3>{t('settings.products')}</h3>
      <ul>
        {products.map((p) => (
          <li key={p.id} className="row-actions">
            {p.name} — {t(`productKind.${p.kind}` as 'productKind.crypto')}, {p.reference},{' '}
            {p.maxLevel}
            {p.expiresOn ? ` → ${format.day(p.expiresOn)}` : ''}
            <button
              type="button"
              className="secondary"
              onClick={() =>
                setEditProduct({
                  id: p.id,
                  values: {
                    name: p.name,
                    vendor: p.vendor,
                    version: p.version,
                    kind: p.kind,
                    authority: p.authority,
                    reference: p.reference,
                    maxLevel: p.maxLevel,
                    domain: p.domain,
                    expiresOn: p.expiresOn ?? '',
                  },
                })
              }
            >
              {t('action.edit')}
            </button>
            <RetireButton kind="product" id={p.id} name={p.name} onDone={reloadProducts} />
          </li>
        ))}
      </ul>
      <ProductForm
        key={editProduct?.id ?? 'new-product'}
        existing={editProduct ?? undefined}
        onDone={() => {
          setEditProduct(null);
          reloadProducts();
        }}
      />
    </section>
  );
}
