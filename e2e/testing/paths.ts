import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toolPath } from '@posface/testing';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The unpacked extension (`npm run build -w extension`). */
export const EXTENSION_DIR = join(REPO_ROOT, 'extension', 'dist');
/** The host launcher a development manifest points at, and the one-script build it runs. */
export const HOST_BIN = join(REPO_ROOT, 'native-host', 'bin', 'pos-face-host');
export const HOST_ENTRY = join(REPO_ROOT, 'native-host', 'dist', 'pos-face-host.cjs');
/** A bare Node host with the same framing (benchmarks compare against it). */
export const ECHO_HOST = join(REPO_ROOT, 'native-host', 'bench', 'echo-host.cjs');
export const SIM_LIBRARY = join(REPO_ROOT, 'wxpay-sim', 'sdk', 'build', 'libwxpayface_sim.so');
export const DEFAULT_FACES = join(REPO_ROOT, 'wxpay-sim', 'faces.tsv');

/** Debian's Chromium (CHROMIUM_PATH overrides, e.g. for Chrome). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? toolPath('chromium');
