/**
 * The classification banner shown at the top and bottom of every screen. It carries the
 * highest marking of what is open; with nothing classified open it says so plainly.
 * Colours come from the classification scheme (data), never from this component.
 */
import { useT } from '../i18n';

export interface Marking {
  text: string;
  background: string;
  foreground: string;
}

export function ClassificationBanner({
  marking,
  position,
}: {
  marking: Marking | null;
  position: 'top' | 'bottom';
}) {
  const t = useT();
  const style = marking ? { background: marking.background, color: marking.foreground } : undefined;
  return (
    <div
      className={`classification-banner classification-banner--${position}${marking ? '' : ' classification-banner--none'}`}
      style={style}
      data-testid={`classification-banner-${position}`}
    >
      <span className="visually-hidden">{t('banner.label')}: </span>
      {marking ? marking.text : t('banner.none')}
    </div>
  );
}
