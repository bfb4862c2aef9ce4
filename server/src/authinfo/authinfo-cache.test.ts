import { requireService } from '@posface/testing';
import { randomBytes } from 'node:crypto';
import { FaceError } from '@posface/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryAuthinfoCache, nowSeconds, type AuthinfoCache, type CachedAuthinfo } from './authinfo-cache.js';
import { RedisAuthinfoCache } from './redis-cache.js';

const REDIS_URL = requireService('TEST_REDIS_URL');
const MARGIN = 600;

/** A load that counts its calls and takes a while, like WeChat. */
function slowLoad(expiresIn = 7200, ms = 50) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    load: async (): Promise<CachedAuthinfo> => {
      calls += 1;
      await new Promise((r) => setTimeout(r, ms));
      return { authinfo: `auth-${calls}-${randomBytes(4).toString('hex')}`, expiresAt: nowSeconds() + expiresIn };
    },
  };
}

function cacheSuite(make: () => AuthinfoCache): void {
  const made: AuthinfoCache[] = [];
  const cache = () => {
    const c = make();
    made.push(c);
    return c;
  };
  afterAll(async () => {
    await Promise.all(made.map((c) => c.close()));
  });
  const key = () => `k-${randomBytes(6).toString('hex')}`;

  it('100 concurrent misses make one load and all get its value', async () => {
    const c = cache();
    const l = slowLoad();
    const k = key();
    const results = await Promise.all(Array.from({ length: 100 }, () => c.getOrLoad(k, l.load)));
    expect(l.calls).toBe(1);
    expect(new Set(results.map((r) => r.authinfo)).size).toBe(1);
    await c.getOrLoad(k, l.load);
    expect(l.calls).toBe(1);
  });

  it('keys are separate', async () => {
    const c = cache();
    const l = slowLoad();
    const [a, b] = await Promise.all([c.getOrLoad(key(), l.load), c.getOrLoad(key(), l.load)]);
    expect(l.calls).toBe(2);
    expect(a.authinfo).not.toBe(b.authinfo);
  });

  it('an authinfo that expires within the margin is handed out once but not kept', async () => {
    const c = cache();
    const l = slowLoad(MARGIN - 1, 1);
    const k = key();
    await c.getOrLoad(k, l.load);
    await c.getOrLoad(k, l.load);
    expect(l.calls).toBe(2);
  });

  it('a refresh reloads an entry no refresh fetched; a burst of refreshes in the interval loads once', async () => {
    const c = cache();
    const l = slowLoad(7200, 20);
    const k = key();
    const first = await c.getOrLoad(k, l.load);
    // The loader marks what a refresh fetched, as AuthinfoService does.
    const refreshLoad = async () => ({ ...(await l.load()), refreshedAt: nowSeconds() });
    const since = () => ({ refreshedSince: nowSeconds() - 30 });
    const burst = await Promise.all(Array.from({ length: 50 }, () => c.getOrLoad(k, refreshLoad, since())));
    expect(l.calls).toBe(2);
    expect(new Set(burst.map((r) => r.authinfo))).toEqual(new Set([burst[0]?.authinfo]));
    expect(burst[0]?.authinfo).not.toBe(first.authinfo);
    for (let i = 0; i < 20; i += 1) await c.getOrLoad(k, refreshLoad, since());
    expect(l.calls).toBe(2);
    // Once the interval is over, the next refresh calls again; plain requests get the refreshed entry.
    await c.getOrLoad(k, refreshLoad, { refreshedSince: nowSeconds() + 1 });
    expect(l.calls).toBe(3);
    await c.getOrLoad(k, l.load);
    expect(l.calls).toBe(3);
  });

  it('a failed load fails every concurrent waiter with the same error, once', async () => {
    const c = cache();
    let calls = 0;
    const k = key();
    const load = async (): Promise<CachedAuthinfo> => {
      calls += 1;
      await new Promise((r) => setTimeout(r, 30));
      throw new FaceError('UPSTREAM_ERROR', 'WeChat refused', { returnCode: 'SYSTEMERROR', returnMsg: '系统繁忙' });
    };
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => c.getOrLoad(k, load)));
    expect(calls).toBe(1);
    for (const r of results) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'UPSTREAM_ERROR', returnCode: 'SYSTEMERROR' });
    }
  });
}

describe('memory authinfo cache', () => cacheSuite(() => new MemoryAuthinfoCache(MARGIN)));

describe.skipIf(REDIS_URL === undefined)('Redis authinfo cache', () => {
  const prefix = `posface-test:${randomBytes(4).toString('hex')}:`;
  cacheSuite(() => new RedisAuthinfoCache({ url: REDIS_URL ?? '', marginS: MARGIN, lockTtlMs: 5000, prefix }));

  it('two instances (two connections) share one entry and one load', async () => {
    const a = new RedisAuthinfoCache({ url: REDIS_URL ?? '', marginS: MARGIN, lockTtlMs: 5000, prefix });
    const b = new RedisAuthinfoCache({ url: REDIS_URL ?? '', marginS: MARGIN, lockTtlMs: 5000, prefix });
    try {
      const l = slowLoad(7200, 100);
      const k = `shared-${randomBytes(4).toString('hex')}`;
      const results = await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? a : b).getOrLoad(k, l.load)));
      expect(l.calls).toBe(1);
      expect(new Set(results.map((r) => r.authinfo)).size).toBe(1);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('stores the entry with a TTL of expires − margin', async () => {
    const { Redis } = await import('ioredis');
    const own = `${prefix}ttl:`;
    const c = new RedisAuthinfoCache({ url: REDIS_URL ?? '', marginS: MARGIN, lockTtlMs: 5000, prefix: own });
    const r = new Redis(REDIS_URL ?? '');
    try {
      await c.getOrLoad('ttl-check', slowLoad(3600, 1).load);
      const keys = await r.keys(`${own}*`);
      const dataKey = keys.find((k) => !k.endsWith(':lock') && !k.endsWith(':error'));
      expect(dataKey).toBeDefined();
      const ttl = await r.pttl(dataKey ?? '');
      expect(ttl).toBeGreaterThan((3600 - MARGIN - 5) * 1000);
      expect(ttl).toBeLessThanOrEqual((3600 - MARGIN) * 1000);
    } finally {
      await c.close();
      await r.quit();
    }
  });
});
