import { HOST_NAME, HOST_PROTOCOL_VERSION, MAX_INBOUND_FRAME_BYTES, SDK_TIMEOUT_MS, type HelloResult } from '@posface/protocol';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from './exit.js';
import { encodeFrame } from './framing.js';
import { ensureHostBuilt, HostPool, ORIGIN, requireSimLibrary, userInfoParams } from './testing/harness.js';
import { HOST_VERSION } from './version.js';

// The real host process over real stdio: framing, hello, bad input, and how it ends.
const pool = new HostPool();
beforeAll(() => {
  ensureHostBuilt();
  requireSimLibrary();
});
afterEach(() => pool.cleanup());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('hello', () => {
  it('reports the protocol, the host and the loaded SDK with the effective timeouts', async () => {
    const host = pool.start({ env: { POSFACE_TIMEOUT_GET_WXPAYFACE_USER_INFO_MS: '90000' } });
    const response = await host.request('hello');
    expect(response.ok).toBe(true);
    const result = (response as { result: HelloResult }).result;
    expect(result.protocol).toBe(HOST_PROTOCOL_VERSION);
    expect(result.host).toEqual({ name: HOST_NAME, version: HOST_VERSION });
    expect(result.sdk).toEqual({ loaded: true, path: requireSimLibrary(), arch: process.arch, error: null });
    expect(result.timeouts).toEqual({ ...SDK_TIMEOUT_MS, getWxpayfaceUserInfo: 90_000 });
  });

  it('accepts the arguments Chrome passes on Windows', async () => {
    const host = pool.start({ args: [ORIGIN, '--parent-window=0'] });
    expect((await host.request('hello')).ok).toBe(true);
    expect(await host.logText()).toContain(ORIGIN);
  });
});

