/** Hash routes: a reload keeps the screen, and nothing needs a server-side fallback. */
import { useSyncExternalStore } from 'react';

export const ROUTES = [
  'dashboard',
  'systems',
  'cases',
  'risks',
  'records',
  'exports',
  'settings',
  'diagnostics',
] as const;
export type Route = (typeof ROUTES)[number];

export function parseRoute(hash: string): Route {
  const name = hash.replace(/^#\/?/, '');
  return (ROUTES as readonly string[]).includes(name) ? (name as Route) : 'dashboard';
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useRoute(): Route {
  return useSyncExternalStore(subscribe, () => parseRoute(window.location.hash));
}

export function hrefFor(route: Route): string {
  return `#/${route}`;
}
