import koffi from 'koffi';

/** The face step blocks for seconds inside the vendor's code; koffi's 128 KiB default stack is too small. */
const ASYNC_STACK_BYTES = 8 * 1024 * 1024;

let configured = false;

/**
 * Must run before the first koffi.load() of the process: koffi fixes its settings then. Every module
 * that loads a library calls this first.
 */
export function configureKoffi(): typeof koffi {
  if (!configured) {
    // Few resident pools: each async call slot keeps an 8 MiB stack, and the host runs one call at a
    // time (plus a stop).
    koffi.config({ ...koffi.config(), async_stack_size: ASYNC_STACK_BYTES, resident_async_pools: 2 });
    configured = true;
  }
  return koffi;
}
