import { describe, expect, it } from 'vitest';
import { nonceStr, sign, signPayload, verifySign } from './sign.js';
import { fromXml, toXml } from './xml.js';

// WeChat Pay's published v2 example ("安全规范" / signature algorithm page).
const EXAMPLE = { appid: 'wxd930ea5d5a258f4f', mch_id: '10000100', device_info: '1000', body: 'test', nonce_str: 'ibuaiVcKdpRxkhJA' };
const KEY = '192006250b4c09247ec02edce69f6a2d';

describe('WeChat Pay v2 signer', () => {
  it('builds the published string to sign', () => {
    expect(signPayload(EXAMPLE)).toBe('appid=wxd930ea5d5a258f4f&body=test&device_info=1000&mch_id=10000100&nonce_str=ibuaiVcKdpRxkhJA');
  });
  it('gives the published MD5 signature', () => {
    expect(sign(EXAMPLE, KEY, 'MD5')).toBe('9A0A8659F005D6984697E2CA0A9CF3B7');
  });
  it('gives the published HMAC-SHA256 signature', () => {
    expect(sign(EXAMPLE, KEY, 'HMAC-SHA256')).toBe('6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6');
  });
  it('ignores sign and empty fields, and signs Chinese text as UTF-8', () => {
    expect(sign({ ...EXAMPLE, sign: 'X', attach: '' }, KEY, 'MD5')).toBe('9A0A8659F005D6984697E2CA0A9CF3B7');
    expect(sign({ store_name: '演示门店' }, KEY, 'MD5')).not.toBe(sign({ store_name: '演示门市' }, KEY, 'MD5'));
  });
  it('verifies a signature (case-insensitively) and rejects a changed one', () => {
    expect(verifySign({ ...EXAMPLE, sign: '9a0a8659f005d6984697e2ca0a9cf3b7' }, KEY, 'MD5')).toBe(true);
    expect(verifySign({ ...EXAMPLE, sign: '9A0A8659F005D6984697E2CA0A9CF3B8' }, KEY, 'MD5')).toBe(false);
    expect(verifySign({ ...EXAMPLE, sign: 'short' }, KEY, 'MD5')).toBe(false);
    expect(verifySign({ ...EXAMPLE, body: 'tset', sign: '9A0A8659F005D6984697E2CA0A9CF3B7' }, KEY, 'MD5')).toBe(false);
  });
  it('makes a fresh 32-character nonce each time', () => {
    const nonces = new Set(Array.from({ length: 1000 }, () => nonceStr()));
    expect(nonces.size).toBe(1000);
    for (const n of nonces) expect(n).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('WeChat XML', () => {
  it('round-trips Chinese and markup characters and keeps numbers as strings', () => {
    const fields = { store_name: '演示门店 <A&B>', now: '0001700000000', expires_in: '7200' };
    expect(fromXml(toXml(fields))).toEqual(fields);
  });
  it('leaves out empty fields', () => {
    expect(toXml({ a: '1', b: '', c: undefined })).toBe('<xml><a><![CDATA[1]]></a></xml>');
  });
  it('refuses DOCTYPE (no entity expansion) and nested elements', () => {
    expect(() => fromXml('<!DOCTYPE x [<!ENTITY e "boom">]><xml><a>&e;</a></xml>')).toThrow('DOCTYPE');
    expect(() => fromXml('<xml><a><b>1</b></a></xml>')).toThrow('<a> must hold text only');
    expect(() => fromXml('<xml><a>1</xml>')).toThrow();
  });
});
