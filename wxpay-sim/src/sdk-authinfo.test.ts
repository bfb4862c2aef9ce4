// The simulator checks authinfo exactly as verifyAuthinfo does: genuine (HMAC-SHA256 with the shared
// secret), bound to this terminal's serial and the request's appid/mch_id/store_id, not expired.
import { createHmac } from 'node:crypto';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { mintAuthinfo, verifyAuthinfo } from '@posface/wxpay-sim';
import { call, unixNow } from './testing/harness.js';
import { BINDING, createSimEnv, MERCHANT, userInfoFields, removeSimEnvs } from './testing/sim-env.js';

afterAll(removeSimEnvs);

const LICENSE_ERROR = { return_code: 'PARAM_ERROR', return_msg: 'AuthInfo License Error' };

const userInfo = (authinfo: string, extra: Record<string, unknown> = {}) =>
  call('getWxpayfaceUserInfo', userInfoFields({ authinfo, ...extra }));

/** An authinfo signed with `secret` over any payload, to forge the cases the TS minter refuses to make. */
function sign(payload: string, secret = 'posface-sim-dev-secret'): string {
  const mac = createHmac('sha256', secret).update(payload, 'utf8').digest('hex');
  return Buffer.from(`${payload}|${mac}`, 'utf8').toString('base64');
}

beforeEach(() => {
  createSimEnv();
  call('initWxpayface');
});

describe('accepted', () => {
  it('an authinfo minted by the TypeScript helper for this terminal and merchant', () => {
    const { authinfo } = mintAuthinfo(BINDING);
    expect(verifyAuthinfo(authinfo, BINDING).ok).toBe(true);
    expect(userInfo(authinfo)).toMatchObject({ return_code: 'SUCCESS', openid: 'oSIM_T1' });
  });

  it('the same authinfo again, until it expires (WeChat recommends re-use)', () => {
    const { authinfo } = mintAuthinfo({ ...BINDING, expiresIn: 7200 });
    expect(userInfo(authinfo).return_code).toBe('SUCCESS');
    expect(userInfo(authinfo).return_code).toBe('SUCCESS');
  });

  it('one for another serial or secret when the environment says so (read at each call)', () => {
    process.env.WXPAYFACE_SIM_SERIAL = 'SIM-TERMINAL-0042';
    process.env.WXPAYFACE_SIM_SECRET = 'another secret';
    const { authinfo } = mintAuthinfo({ ...BINDING, serial: 'SIM-TERMINAL-0042', secret: 'another secret' });
    expect(userInfo(authinfo).return_code).toBe('SUCCESS');
    expect(userInfo(mintAuthinfo(BINDING).authinfo)).toEqual(LICENSE_ERROR);
  });

  it('a payload with or without the nonce field (only the first six fields are bound)', () => {
    const expiresAt = unixNow() + 60;
    const base = `WXSIM1|${BINDING.serial}|${MERCHANT.appid}|${MERCHANT.mch_id}|${MERCHANT.store_id}|${expiresAt}`;
    expect(userInfo(sign(base)).return_code).toBe('SUCCESS');
    expect(userInfo(sign(`${base}|0123456789abcdef`)).return_code).toBe('SUCCESS');
  });
});

describe('refused with PARAM_ERROR "AuthInfo License Error"', () => {
  const expiresAt = () => unixNow() + 3600;
  const payload = (over: Partial<Record<'tag' | 'serial' | 'appid' | 'mch_id' | 'store_id' | 'expires', string>> = {}) =>
    [
      over.tag ?? 'WXSIM1',
      over.serial ?? BINDING.serial,
      over.appid ?? MERCHANT.appid,
      over.mch_id ?? MERCHANT.mch_id,
      over.store_id ?? MERCHANT.store_id,
      over.expires ?? String(expiresAt()),
      'abcdefabcdefabcd',
    ].join('|');

  it('forged: signed with another secret', () => {
    const forged = mintAuthinfo({ ...BINDING, secret: 'guessed' }).authinfo;
    expect(userInfo(forged)).toEqual(LICENSE_ERROR);
  });

  it('forged: a genuine one with its payload edited, or its MAC changed, cut or upper-cased', () => {
    const text = Buffer.from(mintAuthinfo(BINDING).authinfo, 'base64').toString('utf8');
    const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
    const cut = text.lastIndexOf('|');
    const lastHex = text.at(-1) === '0' ? '1' : '0';
    expect(userInfo(b64(text.replace(/\|(\d{10})\|/, (_, t: string) => `|${Number(t) + 1}|`)))).toEqual(LICENSE_ERROR);
    expect(userInfo(b64(text.slice(0, -1) + lastHex))).toEqual(LICENSE_ERROR);
    expect(userInfo(b64(text.slice(0, -2)))).toEqual(LICENSE_ERROR);
    expect(userInfo(b64(text.slice(0, cut + 1) + text.slice(cut + 1).toUpperCase()))).toEqual(LICENSE_ERROR);
  });

  it('expired (expires_at not after the clock)', () => {
    const expired = mintAuthinfo({ ...BINDING, now: unixNow() - 3600, expiresIn: 3600 }).authinfo;
    expect(verifyAuthinfo(expired, BINDING)).toEqual({ ok: false, reason: 'expired' });
    expect(userInfo(expired)).toEqual(LICENSE_ERROR);
    expect(userInfo(sign(payload({ expires: 'soon' })))).toEqual(LICENSE_ERROR);
    expect(userInfo(sign(payload({ expires: '' })))).toEqual(LICENSE_ERROR);
  });

  it('mismatched: another terminal serial, appid, mch_id or store_id', () => {
    const other = { serial: 'SIM-TERMINAL-0002', appid: 'wxother', mch_id: '1900009999', store_id: 'S002' };
    for (const [field, value] of Object.entries(other)) {
      const authinfo = mintAuthinfo({ ...BINDING, [field]: value }).authinfo;
      expect(userInfo(authinfo), field).toEqual(LICENSE_ERROR);
    }
    // The request's store decides, not the authinfo's: the same authinfo for another store fails.
    expect(userInfo(mintAuthinfo(BINDING).authinfo, { store_id: 'S002' })).toEqual(LICENSE_ERROR);
    // A prefix is not a match.
    expect(userInfo(sign(payload({ store_id: 'S00' })))).toEqual(LICENSE_ERROR);
  });

  it('malformed: not base64, no MAC, another tag, too few fields', () => {
    expect(userInfo('not base64 at all!')).toEqual(LICENSE_ERROR);
    expect(userInfo(Buffer.from('no separator').toString('base64'))).toEqual(LICENSE_ERROR);
    expect(userInfo(sign(payload({ tag: 'WXSIM2' })))).toEqual(LICENSE_ERROR);
    expect(userInfo(sign(`WXSIM1|${BINDING.serial}|${MERCHANT.appid}`))).toEqual(LICENSE_ERROR);
  });
});
