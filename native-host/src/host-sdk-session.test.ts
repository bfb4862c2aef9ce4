import { readFaces } from '@posface/wxpay-sim';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureHostBuilt, HostPool, okResult, requireSimLibrary, userInfoParams } from './testing/harness.js';

// The host owns the SDK's session: the real host over stdio with the simulator, whose init takes
// WXPAYFACE_SIM_INIT_MS, whose script line `forget` loses the session, and whose
// WXPAYFACE_SIM_SERVICE_DOWN=1 plays a stopped WxpayFaceService.
const pool = new HostPool();
beforeAll(() => {
  ensureHostBuilt();
  requireSimLibrary();
});
afterEach(() => pool.cleanup());

const faces = readFaces();

function logLines(text: string, msg: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry.msg === msg);
}

describe('init still in progress (err_code 271378621)', () => {
  it('one init from the page: the host calls init again about every 500 ms until SUCCESS', async () => {
    const host = pool.start({ env: { WXPAYFACE_SIM_INIT_MS: '1300' } });
    const started = Date.now();
    expect(okResult(await host.call({ cmd: 'initWxpayface' }, 10_000))).toEqual({ return_code: 'SUCCESS', return_msg: 'SUCCESS' });
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(1300);
    expect(took).toBeLessThan(4000);
    const retries = logLines(await host.logText(), 'sdk initialising: init again shortly');
    expect(retries.length).toBeGreaterThanOrEqual(2);
    expect(retries.length).toBeLessThanOrEqual(4);
    expect(logLines(await host.logText(), 'sdk initialised after waiting')[0]).toMatchObject({ attempts: retries.length + 1 });
  });

  it('a rawdata sent during that wait is answered after the init, not with an error', async () => {
    const host = pool.start({ env: { WXPAYFACE_SIM_INIT_MS: '800' } });
    host.send({ id: 'init', method: 'call', params: { cmd: 'initWxpayface' } });
    host.send({ id: 'raw', method: 'call', params: { cmd: 'getWxpayfaceRawdata' } });
    expect(okResult(await host.waitForId('raw', 10_000))).toHaveProperty('rawdata');
    expect(okResult(await host.waitForId('init'))).toMatchObject({ return_code: 'SUCCESS' });
  });

  it('gives up after POSFACE_INIT_WAIT_MS with the SDK’s answer and how long it waited', async () => {
    const host = pool.start({ env: { WXPAYFACE_SIM_INIT_MS: '600000', POSFACE_INIT_WAIT_MS: '1200' } });
    const started = Date.now();
    const response = await host.call({ cmd: 'initWxpayface' }, 10_000);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(response).toMatchObject({
      ok: false,
      error: { code: 'SDK_ERROR', returnCode: 'FAIL', returnMsg: '刷脸服务初始化中', details: { errCode: 271378621 } },
    });
    const details = response.ok ? {} : (response.error.details ?? {});
    // About every 500 ms until the next pause would pass 1,200 ms: slow attempts (a loaded machine) mean fewer.
    const attempts = details.attempts as number;
    expect(attempts).toBeGreaterThanOrEqual(2);
    expect(details.waitedMs).toBeGreaterThanOrEqual(500 * (attempts - 1));
    expect(details.waitedMs).toBeLessThanOrEqual(1200);
  });
});

describe('not initialised on a later call (err_code 271378620)', () => {
  it('inits once more with the page’s params and runs the face step again: the page sees only the face', async () => {
    const host = pool.start({ script: ['forget', 'face 2'] });
    expect(okResult(await host.call({ cmd: 'initWxpayface', camera_rotation: 2 }))).toMatchObject({ return_code: 'SUCCESS' });
    expect(okResult(await host.call(userInfoParams()))).toMatchObject({ openid: faces[1]?.openid });
    const log = await host.logText();
    expect(logLines(log, 'sdk has no session: init again, then retry once')[0]).toMatchObject({ cmd: 'getWxpayfaceUserInfo', errCode: 271378620 });
    expect(logLines(log, 'sdk call').map((l) => l.cmd)).toEqual(['initWxpayface', 'getWxpayfaceUserInfo', 'initWxpayface', 'getWxpayfaceUserInfo']);
  });

  it('the re-init also waits while the SDK says it is initialising', async () => {
    const host = pool.start({ script: ['forget', 'face 3'], env: { WXPAYFACE_SIM_INIT_MS: '700' } });
    expect(okResult(await host.call({ cmd: 'initWxpayface' }, 10_000))).toMatchObject({ return_code: 'SUCCESS' });
    expect(okResult(await host.call(userInfoParams(), 10_000))).toMatchObject({ openid: faces[2]?.openid });
  });

  it('after releaseWxpayface the host does not init behind the page’s back', async () => {
    const host = pool.start();
    await host.call({ cmd: 'initWxpayface' });
    await host.call({ cmd: 'releaseWxpayface' });
    expect(await host.call({ cmd: 'getWxpayfaceRawdata' })).toMatchObject({ ok: false, error: { code: 'SDK_ERROR', details: { errCode: 271378620 } } });
    expect(logLines(await host.logText(), 'sdk call').map((l) => l.cmd)).toEqual(['initWxpayface', 'releaseWxpayface', 'getWxpayfaceRawdata']);
  });
});

describe('WxpayFaceService not running', () => {
  it('FACE_SERVICE_DOWN with the advice for init, release and stop; the SDK’s words kept', async () => {
    const host = pool.start({ env: { WXPAYFACE_SIM_SERVICE_DOWN: '1' } });
    for (const cmd of ['initWxpayface', 'releaseWxpayface', 'stopWxpayface']) {
      const response = await host.call({ cmd });
      expect(response, cmd).toMatchObject({
        ok: false,
        error: { code: 'FACE_SERVICE_DOWN', returnCode: 'FAIL', returnMsg: '刷脸服务未初始化', details: { errCode: 271378620 } },
      });
      expect(response.ok ? '' : response.error.message).toMatch(/WxpayFaceService cannot be reached .*start WxpayFaceService/);
    }
  });
});