describe('framing over stdio', () => {
  it('reassembles a frame that arrives one byte at a time', async () => {
    const host = pool.start();
    const frame = encodeFrame({ id: 'split', method: 'hello' });
    for (const byte of frame) {
      host.write(Buffer.from([byte]));
      await sleep(1);
    }
    expect((await host.waitForId('split')).ok).toBe(true);
  });

  it('splits a header across writes and answers every frame of a coalesced write', async () => {
    const host = pool.start();
    const three = Buffer.concat([
      encodeFrame({ id: 'c1', method: 'hello' }),
      encodeFrame({ id: 'c2', method: 'call', params: { cmd: 'initWxpayface' } }),
      encodeFrame({ id: 'c3', method: 'call', params: { cmd: 'getWxpayfaceRawdata' } }),
    ]);
    // Cut inside the second frame's header and inside the third frame's body.
    const cutA = encodeFrame({ id: 'c1', method: 'hello' }).length + 2;
    const cutB = three.length - 7;
    host.write(three.subarray(0, cutA));
    await sleep(20);
    host.write(three.subarray(cutA, cutB));
    await sleep(20);
    host.write(three.subarray(cutB));
    const answers = await Promise.all(['c1', 'c2', 'c3'].map((id) => host.waitForId(id)));
    expect(answers.map((a) => a.ok)).toEqual([true, true, true]);
  });

  it('answers malformed JSON with id null INVALID_REQUEST and keeps serving', async () => {
    const host = pool.start();
    const body = Buffer.from('{"id":"x","method":', 'utf8');
    const header = Buffer.alloc(4);
    header.writeUInt32LE(body.length);
    host.write(Buffer.concat([header, body]));
    const bad = await host.waitForId(null);
    expect(bad).toMatchObject({ id: null, ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(bad.ok === false && bad.error.message).toMatch(/not valid JSON/);
    expect((await host.request('hello')).ok).toBe(true);
  });

  it('refuses bytes that are not UTF-8 and an empty frame', async () => {
    const host = pool.start();
    const body = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    const header = Buffer.alloc(4);
    header.writeUInt32LE(body.length);
    host.write(Buffer.concat([header, body, Buffer.alloc(4)]));
    await host.waitFor(() => host.responses.length >= 2);
    expect(host.responses.map((r) => (r.ok ? 'ok' : `${r.id}:${r.error.code}`))).toEqual(['null:INVALID_REQUEST', 'null:INVALID_REQUEST']);
    expect(host.responses[0]?.ok === false && host.responses[0].error.message).toMatch(/UTF-8/);
    expect((await host.request('hello')).ok).toBe(true);
  });

  it.each([
    ['an unknown method', { method: 'format-disk' }, /method/],
    ['an unknown command', { method: 'call', params: { cmd: 'payWxpayface' } }, /params\.cmd/],
    ['a field the command does not have', { method: 'call', params: { cmd: 'getWxpayfaceRawdata', appid: 'x' } }, /params\.appid/],
    ['a version sent by the caller', { method: 'call', params: { cmd: 'initWxpayface', version: '1' } }, /set by the host/],
    ['a now sent by the caller', { method: 'call', params: { cmd: 'initWxpayface', now: 1 } }, /set by the host/],
    ['a missing required field', { method: 'call', params: { cmd: 'getWxpayfaceUserInfo', appid: 'a', mch_id: 'm', store_id: 's', face_authtype: 'FACEID-ONCE' } }, /authinfo/],
    ['a wrong enum value', { method: 'call', params: { cmd: 'initWxpayface', proxy_type: 9 } }, /proxy_type/],
    ['params that are not an object', { method: 'call', params: 'initWxpayface' }, /params/],
  ])('answers %s with INVALID_REQUEST for that id', async (_what, message, pattern) => {
    const host = pool.start();
    host.send({ id: 'bad-1', ...message });
    const response = await host.waitForId('bad-1');
    expect(response).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(response.ok === false && response.error.message).toMatch(pattern);
    expect((await host.request('hello')).ok).toBe(true);
  });

  it('takes a frame of exactly 64 KiB', async () => {
    const host = pool.start();
    const skeleton = JSON.stringify({ id: 'max', method: 'hello', params: { pad: '' } });
    const pad = 'x'.repeat(MAX_INBOUND_FRAME_BYTES - Buffer.byteLength(skeleton));
    const frame = encodeFrame({ id: 'max', method: 'hello', params: { pad } });
    expect(frame.length - 4).toBe(MAX_INBOUND_FRAME_BYTES);
    host.write(frame);
    expect((await host.waitForId('max')).ok).toBe(true);
  });

  it('answers a header over 64 KiB with MESSAGE_TOO_LARGE, id null, then exits', async () => {
    const host = pool.start();
    const header = Buffer.alloc(4);
    header.writeUInt32LE(MAX_INBOUND_FRAME_BYTES + 1);
    host.write(Buffer.concat([header, Buffer.alloc(100, 0x20)]));
    const response = await host.waitForId(null);
    expect(response).toMatchObject({ ok: false, error: { code: 'MESSAGE_TOO_LARGE', details: { bytes: MAX_INBOUND_FRAME_BYTES + 1, limit: MAX_INBOUND_FRAME_BYTES } } });
    expect(await host.exited).toEqual({ code: EXIT.BAD_STREAM, signal: null });
    expect(host.responses).toHaveLength(1);
  });
});

describe('ending', () => {
  it('exits 0 when Chrome closes the port, after answering what is pending', async () => {
    const host = pool.start();
    const ids = ['e1', 'e2', 'e3'];
    host.send({ id: 'e1', method: 'call', params: { cmd: 'initWxpayface' } });
    host.send({ id: 'e2', method: 'call', params: { cmd: 'getWxpayfaceRawdata' } });
    host.send({ id: 'e3', method: 'call', params: { cmd: 'releaseWxpayface' } });
    const exit = await host.close();
    expect(exit).toEqual({ code: EXIT.OK, signal: null });
    expect(host.responses.map((r) => r.id).sort()).toEqual(ids);
    expect(host.responses.every((r) => r.ok)).toBe(true);
  });

  it('closes a face step nobody waits for any more (stop → USER_CANCEL) before exiting', async () => {
    const host = pool.start({ script: ['slow 20000'] });
    expect((await host.call({ cmd: 'initWxpayface' })).ok).toBe(true);
    host.send({ id: 'face', method: 'call', params: userInfoParams() });
    await sleep(200);
    const started = Date.now();
    const exit = await host.close();
    expect(Date.now() - started).toBeLessThan(5000);
    expect(exit.code).toBe(EXIT.OK);
    expect(await host.waitForId('face')).toMatchObject({ ok: false, error: { code: 'USER_CANCEL', returnCode: 'USER_CANCEL' } });
  });

  it('refuses to sit on a terminal and rejects unknown arguments', async () => {
    const host = pool.start({ args: ['--frobnicate'] });
    expect((await host.exited).code).toBe(EXIT.USAGE);
    expect(host.stderr).toMatch(/unknown arguments/);
    expect(host.stdoutChunks).toHaveLength(0);
  });
});
