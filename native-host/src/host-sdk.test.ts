import { MAX_OUTBOUND_FRAME_BYTES } from '@posface/protocol';
import { parseRawdata, readFaces, SIM_DEFAULT_SERIAL } from '@posface/wxpay-sim';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { shortHash } from '@posface/protocol';
import { ensureHostBuilt, HostPool, okResult, requireSimLibrary, userInfoParams, validAuthinfo, type HostUnderTest } from './testing/harness.js';

// Every command and every error code the host produces from the SDK, against the simulator library.
const pool = new HostPool();
beforeAll(() => {
  ensureHostBuilt();
  requireSimLibrary();
});
afterEach(() => pool.cleanup());

const faces = readFaces();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function initialised(options: Parameters<HostPool['start']>[0] = {}): Promise<HostUnderTest> {
  const host = pool.start(options);
  expect(okResult(await host.call({ cmd: 'initWxpayface' }))).toMatchObject({ return_code: 'SUCCESS' });
  return host;
}

describe('commands', () => {
  it('initWxpayface takes the documented proxy and camera fields (version and now are added by the host)', async () => {
    const host = pool.start();
    const response = await host.call({ cmd: 'initWxpayface', ip: '10.0.0.2', port: '8080', user: 'u', passwd: 'p', proxy_type: 3, camera_rotation: 2 });
    expect(okResult(response)).toEqual({ return_code: 'SUCCESS', return_msg: 'SUCCESS' });
    expect(await host.logText()).not.toContain('"passwd":"p"');
  });

  it('getWxpayfaceRawdata returns the terminal serial inside rawdata', async () => {
    const host = await initialised();
    const rawdata = okResult(await host.call({ cmd: 'getWxpayfaceRawdata' })).rawdata as string;
    expect(parseRawdata(rawdata)).toMatchObject({ serial: SIM_DEFAULT_SERIAL });
  });

  it('getWxpayfaceRawdata before init is the SDK’s own error, verbatim (the host inits only after the page did)', async () => {
    const host = pool.start();
    const response = await host.call({ cmd: 'getWxpayfaceRawdata' });
    expect(response).toMatchObject({ ok: false, error: { code: 'SDK_ERROR', returnCode: 'FAIL', returnMsg: '刷脸服务未初始化', details: { errCode: 271378620 } } });
  });

  it('getWxpayfaceUserInfo returns the face’s openid and a Chinese + emoji nickname intact', async () => {
    const host = await initialised({ script: ['face 2'] });
    const info = okResult(await host.call(userInfoParams()));
    expect(info).toMatchObject({ return_code: 'SUCCESS', openid: faces[1]?.openid, nickname: faces[1]?.nickname });
    expect(faces[1]?.nickname).toMatch(/🍵/);
    // Personal data never reaches the log in clear; its short hash does.
    const log = await host.logText();
    expect(log).not.toContain(faces[1]?.openid as string);
    expect(log).toContain(shortHash(faces[1]?.openid as string));
  });

  it('getWxpayfaceUserInfo with ask_unionid and sub_appid passes the extra fields through', async () => {
    const host = await initialised({ script: ['face 1'] });
    const info = okResult(await host.call(userInfoParams({ ask_unionid: '1', sub_appid: 'wxsub0001', sub_mch_id: '1900000109', screen_index: '2', use_window_nofocus: '1' })));
    expect(info).toMatchObject({ openid: faces[0]?.openid, unionid_code: 'SUCCESS', sub_openid: `${faces[0]?.openid}@wxsub0001` });
    expect(typeof info.token).toBe('string');
  });

  it('releaseWxpayface returns the SDK to uninitialised', async () => {
    const host = await initialised();
    expect(okResult(await host.call({ cmd: 'releaseWxpayface' }))).toMatchObject({ return_code: 'SUCCESS' });
    expect(await host.call({ cmd: 'getWxpayfaceRawdata' })).toMatchObject({ ok: false, error: { returnMsg: '刷脸服务未初始化' } });
  });

  it('stopWxpayface goes past the queue and cancels the face step in progress (USER_CANCEL)', async () => {
    const host = await initialised({ script: ['slow 20000'] });
    host.send({ id: 'face', method: 'call', params: userInfoParams() });
    await sleep(200);
    // Queued behind a 20 s face step, the stop could not be answered within 3 s: answering proves it went past.
    // (Which of the two answers comes first is a race between two SDK threads, so it is not asserted.)
    const stop = await host.call({ cmd: 'stopWxpayface' }, 3000);
    expect(okResult(stop)).toMatchObject({ return_code: 'SUCCESS' });
    const face = await host.waitForId('face', 3000);
    expect(face).toMatchObject({ ok: false, error: { code: 'USER_CANCEL', returnCode: 'USER_CANCEL', returnMsg: '用户取消' } });
  });

  it('stopWxpayface with no face step running is a plain SUCCESS', async () => {
    const host = await initialised();
    expect(okResult(await host.call({ cmd: 'stopWxpayface' }))).toMatchObject({ return_code: 'SUCCESS' });
  });

  it('keeps calls one at a time: a call sent during a face step is answered after it', async () => {
    const host = await initialised({ script: ['slow 400'] });
    host.send({ id: 'face', method: 'call', params: userInfoParams() });
    host.send({ id: 'raw', method: 'call', params: { cmd: 'getWxpayfaceRawdata' } });
    await host.waitForId('raw');
    expect(host.responses.map((r) => r.id).slice(-2)).toEqual(['face', 'raw']);
  });
});

