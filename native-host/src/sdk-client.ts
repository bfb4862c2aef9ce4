import { setTimeout as sleep } from 'node:timers/promises';
import {
  answerTimeoutMs,
  FACE_SERVICE_ADVICE,
  FaceError,
  parseSdkResponse,
  SDK_ERR_CODES,
  SDK_NEEDS_INIT,
  type InitParams,
  type SdkCallParams,
  type SdkCommand,
  type SdkResult,
} from '@posface/protocol';
import type { Logger } from './log.js';
import type { RawAnswer, SdkLibrary } from './sdk-binding.js';
import type { SdkQueue } from './sdk-queue.js';
import type { SdkWatchdog } from './sdk-watchdog.js';
import { probeServicePipe, SERVICE_PIPE, type PipeProbe } from './service-pipe.js';

/** The SDK's `version` field: always "1" (docs/sdk-contract.md). */
const SDK_REQUEST_VERSION = '1';

export function unixNow(): number {
  return Math.floor(Date.now() / 1000);
}

/** The request the SDK receives: the caller's validated fields plus `version` and `now`, set here only. */
export function buildSdkRequest(params: SdkCallParams, now: number = unixNow()): Buffer {
  return Buffer.from(JSON.stringify({ ...params, version: SDK_REQUEST_VERSION, now }), 'utf8');
}

/** Reads the SDK's response text into its typed result, or the mapped FaceError. */
function readSdkResponse<C extends SdkCommand>(cmd: C, body: string): SdkResult<C> {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new FaceError('SDK_ERROR', `The SDK answered ${cmd} with ${body.length} characters that are not JSON`, { cause: error });
  }
  return parseSdkResponse(cmd, value);
}

export interface SdkClientOptions {
  /** Each command's budget: a call answers within it, re-init and retries included. */
  timeouts: Record<SdkCommand, number>;
  /** How long in all to keep calling init again while the SDK answers "initialising"; 0: not at all. */
  initWaitMs: number;
  /** The pause between those calls (the vendor says about 500 ms). */
  initRetryMs?: number;
  /**
   * Checks WxpayFaceService's pipe after a failure the SDK did not explain; a missing pipe turns it
   * into FACE_SERVICE_DOWN. Default: the real check on Windows, none elsewhere.
   */
  probeService?: (() => PipeProbe) | null;
}

/**
 * Commands that run on the main thread once the watchdog is up: the one at the start of every face
 * step, which the SDK answers at once (sdk-watchdog.ts). The others stay on koffi's worker threads:
 * a face step takes seconds, and stop must get through during one.
 */
const ON_MAIN_THREAD: ReadonlySet<SdkCommand> = new Set(['getWxpayfaceRawdata']);

/** Who waits for a call: the end of its budget, and the request it answers (none for the host's own). */
interface Caller {
  deadline: number;
  requestId?: string;
}

const INIT_RETRY_MS = 500;
/** Kept back from a call's budget for the call itself once the waiting for init is over. */
const FINAL_ATTEMPT_MS = 1000;

/** The SDK's err_code when it says it has no session (not initialised, or initialising). */
function sessionErrCode(error: unknown): number | undefined {
  const errCode = error instanceof FaceError ? error.details?.errCode : undefined;
  return errCode === SDK_ERR_CODES.notInitialised || errCode === SDK_ERR_CODES.initialising ? errCode : undefined;
}

/**
 * SDK calls through the one-at-a-time queue, with the outcome of each in the log. It also owns the
 * SDK's session, so the page never has to: init is called again (about every 500 ms, up to
 * initWaitMs) while the SDK answers "initialising" (err_code 271378621), and a call answered "not
 * initialised" or "initialising" (271378620/1) gets one re-init with the page's last init params,
 * then runs once more.
 */
export class SdkClient {
  /** The last init that succeeded and was not released since: what a re-init repeats. */
  private initParams: InitParams | null = null;
  /** An init in progress with its retries; calls that need a session wait for it. */
  private initRun: Promise<SdkResult<'initWxpayface'>> | null = null;
  private readonly probeService: (() => PipeProbe) | null;
  private watchdog: SdkWatchdog | null = null;

  constructor(
    private readonly library: SdkLibrary,
    private readonly queue: SdkQueue,
    private readonly log: Logger,
    private readonly options: SdkClientOptions,
  ) {
    this.probeService = options.probeService !== undefined ? options.probeService : process.platform === 'win32' ? () => probeServicePipe() : null;
  }

  /** From now on, the commands in ON_MAIN_THREAD run on the main thread guarded by `watchdog` (null: no longer). */
  guardWith(watchdog: SdkWatchdog | null): void {
    this.watchdog = watchdog;
  }

  /** `requestId`: the request this call answers (what the watchdog answers if the SDK hangs). */
  call<C extends SdkCommand>(params: SdkCallParams & { cmd: C }, requestId?: string): Promise<SdkResult<C>> {
    const deadline = Date.now() + answerTimeoutMs('host', params.cmd, this.options.timeouts);
    return (this.run(params, { deadline, requestId }) as Promise<SdkResult<C>>).catch((error: unknown) => {
      throw this.explain(FaceError.wrap(error, 'SDK_ERROR'));
    });
  }

