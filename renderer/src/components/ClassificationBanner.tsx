/**
 * The classification banner shown at the top and bottom of every screen. It carries the
 * highest marking of what is open; with nothing classified open it says so plainly.
 * Colours come from the classification scheme (data), never from this component.
 *
 * In print the page's own margins carry it (styles.css, `@page`), on every page and clear of the
 * content: the top banner hands its text and colours to the print rules as custom properties of
 * the document, which the page's margin boxes read.
 */
import { useEffect } from 'react';
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
  const text = marking ? marking.text : t('banner.none');
  useEffect(() => {
    if (position !== 'top') {
      return;
    }
    const root = document.documentElement.style;
    root.setProperty('--print-marking', cssString(text));
    // Without a marking the print rules' own neutral colours stand.
    if (marking) {
      root.setProperty('--print-marking-background', marking.background);
      root.setProperty('--print-marking-color', marking.foreground);
    } else {
      root.removeProperty('--print-marking-background');
      root.removeProperty('--print-marking-color');
    }
  }, [position, text, marking]);
  return (
    <div
      className={`classification-banner classification-banner--${position}${marking ? '' : ' classification-banner--none'}`}
      style={style}
      data-testid={`classification-banner-${position}`}
    >
      <span className="visually-hidden">{t('banner.label')}: </span>
      {text}
    </div>
  );
}

/** A text as a CSS string (for `content:`): quotes and backslashes escaped, on one line. */
export function cssString(text: string): string {
  return `"${text.replace(/[\\"]/g, '\\$&').replace(/[\r\n]+/g, ' ')}"`;
}
