import { createRequire } from 'node:module';
import { join } from 'node:path';

declare const __KOFFI_NATIVE__: string;

/**
 * Stands in for the `koffi` package in the checkout's one-script host (bundle.ts aliases it), as
 * koffi-sea.ts does in the exe: it loads the koffi.node that koffi's own loader chose when the script
 * was built (its path relative to the script), so a start skips that loader, which reads Node's own
 * ELF headers to tell glibc from musl every time.
 */
const koffi: unknown = createRequire(__filename)(join(__dirname, __KOFFI_NATIVE__));
export default koffi;
