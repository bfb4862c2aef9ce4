import { describe, expect, it } from 'vitest';
import { FaceError } from './errors.js';
import { FACE_SERVICE_ADVICE, parseSdkResponse, SDK_COMMANDS, SDK_FIELDS, validateSdkCall } from './sdk.js';

const userInfo = {
  cmd: 'getWxpayfaceUserInfo',
  appid: 'wx2b029c08a6232582',
  mch_id: '1900008001',
  store_id: 'DemoStore',
  face_authtype: 'FACEID-ONCE',
  authinfo: 'YNrFgiTFMBgJhON9',
  ask_unionid: '1',
  screen_index: '2',
};

function invalid(value: unknown): FaceError {
  try {
    validateSdkCall(value);
  } catch (error) {
    if (error instanceof FaceError) return error;
    throw error;
  }
  throw new Error('expected INVALID_REQUEST');
}

describe('validateSdkCall', () => {
  it('accepts every documented command with its documented fields', () => {
    expect(validateSdkCall(userInfo)).toEqual(userInfo);
    expect(validateSdkCall({ cmd: 'getWxpayfaceRawdata' })).toEqual({ cmd: 'getWxpayfaceRawdata' });
    expect(validateSdkCall({ cmd: 'releaseWxpayface' }).cmd).toBe('releaseWxpayface');
    expect(validateSdkCall({ cmd: 'stopWxpayface' }).cmd).toBe('stopWxpayface');
    const init = { cmd: 'initWxpayface', ip: '10.1.2.3', port: '8356', user: 'u', passwd: 'p', proxy_type: 3, camera_rotation: 2 };
    expect(validateSdkCall(init)).toEqual(init);
  });

  it.each([
    [{ ...userInfo, cmd: 'getWxpayfaceCode' }, 'params.cmd', 'must be one of'],
    [{ cmd: 'getWxpayfaceRawdata', version: '1' }, 'params.version', 'set by the host'],
    [{ cmd: 'getWxpayfaceRawdata', now: 1 }, 'params.now', 'set by the host'],
    [{ cmd: 'getWxpayfaceRawdata', appid: 'x' }, 'params.appid', 'not a field of getWxpayfaceRawdata'],
    [{ ...userInfo, appid: undefined }, 'params.appid', 'must be a string'],
    [{ ...userInfo, mch_id: 1900008001 }, 'params.mch_id', 'must be a string, got number'],
    [{ ...userInfo, store_id: 'S'.repeat(33) }, 'params.store_id', 'at most 32'],
    [{ ...userInfo, authinfo: 'a'.repeat(4097) }, 'params.authinfo', 'at most 4096'],
    [{ ...userInfo, authinfo: '' }, 'params.authinfo', 'must not be empty'],
    [{ ...userInfo, face_authtype: 'FACEPAY' }, 'params.face_authtype', 'must be one of "FACEID-ONCE"'],
    [{ ...userInfo, ask_unionid: 'yes' }, 'params.ask_unionid', 'must be one of "0", "1"'],
    [{ ...userInfo, screen_index: '0' }, 'params.screen_index', 'screen number'],
    [{ ...userInfo, use_window_nofocus: '0' }, 'params.use_window_nofocus', 'must be one of "1"'],
    [{ cmd: 'initWxpayface', port: '80a' }, 'params.port', 'digits only'],
    [{ cmd: 'initWxpayface', proxy_type: 4 }, 'params.proxy_type', 'must be one of 0, 1, 2, 3'],
    [{ cmd: 'initWxpayface', proxy_type: '1' }, 'params.proxy_type', 'must be an integer'],
    [{ cmd: 'initWxpayface', camera_rotation: 0 }, 'params.camera_rotation', 'must be one of 1, 2, 3'],
    ['getWxpayfaceRawdata', 'params', 'must be an object, got string'],
    [[], 'params', 'must be an object, got array'],
  ])('rejects %j naming the field', (value, field, problem) => {
    const error = invalid(value);
    expect(error.code).toBe('INVALID_REQUEST');
    expect(error.message).toContain(field);
    expect(error.message).toContain(problem);
    expect(error.details).toEqual({ field });
  });

  // Every name an ordinary object inherits, and "__proto__" as JSON.parse makes it (an own key).
  const inherited = [...new Set([...Object.getOwnPropertyNames(Object.prototype), '__proto__'])];
  const minimal = { ...Object.fromEntries(SDK_COMMANDS.map((cmd) => [cmd, { cmd }])), getWxpayfaceUserInfo: userInfo };

  it.each(SDK_COMMANDS.flatMap((cmd) => inherited.map((key) => [cmd, key] as const)))('%s refuses the inherited name %s as a field', (cmd, key) => {
    const request = JSON.parse(JSON.stringify(minimal[cmd]).replace(/^\{/, `{${JSON.stringify(key)}:"x",`)) as object;
    expect(Object.keys(request)).toContain(key);
    const error = invalid(request);
    expect(error.code).toBe('INVALID_REQUEST');
    expect(error.message).toBe(`params.${key}: is not a field of ${cmd}`);
  });

  it('quotes at most 40 characters of an unknown key', () => {
    const error = invalid({ cmd: 'getWxpayfaceRawdata', ['constructor'.repeat(7000)]: 1 });
    expect(error.message).toBe(`params.${'constructor'.repeat(7000).slice(0, 40)}…: is not a field of getWxpayfaceRawdata`);
  });

  it('answers a copy holding only the fields it checked', () => {
    const proto = { appid: 'inherited', extra: 'inherited' };
    const request = Object.assign(Object.create(proto) as object, userInfo);
    const checked = validateSdkCall(request);
    expect(checked).not.toBe(request);
    expect(Object.getPrototypeOf(checked)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(checked))).toEqual(userInfo);
  });

  it('does not count an inherited field as present', () => {
    const { store_id: storeId, ...rest } = userInfo;
    const request = Object.assign(Object.create({ store_id: storeId }) as object, rest);
    expect(invalid(request).message).toBe('params.store_id: is required by getWxpayfaceUserInfo');
  });

  it('bounds every documented string field (a length limit or a fixed list of values)', () => {
    for (const fields of Object.values(SDK_FIELDS)) {
      for (const [name, spec] of Object.entries(fields)) {
        if (spec.type === 'string') expect(spec.max !== undefined || spec.oneOf !== undefined, name).toBe(true);
      }
    }
  });

  it('names a missing required field', () => {
    const { store_id: _omit, ...rest } = userInfo;
    expect(invalid(rest).message).toBe('params.store_id: is required by getWxpayfaceUserInfo');
  });
});

