import koffi from 'koffi';

/**
 * The stack the vendor's code runs on, on worker threads (koffi's default: 128 KiB, too small for a face
 * step) and on the main thread (sdk-watchdog.ts; default 2 MiB): the same for both, whichever runs a call.
 */
const SDK_STACK_BYTES = 8 * 1024 * 1024;

let configured = false;

/**
 * Must run before the first koffi.load() of the process: koffi fixes its settings then. Every module
 * that loads a library calls this first.
 */
export function configureKoffi(): typeof koffi {
  if (!configured) {
    // Few resident pools: each async call slot keeps an 8 MiB stack, and the host runs one call at a
    // time (plus a stop).
    koffi.config({ ...koffi.config(), sync_stack_size: SDK_STACK_BYTES, async_stack_size: SDK_STACK_BYTES, resident_async_pools: 2 });
    configured = true;
  }
  return koffi;
}
