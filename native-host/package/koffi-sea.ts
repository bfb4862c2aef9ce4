import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Stands in for the `koffi` package inside the single executable (bundle.ts aliases it). koffi's own
 * loader looks for its native module in its package folder, which the exe does not have: the release
 * ships koffi.node beside pos-face-host.exe, and a single executable can load a file module only
 * through createRequire (Node's SEA documentation).
 */
const koffi: unknown = createRequire(process.execPath)(join(dirname(process.execPath), 'koffi.node'));
export default koffi;