describe('parseSdkResponse', () => {
  it('returns the typed result on SUCCESS', () => {
    const result = parseSdkResponse('getWxpayfaceUserInfo', {
      return_code: 'SUCCESS',
      return_msg: 'SUCCESS',
      openid: 'o1',
      nickname: '王芳',
    });
    expect(result.openid).toBe('o1');
    expect(result.nickname).toBe('王芳');
    expect(parseSdkResponse('getWxpayfaceRawdata', { return_code: 'SUCCESS', rawdata: 'abc' }).return_msg).toBe('');
  });

  it.each([
    ['USER_CANCEL', '用户取消', 'USER_CANCEL'],
    ['PARAM_ERROR', 'AuthInfo License Error', 'AUTHINFO_INVALID'],
    ['PARAM_ERROR', 'store_id missing', 'SDK_ERROR'],
    ['SYSTEMERROR', '系统错误', 'SDK_ERROR'],
    ['SOMETHING_NEW', 'vendor added a code', 'SDK_ERROR'],
  ])('maps %s "%s" to %s and keeps the SDK words verbatim', (returnCode, returnMsg, code) => {
    try {
      parseSdkResponse('getWxpayfaceUserInfo', { return_code: returnCode, return_msg: returnMsg });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(FaceError);
      expect((error as FaceError).code).toBe(code);
      expect((error as FaceError).returnCode).toBe(returnCode);
      expect((error as FaceError).returnMsg).toBe(returnMsg);
    }
  });

  const caught = (fn: () => unknown): FaceError => {
    try {
      fn();
    } catch (error) {
      if (error instanceof FaceError) return error;
    }
    throw new Error('expected a FaceError');
  };
  const notInitialised = { return_code: 'FAIL', return_msg: '刷脸服务未初始化', err_code: 271378620 };

  it.each(['initWxpayface', 'releaseWxpayface', 'stopWxpayface'] as const)(
    'maps err_code 271378620 (not initialised) from %s, which needs no session, to FACE_SERVICE_DOWN with the advice',
    (cmd) => {
      const error = caught(() => parseSdkResponse(cmd, notInitialised));
      expect(error.toJSON()).toEqual({
        code: 'FACE_SERVICE_DOWN',
        message: `${cmd}: WxpayFaceService cannot be reached (FAIL 刷脸服务未初始化 (err_code 271378620)): ${FACE_SERVICE_ADVICE}`,
        returnCode: 'FAIL',
        returnMsg: '刷脸服务未初始化',
        details: { errCode: 271378620 },
      });
    },
  );

  it('keeps err_code 271378620 from a command that needs a session, and 271378621 (initialising), as SDK_ERROR with the err_code', () => {
    expect(caught(() => parseSdkResponse('getWxpayfaceRawdata', notInitialised))).toMatchObject({ code: 'SDK_ERROR', details: { errCode: 271378620 } });
    const busy = caught(() => parseSdkResponse('initWxpayface', { return_code: 'FAIL', return_msg: '刷脸服务初始化中', err_code: '271378621' }));
    expect(busy).toMatchObject({ code: 'SDK_ERROR', returnMsg: '刷脸服务初始化中', details: { errCode: 271378621 } });
    // An err_code that is not an integer is not read (the answer is still kept verbatim).
    expect(caught(() => parseSdkResponse('initWxpayface', { ...notInitialised, err_code: 2.5 }))).toMatchObject({ code: 'SDK_ERROR', details: undefined });
    expect(caught(() => parseSdkResponse('initWxpayface', { ...notInitialised, err_code: '27137862x' })).code).toBe('SDK_ERROR');
  });

  it('refuses a SUCCESS that lacks what the command must return', () => {
    expect(() => parseSdkResponse('getWxpayfaceRawdata', { return_code: 'SUCCESS' })).toThrow(/without rawdata/);
    expect(() => parseSdkResponse('getWxpayfaceUserInfo', { return_code: 'SUCCESS', openid: '' })).toThrow(/without openid/);
    expect(() => parseSdkResponse('initWxpayface', { return_msg: 'x' })).toThrow(/without a return_code/);
    expect(() => parseSdkResponse('initWxpayface', 'SUCCESS')).toThrow(/instead of an object/);
  });
});
