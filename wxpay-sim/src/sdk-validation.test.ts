// What wxpayCallFaceService checks before it does anything, in order: JSON, cmd, version, now, init,
// then each command's fields.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { parseRawdata, SIM_DEFAULT_SERIAL } from '@posface/wxpay-sim';
import { call, callRaw, request, unixNow } from './testing/harness.js';
import { createSimEnv, userInfoFields, removeSimEnvs } from './testing/sim-env.js';

afterAll(removeSimEnvs);

const SUCCESS = { return_code: 'SUCCESS', return_msg: 'SUCCESS' };
const paramError = (return_msg: string) => ({ return_code: 'PARAM_ERROR', return_msg });

function body(req: Record<string, unknown> | string | Buffer): Record<string, unknown> | null {
  const answer = callRaw(req);
  expect(answer.code).toBe(0);
  return answer.body;
}

beforeEach(() => {
  createSimEnv();
  call('releaseWxpayface');
});

describe('JSON', () => {
  const invalid = [
    '',
    '   ',
    'null',
    '[]',
    '"initWxpayface"',
    '{"cmd":"initWxpayface"',
    '{"cmd":"initWxpayface",}',
    '{"cmd":\'initWxpayface\'}',
    '{"cmd":"initWxpayface"} x',
    '{"cmd":"initWxpayface","now":01}',
    '{"cmd":"initWxpayface","now":1.}',
    '{"cmd":"a\\x"}',
    '{"cmd":"\\ud800"}', // lone high surrogate
    '{"cmd":"\\udc00"}', // lone low surrogate
    '{"cmd":"tab\there"}', // raw control character
    '{"a":' + '['.repeat(100) + ']'.repeat(100) + '}', // nested too deep
  ];
  for (const text of invalid) {
    it(`refuses ${JSON.stringify(text.slice(0, 40))} as Invalid Json`, () => {
      expect(body(text)).toEqual(paramError('Invalid Json'));
    });
  }

  it('refuses bytes that are not UTF-8 (lone continuation, overlong, encoded surrogate)', () => {
    for (const bad of [[0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80]]) {
      const buf = Buffer.concat([Buffer.from('{"cmd":"'), Buffer.from(bad), Buffer.from('"}')]);
      expect(body(buf)).toEqual(paramError('Invalid Json'));
    }
  });

  it('accepts escapes, surrogate pairs, nested values, whitespace and repeated keys (the last wins)', () => {
    const text = ' {"cmd":"x","cmd":"init\\u0057xpayface","version":"1","now":' + unixNow() +
      ',"extra":{"a":[1,-2.5e3,true,false,null,"\\ud83c\\udf75\\"\\\\\\/\\b\\f\\n\\r\\t"]}} ';
    expect(body(text)).toEqual(SUCCESS);
  });
});

describe('cmd, version and now', () => {
  it('an unknown, missing or non-string cmd is Unknown Cmd', () => {
    expect(body(request('getWxpayfacePayInfo'))).toEqual(paramError('Unknown Cmd'));
    expect(body({ version: '1', now: unixNow() })).toEqual(paramError('Unknown Cmd'));
    expect(body(request('initWxpayface', { cmd: 7 }))).toEqual(paramError('Unknown Cmd'));
    expect(body(request('initWxpayface\u0000'))).toEqual(paramError('Unknown Cmd'));
  });

  it('cmd is checked before version', () => {
    expect(body({ cmd: 'nope' })).toEqual(paramError('Unknown Cmd'));
  });

  it('version must be the string "1"', () => {
    expect(body({ cmd: 'initWxpayface', now: unixNow() })).toEqual(paramError('Missing version'));
    for (const version of [1, '2', '1.0', '']) {
      expect(body(request('initWxpayface', { version }))).toEqual(paramError('Invalid version: must be "1"'));
    }
  });

  it('now must be an integer', () => {
    expect(body({ cmd: 'initWxpayface', version: '1' })).toEqual(paramError('Missing now'));
    for (const now of [String(unixNow()), unixNow() + 0.5, null, 1e30]) {
      expect(body(request('initWxpayface', { now }))).toEqual(paramError('Invalid now: must be an integer (unix seconds)'));
    }
  });

  it('now must be within 5 minutes of the clock', () => {
    const skewed = paramError("Invalid now: more than 5 minutes from the terminal's clock");
    expect(body(request('initWxpayface', { now: unixNow() - 310 }))).toEqual(skewed);
    expect(body(request('initWxpayface', { now: unixNow() + 310 }))).toEqual(skewed);
    expect(body(request('initWxpayface', { now: unixNow() - 290 }))).toEqual(SUCCESS);
    expect(body(request('initWxpayface', { now: unixNow() + 290 }))).toEqual(SUCCESS);
  });
});

