// The session with WxpayFaceService: an init that takes time (err_code 271378621 until it is done),
// a session the service lost (271378620 until the next init), and a service that is not running.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, callRaw, request } from './testing/harness.js';
import { createSimEnv, removeSimEnvs, userInfoFields, type SimEnv } from './testing/sim-env.js';

afterAll(removeSimEnvs);

const SUCCESS = { return_code: 'SUCCESS', return_msg: 'SUCCESS' };
const NOT_INITIALISED = { return_code: 'FAIL', return_msg: '刷脸服务未初始化', err_code: 271378620 };
const INITIALISING = { return_code: 'FAIL', return_msg: '刷脸服务初始化中', err_code: 271378621 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let env: SimEnv;
beforeEach(() => {
  env = createSimEnv();
  call('releaseWxpayface');
});
afterEach(() => {
  delete process.env.WXPAYFACE_SIM_SERVICE_DOWN;
  delete process.env.WXPAYFACE_SIM_INIT_MS;
  env.setScript();
});

describe('an init that takes time (WXPAYFACE_SIM_INIT_MS)', () => {
  it('answers "initialising" to init and to the calls that need init until the time has passed, then SUCCESS', async () => {
    process.env.WXPAYFACE_SIM_INIT_MS = '300';
    expect(call('initWxpayface')).toEqual(INITIALISING);
    expect(call('initWxpayface')).toEqual(INITIALISING);
    expect(call('getWxpayfaceRawdata')).toEqual(INITIALISING);
    // Calls that need no session are unaffected.
    expect(call('stopWxpayface')).toEqual(SUCCESS);
    await sleep(350);
    expect(call('initWxpayface')).toEqual(SUCCESS);
    expect(call('getWxpayfaceRawdata')).toMatchObject(SUCCESS);
  });

  it('finishes on its own: a call after the time needs no second init', async () => {
    process.env.WXPAYFACE_SIM_INIT_MS = '150';
    expect(call('initWxpayface')).toEqual(INITIALISING);
    await sleep(200);
    expect(call('getWxpayfaceRawdata')).toMatchObject(SUCCESS);
  });

  it('does not restart the wait when init is called again meanwhile', async () => {
    process.env.WXPAYFACE_SIM_INIT_MS = '300';
    expect(call('initWxpayface')).toEqual(INITIALISING);
    await sleep(200);
    expect(call('initWxpayface')).toEqual(INITIALISING);
    await sleep(150);
    expect(call('initWxpayface')).toEqual(SUCCESS);
  });

  it('a running session is not restarted by another init', () => {
    expect(call('initWxpayface')).toEqual(SUCCESS);
    process.env.WXPAYFACE_SIM_INIT_MS = '60000';
    expect(call('initWxpayface')).toEqual(SUCCESS);
    expect(call('getWxpayfaceRawdata')).toMatchObject(SUCCESS);
  });

  it('release during the wait ends it', () => {
    process.env.WXPAYFACE_SIM_INIT_MS = '60000';
    expect(call('initWxpayface')).toEqual(INITIALISING);
    expect(call('releaseWxpayface')).toEqual(SUCCESS);
    expect(call('getWxpayfaceRawdata')).toEqual(NOT_INITIALISED);
  });

  it('refuses a value that is not a number of milliseconds', () => {
    process.env.WXPAYFACE_SIM_INIT_MS = '1s';
    expect(call('initWxpayface')).toEqual({ return_code: 'SYSTEMERROR', return_msg: 'WXPAYFACE_SIM_INIT_MS must be a whole number of milliseconds, got "1s"' });
    expect(call('getWxpayfaceRawdata')).toEqual(NOT_INITIALISED);
  });
});

describe('a session the service lost (script line "forget")', () => {
  it('answers the face step "not initialised" and every later call until init', () => {
    call('initWxpayface');
    env.setScript('forget', 'face 2');
    expect(call('getWxpayfaceUserInfo', userInfoFields())).toEqual(NOT_INITIALISED);
    expect(call('getWxpayfaceRawdata')).toEqual(NOT_INITIALISED);
    // The next line waits for the next face step, after a new init.
    expect(env.readScript()).toBe('face 2\n');
    expect(call('initWxpayface')).toEqual(SUCCESS);
    expect(call('getWxpayfaceUserInfo', userInfoFields())).toMatchObject({ ...SUCCESS, openid: 'oSIM_T2' });
  });
});

describe('WxpayFaceService not running (WXPAYFACE_SIM_SERVICE_DOWN=1)', () => {
  it('answers every command "not initialised", even init, release, stop and a request that is not JSON', () => {
    call('initWxpayface');
    process.env.WXPAYFACE_SIM_SERVICE_DOWN = '1';
    for (const cmd of ['initWxpayface', 'getWxpayfaceRawdata', 'releaseWxpayface', 'stopWxpayface']) {
      expect(call(cmd), cmd).toEqual(NOT_INITIALISED);
    }
    expect(call('getWxpayfaceUserInfo', userInfoFields())).toEqual(NOT_INITIALISED);
    const notJson = callRaw('{oops');
    expect(notJson.code).toBe(0);
    expect(notJson.body).toEqual(NOT_INITIALISED);
  });

  it('is read at every call; a service that comes back needs init again (the old session is gone)', () => {
    call('initWxpayface');
    process.env.WXPAYFACE_SIM_SERVICE_DOWN = '1';
    expect(call('getWxpayfaceRawdata')).toEqual(NOT_INITIALISED);
    process.env.WXPAYFACE_SIM_SERVICE_DOWN = '0';
    expect(call('getWxpayfaceRawdata')).toEqual(NOT_INITIALISED);
    expect(call('initWxpayface')).toEqual(SUCCESS);
    expect(call('getWxpayfaceRawdata')).toMatchObject(SUCCESS);
  });

  it('refuses a value other than 0 or 1', () => {
    process.env.WXPAYFACE_SIM_SERVICE_DOWN = 'yes';
    expect(callRaw(request('initWxpayface')).body).toEqual({ return_code: 'SYSTEMERROR', return_msg: 'WXPAYFACE_SIM_SERVICE_DOWN must be 0 or 1, got "yes"' });
  });
});
