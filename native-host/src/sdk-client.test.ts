import { FaceError, SDK_TIMEOUT_MS, type SdkCommand } from '@posface/protocol';
import { describe, expect, it } from 'vitest';
import { Logger } from './log.js';
import type { RawAnswer, SdkLibrary } from './sdk-binding.js';
import { SdkClient, type SdkClientOptions } from './sdk-client.js';
import { SdkQueue } from './sdk-queue.js';
import type { SdkWatchdog } from './sdk-watchdog.js';
import type { PipeProbe } from './service-pipe.js';

// The client's session rules with a scripted fake library and the real queue (the real library and
// host process: host-sdk-session.test.ts).
type Json = Record<string, unknown>;
const OK = { return_code: 'SUCCESS', return_msg: 'SUCCESS' };
const NOT_INITIALISED = { return_code: 'FAIL', return_msg: '刷脸服务未初始化', err_code: 271378620 };
const INITIALISING = { return_code: 'FAIL', return_msg: '刷脸服务初始化中', err_code: 271378621 };

/** Answers each request with `answer(request)`; keeps every request it saw. */
class ScriptedLibrary implements SdkLibrary {
  readonly path = 'scripted';
  readonly requests: Json[] = [];
  constructor(private readonly answer: (request: Json, seen: Json[]) => Json | RawAnswer) {}
  /** Which way each request went: 'thread' (koffi's worker threads) or 'here' (the caller's thread). */
  readonly ways: string[] = [];
  async call(request: Buffer): Promise<RawAnswer> {
    this.ways.push('thread');
    return this.answerTo(request);
  }
  callHere(request: Buffer): RawAnswer {
    this.ways.push('here');
    return this.answerTo(request);
  }
  private answerTo(request: Buffer): RawAnswer {
    const parsed = JSON.parse(request.toString('utf8')) as Json;
    this.requests.push(parsed);
    const out = this.answer(parsed, this.requests);
    return 'rc' in out ? (out as RawAnswer) : { rc: 0, body: JSON.stringify(out) };
  }
  cmds(): string[] {
    return this.requests.map((r) => String(r.cmd));
  }
}

function client(library: SdkLibrary, options: Omit<Partial<SdkClientOptions>, 'timeouts'> & { timeouts?: Partial<Record<SdkCommand, number>> } = {}): SdkClient {
  const timeouts = { ...SDK_TIMEOUT_MS, ...options.timeouts };
  const queue = new SdkQueue({ timeouts, onStuck: () => undefined });
  const log = new Logger({ dir: null, stderr: false, maxBytes: 4096, files: 1 });
  return new SdkClient(library, queue, log, { initWaitMs: 20_000, initRetryMs: 20, probeService: null, ...options, timeouts });
}

async function failure(promise: Promise<unknown>): Promise<FaceError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof FaceError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

/** A library whose session the test controls: `state.ready` false answers "not initialised". */
function sessionLibrary(state = { ready: false, busyInits: 0 }) {
  return new ScriptedLibrary((request) => {
    if (request.cmd === 'initWxpayface') {
      if (state.busyInits > 0) {
        state.busyInits -= 1;
        return INITIALISING;
      }
      state.ready = true;
      return OK;
    }
    if (request.cmd === 'releaseWxpayface') {
      state.ready = false;
      return OK;
    }
    if (!state.ready) return NOT_INITIALISED;
    if (request.cmd === 'getWxpayfaceRawdata') return { ...OK, rawdata: 'raw' };
    return request.cmd === 'getWxpayfaceUserInfo' ? { ...OK, openid: 'o1' } : OK;
  });
}

