/**
 * Test-only binding of the SDK simulator through koffi 3, the way the host binds the DLL:
 * async stack set before the first load, `_Out_ void **` for the response, decode with the size,
 * release in `finally`. Used by wxpay-sim/src/sdk-*.test.ts.
 */
import koffi from 'koffi';
import { SIM_LIBRARY_PATH } from '@posface/wxpay-sim';

// Must precede the first koffi.load in this process (koffi refuses config changes after it).
koffi.config({ ...koffi.config(), async_stack_size: 8 * 1024 * 1024 });

// WXPAYFACE_SIM_TEST_LIBRARY runs the same tests against another build (e.g. a deliberately broken one).
const LIBRARY_PATH = process.env.WXPAYFACE_SIM_TEST_LIBRARY ?? SIM_LIBRARY_PATH;
const lib = koffi.load(LIBRARY_PATH);
const callFaceService = lib.func(
  'int wxpayCallFaceService(const uint8_t *reqBuf, unsigned int reqSize, _Out_ void **pRespBuf, _Out_ unsigned int *pRespSize)',
);
const releaseResponse = lib.func('void wxpayReleaseResponse(_Inout_ void **pRespBuf)');

interface SimAnswer {
  /** What wxpayCallFaceService returned. */
  code: number;
  /** The response's bytes exactly as the library sized them, or null without a response. */
  bytes: Buffer | null;
  /** The parsed response, or null without a response. */
  body: Record<string, unknown> | null;
  /** The response pointer after wxpayReleaseResponse (must be null). */
  afterRelease: bigint | null;
}

type Json = Record<string, unknown>;

/** Reads the response the `_Out_` arguments point at, then hands it back to the library. */
function finish(code: number, out: [bigint | null], size: [number]): SimAnswer {
  const ptr = out[0];
  if (ptr === null) return { code, bytes: null, body: null, afterRelease: null };
  const handle: [bigint | null] = [ptr];
  let text: string;
  try {
    // Decode with the size: the response has no NUL. (A koffi.array type per call would leak: koffi keeps types.)
    text = koffi.decode.string(ptr, size[0]);
  } finally {
    releaseResponse(handle);
  }
  const bytes = Buffer.from(text, 'utf8');
  // Re-encoding gives back the same byte count only when the response was valid UTF-8 of exactly that size.
  if (bytes.length !== size[0]) throw new Error(`response of ${size[0]} bytes is not valid UTF-8 (${bytes.length} after decoding)`);
  return { code, bytes, body: JSON.parse(text) as Json, afterRelease: handle[0] };
}

function toBuffer(request: Json | string | Buffer): Buffer {
  if (Buffer.isBuffer(request)) return request;
  return Buffer.from(typeof request === 'string' ? request : JSON.stringify(request), 'utf8');
}

/** Calls the library on this thread; `size` overrides reqSize (defaults to the byte length). */
export function callRaw(request: Json | string | Buffer, size?: number): SimAnswer {
  const buf = toBuffer(request);
  const out: [bigint | null] = [null];
  const outSize: [number] = [0];
  const code = callFaceService(buf, size ?? buf.length, out, outSize) as number;
  return finish(code, out, outSize);
}

/** Calls the library on a koffi worker thread, as the native host does for the face step. */
function callRawAsync(request: Json | string | Buffer, size?: number): Promise<SimAnswer> {
  const buf = toBuffer(request);
  const out: [bigint | null] = [null];
  const outSize: [number] = [0];
  return new Promise((resolve, reject) => {
    callFaceService.async(buf, size ?? buf.length, out, outSize, (error: unknown, code: number) => {
      if (error) reject(error instanceof Error ? error : new Error(String(error)));
      else resolve(finish(code, out, outSize));
    });
  });
}

export const unixNow = (): number => Math.floor(Date.now() / 1000);

/** A request as the host sends it: the SDK's fields plus `version` and `now`. */
export function request(cmd: string, fields: Json = {}): Json {
  return { cmd, version: '1', now: unixNow(), ...fields };
}

/** Sends the request and returns the parsed response (failing when there is none). */
export function call(cmd: string, fields: Json = {}): Json {
  const answer = callRaw(request(cmd, fields));
  if (answer.code !== 0 || !answer.body) throw new Error(`${cmd} returned ${answer.code} without a response`);
  return answer.body;
}

export async function callAsync(cmd: string, fields: Json = {}): Promise<Json> {
  const answer = await callRawAsync(request(cmd, fields));
  if (answer.code !== 0 || !answer.body) throw new Error(`${cmd} returned ${answer.code} without a response`);
  return answer.body;
}

/** Releases a pointer the way a careless caller might, to check the function's own guarantees. */
export function release(handle: [bigint | null] | null): void {
  releaseResponse(handle);
}

/** Calls without handing the response back (a leak on purpose): the control for the memory test. */
export function callWithoutRelease(request: Json): number {
  const buf = toBuffer(request);
  return callFaceService(buf, buf.length, [null], [0]) as number;
}
