import { createServer } from 'node:net';
import { join } from 'node:path';
import { FaceError } from '@posface/protocol';
import type { AuthinfoResponse } from '@posface/protocol/api';
import { makeRawdata } from '@posface/wxpay-sim';
import { describe, expect, it, vi } from 'vitest';
import { openStorage } from '../db/storage.js';
import { call, startStack, tempDir, TEST_SERIAL } from '../testing/harness.js';
import { MemoryAuthinfoCache, type AuthinfoCache, type CachedAuthinfo } from './authinfo-cache.js';
import { FallbackAuthinfoCache } from './fallback-cache.js';

const entry: CachedAuthinfo = { authinfo: 'A', expiresAt: Math.floor(Date.now() / 1000) + 7200 };

/** A shared cache whose transport fails before or after running the load. */
function brokenShared(when: 'before' | 'after'): AuthinfoCache {
  return {
    async getOrLoad(_key, load) {
      if (when === 'after') await load();
      throw new Error('Connection is closed.');
    },
    ping: async () => {
      throw new Error('Connection is closed.');
    },
    close: async () => undefined,
  };
}

describe('FallbackAuthinfoCache', () => {
  it.each(['before', 'after'] as const)('falls back to memory when the shared cache fails %s the load, with one upstream call', async (when) => {
    const warned: unknown[] = [];
    const cache = new FallbackAuthinfoCache(brokenShared(when), new MemoryAuthinfoCache(600), (e) => warned.push(e));
    const load = vi.fn(async () => entry);
    await expect(cache.getOrLoad('k', load)).resolves.toEqual(entry);
    await expect(cache.getOrLoad('k', load)).resolves.toEqual(entry);
    expect(load).toHaveBeenCalledTimes(1);
    // The second request did not wait on the broken shared cache again.
    expect(warned).toHaveLength(1);
  });

  it('tries the shared cache again once its rest period is over', async () => {
    let sharedCalls = 0;
    const flaky: AuthinfoCache = {
      ...brokenShared('before'),
      getOrLoad: async (_key, load) => {
        sharedCalls += 1;
        if (sharedCalls === 1) throw new Error('Connection is closed.');
        return load();
      },
    };
    const cache = new FallbackAuthinfoCache(flaky, new MemoryAuthinfoCache(600), () => undefined, 50);
    await cache.getOrLoad('k', async () => entry);
    await cache.getOrLoad('k', async () => entry);
    expect(sharedCalls).toBe(1);
    await new Promise((r) => setTimeout(r, 60));
    await cache.getOrLoad('k', async () => entry);
    expect(sharedCalls).toBe(2);
  });

  it('passes upstream failures and the shared cache verdicts through without falling back', async () => {
    const upstream = new FaceError('UPSTREAM_ERROR', 'SYSTEMERROR');
    const passing: AuthinfoCache = { ...brokenShared('before'), getOrLoad: (_key, load) => load() };
    const warned: unknown[] = [];
    const cache = new FallbackAuthinfoCache(passing, new MemoryAuthinfoCache(600), (e) => warned.push(e));
    await expect(cache.getOrLoad('k', async () => Promise.reject(upstream))).rejects.toBe(upstream);
    const plain = new Error('bug in load');
    await expect(cache.getOrLoad('k', async () => Promise.reject(plain))).rejects.toBe(plain);
    expect(warned).toHaveLength(0);
  });
});

describe('a server whose Redis is down', () => {
  it('still answers authinfo (from its own memory cache) and says the cache is unavailable in /readyz', async () => {
    // A port nothing listens on any more: connections are refused at once.
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((r) => closed.close(() => r()));

    const dir = tempDir();
    const database = { kind: 'sqlite' as const, path: join(dir.path, 'pos.sqlite') };
    const s = await openStorage(database);
    const { token } = await s.terminals.add({ storeId: 'S001', storeName: '演示门店', deviceId: 'D001' });
    await s.close();
    const stack = await startStack(database, { config: { redisUrl: `redis://127.0.0.1:${port}` } });
    try {
      for (let i = 0; i < 2; i++) {
        const res = await call<AuthinfoResponse>(stack.server.url, 'POST', '/api/v1/face/authinfo', { token, body: { rawdata: makeRawdata(TEST_SERIAL) } });
        expect(res.status).toBe(200);
        expect(res.body.authinfo.length).toBeGreaterThan(0);
      }
      expect(stack.backend.stats().requests).toBe(1);
      expect(stack.logs.text()).toContain("using this instance's memory cache");
      const ready = await call<{ checks: Record<string, string> }>(stack.server.url, 'GET', '/readyz');
      expect(ready.body.checks.cache).not.toBe('ok');
    } finally {
      await stack.close();
      dir.remove();
    }
  });
});