  private run(params: SdkCallParams, caller: Caller): Promise<unknown> {
    const { deadline } = caller;
    // No await before an init is registered: a call that arrives next must find it in progress.
    if (params.cmd === 'initWxpayface') return this.initAfterOthers(params, deadline);
    // A release is on purpose (aggregated-payment terminals free the camera): no re-init behind its back.
    if (params.cmd === 'releaseWxpayface') this.initParams = null;
    if (!SDK_NEEDS_INIT.has(params.cmd)) return this.once(params);
    const first = this.initRun ? this.initRun.catch(() => undefined).then(() => this.once(params, caller)) : this.once(params, caller);
    return first.catch(async (error: unknown) => {
      const errCode = sessionErrCode(error);
      const again = this.initParams;
      if (errCode === undefined || again === null) throw error;
      this.log.warn('sdk has no session: init again, then retry once', { cmd: params.cmd, errCode });
      await this.initialise(again, deadline);
      return this.once(params, caller);
    });
  }

  /**
   * The page's own init runs with its own params (never shares another's, whose params may differ),
   * after any init in progress; no await between the loop's last check and initialise().
   */
  private async initAfterOthers(params: InitParams, deadline: number): Promise<unknown> {
    while (this.initRun) await this.initRun.catch(() => undefined);
    return this.initialise(params, deadline);
  }

  /** One init with its retries; concurrent callers share it. */
  private initialise(params: InitParams, deadline: number): Promise<SdkResult<'initWxpayface'>> {
    this.initRun ??= this.initUntilReady(params, deadline).finally(() => {
      this.initRun = null;
    });
    return this.initRun;
  }

  private async initUntilReady(params: InitParams, deadline: number): Promise<SdkResult<'initWxpayface'>> {
    const started = Date.now();
    const until = Math.min(started + this.options.initWaitMs, deadline - FINAL_ATTEMPT_MS);
    const pause = this.options.initRetryMs ?? INIT_RETRY_MS;
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.once(params);
        this.initParams = params;
        if (attempt > 1) this.log.info('sdk initialised after waiting', { attempts: attempt, ms: Date.now() - started });
        return result;
      } catch (error) {
        if (sessionErrCode(error) !== SDK_ERR_CODES.initialising) throw error;
        const waited = Date.now() - started;
        if (Date.now() + pause > until) {
          const face = error as FaceError;
          this.log.warn('sdk still initialising: giving up', { attempts: attempt, ms: waited });
          throw new FaceError(face.code, `${face.message}: still initialising after ${attempt} attempts over ${waited} ms`, {
            returnCode: face.returnCode,
            returnMsg: face.returnMsg,
            details: { ...face.details, attempts: attempt, waitedMs: waited },
            cause: face,
          });
        }
        this.log.info('sdk initialising: init again shortly', { attempt, pauseMs: pause });
        await sleep(pause);
      }
    }
  }

  /** One call through the queue: on the main thread under the watchdog, or on a koffi worker thread. */
  private once<C extends SdkCommand>(params: SdkCallParams & { cmd: C }, caller?: Caller): Promise<SdkResult<C>> {
    const cmd = params.cmd;
    return this.queue.submit(cmd, async () => {
      const started = performance.now();
      const request = buildSdkRequest(params);
      const watchdog = this.watchdog;
      const answer =
        watchdog && caller?.requestId !== undefined && ON_MAIN_THREAD.has(cmd)
          ? watchdog.run(caller.requestId, cmd, () => this.library.callHere(request))
          : await this.library.call(request);
      return this.read(cmd, answer, Math.round(performance.now() - started));
    });
  }

  /** The SDK's answer to one call, logged. */
  private read<C extends SdkCommand>(cmd: C, answer: RawAnswer, ms: number): SdkResult<C> {
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
      this.log.info('sdk call', { cmd, ms, code: face.code, return_code: face.returnCode, return_msg: face.returnMsg, err_code: face.details?.errCode });
      throw face;
    }
  }

  /** A failure the SDK did not explain, with WxpayFaceService's pipe missing: say so. */
  private explain(error: FaceError): FaceError {
    if ((error.code !== 'SDK_ERROR' && error.code !== 'SDK_CALL_FAILED') || this.probeService === null) return error;
    const probe = this.probeService();
    if (probe.state !== 'missing') return error;
    this.log.warn('WxpayFaceService is not running', { pipe: SERVICE_PIPE, after: error.code });
    return new FaceError('FACE_SERVICE_DOWN', `WxpayFaceService is not running (${SERVICE_PIPE} does not exist): ${FACE_SERVICE_ADVICE}. The SDK said: ${error.message}`, {
      returnCode: error.returnCode,
      returnMsg: error.returnMsg,
      details: { ...error.details, pipe: SERVICE_PIPE },
      cause: error,
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
