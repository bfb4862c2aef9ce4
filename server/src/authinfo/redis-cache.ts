import { createHash, randomUUID } from 'node:crypto';
import { FaceError } from '@posface/protocol';
import { Redis } from 'ioredis';
import { acceptable, usableMs, type AuthinfoCache, type CachedAuthinfo, type LoadOptions } from './authinfo-cache.js';

export interface RedisCacheOptions {
  url: string;
  marginS: number;
  /** Longest one upstream load may take (timeout × attempts + backoff); the lock outlives it. */
  lockTtlMs: number;
  /** Key prefix, so tests (and several deployments) can share one Redis. */
  prefix?: string;
  pollMs?: number;
  /** Connection errors (ioredis reconnects by itself); stderr by default, the server's log in the app. */
  onError?: (error: Error) => void;
}

// Deletes the lock only if we still own it (it may have expired and been taken by someone else).
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const ERROR_TTL_MS = 2000; // how long a failed load is shared

/**
 * Authinfo cache in Redis, shared by every server instance: a miss takes a lock (SET NX PX); the
 * holder calls WeChat once and stores the entry (PX = until expiry − margin); the others poll until
 * the entry (or the holder's error) appears. Within one process, concurrent misses share one promise.
 */
export class RedisAuthinfoCache implements AuthinfoCache {
  private readonly redis: Redis;
  private readonly inflight = new Map<string, Promise<CachedAuthinfo>>();
  private readonly prefix: string;
  private readonly pollMs: number;

  constructor(private readonly options: RedisCacheOptions) {
    // Bounded waits: during an outage a request falls back to the memory cache within seconds instead of
    // hanging; generous enough that a busy but healthy Redis is not mistaken for a dead one.
    this.redis = new Redis(options.url, { maxRetriesPerRequest: 2, enableOfflineQueue: true, connectTimeout: 5000, commandTimeout: 5000 });
    // ioredis reconnects by itself; without a listener an outage would crash the process.
    const onError = options.onError ?? ((error: Error) => process.stderr.write(`redis: ${error.message}\n`));
    this.redis.on('error', onError);
    this.prefix = options.prefix ?? 'posface:authinfo:';
    this.pollMs = options.pollMs ?? 25;
  }

  private keys(key: string) {
    // Hashed: device and store ids stay out of Redis key listings.
    const id = createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 40);
    return { data: `${this.prefix}${id}`, lock: `${this.prefix}${id}:lock`, error: `${this.prefix}${id}:error` };
  }

  getOrLoad(key: string, load: () => Promise<CachedAuthinfo>, options: LoadOptions = {}): Promise<CachedAuthinfo> {
    // A refresh must not join a plain request that may be about to hand out the old entry.
    const flight = options.refreshedSince === undefined ? key : `${key}\u0000refresh`;
    const pending = this.inflight.get(flight);
    if (pending !== undefined) return pending;
    const loading = this.shared(key, load, options).finally(() => this.inflight.delete(flight));
    this.inflight.set(flight, loading);
    return loading;
  }

  private async read(dataKey: string, options: LoadOptions): Promise<CachedAuthinfo | null> {
    const raw = await this.redis.get(dataKey);
    if (raw === null) return null;
    const entry = JSON.parse(raw) as CachedAuthinfo;
    return acceptable(entry, this.options.marginS, options) ? entry : null;
  }

  private async shared(key: string, load: () => Promise<CachedAuthinfo>, options: LoadOptions): Promise<CachedAuthinfo> {
    const k = this.keys(key);
    const deadline = Date.now() + this.options.lockTtlMs + 2000;
    const token = randomUUID();
    for (;;) {
      const hit = await this.read(k.data, options);
      if (hit) return hit;
      // A load that just failed is shared briefly, so waiters fail together rather than retry one by one.
      const failed = await this.redis.get(k.error);
      if (failed !== null) {
        const { data } = JSON.parse(failed) as { data: unknown };
        throw FaceError.fromJSON(data, 'UPSTREAM_ERROR');
      }
      const got = await this.redis.set(k.lock, token, 'PX', this.options.lockTtlMs, 'NX');
      if (got === 'OK') {
        try {
          // The previous holder may have stored the entry and released the lock between our read and
          // our SET NX: look again before calling WeChat.
          const stored = await this.read(k.data, options);
          if (stored) return stored;
          await this.redis.del(k.error);
          const entry = await load().catch(async (error: unknown) => {
            const data = FaceError.wrap(error, 'UPSTREAM_ERROR').toJSON();
            await this.redis.set(k.error, JSON.stringify({ token, data }), 'PX', ERROR_TTL_MS);
            throw error;
          });
          const ttl = usableMs(entry, this.options.marginS);
          if (ttl > 0) await this.redis.set(k.data, JSON.stringify(entry), 'PX', Math.floor(ttl));
          return entry;
        } finally {
          await this.redis.eval(RELEASE, 1, k.lock, token);
        }
      }
      // Someone else is loading: wait for their entry or their error.
      if (Date.now() > deadline) throw new FaceError('UPSTREAM_TIMEOUT', 'timed out waiting for another server instance to fetch the authinfo');
      await new Promise<void>((r) => setTimeout(r, this.pollMs));
    }
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }
}
