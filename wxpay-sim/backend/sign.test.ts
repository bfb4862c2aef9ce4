import { describe, expect, it } from 'vitest';
import { signString, wxSign } from './sign.js';
import { buildXml, parseXml } from './xml.js';

// WeChat Pay's published v2 example (pay.weixin.qq.com, "安全规范").
const EXAMPLE = { appid: 'wxd930ea5d5a258f4f', mch_id: '10000100', device_info: '1000', body: 'test', nonce_str: 'ibuaiVcKdpRxkhJA' };
const KEY = '192006250b4c09247ec02edce69f6a2d';

describe('fake backend signer', () => {
  it('matches the published MD5 example', () => {
    expect(wxSign(EXAMPLE, KEY, 'MD5')).toBe('9A0A8659F005D6984697E2CA0A9CF3B7');
  });
  it('matches the published HMAC-SHA256 example', () => {
    expect(wxSign(EXAMPLE, KEY, 'HMAC-SHA256')).toBe('6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6');
  });
  it('skips empty values and the sign field, sorted by name', () => {
    expect(signString({ b: '2', a: '1', sign: 'X', c: '', d: undefined })).toBe('a=1&b=2');
  });
});

describe('fake backend XML', () => {
  it('round-trips Chinese text and keeps digits as strings', () => {
    const xml = buildXml({ store_name: '演示门店 & <Demo>', now: '0001700000' });
    expect(parseXml(xml)).toEqual({ ok: true, fields: { store_name: '演示门店 & <Demo>', now: '0001700000' } });
  });
  it('refuses DOCTYPE and broken documents with a reason', () => {
    expect(parseXml('<!DOCTYPE x [<!ENTITY a "b">]><xml><a>&a;</a></xml>')).toMatchObject({ ok: false, problem: expect.stringContaining('DOCTYPE') });
    expect(parseXml('<xml><a>1</b></xml>')).toMatchObject({ ok: false });
    expect(parseXml('<xml><a><b>1</b></a></xml>')).toEqual({ ok: false, problem: '<a> must hold text only' });
  });
  it('refuses a value that would end its CDATA section', () => {
    expect(() => buildXml({ a: 'x]]>y' })).toThrow('a: must not contain "]]>"');
  });
});
