import { createServer } from 'node:net';
import { FaceError } from '@posface/protocol';
import { makeRawdata, verifyAuthinfo } from '@posface/wxpay-sim';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeWxpayBackend, type FakeBackend } from '@posface/wxpay-sim/backend';
import type { WxpayConfig } from '../config.js';
import { TEST_API_KEY, TEST_APPID, TEST_MCH_ID, TEST_SERIAL } from '../testing/harness.js';
import { AuthinfoClient, type AuthinfoParams } from './authinfo-client.js';

let backend: FakeBackend;
const params = (): AuthinfoParams => ({ store_id: 'S001', store_name: '演示门店 Demo Store', device_id: 'D001', rawdata: makeRawdata(TEST_SERIAL) });

function wx(overrides: Partial<WxpayConfig> = {}): WxpayConfig {
  return {
    appid: TEST_APPID,
    mchId: TEST_MCH_ID,
    subAppid: null,
    subMchId: null,
    apiKey: TEST_API_KEY,
    signType: 'MD5',
    authinfoUrl: backend.url,
    timeoutMs: 500,
    retries: 2,
    ...overrides,
  };
}

async function failure(client: AuthinfoClient): Promise<FaceError> {
  const error = await client.getAuthinfo(params()).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FaceError);
  return error as FaceError;
}

beforeAll(async () => {
  backend = await startFakeWxpayBackend({ apiKey: TEST_API_KEY, expiresIn: 3600 });
});
afterAll(async () => {
  await backend.close();
});
beforeEach(() => {
  backend.faults.reset();
  backend.resetStats();
});

describe('AuthinfoClient against the fake WeChat backend (real HTTP)', () => {
  it.each(['MD5', 'HMAC-SHA256'] as const)('gets an authinfo with %s that the SDK would accept', async (signType) => {
    const answer = await new AuthinfoClient(wx({ signType })).getAuthinfo(params());
    expect(answer.expiresIn).toBe(3600);
    const check = verifyAuthinfo(answer.authinfo, { serial: TEST_SERIAL, appid: TEST_APPID, mch_id: TEST_MCH_ID, store_id: 'S001' });
    expect(check.ok).toBe(true);
    const sent = backend.stats().lastFields;
    expect(sent?.store_name).toBe('演示门店 Demo Store');
    expect(sent?.sign_type).toBe(signType);
    expect(sent?.nonce_str).toMatch(/^[0-9a-f]{32}$/);
  });

  it('sends sub_appid/sub_mch_id in service-provider mode and a fresh nonce per request', async () => {
    const client = new AuthinfoClient(wx({ subAppid: 'wxsub0000000001', subMchId: '1900000099' }));
    await client.getAuthinfo(params());
    const first = backend.stats().lastFields;
    await client.getAuthinfo(params());
    const second = backend.stats().lastFields;
    expect(first).toMatchObject({ sub_appid: 'wxsub0000000001', sub_mch_id: '1900000099', version: '1' });
    expect(first?.nonce_str).not.toBe(second?.nonce_str);
  });

  it('passes WeChat refusal through: a wrong key gives PARAM_ERROR 签名错误', async () => {
    const error = await failure(new AuthinfoClient(wx({ apiKey: 'WrongKey0123456789abcdefghijklmn' })));
    expect(error).toMatchObject({ code: 'UPSTREAM_ERROR', returnCode: 'PARAM_ERROR', returnMsg: '签名错误' });
    expect(error.message).toContain('签名错误');
  });

  it('SYSTEMERROR reaches the caller with return_code and return_msg, without retrying', async () => {
    backend.faults.set({ mode: 'systemError' });
    const error = await failure(new AuthinfoClient(wx()));
    expect(error).toMatchObject({ code: 'UPSTREAM_ERROR', returnCode: 'SYSTEMERROR', returnMsg: '系统繁忙,请稍后再试' });
    expect(backend.stats().requests).toBe(1);
  });

  it('retries a 5xx with backoff and succeeds', async () => {
    backend.faults.set({ mode: 'http5xx', status: 503, times: 2 });
    const answer = await new AuthinfoClient(wx(), { backoffMs: 10 }).getAuthinfo(params());
    expect(answer.authinfo).not.toBe('');
    expect(backend.stats().requests).toBe(3);
  });

  it('gives up after the bounded retries on a persistent 5xx', async () => {
    backend.faults.set({ mode: 'http5xx', status: 502 });
    const error = await failure(new AuthinfoClient(wx({ retries: 1 }), { backoffMs: 10 }));
    expect(error.code).toBe('UPSTREAM_ERROR');
    expect(error.message).toContain('after 2 attempts: HTTP 502');
    expect(backend.stats().requests).toBe(2);
  });

  it('maps no answer to UPSTREAM_TIMEOUT after the timeout, without retrying', async () => {
    backend.faults.set({ mode: 'timeout' });
    const t0 = performance.now();
    const error = await failure(new AuthinfoClient(wx({ timeoutMs: 300 })));
    expect(error.code).toBe('UPSTREAM_TIMEOUT');
    expect(error.message).toContain('300 ms');
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(backend.stats().requests).toBe(1);
  });

  it('maps malformed XML to UPSTREAM_ERROR', async () => {
    backend.faults.set({ mode: 'malformed' });
    const error = await failure(new AuthinfoClient(wx()));
    expect(error.code).toBe('UPSTREAM_ERROR');
    expect(error.message).toContain('malformed XML');
  });

  it('rejects an answer whose signature does not verify', async () => {
    backend.faults.set({ mode: 'badSign' });
    const error = await failure(new AuthinfoClient(wx({ signType: 'HMAC-SHA256' })));
    expect(error.code).toBe('UPSTREAM_ERROR');
    expect(error.message).toContain('signature');
  });

  it('retries network errors, then reports UPSTREAM_ERROR', async () => {
    // A port that refuses connections: take a free one and close it again.
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    const error = await failure(new AuthinfoClient(wx({ authinfoUrl: `http://127.0.0.1:${port}/face/get_wxpayface_authinfo`, retries: 2 }), { backoffMs: 5 }));
    expect(error.code).toBe('UPSTREAM_ERROR');
    expect(error.message).toMatch(/after 3 attempts: network error \(ECONNREFUSED\)/);
  });

  it('latency under the timeout is fine', async () => {
    backend.faults.set({ latencyMs: 150 });
    await expect(new AuthinfoClient(wx({ timeoutMs: 1000 })).getAuthinfo(params())).resolves.toMatchObject({ expiresIn: 3600 });
  });
});
