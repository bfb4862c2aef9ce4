import { LIMITS } from '@posface/protocol';
import { parseRawdata } from '../src/authinfo.js';
import { isSignType, signMatches, wxSign, type SignType } from './sign.js';

/** The checks WeChat makes on a get_wxpayface_authinfo request, with its kind of answers. */

export interface AuthinfoCall {
  fields: Record<string, string>;
  signType: SignType;
  serial: string;
}

export type CheckResult = { ok: true; call: AuthinfoCall } | { ok: false; returnCode: string; returnMsg: string };

const REQUIRED = ['store_id', 'store_name', 'device_id', 'rawdata', 'appid', 'mch_id', 'now', 'version', 'nonce_str', 'sign'];
const MAX: Record<string, number> = {
  store_id: LIMITS.store_id,
  store_name: LIMITS.store_name,
  device_id: LIMITS.device_id,
  rawdata: LIMITS.rawdata,
  appid: LIMITS.appid,
  mch_id: LIMITS.mch_id,
  sub_appid: LIMITS.sub_appid,
  sub_mch_id: LIMITS.sub_mch_id,
  nonce_str: LIMITS.nonce_str,
  attach: 1024,
  now: 10,
  sign: 64,
};
/** WeChat accepts `now` within five minutes of its clock. */
export const NOW_WINDOW_S = 300;

const fail = (returnMsg: string, returnCode = 'PARAM_ERROR'): CheckResult => ({ ok: false, returnCode, returnMsg });

export function checkAuthinfoRequest(fields: Record<string, string>, apiKey: string, nowS: number): CheckResult {
  for (const name of REQUIRED) {
    if (!fields[name]) return fail(`缺少参数${name}`);
  }
  for (const [name, max] of Object.entries(MAX)) {
    // Lengths are counted in characters (store_name may be Chinese).
    const value = fields[name];
    if (value !== undefined && [...value].length > max) return fail(`${name}长度超限`);
  }
  const signType = fields.sign_type ?? 'MD5';
  if (!isSignType(signType)) return fail('sign_type参数错误');
  if (!signMatches(fields.sign ?? '', wxSign(fields, apiKey, signType))) return fail('签名错误');
  if (fields.version !== '1') return fail('version参数错误');
  const now = Number(fields.now);
  if (!/^[0-9]{10}$/.test(fields.now ?? '') || Math.abs(now - nowS) > NOW_WINDOW_S) return fail('now时间戳无效');
  if (fields.attach !== undefined && fields.attach !== '') {
    try {
      JSON.parse(fields.attach);
    } catch (error) {
      return fail(`attach参数格式错误: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const raw = parseRawdata(fields.rawdata ?? '');
  if (raw === null) return fail('rawdata无效');
  return { ok: true, call: { fields, signType, serial: raw.serial } };
}
