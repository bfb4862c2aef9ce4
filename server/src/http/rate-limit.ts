import rateLimit from '@fastify/rate-limit';
import { FaceError } from '@posface/protocol';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';

/**
 * @fastify/rate-limit, registered once for the whole server. `global: false`: a route opts in with
 * `config: { rateLimit: { max, timeWindow, keyGenerator? } }` (or a hook from `app.rateLimit(…)` for a
 * second limit on the same route). Counters live in Redis when REDIS_URL is set, so every instance
 * behind a load balancer counts together; in this process's memory otherwise. Over the limit the
 * answer is 429 RATE_LIMITED with details.retry_after_s (and a Retry-After header).
 */
export interface RateLimitOptions {
  /** REDIS_URL, or null for counters in memory. */
  redis: string | null;
  /** Redis key prefix (tests share one Redis). */
  prefix?: string;
}

export async function registerRateLimit(app: FastifyInstance, options: RateLimitOptions): Promise<void> {
  let redis: Redis | null = null;
  if (options.redis !== null) {
    // No offline queue and short timeouts: a Redis outage must not hold requests (see skipOnError).
    redis = new Redis(options.redis, { connectTimeout: 2000, commandTimeout: 1000, maxRetriesPerRequest: 1, enableOfflineQueue: false });
    redis.on('error', (error: Error) => app.log.warn({ err: error }, 'redis (rate limits): connection error (reconnecting)'));
    app.addHook('onClose', async () => {
      await redis?.quit().catch(() => redis?.disconnect());
    });
  }
  await app.register(rateLimit, {
    global: false,
    ...(redis !== null ? { redis, nameSpace: options.prefix ?? 'posface:ratelimit:' } : {}),
    // Redis down: requests go through (logged) rather than every limited route failing.
    skipOnError: true,
    errorResponseBuilder: (_request, context) => {
      const retryAfterS = Math.max(1, Math.ceil(context.ttl / 1000));
      return new FaceError('RATE_LIMITED', `too many requests: at most ${context.max} per window; retry in ${context.after}`, {
        details: { retry_after_s: retryAfterS },
      });
    },
  });
}
