/** The application shell: banners, navigation, the current screen and the notifications. */
import { useEffect, useRef, type ReactNode } from 'react';
import { call, callRaw } from './api';
import { AuditBanner } from './components/AuditBanner';
import { ClassificationBanner } from './components/ClassificationBanner';
import { Notifications } from './components/Notifications';
import { useT } from './i18n';
import { hrefFor, ROUTES, useRoute, useRouteParam, type Route } from './router';
import { CaseDetail } from './screens/CaseDetail';
import { Cases } from './screens/Cases';
import { Dashboard } from './screens/Dashboard';
import { Exchange } from './screens/Exchange';
import { RiskDetail } from './screens/RiskDetail';
import { Risks } from './screens/Risks';
import { People } from './screens/People';
import { RecordDetail } from './screens/RecordDetail';
import { Records } from './screens/Records';
import { SystemDetail } from './screens/SystemDetail';
import { SystemForm } from './screens/SystemForm';
import { Systems } from './screens/Systems';
import { useRegister } from './stores/register';
import { Diagnostics } from './screens/Diagnostics';
import { Settings } from './screens/Settings';
import { RecoveryKey } from './screens/RecoveryKey';
import { VaultGate } from './screens/VaultGate';
import { useLanguage, usePreferences } from './stores/preferences';
import { UnsavedDialog } from './components/Confirm';
import { currentDrafts, useUnsaved } from './stores/unsaved';
import { useNotifications } from './stores/notifications';
import { followVaultEvents, useVault } from './stores/vault';

function Screen({ route, param }: { route: Route; param: string | null }): ReactNode {
  if (route === 'settings') {
    return <Settings />;
  }
  if (route === 'systems') {
    if (param === 'new') {
      return <SystemForm onDone={(id) => (window.location.hash = hrefFor('systems', id))} />;
    }
    return param ? <SystemDetail id={param} /> : <Systems />;
  }
  if (route === 'records') {
    return param ? <RecordDetail id={param} /> : <Records />;
  }
  if (route === 'cases') {
    if (param?.startsWith('state:')) {
      return <Cases key={param} initialState={param.slice(6)} />;
    }
    return param ? <CaseDetail id={param} /> : <Cases />;
  }
  if (route === 'dashboard') {
    return <Dashboard />;
  }
  if (route === 'exports') {
    return <Exchange />;
  }
  if (route === 'risks') {
    return param && !param.includes(':') ? (
      <RiskDetail id={param} />
    ) : (
      <Risks key={param} param={param} />
    );
  }
  if (route === 'people') {
    return <People />;
  }
  return <Diagnostics />;
}

function VaultBar() {
  const t = useT();
  const status = useVault((s) => s.status);
  const applyStatus = useVault((s) => s.applyStatus);
  const profile = status?.profile;
  if (!profile) {
    return null;
  }
  return (
    <div className="vault-bar">
      <span data-testid="signed-in">
        {t('vault.signedInAs', {
          name: profile.name,
          organisation: profile.organisation,
          role: t(`vault.role.${profile.role}`),
        })}
      </span>
      <button
        type="button"
        className="secondary"
        // The forms' unsaved text goes with the lock: sealed by the core, offered after unlock.
        onClick={() =>
          void call('vault:lock', { drafts: currentDrafts() }).then((s) => s && applyStatus(s))
        }
      >
        {t('vault.lock')}
      </button>
    </div>
  );
}

/** After unlock: the text kept at the lock, offered back on the screen it was typed on. */
function DraftOffer() {
  const t = useT();
  const offer = useUnsaved((s) => s.offer);
  const restore = useUnsaved((s) => s.restoreOffer);
  const discard = useUnsaved((s) => s.discardOffer);
  if (!offer) {
    return null;
  }
  return (
    <div className="draft-offer" role="status" data-testid="draft-offer">
      <p>{t('unsaved.kept')}</p>
      <div className="toolbar">
        <button type="button" onClick={restore}>
          {t('unsaved.restore')}
        </button>
        <button type="button" className="secondary" onClick={discard}>
          {t('unsaved.discard')}
        </button>
      </div>
    </div>
  );
}

/** Screens that are the authority's own work: a system owner's vault does not show them. */
const AUTHORITY_ONLY = new Set<Route>(['records']);

