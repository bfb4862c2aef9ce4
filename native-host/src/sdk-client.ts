import { FaceError, parseSdkResponse, type SdkCallParams, type SdkCommand, type SdkResult } from '@posface/protocol';
import type { Logger } from './log.js';
import type { SdkLibrary } from './sdk-binding.js';
import type { SdkQueue } from './sdk-queue.js';

/** The SDK's `version` field: always "1" (face-sdk-contract.md). */
export const SDK_REQUEST_VERSION = '1';

export function unixNow(): number {
  return Math.floor(Date.now() / 1000);
}

/** The request the SDK receives: the caller's validated fields plus `version` and `now`, set here only. */
export function buildSdkRequest(params: SdkCallParams, now: number = unixNow()): Buffer {
  return Buffer.from(JSON.stringify({ ...params, version: SDK_REQUEST_VERSION, now }), 'utf8');
}

/** Reads the SDK's response text into its typed result, or the mapped FaceError. */
export function readSdkResponse<C extends SdkCommand>(cmd: C, body: string): SdkResult<C> {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new FaceError('SDK_ERROR', `The SDK answered ${cmd} with ${body.length} characters that are not JSON`, { cause: error });
  }
  return parseSdkResponse(cmd, value);
}

/** SDK calls through the one-at-a-time queue, with the outcome of each in the log. */
export class SdkClient {
  constructor(
    private readonly library: SdkLibrary,
    private readonly queue: SdkQueue,
    private readonly log: Logger,
  ) {}

  call<C extends SdkCommand>(params: SdkCallParams & { cmd: C }): Promise<SdkResult<C>> {
    const cmd = params.cmd;
    return this.queue.submit(cmd, async () => {
      const started = performance.now();
      const answer = await this.library.call(buildSdkRequest(params));
      const ms = Math.round(performance.now() - started);
      if (answer.rc !== 0 || answer.body === null) {
        this.log.warn('sdk call failed', { cmd, rc: answer.rc, ms });
        throw new FaceError('SDK_CALL_FAILED', `wxpayCallFaceService returned ${answer.rc} for ${cmd}: the SDK or WxpayFaceService is not working; restart the terminal's WxpayFaceService and retry`, {
          details: { cmd, rc: answer.rc },
        });
      }
      try {
        const result = readSdkResponse(cmd, answer.body);
        this.log.info('sdk call', { cmd, ms, return_code: 'SUCCESS', ...pickLogged(result) });
        return result;
      } catch (error) {
        const face = FaceError.wrap(error, 'SDK_ERROR');
        this.log.info('sdk call', { cmd, ms, code: face.code, return_code: face.returnCode, return_msg: face.returnMsg });
        throw face;
      }
    });
  }

  /** Asks the SDK to close a face step in progress (used when the browser goes away). */
  stopFaceStep(): Promise<unknown> | null {
    if (this.queue.active !== 'getWxpayfaceUserInfo' || this.queue.isStuck) return null;
    return this.call({ cmd: 'stopWxpayface' });
  }
}

/** What a success is worth logging: the openid (hashed by the logger), never the whole answer. */
function pickLogged(result: object): Record<string, unknown> {
  const r = result as Record<string, unknown>;
  return r.openid === undefined ? {} : { openid: r.openid };
}
