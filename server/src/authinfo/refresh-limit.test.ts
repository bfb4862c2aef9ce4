import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { requireService } from '@posface/testing';
import type { AuthinfoResponse } from '@posface/protocol/api';
import { makeRawdata } from '@posface/wxpay-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from '../db/storage.js';
import { call, startStack, tempDir, TEST_SERIAL, type Stack } from '../testing/harness.js';

/** `?refresh=true` costs at most one WeChat call per terminal per AUTHINFO_REFRESH_INTERVAL_S. */

const REDIS_URL = requireService('TEST_REDIS_URL');
const dir = tempDir();
const database = { kind: 'sqlite' as const, path: join(dir.path, 'pos.sqlite') };
const body = { rawdata: makeRawdata(TEST_SERIAL) };
let storage: Storage;
let device = 0;

const terminal = async () => (await storage.terminals.add({ storeId: 'S001', storeName: '演示门店', deviceId: `D${(device += 1)}` })).token;
const refresh = (stack: Stack, token: string) => call<AuthinfoResponse>(stack.server.url, 'POST', '/api/v1/face/authinfo?refresh=true', { token, body });

beforeAll(async () => {
  storage = await openStorage(database);
});
afterAll(async () => {
  await storage.close();
  dir.remove();
});

/** 500 refreshes of one terminal in batches of 50. */
async function burst(stacks: Stack[], token: string): Promise<Set<string>> {
  const seen = new Set<string>();
  for (let batch = 0; batch < 10; batch += 1) {
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => refresh(stacks[i % stacks.length] as Stack, token)));
    for (const a of answers) {
      expect(a.status).toBe(200);
      seen.add(a.body.authinfo);
    }
  }
  return seen;
}

describe('authinfo refresh', () => {
  it('500 refreshes from one terminal make one WeChat call', async () => {
    const stack = await startStack(database, { deps: { storage } });
    try {
      const token = await terminal();
      const first = await call<AuthinfoResponse>(stack.server.url, 'POST', '/api/v1/face/authinfo', { token, body });
      stack.backend.resetStats();
      const seen = await burst([stack], token);
      expect(stack.backend.stats().requests).toBe(1);
      expect(seen.size).toBe(1);
      expect(seen.has(first.body.authinfo)).toBe(false);
      // Another terminal has its own refresh.
      await refresh(stack, await terminal());
      expect(stack.backend.stats().requests).toBe(2);
    } finally {
      await stack.close();
    }
  });

  it('after the interval, the next refresh calls WeChat again', async () => {
    const stack = await startStack(database, { deps: { storage }, config: { authinfoRefreshIntervalS: 1 } });
    try {
      const token = await terminal();
      const a = await refresh(stack, token);
      expect((await refresh(stack, token)).body.authinfo).toBe(a.body.authinfo);
      expect(stack.backend.stats().requests).toBe(1);
      await new Promise((r) => setTimeout(r, 2100));
      expect((await refresh(stack, token)).body.authinfo).not.toBe(a.body.authinfo);
      expect(stack.backend.stats().requests).toBe(2);
    } finally {
      await stack.close();
    }
  });

  it.skipIf(REDIS_URL === undefined)('two instances sharing Redis: still one WeChat call for 500 refreshes', async () => {
    const config = { redisUrl: REDIS_URL ?? null };
    const redisPrefix = `posface-test:${randomBytes(4).toString('hex')}:`;
    const a = await startStack(database, { deps: { storage, redisPrefix }, config });
    const b = await startStack(database, { deps: { storage, redisPrefix }, config, backendInstance: a.backend });
    try {
      const token = await terminal();
      await call(a.server.url, 'POST', '/api/v1/face/authinfo', { token, body });
      a.backend.resetStats();
      const seen = await burst([a, b], token);
      expect(a.backend.stats().requests).toBe(1);
      expect(seen.size).toBe(1);
    } finally {
      await b.close();
      await a.close();
    }
  });
});