export function App() {
  const t = useT();
  const route = useRoute();
  const param = useRouteParam();
  const role = useVault((s) => s.status?.profile?.role ?? 'accreditor');
  const guard = useUnsaved((s) => s.guard);
  const scheme = useRegister((s) => s.scheme);
  const onScreen = useRegister((s) => s.onScreen);
  const loadRegister = useRegister((s) => s.load);
  const language = useLanguage();
  const loaded = usePreferences((s) => s.loaded);
  const load = usePreferences((s) => s.load);
  const status = useVault((s) => s.status);
  const refresh = useVault((s) => s.refresh);

  useEffect(() => {
    followVaultEvents();
    void load();
    void refresh();
  }, [load, refresh]);

  useEffect(() => {
    document.documentElement.lang = language;
    document.title = t('app.title');
  }, [language, t]);

  const unlocked = status?.state === 'unlocked';
  // Unlocking opens the portfolio dashboard, or the screen whose unsaved text the lock kept
  // (offered back there); a reload of an open vault keeps its screen.
  const wasLocked = useRef(false);
  useEffect(() => {
    if (unlocked) {
      void loadRegister();
      if (wasLocked.current) {
        // The dashboard at once; the kept text's screen when the core says there is one, unless
        // the user has gone somewhere meanwhile (a click is never undone by a late answer).
        window.location.hash = hrefFor('dashboard');
        const opened = window.location.hash;
        void callRaw('vault:takeDrafts', {}).then((r) => {
          const kept = r.ok ? r.value.drafts : [];
          if (!r.ok) {
            useNotifications.getState().pushError(r.error);
          }
          if (kept[0]?.route && window.location.hash === opened) {
            window.location.hash = kept[0].route;
          }
          useUnsaved.getState().offerDrafts(kept);
        });
      } else if (!useUnsaved.getState().active) {
        // A reload of an open vault: what the user has not yet restored or discarded is
        // offered again, on the screen the reload kept.
        void callRaw('vault:takeDrafts', {}).then((r) => {
          if (!r.ok) {
            useNotifications.getState().pushError(r.error);
          }
          useUnsaved.getState().offerDrafts(r.ok ? r.value.drafts : []);
        });
      }
    }
    if (status) {
      wasLocked.current = !unlocked;
    }
  }, [unlocked, status, loadRegister]);

  if (!loaded || !status) {
    return null;
  }
  const marking = scheme?.highestMarking(onScreen) ?? null;
  let content: ReactNode;
  if (!unlocked) {
    content = <VaultGate />;
  } else if (status.confirmGroups) {
    content = <RecoveryKey groups={status.confirmGroups} />;
  }
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="app__header">
        <ClassificationBanner marking={marking} position="top" />
        <div className="app__title">
          <span>{t('app.title')}</span>
          {unlocked && status.profile ? <VaultBar /> : null}
        </div>
        <AuditBanner />
        {status.integrity === 'failed' ? (
          <p className="audit-alert" role="alert" data-testid="integrity-alert">
            {t('integrity.failed')}
          </p>
        ) : null}
      </header>
      {content ? (
        <main id="main" className="app__main app__main--gate" tabIndex={-1}>
          {content}
        </main>
      ) : (
        <div className="app__body">
          <nav className="app__nav" aria-label={t('nav.label')}>
            <ul>
              {ROUTES.filter((r) => role === 'accreditor' || !AUTHORITY_ONLY.has(r)).map((r) => (
                <li key={r}>
                  <a
                    href={hrefFor(r)}
                    aria-current={r === route ? 'page' : undefined}
                    data-route={r}
                    onClick={(e) => {
                      // Unsaved edits on this screen: ask before leaving it.
                      if (useUnsaved.getState().dirty.size > 0) {
                        e.preventDefault();
                        guard(() => {
                          window.location.hash = hrefFor(r);
                        });
                      }
                    }}
                  >
                    {t(`nav.${r}`)}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <main id="main" className="app__main" tabIndex={-1}>
            <h1>{t(`nav.${route}`)}</h1>
            <DraftOffer />
            <Screen route={route} param={param} />
            <UnsavedDialog />
          </main>
        </div>
      )}
      <Notifications />
      <footer>
        <ClassificationBanner marking={marking} position="bottom" />
      </footer>
    </div>
  );
}
