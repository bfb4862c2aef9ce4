import { dirname, join, resolve } from 'node:path';
import { RELEASE } from './release.js';

// From a checkout this module sits one level below the package folder both as src/paths.ts (tests) and
// inside dist/pos-face-host.cjs (built). In the single executable the "package folder" is the exe's own folder.
export const HOST_ROOT = RELEASE ? dirname(process.execPath) : resolve(import.meta.dirname, '..');

/** The host as one script, what the launchers run (`npm run build -w native-host` writes it); null in the exe. */
export const HOST_ENTRY: string | null = RELEASE ? null : join(HOST_ROOT, 'dist', 'pos-face-host.cjs');

/** The checkout's launcher (a development manifest may point here directly). */
export const HOST_BIN = join(HOST_ROOT, 'bin', 'pos-face-host');

/** The optional JSON config file "beside the host". POSFACE_HOST_CONFIG may name another file. */
export const DEFAULT_CONFIG_PATH = join(HOST_ROOT, 'pos-face-host.config.json');
