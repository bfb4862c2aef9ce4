// The scripted camera behind getWxpayfaceUserInfo: faces in turn, script lines, delays that
// stopWxpayface cancels, and what the success response carries.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, callAsync, callRaw, request } from './testing/harness.js';
import { createSimEnv, userInfoFields, type SimEnv, removeSimEnvs } from './testing/sim-env.js';

afterAll(removeSimEnvs);

const USER_CANCEL = { return_code: 'USER_CANCEL', return_msg: '用户取消' };

let env: SimEnv;
const userInfo = (extra: Record<string, unknown> = {}) => call('getWxpayfaceUserInfo', userInfoFields(extra));
const userInfoAsync = (extra: Record<string, unknown> = {}) => callAsync('getWxpayfaceUserInfo', userInfoFields(extra));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeEach(() => {
  env = createSimEnv();
  call('initWxpayface');
});

afterEach(() => {
  // Leave no scripted line behind for the next test.
  env.setScript();
});

describe('faces in turn', () => {
  it('serves the faces file round robin when there is no script', () => {
    const openids = Array.from({ length: 4 }, () => userInfo().openid);
    const start = ['oSIM_T1', 'oSIM_T2', 'oSIM_T3'].indexOf(String(openids[0]));
    expect(start).toBeGreaterThanOrEqual(0);
    const expected = Array.from({ length: 4 }, (_, i) => `oSIM_T${((start + i) % 3) + 1}`);
    expect(openids).toEqual(expected);
  });

  it('Chinese and emoji nicknames round-trip as UTF-8', () => {
    const nicknames = new Set(Array.from({ length: 3 }, () => userInfo().nickname));
    expect(nicknames).toEqual(new Set(['王芳', '李雷 🍵', 'Emily Chen']));
  });

  it('reads the faces file at each step, so a test can change it', () => {
    env.setFaces('# only one\noNEW\t新的人\tuNEW\n');
    expect(userInfo()).toEqual({ return_code: 'SUCCESS', return_msg: 'SUCCESS', openid: 'oNEW', nickname: '新的人' });
  });

  it('escapes quotes, backslashes and control characters in what it sends back', () => {
    env.setFaces('oQ\tsay "hi"\\ \u0001\u001f\u007f end\n');
    const answer = callRaw(request('getWxpayfaceUserInfo', userInfoFields()));
    expect(answer.body?.nickname).toBe('say "hi"\\ \u0001\u001f\u007f end');
    expect(answer.bytes?.toString('utf8')).toContain('"nickname":"say \\"hi\\"\\\\ \\u0001\\u001f\\u007f end"');
  });

  it('adds unionid_code, unionid_msg and token only when ask_unionid is "1" and the face has a unionid', () => {
    env.setScript('face 1', 'face 1', 'face 3');
    expect(Object.keys(userInfo({ ask_unionid: '0' })).sort()).toEqual(['nickname', 'openid', 'return_code', 'return_msg']);
    const asked = userInfo({ ask_unionid: '1' });
    expect(asked).toMatchObject({ openid: 'oSIM_T1', unionid_code: 'SUCCESS', unionid_msg: 'SUCCESS' });
    expect(Buffer.from(String(asked.token), 'base64').toString('utf8')).toBe('WXSIMTOKEN1|oSIM_T1|uSIM_T1');
    expect(userInfo({ ask_unionid: '1' })).not.toHaveProperty('token');
  });

  it('adds a sub_openid, stable per sub_appid, when sub_appid is given', () => {
    env.setScript('face 2', 'face 2', 'face 2');
    expect(userInfo({ sub_appid: 'wxsub1' }).sub_openid).toBe('oSIM_T2@wxsub1');
    expect(userInfo({ sub_appid: 'wxsub2' }).sub_openid).toBe('oSIM_T2@wxsub2');
    expect(userInfo()).not.toHaveProperty('sub_openid');
  });

  it('waits WXPAYFACE_SIM_DELAY_MS before answering', async () => {
    process.env.WXPAYFACE_SIM_DELAY_MS = '300';
    const started = performance.now();
    expect((await userInfoAsync()).return_code).toBe('SUCCESS');
    expect(performance.now() - started).toBeGreaterThanOrEqual(280);
  });

  it('says clearly when no faces are configured or the file is wrong', () => {
    delete process.env.WXPAYFACE_SIM_FACES;
    expect(userInfo()).toEqual({
      return_code: 'SYSTEMERROR',
      return_msg: 'No faces configured: set WXPAYFACE_SIM_FACES to a faces file (openid<TAB>nickname[<TAB>unionid])',
    });
    process.env.WXPAYFACE_SIM_FACES = `${env.dir}/missing.tsv`;
    expect(userInfo()).toEqual({
      return_code: 'SYSTEMERROR',
      return_msg: `cannot read the faces file ${env.dir}/missing.tsv (WXPAYFACE_SIM_FACES): no such file`,
    });
    process.env.WXPAYFACE_SIM_FACES = env.facesPath;
    env.setFaces('# nobody\n\n');
    expect(userInfo()).toMatchObject({ return_code: 'SYSTEMERROR', return_msg: 'the faces file WXPAYFACE_SIM_FACES names has no faces' });
    env.setFaces('oA\tA\noB\n');
    expect(userInfo()).toMatchObject({ return_code: 'SYSTEMERROR', return_msg: 'faces file line 2: expected openid<TAB>nickname[<TAB>unionid]' });
  });

  it('refuses a delay that is not a number of milliseconds', () => {
    process.env.WXPAYFACE_SIM_DELAY_MS = '1s';
    expect(userInfo()).toEqual({
      return_code: 'SYSTEMERROR',
      return_msg: 'WXPAYFACE_SIM_DELAY_MS must be a whole number of milliseconds, got "1s"',
    });
  });
});

