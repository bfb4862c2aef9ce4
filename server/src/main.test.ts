import { join } from 'node:path';
import { makeRawdata } from '@posface/wxpay-sim';
import { afterAll, describe, expect, it } from 'vitest';
import { openStorage } from './db/storage.js';
import { call, startStack, tempDir, TEST_SERIAL } from './testing/harness.js';

describe('graceful shutdown', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());

  it('a request in flight when close() starts still gets its answer; new connections are refused', async () => {
    const database = { kind: 'sqlite' as const, path: join(dir.path, 'pos.sqlite') };
    const s = await openStorage(database);
    const { token } = await s.terminals.add({ storeId: 'S001', storeName: '演示门店', deviceId: 'D001' });
    await s.close();
    const stack = await startStack(database, { backend: { faults: { latencyMs: 400 } } });
    const inFlight = call(stack.server.url, 'POST', '/api/v1/face/authinfo', { token, body: { rawdata: makeRawdata(TEST_SERIAL) } });
    // In flight for sure: the server is inside the handler, waiting on WeChat (which takes 400 ms).
    while (stack.backend.stats().requests === 0) await new Promise((r) => setTimeout(r, 10));
    const closing = stack.close();
    expect((await inFlight).status).toBe(200);
    await closing;
    await expect(fetch(`${stack.server.url}/healthz`)).rejects.toThrow();
  });
});
