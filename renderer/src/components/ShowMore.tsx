/** The next page of a long list: how many more, and how many of how many are shown. */
import { useT } from '../i18n';

export const PAGE = 200;

export function ShowMore({
  shown,
  total,
  onMore,
  testId,
}: {
  shown: number;
  total: number;
  onMore: () => void;
  testId: string;
}) {
  const t = useT();
  if (total <= shown) {
    return null;
  }
  return (
    <button type="button" className="secondary" data-testid={testId} onClick={onMore}>
      {t('list.showMore', { n: Math.min(PAGE, total - shown), shown, total })}
    </button>
  );
}