describe('script lines', () => {
  it('each step removes and obeys the first line; blank and comment lines go with it', () => {
    env.setScript('# first a cancel', '', 'cancel', '  face 3  ', 'face 1');
    expect(userInfo()).toEqual(USER_CANCEL);
    expect(env.readScript()).toBe('  face 3  \nface 1\n');
    expect(userInfo().openid).toBe('oSIM_T3');
    expect(userInfo().openid).toBe('oSIM_T1');
    expect(env.readScript()).toBe('');
  });

  it('face N picks that face (1-based) and does not move the turn', () => {
    const first = userInfo().openid;
    env.setScript('face 2', 'face 2');
    expect(userInfo().openid).toBe('oSIM_T2');
    expect(userInfo().openid).toBe('oSIM_T2');
    const next = userInfo().openid;
    expect(next).not.toBe(first);
  });

  it('error CODE MESSAGE answers that return_code and return_msg verbatim', () => {
    env.setScript('error SYSTEMERROR 摄像头打开失败 (camera 0)', 'error FACE_NOT_FOUND', 'error PARAM_ERROR AuthInfo License Error');
    expect(userInfo()).toEqual({ return_code: 'SYSTEMERROR', return_msg: '摄像头打开失败 (camera 0)' });
    expect(userInfo()).toEqual({ return_code: 'FACE_NOT_FOUND', return_msg: '' });
    expect(userInfo()).toEqual({ return_code: 'PARAM_ERROR', return_msg: 'AuthInfo License Error' });
  });

  it('slow MS waits that long, then serves the next face in turn', async () => {
    process.env.WXPAYFACE_SIM_DELAY_MS = '5000';
    env.setScript('slow 250');
    const started = performance.now();
    const answer = await userInfoAsync();
    const took = performance.now() - started;
    expect(answer.return_code).toBe('SUCCESS');
    expect(took).toBeGreaterThanOrEqual(230);
    expect(took).toBeLessThan(4000);
  });

  it('callfail makes wxpayCallFaceService return non-zero with no response', () => {
    env.setScript('callfail', 'face 1');
    const failed = callRaw(request('getWxpayfaceUserInfo', userInfoFields()));
    expect(failed).toEqual({ code: -1, bytes: null, body: null, afterRelease: null });
    expect(userInfo().openid).toBe('oSIM_T1');
  });

  it('big N succeeds with a nickname of N bytes', () => {
    env.setScript('big 2000000', 'big 0');
    const answer = callRaw(request('getWxpayfaceUserInfo', userInfoFields()));
    expect(answer.body?.return_code).toBe('SUCCESS');
    expect(String(answer.body?.nickname)).toHaveLength(2_000_000);
    expect(answer.bytes?.length).toBeGreaterThan(2_000_000);
    expect(userInfo().nickname).toBe('');
  });

  it('a line it does not understand is a SYSTEMERROR that quotes it', () => {
    env.setScript('face 0', 'smile', 'slow soon', 'forget now', 'face 9');
    const notUnderstood = (line: string) => ({
      return_code: 'SYSTEMERROR',
      return_msg: `WXPAYFACE_SIM_SCRIPT line not understood: "${line}" (expected face N, cancel, error CODE MESSAGE, slow MS, hang, crash, callfail, big N or forget)`,
    });
    expect(userInfo()).toEqual(notUnderstood('face 0'));
    expect(userInfo()).toEqual(notUnderstood('smile'));
    expect(userInfo()).toEqual(notUnderstood('slow soon'));
    expect(userInfo()).toEqual(notUnderstood('forget now'));
    expect(userInfo()).toEqual({ return_code: 'SYSTEMERROR', return_msg: 'WXPAYFACE_SIM_SCRIPT asks for face 9 but the faces file has 3' });
  });

  it('lines are only used by steps that pass validation', () => {
    env.setScript('cancel');
    expect(call('getWxpayfaceUserInfo', userInfoFields({ authinfo: 'forged' })).return_msg).toBe('AuthInfo License Error');
    expect(env.readScript()).toBe('cancel\n');
    expect(userInfo()).toEqual(USER_CANCEL);
  });

  it('a script file that does not exist yet is an empty script', () => {
    process.env.WXPAYFACE_SIM_SCRIPT = `${env.dir}/later.txt`;
    expect(userInfo().return_code).toBe('SUCCESS');
  });
});

