import { describe, expect, it } from 'vitest';
import { BRIDGE_CHANNEL, FaceError, HOST_PROTOCOL_VERSION, SDK_TIMEOUT_MS, type HelloResult } from '@posface/protocol';
import { RequestRouter, type HostApi } from './request-router.js';

const hello: HelloResult = { protocol: HOST_PROTOCOL_VERSION, host: { name: 'h', version: '1.0.0' }, sdk: { loaded: true, path: null, arch: 'x64', error: null }, timeouts: { ...SDK_TIMEOUT_MS } };
const face = { cmd: 'getWxpayfaceUserInfo', appid: 'wx1', mch_id: 'm1', store_id: 'S001', face_authtype: 'FACEID-ONCE', authinfo: 'a' };
const req = (id: string, method: 'hello' | 'call', params?: unknown) => ({ channel: BRIDGE_CHANNEL, type: 'request', id, method, params });
const PAGE = 'http://127.0.0.1:8080/pos/';

/** A host that holds face steps until the test opens their gate, and answers a second one BUSY like its queue. */
function setup() {
  const calls: Array<{ cmd: string }> = [];
  const gates: Array<(v: unknown) => void> = [];
  let faceStepRunning = false;
  const host: HostApi = {
    hello: async () => hello,
    call: (params) => {
      calls.push(params);
      if (params.cmd === 'getWxpayfaceUserInfo') {
        if (faceStepRunning) return Promise.reject(new FaceError('BUSY', 'A face recognition is already in progress'));
        faceStepRunning = true;
        return new Promise((resolve) => gates.push((v) => ((faceStepRunning = false), resolve(v))));
      }
      if (params.cmd === 'releaseWxpayface') return Promise.reject(new FaceError('SDK_ERROR', 'nope'));
      return Promise.resolve({ return_code: 'SUCCESS', return_msg: 'OK' });
    },
  };
  const router = new RequestRouter({
    host,
    extension: { id: 'ext', version: '9.9.9' },
    isOriginAllowed: async (origin) => origin === 'http://127.0.0.1:8080',
  });
  return { router, calls, gates };
}

describe('RequestRouter', () => {
  it('adds the extension to hello', async () => {
    const { router } = setup();
    const response = await router.handle(req('1', 'hello'), PAGE, 'c1');
    expect(response).toMatchObject({ id: '1', ok: true, result: { host: { version: '1.0.0' }, extension: { id: 'ext', version: '9.9.9' } } });
  });

  it('refuses a sender origin that is not allowed before anything reaches the host', async () => {
    const { router, calls } = setup();
    for (const url of ['http://127.0.0.2:8080/', 'chrome-extension://abc/popup.html', undefined]) {
      const response = await router.handle(req('2', 'call', { cmd: 'initWxpayface' }), url, 'c1');
      expect(response).toMatchObject({ id: '2', ok: false, error: { code: 'ORIGIN_NOT_ALLOWED' } });
    }
    expect(calls).toEqual([]);
  });

  it('rejects a malformed envelope or a call it cannot route with INVALID_REQUEST (or not at all without an id)', async () => {
    const { router, calls } = setup();
    expect(await router.handle(req('3', 'call', { cmd: 'exec' }), PAGE, 'c1')).toMatchObject({
      ok: false,
      error: { code: 'INVALID_REQUEST', message: expect.stringContaining('params.cmd') },
    });
    expect(await router.handle(req('3b', 'call', Object.create({ cmd: 'getWxpayfaceRawdata' }) as object), PAGE, 'c1')).toMatchObject({
      ok: false,
      error: { code: 'INVALID_REQUEST', message: expect.stringContaining('params.cmd') },
    });
    expect(await router.handle({ channel: BRIDGE_CHANNEL, type: 'request', id: '4', method: 'exec' }, PAGE, 'c1')).toMatchObject({
      ok: false,
      error: { code: 'INVALID_REQUEST' },
    });
    expect(await router.handle({ hello: true }, PAGE, 'c1')).toBeNull();
    expect(calls).toEqual([]);
  });

  it("leaves the call's fields to the host, which checks them where they enter it", async () => {
    const { router, calls } = setup();
    await router.handle(req('3c', 'call', { cmd: 'getWxpayfaceRawdata', now: 1 }), PAGE, 'c1');
    expect(calls).toEqual([{ cmd: 'getWxpayfaceRawdata', now: 1 }]);
  });

  it("a second face step goes to the host (which answers BUSY) without taking over the first one's stop", async () => {
    const { router, calls, gates } = setup();
    const first = router.handle(req('5', 'call', face), PAGE, 'tab1');
    await Promise.resolve();
    expect(await router.handle(req('6', 'call', face), PAGE, 'tab2')).toMatchObject({ ok: false, error: { code: 'BUSY' } });
    expect(await router.handle(req('7', 'call', { cmd: 'stopWxpayface' }), PAGE, 'tab2')).toMatchObject({
      ok: false,
      error: { code: 'BUSY', message: expect.stringContaining('another tab') },
    });
    gates[0]!({ return_code: 'SUCCESS', openid: 'o' });
    expect(await first).toMatchObject({ id: '5', ok: true });
    void router.handle(req('8', 'call', face), PAGE, 'tab2');
    await Promise.resolve();
    expect(calls.map((c) => c.cmd)).toEqual(['getWxpayfaceUserInfo', 'getWxpayfaceUserInfo', 'getWxpayfaceUserInfo']);
  });

  it('stop from another tab is BUSY and never reaches the host; the owner\'s stop and a stop with no face step pass', async () => {
    const { router, calls, gates } = setup();
    const stop = (id: string) => req(id, 'call', { cmd: 'stopWxpayface' });
    expect(await router.handle(stop('s1'), PAGE, 'tab2')).toMatchObject({ ok: true });
    const first = router.handle(req('s2', 'call', face), PAGE, 'tab1');
    await Promise.resolve();
    expect(await router.handle(stop('s3'), PAGE, 'tab2')).toMatchObject({
      ok: false,
      error: { code: 'BUSY', message: expect.stringContaining('another tab') },
    });
    expect(calls.map((c) => c.cmd)).toEqual(['stopWxpayface', 'getWxpayfaceUserInfo']);
    expect(await router.handle(stop('s4'), PAGE, 'tab1')).toMatchObject({ ok: true });
    expect(calls.map((c) => c.cmd)).toEqual(['stopWxpayface', 'getWxpayfaceUserInfo', 'stopWxpayface']);
    gates[0]!({ return_code: 'SUCCESS', openid: 'o' });
    await first;
    expect(await router.handle(stop('s5'), PAGE, 'tab2')).toMatchObject({ ok: true });
  });

  it('stops the camera when the tab owning the face step goes away', async () => {
    const { router, calls } = setup();
    void router.handle(req('9', 'call', face), PAGE, 'tab1');
    await Promise.resolve();
    router.callerGone('tab2', () => undefined);
    expect(calls.map((c) => c.cmd)).toEqual(['getWxpayfaceUserInfo']);
    router.callerGone('tab1', () => undefined);
    expect(calls.map((c) => c.cmd)).toEqual(['getWxpayfaceUserInfo', 'stopWxpayface']);
  });

  it('passes host errors through with their code', async () => {
    const { router } = setup();
    expect(await router.handle(req('10', 'call', { cmd: 'releaseWxpayface' }), PAGE, 'c1')).toMatchObject({ ok: false, error: { code: 'SDK_ERROR', message: 'nope' } });
  });
});
