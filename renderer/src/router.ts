/** Hash routes: a reload keeps the screen, and nothing needs a server-side fallback. */
import { useSyncExternalStore } from 'react';

export const ROUTES = [
  'dashboard',
  'systems',
  'cases',
  'risks',
  'records',
  'people',
  'exports',
  'settings',
  'diagnostics',
] as const;
export type Route = (typeof ROUTES)[number];

export function parseRoute(hash: string): Route {
  const name = hash.replace(/^#\/?/, '').split('/')[0] ?? '';
  return (ROUTES as readonly string[]).includes(name) ? (name as Route) : 'dashboard';
}

/** The part after the route: "#/systems/<id>" → "<id>". */
export function parseParam(hash: string): string | null {
  const parts = hash.replace(/^#\/?/, '').split('/');
  return parts.length > 1 && parts[1] ? decodeURIComponent(parts[1]) : null;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useRoute(): Route {
  return useSyncExternalStore(subscribe, () => parseRoute(window.location.hash));
}

export function useRouteParam(): string | null {
  return useSyncExternalStore(subscribe, () => parseParam(window.location.hash));
}

export function hrefFor(route: Route, param?: string): string {
  return param ? `#/${route}/${encodeURIComponent(param)}` : `#/${route}`;
}
