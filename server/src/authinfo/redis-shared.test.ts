import { requireService } from '@posface/testing';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { AuthinfoResponse } from '@posface/protocol/api';
import { makeRawdata } from '@posface/wxpay-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeWxpayBackend, type FakeBackend } from '@posface/wxpay-sim/backend';
import { openStorage } from '../db/storage.js';
import { call, startStack, tempDir, TEST_API_KEY, TEST_SERIAL, type Stack } from '../testing/harness.js';

const REDIS_URL = requireService('TEST_REDIS_URL');

/** Two server instances behind a load balancer: one Redis entry, one WeChat call. */
describe.skipIf(REDIS_URL === undefined)('authinfo cache on Redis shared by two server instances', () => {
  const dir = tempDir();
  const database = { kind: 'sqlite' as const, path: join(dir.path, 'pos.sqlite') };
  const redisPrefix = `posface-test:${randomBytes(4).toString('hex')}:`;
  let backend: FakeBackend;
  let a: Stack;
  let b: Stack;
  let token: string;

  beforeAll(async () => {
    const s = await openStorage(database);
    token = (await s.terminals.add({ storeId: 'S001', storeName: '演示门店', deviceId: 'D001' })).token;
    await s.close();
    backend = await startFakeWxpayBackend({ apiKey: TEST_API_KEY, faults: { latencyMs: 100 } });
    const options = { backendInstance: backend, config: { redisUrl: REDIS_URL ?? null }, deps: { redisPrefix } };
    a = await startStack(database, options);
    b = await startStack(database, options);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await backend.close();
    dir.remove();
  });

  it('100 concurrent requests spread over both instances make one upstream call', async () => {
    // Both instances connected first: before that, an instance rightly serves from its own memory.
    for (const stack of [a, b]) {
      await expect.poll(async () => (await call<{ checks: Record<string, string> }>(stack.server.url, 'GET', '/readyz')).body.checks.cache, { timeout: 10_000 }).toBe('ok');
    }
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        call<AuthinfoResponse>((i % 2 === 0 ? a : b).server.url, 'POST', '/api/v1/face/authinfo', { token, body: { rawdata: makeRawdata(TEST_SERIAL) } }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(100).fill(200));
    expect(new Set(results.map((r) => r.body.authinfo)).size).toBe(1);
    expect(backend.stats().requests).toBe(1);
    const ready = await call<{ checks: Record<string, string> }>(b.server.url, 'GET', '/readyz');
    expect(ready.body.checks.cache).toBe('ok');
  });
});