describe('error codes', () => {
  it('USER_CANCEL when the customer cancels', async () => {
    const host = await initialised({ script: ['cancel'] });
    expect(await host.call(userInfoParams())).toMatchObject({ ok: false, error: { code: 'USER_CANCEL', returnCode: 'USER_CANCEL' } });
  });

  it.each([
    ['expired', () => validAuthinfo({ expiresIn: -10 })],
    ['forged', () => Buffer.from('WXSIM1|SIM-TERMINAL-0001|x|y|z|9999999999|n|deadbeef').toString('base64')],
    ['for another store', () => validAuthinfo({ store_id: 'S999' })],
    ['for another terminal', () => validAuthinfo({ serial: 'OTHER-TERMINAL' })],
  ])('AUTHINFO_INVALID for an %s authinfo, with the SDK’s code and message kept', async (_what, make) => {
    const host = await initialised({ script: ['face 1'] });
    const response = await host.call(userInfoParams({ authinfo: make() }));
    expect(response).toMatchObject({ ok: false, error: { code: 'AUTHINFO_INVALID', returnCode: 'PARAM_ERROR', returnMsg: 'AuthInfo License Error' } });
  });

  it('SDK_ERROR for any other return_code, verbatim', async () => {
    const host = await initialised({ script: ['error SYSTEMERROR 摄像头未连接 camera not found'] });
    const response = await host.call(userInfoParams());
    expect(response).toMatchObject({ ok: false, error: { code: 'SDK_ERROR', returnCode: 'SYSTEMERROR', returnMsg: '摄像头未连接 camera not found' } });
  });

  it('SDK_CALL_FAILED when wxpayCallFaceService returns non-zero, and the host carries on', async () => {
    const host = await initialised({ script: ['callfail', 'face 3'] });
    const failed = await host.call(userInfoParams());
    expect(failed).toMatchObject({ ok: false, error: { code: 'SDK_CALL_FAILED', details: { rc: -1 } } });
    expect(okResult(await host.call(userInfoParams()))).toMatchObject({ openid: faces[2]?.openid });
  });

  it('BUSY for a second face step while one is in progress', async () => {
    const host = await initialised({ script: ['slow 600', 'face 1'] });
    host.send({ id: 'first', method: 'call', params: userInfoParams() });
    const second = await host.call(userInfoParams());
    expect(second).toMatchObject({ ok: false, error: { code: 'BUSY' } });
    expect(okResult(await host.waitForId('first'))).toMatchObject({ return_code: 'SUCCESS' });
    // Once the first is done, the next face step is welcome again.
    expect(okResult(await host.call(userInfoParams()))).toMatchObject({ openid: faces[0]?.openid });
  });

  it('MESSAGE_TOO_LARGE replaces an answer over 1 MiB; an answer just under passes', async () => {
    const host = await initialised({ script: [`big ${MAX_OUTBOUND_FRAME_BYTES}`, `big ${MAX_OUTBOUND_FRAME_BYTES - 200}`] });
    const big = await host.call(userInfoParams());
    expect(big).toMatchObject({ ok: false, error: { code: 'MESSAGE_TOO_LARGE', details: { limit: MAX_OUTBOUND_FRAME_BYTES } } });
    const fits = okResult(await host.call(userInfoParams()));
    expect((fits.nickname as string).length).toBe(MAX_OUTBOUND_FRAME_BYTES - 200);
    // The frame really is under the limit (the harness checks every frame's size too).
    expect(host.assertStdoutIsFramesOnly()).toBe(host.responses.length);
  });

  it('SDK_UNAVAILABLE when no library is configured, with what to do', async () => {
    const host = pool.start({ sdkPath: null });
    const hello = okResult(await host.request('hello'));
    expect(hello.sdk).toMatchObject({ loaded: false, path: null, error: expect.stringMatching(/POSFACE_SDK_PATH/) });
    expect(await host.call({ cmd: 'initWxpayface' })).toMatchObject({ ok: false, error: { code: 'SDK_UNAVAILABLE', message: expect.stringMatching(/POSFACE_SDK_PATH/) } });
  });
});
