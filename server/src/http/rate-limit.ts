import rateLimit, { type RateLimitOptions } from '@fastify/rate-limit';
import { FaceError } from '@posface/protocol';
import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { Redis } from 'ioredis';

/**
 * @fastify/rate-limit, registered once for the whole server with `global: false`: a route opts in with
 * `config: { rateLimit: { … } }`, and `extraLimit` adds a second limit to a route (the plugin runs one
 * hook-based limiter per request). Counters live in Redis when the server has one (every instance of a
 * chain shares them), in this process's memory otherwise. Refusals are 429 RATE_LIMITED with `Retry-After`.
 */
export async function registerRateLimit(app: FastifyInstance, options: { redis: Redis | null; prefix?: string }): Promise<void> {
  await app.register(rateLimit, {
    global: false,
    ...(options.redis !== null ? { redis: options.redis, nameSpace: options.prefix ?? 'posface:rate-limit:' } : {}),
    // A Redis outage must not stop sales: limits are skipped meanwhile (the client logs the outage and
    // /readyz and /metrics show it).
    skipOnError: true,
    errorResponseBuilder: (_request, context) => rateLimited(context.max, context.ttl),
  });
}

function rateLimited(max: number, ttlMs: number): FaceError {
  const retryAfterS = Math.max(1, Math.ceil(ttlMs / 1000));
  return new FaceError('RATE_LIMITED', `too many requests: at most ${max} in this period; retry in ${retryAfterS} s`, {
    details: { limit: max, retry_after_s: retryAfterS },
  });
}

/** The key for limits per terminal (the route's scope authenticated it first). */
function terminalKey(request: FastifyRequest): string {
  return request.terminal !== null ? `terminal:${request.terminal.id}` : `ip:${request.ip}`;
}

/** A route's per-terminal limit: `max` requests per minute. */
export function perTerminalPerMinute(max: number): RateLimitOptions {
  return { max, timeWindow: 60_000, keyGenerator: terminalKey };
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
