import type { MessageKey } from '../../../shared/i18n';
import { useT } from '../i18n';

export function EmptyState({ title, body }: { title: MessageKey; body: MessageKey }) {
  const t = useT();
  return (
    <div className="empty-state">
      <h2>{t(title)}</h2>
      <p>{t(body)}</p>
    </div>
  );
}
