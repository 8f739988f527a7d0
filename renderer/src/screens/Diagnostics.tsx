import type { MessageKey } from '../../../shared/i18n';
import { callRaw } from '../api';
import { useT } from '../i18n';
import { useLoad } from '../load';

/** Facts reported by the core (main process or preview), not guessed by the renderer. */
export function Diagnostics() {
  const t = useT();
  const { data } = useLoad(() => callRaw('app:diagnostics', {}), []);

  if (!data) {
    return <p>{t('diagnostics.loading')}</p>;
  }
  const na = t('diagnostics.notAvailable');
  const rows: [MessageKey, string][] = [
    ['diagnostics.appVersion', data.appVersion],
    [
      'diagnostics.runtime',
      t(
        data.runtime === 'electron'
          ? 'diagnostics.runtime.electron'
          : 'diagnostics.runtime.preview',
      ),
    ],
    ['diagnostics.electron', data.versions.electron ?? na],
    ['diagnostics.chrome', data.versions.chrome ?? na],
    ['diagnostics.node', data.versions.node],
    ['diagnostics.platform', data.platform],
    ['diagnostics.dataFolder', data.dataFolder],
    ['diagnostics.vaultState', t(`vault.state.${data.vaultState}`)],
  ];
  return (
    <>
      <p>{t('diagnostics.intro')}</p>
      <dl className="facts" data-testid="diagnostics">
        {rows.map(([label, value]) => (
          <div key={label} className="facts__row">
            <dt>{t(label)}</dt>
            <dd data-field={label}>{value}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}
