import fastifyCookie from '@fastify/cookie';
import { TypeBoxValidatorCompiler, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { API_PREFIX } from '@posface/protocol/api';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import { requireTerminal } from './auth/terminal-auth.js';
import { MemoryAuthinfoCache, type AuthinfoCache } from './authinfo/authinfo-cache.js';
import { AuthinfoService } from './authinfo/authinfo-service.js';
import { FallbackAuthinfoCache } from './authinfo/fallback-cache.js';
import { RedisAuthinfoCache } from './authinfo/redis-cache.js';
import type { ServerConfig } from './config.js';
import { openStorage, type Storage } from './db/storage.js';
import { installErrorHandler } from './http-errors.js';
import { registerRateLimit } from './http/rate-limit.js';
import { createLogger } from './logger.js';
import { extensionRoutes } from './routes/extension.js';
import { faceRoutes } from './routes/face.js';
import { healthRoutes } from './routes/health.js';
import { memberRoutes } from './routes/members.js';
import { orderRoutes } from './routes/orders.js';
import { pairRoutes, sessionRoutes } from './routes/pairing.js';
import { productRoutes } from './routes/products.js';
import { terminalRoutes } from './routes/terminal.js';
import type { RouteDeps } from './routes/types.js';
import { installSecurityHeaders, registerStatic } from './static.js';
import { AuthinfoClient } from './wxpay/authinfo-client.js';

export interface AppDeps {
  /** Shared storage (tests); otherwise opened from config and closed with the app. */
  storage?: Storage;
  cache?: AuthinfoCache;
  /** Where logs go (tests capture them); stdout by default. */
  logStream?: DestinationStream;
  /** Retry backoff base for the WeChat client (tests shorten it). */
  upstreamBackoffMs?: number;
  /** Redis key prefix (tests share one Redis). */
  redisPrefix?: string;
}

export function createCache(config: ServerConfig, prefix?: string, log?: FastifyBaseLogger): AuthinfoCache {
  const memory = new MemoryAuthinfoCache(config.authinfoMarginS);
  if (config.redisUrl === null) return memory;
  const { timeoutMs, retries } = config.wxpay;
  const redis = new RedisAuthinfoCache({
    url: config.redisUrl,
    marginS: config.authinfoMarginS,
    lockTtlMs: timeoutMs * (retries + 1) + 5000,
    ...(prefix !== undefined ? { prefix } : {}),
    ...(log !== undefined ? { onError: (error: Error) => log.warn({ err: error }, 'redis: connection error (reconnecting)') } : {}),
  });
  const warn = (error: unknown) =>
    log ? log.warn({ err: error }, 'redis: unavailable, using this instance\'s memory cache') : process.stderr.write(`redis: ${String(error)}\n`);
  return new FallbackAuthinfoCache(redis, memory, warn);
}

/** The whole server as a Fastify instance (not listening), for main.ts and tests. */
export async function buildApp(config: ServerConfig, deps: AppDeps = {}): Promise<FastifyInstance> {
  // Typed as Fastify's logger so the instance is the plain (non-pino-specific) FastifyInstance.
  const logger: FastifyBaseLogger = createLogger(config.logLevel, deps.logStream);
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: 64 * 1024,
    // On close: finish requests in flight, drop idle keep-alive connections (main.ts has a hard deadline).
    forceCloseConnections: 'idle',
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(TypeBoxValidatorCompiler);

  const storage = deps.storage ?? (await openStorage(config.database));
  const cache = deps.cache ?? createCache(config, deps.redisPrefix, logger);
  app.addHook('onClose', async () => {
    if (deps.cache === undefined) await cache.close();
    if (deps.storage === undefined) await storage.close();
  });

  const client = new AuthinfoClient(config.wxpay, deps.upstreamBackoffMs !== undefined ? { backoffMs: deps.upstreamBackoffMs } : {});
  const routeDeps: RouteDeps = { config, storage, cache, authinfo: new AuthinfoService(client, cache, config.wxpay) };

  // While closing, answers in flight end their keep-alive connection, so close() does not wait on it.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (closing) reply.header('connection', 'close');
    return payload;
  });
  installErrorHandler(app);
  installSecurityHeaders(app);
  healthRoutes(app, routeDeps);
  await registerRateLimit(app, { redis: config.redisUrl, ...(deps.redisPrefix !== undefined ? { prefix: `${deps.redisPrefix}ratelimit:` } : {}) });
  await app.register(fastifyCookie);
  await app.register(async (open) => pairRoutes(open, routeDeps), { prefix: API_PREFIX });
  extensionRoutes(app, routeDeps);
  await app.register(
    async (api) => {
      requireTerminal(api, storage);
      sessionRoutes(api, routeDeps);
      terminalRoutes(api, routeDeps);
      faceRoutes(api, routeDeps);
      memberRoutes(api, routeDeps);
      productRoutes(api, routeDeps);
      orderRoutes(api, routeDeps);
    },
    { prefix: API_PREFIX },
  );
  await registerStatic(app, config.webDist);
  return app;
}
