/** The application shell: banners, navigation, the current screen and the notifications. */
import { useEffect, type ReactNode } from 'react';
import type { MessageKey } from '../../shared/i18n';
import { ClassificationBanner } from './components/ClassificationBanner';
import { EmptyState } from './components/EmptyState';
import { Notifications } from './components/Notifications';
import { useT } from './i18n';
import { hrefFor, ROUTES, useRoute, type Route } from './router';
import { Diagnostics } from './screens/Diagnostics';
import { Settings } from './screens/Settings';
import { useLanguage, usePreferences } from './stores/preferences';

const EMPTY: Partial<Record<Route, [MessageKey, MessageKey]>> = {
  dashboard: ['empty.dashboard.title', 'empty.dashboard.body'],
  systems: ['empty.systems.title', 'empty.systems.body'],
  cases: ['empty.cases.title', 'empty.cases.body'],
  risks: ['empty.risks.title', 'empty.risks.body'],
  records: ['empty.records.title', 'empty.records.body'],
  exports: ['empty.exports.title', 'empty.exports.body'],
};

function Screen({ route }: { route: Route }): ReactNode {
  if (route === 'settings') {
    return <Settings />;
  }
  if (route === 'diagnostics') {
    return <Diagnostics />;
  }
  const [title, body] = EMPTY[route] ?? ['empty.dashboard.title', 'empty.dashboard.body'];
  return <EmptyState title={title} body={body} />;
}

export function App() {
  const t = useT();
  const route = useRoute();
  const language = useLanguage();
  const loaded = usePreferences((s) => s.loaded);
  const load = usePreferences((s) => s.load);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    document.documentElement.lang = language;
    document.title = t('app.title');
  }, [language, t]);

  if (!loaded) {
    return null;
  }
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="app__header">
        <ClassificationBanner marking={null} position="top" />
        <div className="app__title">{t('app.title')}</div>
      </header>
      <div className="app__body">
        <nav className="app__nav" aria-label={t('nav.label')}>
          <ul>
            {ROUTES.map((r) => (
              <li key={r}>
                <a href={hrefFor(r)} aria-current={r === route ? 'page' : undefined} data-route={r}>
                  {t(`nav.${r}`)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" className="app__main" tabIndex={-1}>
          <h1>{t(`nav.${route}`)}</h1>
          <Screen route={route} />
        </main>
      </div>
      <Notifications />
      <footer>
        <ClassificationBanner marking={null} position="bottom" />
      </footer>
    </div>
  );
}
