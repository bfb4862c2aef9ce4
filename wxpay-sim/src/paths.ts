import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

// The same code runs from src/ (tests) and dist/src/ (built): find the package folder either way.
const here = dirname(fileURLToPath(import.meta.url));
export const SIM_ROOT = here.includes(`${sep}dist${sep}`) ? resolve(here, '../..') : resolve(here, '..');

/** The faces file the demo and the tests use. */
export const DEFAULT_FACES_PATH = join(SIM_ROOT, 'faces.tsv');

/** The compiled SDK simulator for this machine (`npm run build -w wxpay-sim`). */
export const SIM_LIBRARY_PATH = join(
  SIM_ROOT,
  'sdk',
  'build',
  process.platform === 'win32' ? 'wxpayface_sim.dll' : process.platform === 'darwin' ? 'libwxpayface_sim.dylib' : 'libwxpayface_sim.so',
);
