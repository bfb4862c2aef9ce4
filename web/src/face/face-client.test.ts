import { afterEach, describe, expect, it, vi } from 'vitest';
import { answerTimeoutMs, BRIDGE_CHANNEL, FaceError, HOST_PROTOCOL_VERSION, SDK_TIMEOUT_MS } from '@posface/protocol';
import { FaceClient } from './face-client.js';
import { FakeExtensionWindow, HELLO } from '../testing/fake-extension.js';

afterEach(() => void vi.useRealTimers());

const sdkAnswer = (request: { method: string; params?: Record<string, unknown> }) => {
  if (request.method === 'hello') return { result: HELLO };
  switch (request.params?.cmd) {
    case 'getWxpayfaceRawdata':
      return { result: { return_code: 'SUCCESS', return_msg: 'OK', rawdata: 'UkFX' } };
    case 'getWxpayfaceUserInfo':
      return { result: { return_code: 'SUCCESS', return_msg: 'OK', openid: 'o1', nickname: '王芳' } };
    default:
      return { result: { return_code: 'SUCCESS', return_msg: 'OK' } };
  }
};

describe('FaceClient', () => {
  it('detects the extension and returns hello with all versions', async () => {
    const win = new FakeExtensionWindow(sdkAnswer);
    const client = new FaceClient({ window: win });
    const hello = await client.detect();
    expect(hello.extension?.version).toBe('0.1.0');
    expect(hello.host.version).toBe('0.1.0');
    expect(client.extensionPresent).toBe(true);
    client.dispose();
  });

  it('refuses a hello from a host of another protocol version (VERSION_MISMATCH)', async () => {
    const win = new FakeExtensionWindow(() => ({ result: { ...HELLO, protocol: HOST_PROTOCOL_VERSION + 1 } }));
    const client = new FaceClient({ window: win });
    await expect(client.detect()).rejects.toMatchObject({ code: 'VERSION_MISMATCH' });
    expect(client.lastHello).toBeNull();
    client.dispose();
  });

  it('EXTENSION_UNAVAILABLE when nothing answers within readyTimeoutMs, and calls fail the same way', async () => {
    const win = new FakeExtensionWindow(sdkAnswer);
    win.installed = false;
    const client = new FaceClient({ window: win, readyTimeoutMs: 50 });
    await expect(client.detect()).rejects.toMatchObject({ code: 'EXTENSION_UNAVAILABLE' });
    await expect(client.rawdata()).rejects.toMatchObject({ code: 'EXTENSION_UNAVAILABLE' });
    client.dispose();
  });

  it('a ready without a quick hello answer waits for the hello (host cold start)', async () => {
    let release: (() => void) | null = null;
    const win = new FakeExtensionWindow((request) => {
      if (request.method === 'hello') {
        release = () => win.deliver({ channel: 'pos-face', type: 'response', id: request.id, ok: true, result: HELLO });
        return null;
      }
      return sdkAnswer(request);
    });
    const client = new FaceClient({ window: win, readyTimeoutMs: 30 });
    const detected = client.detect();
    win.ready('0.1.0');
    await new Promise((r) => setTimeout(r, 80));
    release!();
    await expect(detected).resolves.toMatchObject({ protocol: 1 });
    expect(client.extensionVersion).toBe('0.1.0');
    client.dispose();
  });

  it('sends typed calls; userInfo defaults face_authtype to FACEID-ONCE', async () => {
    const win = new FakeExtensionWindow(sdkAnswer);
    const client = new FaceClient({ window: win });
    await client.init({ camera_rotation: 1 });
    expect(await client.rawdata()).toBe('UkFX');
    const user = await client.userInfo({ appid: 'wx1', mch_id: 'm1', store_id: 'S001', authinfo: 'a', ask_unionid: '1' });
    expect(user.openid).toBe('o1');
    await client.cancel();
    await client.release();
    const calls = win.requests.filter((r) => r.method === 'call').map((r) => r.params);
    expect(calls).toEqual([
      { cmd: 'initWxpayface', camera_rotation: 1 },
      { cmd: 'getWxpayfaceRawdata' },
      { cmd: 'getWxpayfaceUserInfo', face_authtype: 'FACEID-ONCE', appid: 'wx1', mch_id: 'm1', store_id: 'S001', authinfo: 'a', ask_unionid: '1' },
      { cmd: 'stopWxpayface' },
      { cmd: 'releaseWxpayface' },
    ]);
    client.dispose();
  });

  it('rejects with the FaceError the extension sent, keeping the SDK code', async () => {
    const win = new FakeExtensionWindow((r) =>
      r.method === 'hello' ? { result: HELLO } : { error: { code: 'USER_CANCEL', message: 'getWxpayfaceUserInfo: USER_CANCEL 用户取消', returnCode: 'USER_CANCEL', returnMsg: '用户取消' } },
    );
    const client = new FaceClient({ window: win });
    const error = await client.userInfo({ appid: 'a', mch_id: 'm', store_id: 's', authinfo: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FaceError);
    expect(error).toMatchObject({ code: 'USER_CANCEL', returnMsg: '用户取消' });
    client.dispose();
  });

  it('ignores messages from other sources, origins and channels', async () => {
    const win = new FakeExtensionWindow((r) => (r.method === 'hello' ? { result: HELLO } : null));
    const client = new FaceClient({ window: win });
    await client.detect();
    const pending = client.rawdata();
    await new Promise((r) => setTimeout(r, 5));
    const id = win.requests.at(-1)!.id;
    const forged = { channel: 'pos-face', type: 'response', id, ok: true, result: { return_code: 'SUCCESS', rawdata: 'FORGED' } };
    win.deliver(forged, { source: {} });
    win.deliver(forged, { origin: 'http://evil.example' });
    win.deliver({ ...forged, channel: 'other' });
    win.deliver({ ...forged, result: { return_code: 'SUCCESS', return_msg: '', rawdata: 'REAL' } });
    expect(await pending).toBe('REAL');
    client.dispose();
  });

  it('times out per call: the host timeout from hello plus the page slack', async () => {
    vi.useFakeTimers();
    const hello = { ...HELLO, timeouts: { ...SDK_TIMEOUT_MS, getWxpayfaceRawdata: 1000 } };
    const win = new FakeExtensionWindow((r) => (r.method === 'hello' ? { result: hello } : null));
    const client = new FaceClient({ window: win });
    const detected = client.detect();
    await vi.advanceTimersByTimeAsync(1);
    await detected;
    let settled: unknown = null;
    const call = client.rawdata().catch((e: unknown) => (settled = e));
    expect(answerTimeoutMs('page', 'getWxpayfaceRawdata', hello.timeouts)).toBeGreaterThan(1000);
    await vi.advanceTimersByTimeAsync(answerTimeoutMs('page', 'getWxpayfaceRawdata', hello.timeouts) - 5);
    expect(settled).toBeNull();
    await vi.advanceTimersByTimeAsync(10);
    await call;
    expect(settled).toMatchObject({ code: 'TIMEOUT' });
    client.dispose();
  });

  it('dispose rejects what is in flight and stops listening', async () => {
    const win = new FakeExtensionWindow((r) => (r.method === 'hello' ? { result: HELLO } : null));
    const client = new FaceClient({ window: win });
    await client.detect();
    const pending = client.userInfo({ appid: 'a', mch_id: 'm', store_id: 's', authinfo: 'x' });
    await new Promise((r) => setTimeout(r, 5));
    client.dispose();
    await expect(pending).rejects.toMatchObject({ code: 'EXTENSION_UNAVAILABLE' });
    expect(win.listenerCount).toBe(0);
  });

  it('hands the extension\'s host status to its listeners, checked where it enters; malformed ones go nowhere', async () => {
    const win = new FakeExtensionWindow();
    const client = new FaceClient({ window: win });
    const seen: unknown[] = [];
    const stop = client.onHostStatus((s) => seen.push(s));
    win.deliver({ channel: BRIDGE_CHANNEL, type: 'status', host: 'exited', error: { code: 'HOST_EXITED', message: 'gone' } });
    win.deliver({ channel: BRIDGE_CHANNEL, type: 'status', host: 'exploded' });
    win.deliver({ channel: BRIDGE_CHANNEL, type: 'status', host: 'connected', version: '0.1.0' }, { origin: 'http://evil.example' });
    win.deliver({ channel: BRIDGE_CHANNEL, type: 'status', host: 'connected', version: '0.1.0' });
    await new Promise((r) => setTimeout(r, 10));
    expect(seen).toEqual([
      { channel: BRIDGE_CHANNEL, type: 'status', host: 'exited', error: { code: 'HOST_EXITED', message: 'gone' } },
      { channel: BRIDGE_CHANNEL, type: 'status', host: 'connected', version: '0.1.0' },
    ]);
    stop();
    win.deliver({ channel: BRIDGE_CHANNEL, type: 'status', host: 'connected', version: '0.1.0' });
    await new Promise((r) => setTimeout(r, 10));
    expect(seen).toHaveLength(2);
    client.dispose();
  });
});
