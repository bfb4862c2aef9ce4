import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SIM_DEFAULT_SECRET, makeRawdata, verifyAuthinfo } from '../src/authinfo.js';
import { backendOptionsFromEnv } from './env.js';
import { startFakeWxpayBackend, type FakeBackend } from './server.js';
import { wxSign, type SignType } from './sign.js';
import { buildXml, parseXml } from './xml.js';

const KEY = 'k'.repeat(32);
const SERIAL = 'SIM-TEST-42';
let backend: FakeBackend;

function request(overrides: Record<string, string | undefined> = {}, signType: SignType = 'MD5', key = KEY): Record<string, string | undefined> {
  const fields: Record<string, string | undefined> = {
    store_id: 'S001',
    store_name: '演示门店 Demo Store',
    device_id: 'D001',
    rawdata: makeRawdata(SERIAL),
    appid: 'wx0000000000000001',
    mch_id: '1900000001',
    now: String(Math.floor(Date.now() / 1000)),
    version: '1',
    sign_type: signType,
    nonce_str: 'a'.repeat(32),
    ...overrides,
  };
  if (!('sign' in overrides)) fields.sign = wxSign(fields, key, signType);
  return fields;
}

async function post(body: string): Promise<{ status: number; text: string; fields: Record<string, string> }> {
  const res = await fetch(backend.url, { method: 'POST', headers: { 'content-type': 'text/xml' }, body });
  const text = await res.text();
  const parsed = parseXml(text);
  return { status: res.status, text, fields: parsed.ok ? parsed.fields : {} };
}

beforeAll(async () => {
  backend = await startFakeWxpayBackend({ apiKey: KEY, expiresIn: 7200 });
});
afterAll(async () => {
  await backend.close();
});
beforeEach(() => {
  backend.faults.reset();
  backend.resetStats();
});

describe('fake get_wxpayface_authinfo', () => {
  it.each(['MD5', 'HMAC-SHA256'] as const)('answers a %s-signed request with a signed authinfo bound to the rawdata serial', async (signType) => {
    const { status, fields } = await post(buildXml(request({}, signType)));
    expect(status).toBe(200);
    expect(fields.return_code).toBe('SUCCESS');
    expect(fields.expires_in).toBe('7200');
    expect(fields.sign).toBe(wxSign(fields, KEY, signType));
    const check = verifyAuthinfo(fields.authinfo ?? '', { serial: SERIAL, appid: 'wx0000000000000001', mch_id: '1900000001', store_id: 'S001' }, { secret: SIM_DEFAULT_SECRET });
    expect(check.ok).toBe(true);
    expect(backend.stats().lastFields?.store_name).toBe('演示门店 Demo Store');
  });

  it.each([
    ['a wrong key', request({}, 'MD5', 'x'.repeat(32)), '签名错误'],
    ['a tampered field', { ...request(), store_id: 'S002' }, '签名错误'],
    ['a missing store_id', request({ store_id: undefined }), '缺少参数store_id'],
    ['a missing sign', request({ sign: undefined }), '缺少参数sign'],
    ['a store_id over 32 characters', request({ store_id: 'S'.repeat(33) }), 'store_id长度超限'],
    ['a store_name over 128 characters', request({ store_name: '店'.repeat(129) }), 'store_name长度超限'],
    ['an old now', request({ now: String(Math.floor(Date.now() / 1000) - 301) }), 'now时间戳无效'],
    ['version 2', request({ version: '2' }), 'version参数错误'],
    ['an unknown sign_type', { ...request(), sign_type: 'SHA1' }, 'sign_type参数错误'],
    ['rawdata that is not one', request({ rawdata: 'bm90IHJhd2RhdGE=' }), 'rawdata无效'],
    ['attach that is not JSON', request({ attach: '{oops' }), 'attach参数格式错误'],
  ])('rejects %s with PARAM_ERROR', async (_what, fields, message) => {
    const res = await post(buildXml(fields));
    expect(res.fields.return_code).toBe('PARAM_ERROR');
    expect(res.fields.return_msg).toContain(message);
    expect(res.fields.authinfo).toBeUndefined();
  });

  it('rejects a body that is not XML', async () => {
    const res = await post('store_id=S001');
    expect(res.fields).toMatchObject({ return_code: 'PARAM_ERROR', return_msg: expect.stringContaining('XML格式错误') });
  });

  it('counts requests', async () => {
    await Promise.all([1, 2, 3].map(() => post(buildXml(request()))));
    expect(backend.stats()).toMatchObject({ requests: 3, succeeded: 3 });
  });
});

describe('fault switches', () => {
  it('http5xx answers the configured status, for `times` requests only', async () => {
    backend.faults.set({ mode: 'http5xx', status: 502, times: 1 });
    expect((await post(buildXml(request()))).status).toBe(502);
    expect((await post(buildXml(request()))).fields.return_code).toBe('SUCCESS');
  });
  it('malformed answers broken XML', async () => {
    backend.faults.set({ mode: 'malformed' });
    const res = await post(buildXml(request()));
    expect(parseXml(res.text).ok).toBe(false);
  });
  it('badSign answers a signature made with another key', async () => {
    backend.faults.set({ mode: 'badSign' });
    const { fields } = await post(buildXml(request()));
    expect(fields.return_code).toBe('SUCCESS');
    expect(fields.sign).not.toBe(wxSign(fields, KEY, 'MD5'));
  });
  it('systemError answers SYSTEMERROR', async () => {
    backend.faults.set({ mode: 'systemError' });
    expect((await post(buildXml(request()))).fields.return_code).toBe('SYSTEMERROR');
  });
  it('latency delays the answer', async () => {
    backend.faults.set({ latencyMs: 300 });
    const t0 = performance.now();
    await post(buildXml(request()));
    expect(performance.now() - t0).toBeGreaterThanOrEqual(280);
  });
  it('timeout never answers (the client gives up)', async () => {
    backend.faults.set({ mode: 'timeout' });
    await expect(
      fetch(backend.url, { method: 'POST', body: buildXml(request()), signal: AbortSignal.timeout(300) }),
    ).rejects.toThrow(/abort|timeout/i);
  });
  it('can be set over HTTP, with a clear error for a bad value', async () => {
    const ok = await fetch(`${backend.baseUrl}/__sim/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mode: 'systemError' }) });
    expect(await ok.json()).toMatchObject({ mode: 'systemError' });
    const bad = await fetch(`${backend.baseUrl}/__sim/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mode: 'explode' }) });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: expect.stringContaining('mode: must be one of') });
    expect(await (await fetch(`${backend.baseUrl}/__sim/stats`)).json()).toMatchObject({ requests: 0 });
  });
});

describe('standalone environment', () => {
  it('reads faults and ports from env', () => {
    const r = backendOptionsFromEnv({ WXPAY_API_KEY: KEY, WXPAY_SIM_PORT: '0', WXPAY_SIM_FAULT: 'timeout', WXPAY_SIM_LATENCY_MS: '20' });
    expect(r).toMatchObject({ options: { apiKey: KEY, port: 0, faults: { mode: 'timeout', latencyMs: 20 } } });
  });
  it('lists every bad value', () => {
    const r = backendOptionsFromEnv({ WXPAY_SIM_PORT: 'x', WXPAY_SIM_FAULT: 'boom' });
    expect(r).toEqual({
      problems: [
        'WXPAY_API_KEY: required (the merchant API key the server signs with)',
        expect.stringContaining('WXPAY_SIM_FAULT: must be one of'),
        'WXPAY_SIM_PORT: must be an integer from 0 to 65535, got "x"',
      ],
    });
  });
});
