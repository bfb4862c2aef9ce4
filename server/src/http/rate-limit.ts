import rateLimit, { type RateLimitOptions } from '@fastify/rate-limit';
import { FaceError } from '@posface/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';

/**
 * @fastify/rate-limit, registered once for the whole server with `global: false`: a route opts in with
 * `config: { rateLimit: { … } }`. Counters live in Redis when the server has one (every instance of a chain
 * shares them), in this process's memory otherwise. Refusals are 429 RATE_LIMITED with `Retry-After`.
 */
export async function registerRateLimit(app: FastifyInstance, options: { redis: Redis | null }): Promise<void> {
  await app.register(rateLimit, {
    global: false,
    ...(options.redis !== null ? { redis: options.redis, nameSpace: 'posface:rate-limit:' } : {}),
    // A Redis outage must not stop sales: limits are skipped meanwhile (the client logs the outage and
    // /readyz and /metrics show it).
    skipOnError: true,
    errorResponseBuilder: (_request, context) =>
      new FaceError('RATE_LIMITED', `too many requests: at most ${context.max} in this period; retry in ${context.after}`, {
        details: { limit: context.max, retry_after_s: Math.ceil(context.ttl / 1000) },
      }),
  });
}

/** The key for limits per terminal (the route's scope authenticated it first). */
export function terminalKey(request: FastifyRequest): string {
  return request.terminal !== null ? `terminal:${request.terminal.id}` : `ip:${request.ip}`;
}

/** A route's per-terminal limit: `max` requests per minute. */
export function perTerminalPerMinute(max: number): RateLimitOptions {
  return { max, timeWindow: 60_000, keyGenerator: terminalKey };
}