describe('SdkClient: init that is still in progress (271378621)', () => {
  it('runs every page init with its own params, even when three arrive together', async () => {
    const library = sessionLibrary({ ready: false, busyInits: 1 });
    const sdk = client(library);
    const ports = ['1080', '1081', '1082'];
    await Promise.all(ports.map((port) => sdk.call({ cmd: 'initWxpayface', ip: '10.0.0.1', port, proxy_type: 3 })));
    // The first init is retried once ("initialising"); the other two each reach the SDK with their own port.
    expect(library.requests.map((r) => r.port)).toEqual(['1080', '1080', '1081', '1082']);
  });

  it('calls init again after the pause until it succeeds, and answers once', async () => {
    const library = sessionLibrary({ ready: false, busyInits: 3 });
    const started = Date.now();
    expect(await client(library, { initRetryMs: 50 }).call({ cmd: 'initWxpayface' })).toMatchObject(OK);
    expect(library.cmds()).toEqual(['initWxpayface', 'initWxpayface', 'initWxpayface', 'initWxpayface']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });

  it('gives up after initWaitMs with the SDK’s answer, the attempts and the time waited', async () => {
    const library = new ScriptedLibrary(() => INITIALISING);
    const error = await failure(client(library, { initWaitMs: 200, initRetryMs: 50 }).call({ cmd: 'initWxpayface' }));
    expect(error).toMatchObject({ code: 'SDK_ERROR', returnCode: 'FAIL', returnMsg: '刷脸服务初始化中', details: { errCode: 271378621 } });
    expect(error.message).toMatch(/still initialising after \d+ attempts over \d+ ms/);
    const attempts = error.details?.attempts as number;
    expect(attempts).toBe(library.requests.length);
    expect(attempts).toBeGreaterThanOrEqual(4);
    expect(attempts).toBeLessThanOrEqual(6);
  });

  it('never waits past the command’s own budget (less a second for the last attempt)', async () => {
    const library = new ScriptedLibrary(() => INITIALISING);
    const started = Date.now();
    await failure(client(library, { initWaitMs: 20_000, initRetryMs: 50, timeouts: { initWxpayface: 1300 } }).call({ cmd: 'initWxpayface' }));
    expect(Date.now() - started).toBeLessThan(600);
  });

  it('initWaitMs 0 passes the first "initialising" on', async () => {
    const library = new ScriptedLibrary(() => INITIALISING);
    expect(await failure(client(library, { initWaitMs: 0 }).call({ cmd: 'initWxpayface' }))).toMatchObject({ details: { attempts: 1 } });
  });

  it('other errors from init are not retried', async () => {
    const library = new ScriptedLibrary(() => ({ return_code: 'PARAM_ERROR', return_msg: 'Invalid port' }));
    expect(await failure(client(library).call({ cmd: 'initWxpayface', port: '1' }))).toMatchObject({ code: 'SDK_ERROR', returnMsg: 'Invalid port' });
    expect(library.requests).toHaveLength(1);
  });

  it('a call that needs the session waits for the init in progress instead of failing', async () => {
    const library = sessionLibrary({ ready: false, busyInits: 2 });
    const sdk = client(library, { initRetryMs: 30 });
    const init = sdk.call({ cmd: 'initWxpayface' });
    const rawdata = sdk.call({ cmd: 'getWxpayfaceRawdata' });
    expect(await rawdata).toMatchObject({ rawdata: 'raw' });
    await init;
    expect(library.cmds()).toEqual(['initWxpayface', 'initWxpayface', 'initWxpayface', 'getWxpayfaceRawdata']);
  });
});

describe('SdkClient: a session the SDK lost (271378620)', () => {
  it('inits again with the page’s last init params, byte for byte, then runs the call once more', async () => {
    const state = { ready: false, busyInits: 0 };
    const library = sessionLibrary(state);
    const sdk = client(library);
    await sdk.call({ cmd: 'initWxpayface', ip: '10.0.0.2', port: '8080', proxy_type: 3, camera_rotation: 2 });
    state.ready = false; // WxpayFaceService restarted
    expect(await sdk.call({ cmd: 'getWxpayfaceRawdata' })).toMatchObject({ rawdata: 'raw' });
    expect(library.cmds()).toEqual(['initWxpayface', 'getWxpayfaceRawdata', 'initWxpayface', 'getWxpayfaceRawdata']);
    const strip = ({ now: _now, ...rest }: Json) => rest;
    expect(strip(library.requests[2] as Json)).toEqual(strip(library.requests[0] as Json));
    expect(library.requests[2]).toMatchObject({ ip: '10.0.0.2', port: '8080', proxy_type: 3, camera_rotation: 2, version: '1' });
  });

  it('the re-init waits through "initialising" too', async () => {
    const state = { ready: true, busyInits: 0 };
    const library = sessionLibrary(state);
    const sdk = client(library);
    await sdk.call({ cmd: 'initWxpayface' });
    Object.assign(state, { ready: false, busyInits: 2 });
    expect(await sdk.call({ cmd: 'getWxpayfaceUserInfo', appid: 'a', mch_id: 'm', store_id: 's', face_authtype: 'FACEID-ONCE', authinfo: 'x' })).toMatchObject({ openid: 'o1' });
    expect(library.cmds().slice(1)).toEqual(['getWxpayfaceUserInfo', 'initWxpayface', 'initWxpayface', 'initWxpayface', 'getWxpayfaceUserInfo']);
  });

  it('retries only once: still "not initialised" after a good re-init is the answer', async () => {
    const library = new ScriptedLibrary((request) => (request.cmd === 'initWxpayface' ? OK : NOT_INITIALISED));
    const sdk = client(library);
    await sdk.call({ cmd: 'initWxpayface' });
    expect(await failure(sdk.call({ cmd: 'getWxpayfaceRawdata' }))).toMatchObject({ code: 'SDK_ERROR', details: { errCode: 271378620 } });
    expect(library.cmds()).toEqual(['initWxpayface', 'getWxpayfaceRawdata', 'initWxpayface', 'getWxpayfaceRawdata']);
  });

  it('does not init behind the page’s back when it never did, or released on purpose', async () => {
    const library = sessionLibrary();
    const sdk = client(library);
    expect(await failure(sdk.call({ cmd: 'getWxpayfaceRawdata' }))).toMatchObject({ code: 'SDK_ERROR', returnMsg: '刷脸服务未初始化' });
    await sdk.call({ cmd: 'initWxpayface' });
    await sdk.call({ cmd: 'releaseWxpayface' });
    await failure(sdk.call({ cmd: 'getWxpayfaceRawdata' }));
    expect(library.cmds()).toEqual(['getWxpayfaceRawdata', 'initWxpayface', 'releaseWxpayface', 'getWxpayfaceRawdata']);
  });

  it('a re-init that finds no service answers FACE_SERVICE_DOWN and does not run the call again', async () => {
    const state = { down: false };
    const library = new ScriptedLibrary((request) => (state.down ? NOT_INITIALISED : request.cmd === 'getWxpayfaceRawdata' ? { ...OK, rawdata: 'r' } : OK));
    const sdk = client(library);
    await sdk.call({ cmd: 'initWxpayface' });
    state.down = true;
    const error = await failure(sdk.call({ cmd: 'getWxpayfaceRawdata' }));
    expect(error.code).toBe('FACE_SERVICE_DOWN');
    expect(error.message).toMatch(/start WxpayFaceService/);
    expect(library.cmds()).toEqual(['initWxpayface', 'getWxpayfaceRawdata', 'initWxpayface']);
  });
});

describe('SdkClient: WxpayFaceService’s pipe (Windows)', () => {
  const probe = (state: PipeProbe['state']) => {
    const calls: number[] = [];
    return { calls, fn: (): PipeProbe => (calls.push(1), { state }) };
  };

  it('turns a failed call or an unexplained SDK error into FACE_SERVICE_DOWN when the pipe is missing, keeping the SDK’s words', async () => {
    const missing = probe('missing');
    const failed = new ScriptedLibrary(() => ({ rc: -1, body: null }));
    const error = await failure(client(failed, { probeService: missing.fn }).call({ cmd: 'initWxpayface' }));
    expect(error).toMatchObject({ code: 'FACE_SERVICE_DOWN', details: { rc: -1, pipe: '\\\\.\\pipe\\wxpayface' } });
    expect(error.message).toMatch(/^WxpayFaceService is not running \(\\\\\.\\pipe\\wxpayface does not exist\): start WxpayFaceService/);
    const odd = new ScriptedLibrary(() => ({ return_code: 'SYSTEMERROR', return_msg: 'connect failed' }));
    expect(await failure(client(odd, { probeService: missing.fn }).call({ cmd: 'initWxpayface' }))).toMatchObject({
      code: 'FACE_SERVICE_DOWN',
      returnCode: 'SYSTEMERROR',
      returnMsg: 'connect failed',
    });
  });

  it('leaves the error alone when the pipe is there, busy or cannot be checked', async () => {
    for (const state of ['present', 'busy', 'unknown'] as const) {
      const library = new ScriptedLibrary(() => ({ rc: -1, body: null }));
      expect(await failure(client(library, { probeService: probe(state).fn }).call({ cmd: 'initWxpayface' }))).toMatchObject({ code: 'SDK_CALL_FAILED' });
    }
  });

  it('does not look for the pipe when the SDK said what happened (cancel, authinfo)', async () => {
    const missing = probe('missing');
    const cancel = new ScriptedLibrary((request) => (request.cmd === 'initWxpayface' ? OK : { return_code: 'USER_CANCEL', return_msg: '用户取消' }));
    const sdk = client(cancel, { probeService: missing.fn });
    await sdk.call({ cmd: 'initWxpayface' });
    expect(await failure(sdk.call({ cmd: 'getWxpayfaceUserInfo', appid: 'a', mch_id: 'm', store_id: 's', face_authtype: 'FACEID-ONCE', authinfo: 'x' }))).toMatchObject({ code: 'USER_CANCEL' });
    expect(missing.calls).toHaveLength(0);
  });
});

describe('SdkClient: the hot call on the main thread', () => {
  it('runs getWxpayfaceRawdata for a request on the caller’s thread under the watchdog; everything else on worker threads', async () => {
    const library = new ScriptedLibrary((request) => (request.cmd === 'getWxpayfaceRawdata' ? { ...OK, rawdata: 'RAW' } : OK));
    const sdk = client(library);
    const guarded: Array<{ id: string; cmd: string }> = [];
    const watchdog = {
      run: <T>(id: string, cmd: string, call: () => T): T => {
        guarded.push({ id, cmd });
        return call();
      },
    } as unknown as SdkWatchdog;

    await sdk.call({ cmd: 'getWxpayfaceRawdata' }, 'before');
    sdk.guardWith(watchdog);
    await sdk.call({ cmd: 'initWxpayface' }, 'init');
    expect(await sdk.call({ cmd: 'getWxpayfaceRawdata' }, 'r-1')).toMatchObject(OK);
    await sdk.call({ cmd: 'getWxpayfaceRawdata' });
    await sdk.call({ cmd: 'releaseWxpayface' }, 'release');
    sdk.guardWith(null);
    await sdk.call({ cmd: 'getWxpayfaceRawdata' }, 'after');

    expect(library.cmds()).toEqual(['getWxpayfaceRawdata', 'initWxpayface', 'getWxpayfaceRawdata', 'getWxpayfaceRawdata', 'releaseWxpayface', 'getWxpayfaceRawdata']);
    expect(library.ways).toEqual(['thread', 'thread', 'here', 'thread', 'thread', 'thread']);
    expect(guarded).toEqual([{ id: 'r-1', cmd: 'getWxpayfaceRawdata' }]);
  });
});
