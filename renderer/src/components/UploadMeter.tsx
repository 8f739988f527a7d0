/**
 * A running upload as a person follows it: the bar, the share sent in per cent, the time left
 * (once the rate is known) and a button that cancels it.
 */
import type { UploadProgress } from '../upload';
import { useT } from '../i18n';
import { useFormat } from '../format';

export function UploadMeter({
  name,
  progress,
  onCancel,
}: {
  name: string;
  progress: UploadProgress;
  onCancel: () => void;
}) {
  const t = useT();
  const format = useFormat();
  const share = progress.total ? progress.sent / progress.total : 1;
  const left = progress.secondsLeft;
  const time =
    left === null
      ? t('upload.left.unknown')
      : left < 90
        ? t('upload.left.seconds', { n: Math.max(1, Math.round(left)) })
        : t('upload.left.minutes', { n: Math.round(left / 60) });
  return (
    <div className="upload-meter" data-testid="upload-meter">
      <progress max={1} value={share} aria-label={t('attach.progress', { name })} />
      <span role="status" data-testid="upload-status">
        {t('upload.percent', { percent: format.number(Math.floor(share * 100)) })} · {time}
      </span>
      <button type="button" className="secondary" onClick={onCancel}>
        {t('upload.cancel')}
      </button>
    </div>
  );
}
