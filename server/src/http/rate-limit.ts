import rateLimit from '@fastify/rate-limit';
import { FaceError } from '@posface/protocol';
import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify';
import { Redis } from 'ioredis';

/**
 * @fastify/rate-limit, registered once for the whole server. `global: false`: a route opts in with
 * `config: { rateLimit: { max, timeWindow, keyGenerator? } }`; `extraLimit` adds a second limit to a route
 * (the plugin runs one hook-based limiter per request). Counters live in Redis when REDIS_URL is set, so every instance
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
    // Short timeouts: a Redis outage delays a limited request by a second at most (then skipOnError).
    redis = new Redis(options.redis, { connectTimeout: 2000, commandTimeout: 1000, maxRetriesPerRequest: 1 });
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
    errorResponseBuilder: (_request, context) => rateLimited(context.max, context.ttl),
  });
}

function rateLimited(max: number, ttlMs: number): FaceError {
  const retryAfterS = Math.max(1, Math.ceil(ttlMs / 1000));
  return new FaceError('RATE_LIMITED', `too many requests: at most ${max} per window; retry in ${retryAfterS} s`, {
    details: { retry_after_s: retryAfterS },
  });
}

/** An onRequest hook enforcing one more limit (e.g. one key for every client: a limit for the whole server). */
export function extraLimit(app: FastifyInstance, options: { max: number; timeWindow: number; key: string }): onRequestAsyncHookHandler {
  const check = app.createRateLimit({ max: options.max, timeWindow: options.timeWindow, keyGenerator: () => options.key });
  return async (request, reply) => {
    const limit = await check(request);
    if (limit.isAllowed || !limit.isExceeded) return;
    reply.header('retry-after', limit.ttlInSeconds);
    throw rateLimited(limit.max, limit.ttl);
  };
}
