import type { WorkbenchApi } from '../../shared/contract';

declare global {
  interface Window {
    /** Exposed by the preload (desktop) or the web bridge (browser preview); nothing else is. */
    readonly workbench: WorkbenchApi;
  }
}
