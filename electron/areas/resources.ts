/**
 * The folder of what the application ships (resources/: matrices, catalogues, policies), for the
 * areas. This file sits two folders below the root on purpose: so do the bundles that carry it
 * (dist/electron/main.js, dist/cli/awb.js), so the same path holds in the sources and in the
 * built application. An area's own folder is one deeper and would miss it once bundled.
 */
import { join } from 'node:path';

export const RESOURCES = join(import.meta.dirname, '..', '..', 'resources');