describe('initialisation', () => {
  const notInitialized = { return_code: 'FAIL', return_msg: '刷脸服务未初始化', err_code: 271378620 };

  it('rawdata and user info need initWxpayface first; release and stop do not', () => {
    expect(body(request('getWxpayfaceRawdata'))).toEqual(notInitialized);
    expect(body(request('getWxpayfaceUserInfo', userInfoFields()))).toEqual(notInitialized);
    expect(body(request('stopWxpayface'))).toEqual(SUCCESS);
    expect(body(request('releaseWxpayface'))).toEqual(SUCCESS);
  });

  it('releaseWxpayface goes back to uninitialised; init again works', () => {
    expect(body(request('initWxpayface'))).toEqual(SUCCESS);
    expect(body(request('getWxpayfaceRawdata'))).toMatchObject(SUCCESS);
    expect(body(request('releaseWxpayface'))).toEqual(SUCCESS);
    expect(body(request('getWxpayfaceRawdata'))).toEqual(notInitialized);
    expect(body(request('initWxpayface'))).toEqual(SUCCESS);
    expect(body(request('initWxpayface'))).toEqual(SUCCESS);
    expect(body(request('getWxpayfaceRawdata'))).toMatchObject(SUCCESS);
  });

  it('accepts the proxy and camera fields', () => {
    const fields = { ip: '10.0.0.1', port: '8080', user: 'u', passwd: 'p', proxy_type: 2, camera_rotation: 3 };
    expect(body(request('initWxpayface', fields))).toEqual(SUCCESS);
  });

  it('checks port digits, proxy_type 0-3 and camera_rotation 1-3, and stays uninitialised', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ port: '80a' }, 'Invalid port: must be digits (0-65535)'],
      [{ port: '' }, 'Invalid port: must be digits (0-65535)'],
      [{ port: '99999' }, 'Invalid port: must be digits (0-65535)'],
      [{ port: 8080 }, 'Invalid port: must be a string'],
      [{ ip: 1 }, 'Invalid ip: must be a string'],
      [{ proxy_type: 4 }, 'Invalid proxy_type: must be an integer from 0 to 3'],
      [{ proxy_type: '1' }, 'Invalid proxy_type: must be an integer from 0 to 3'],
      [{ camera_rotation: 0 }, 'Invalid camera_rotation: must be an integer from 1 to 3'],
      [{ camera_rotation: 1.5 }, 'Invalid camera_rotation: must be an integer from 1 to 3'],
    ];
    for (const [fields, message] of cases) {
      expect(body(request('initWxpayface', fields)), JSON.stringify(fields)).toEqual(paramError(message));
    }
    expect(body(request('getWxpayfaceRawdata'))).toMatchObject({ err_code: 271378620 });
  });
});

describe('getWxpayfaceRawdata', () => {
  it('carries the terminal serial (WXPAYFACE_SIM_SERIAL, read at each call) and the request time', () => {
    call('initWxpayface');
    const now = unixNow();
    const first = body(request('getWxpayfaceRawdata', { now }));
    expect(parseRawdata(String(first?.rawdata))).toEqual({ serial: SIM_DEFAULT_SERIAL, now });
    process.env.WXPAYFACE_SIM_SERIAL = 'SIM-TERMINAL-0042';
    const second = body(request('getWxpayfaceRawdata', { now }));
    expect(parseRawdata(String(second?.rawdata))).toEqual({ serial: 'SIM-TERMINAL-0042', now });
    expect(Buffer.from(String(second?.rawdata), 'base64').toString('utf8')).toMatch(
      /^WXSIMRAW1\|SIM-TERMINAL-0042\|[0-9a-f]{32}\|\d{10}$/,
    );
    expect(second?.rawdata).not.toBe(first?.rawdata);
  });

  it('refuses a serial with the separator', () => {
    call('initWxpayface');
    process.env.WXPAYFACE_SIM_SERIAL = 'A|B';
    expect(body(request('getWxpayfaceRawdata'))).toEqual({
      return_code: 'SYSTEMERROR',
      return_msg: 'WXPAYFACE_SIM_SERIAL must not contain "|"',
    });
  });
});

describe('getWxpayfaceUserInfo fields', () => {
  beforeEach(() => {
    call('initWxpayface');
  });

  for (const field of ['appid', 'mch_id', 'store_id', 'face_authtype', 'authinfo']) {
    it(`${field} is required, non-empty and a string`, () => {
      const fields = userInfoFields();
      delete fields[field];
      expect(body(request('getWxpayfaceUserInfo', fields))).toEqual(paramError(`Missing ${field}`));
      expect(body(request('getWxpayfaceUserInfo', userInfoFields({ [field]: '' })))).toEqual(
        paramError(`Missing ${field}: must not be empty`),
      );
      expect(body(request('getWxpayfaceUserInfo', userInfoFields({ [field]: 12 })))).toEqual(
        paramError(`Invalid ${field}: must be a string`),
      );
    });
  }

  it('face_authtype must be FACEID-ONCE', () => {
    expect(body(request('getWxpayfaceUserInfo', userInfoFields({ face_authtype: 'FACEPAY' })))).toEqual(
      paramError('Invalid face_authtype: must be FACEID-ONCE'),
    );
  });

  it('optional fields must be strings; ask_unionid "0" or "1"', () => {
    for (const field of ['sub_appid', 'sub_mch_id', 'ask_unionid', 'screen_index', 'use_window_nofocus']) {
      expect(body(request('getWxpayfaceUserInfo', userInfoFields({ [field]: 1 })))).toEqual(
        paramError(`Invalid ${field}: must be a string`),
      );
    }
    expect(body(request('getWxpayfaceUserInfo', userInfoFields({ ask_unionid: 'yes' })))).toEqual(
      paramError('Invalid ask_unionid: must be "0" or "1"'),
    );
  });

  it('a field with a NUL inside is refused rather than cut short', () => {
    expect(body(request('getWxpayfaceUserInfo', userInfoFields({ store_id: 'S001\u0000x' })))).toEqual(
      paramError('Invalid store_id: contains a NUL character'),
    );
  });

  it('fields are checked before the authinfo, and the call succeeds with them all', () => {
    const all = userInfoFields({ sub_appid: 'wxsub', sub_mch_id: '1900008002', ask_unionid: '0', screen_index: '2', use_window_nofocus: '1' });
    expect(body(request('getWxpayfaceUserInfo', all))).toMatchObject(SUCCESS);
    expect(body(request('getWxpayfaceUserInfo', userInfoFields({ authinfo: 'forged', face_authtype: 'X' })))).toEqual(
      paramError('Invalid face_authtype: must be FACEID-ONCE'),
    );
  });
});