describe('stopWxpayface', () => {
  it('cancels a face step in progress, which answers USER_CANCEL at once', async () => {
    process.env.WXPAYFACE_SIM_DELAY_MS = '20000';
    const started = performance.now();
    const step = userInfoAsync();
    await sleep(150);
    expect(call('stopWxpayface')).toEqual({ return_code: 'SUCCESS', return_msg: 'SUCCESS' });
    expect(await step).toEqual(USER_CANCEL);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('cancels a slow step too', async () => {
    env.setScript('slow 20000');
    const step = userInfoAsync();
    await sleep(150);
    call('stopWxpayface');
    expect(await step).toEqual(USER_CANCEL);
  });

  it('is SUCCESS with nothing in progress, and does not cancel the next step', async () => {
    expect(call('stopWxpayface')).toEqual({ return_code: 'SUCCESS', return_msg: 'SUCCESS' });
    process.env.WXPAYFACE_SIM_DELAY_MS = '100';
    expect((await userInfoAsync()).return_code).toBe('SUCCESS');
  });

  it('works while uninitialised and from another thread while the step blocks', async () => {
    process.env.WXPAYFACE_SIM_DELAY_MS = '20000';
    const step = userInfoAsync();
    await sleep(100);
    expect(await callAsync('stopWxpayface')).toEqual({ return_code: 'SUCCESS', return_msg: 'SUCCESS' });
    expect(await step).toEqual(USER_CANCEL);
    call('releaseWxpayface');
    expect(call('stopWxpayface').return_code).toBe('SUCCESS');
  });
});
