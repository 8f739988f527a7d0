import { errorMessage } from '../../../shared/i18n';
import { useT } from '../i18n';
import { useNotifications } from '../stores/notifications';
import { useLanguage } from '../stores/preferences';

/** Renders the error sink; each message is the translation of its stable code. */
export function Notifications() {
  const t = useT();
  const language = useLanguage();
  const items = useNotifications((s) => s.items);
  const dismiss = useNotifications((s) => s.dismiss);
  return (
    <section className="notifications" aria-label={t('notifications.label')} aria-live="assertive">
      {items.map((n) => (
        <div key={n.id} className="notification" role="alert" data-code={n.code}>
          <span>{errorMessage(language, n.code)}</span>
          <button type="button" onClick={() => dismiss(n.id)}>
            {t('notifications.dismiss')}
          </button>
        </div>
      ))}
    </section>
  );
}
