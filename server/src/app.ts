import fastifyCookie from '@fastify/cookie';
import { TypeBoxValidatorCompiler, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { API_PREFIX } from '@posface/protocol';
import { OPENID_MAX_LENGTH } from '@posface/protocol/api';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import type { DestinationStream } from 'pino';
import { requireTerminal } from './auth/terminal-auth.js';
import { MemoryAuthinfoCache, type AuthinfoCache } from './authinfo/authinfo-cache.js';
import { AuthinfoService } from './authinfo/authinfo-service.js';
import { FallbackAuthinfoCache } from './authinfo/fallback-cache.js';
import { RedisAuthinfoCache } from './authinfo/redis-cache.js';
import { registerAdminStatic, registerBackOffice, registerOpenApi } from './admin/index.js';
import type { ServerConfig } from './config.js';
import { openStorage, type Storage } from './db/storage.js';
import { connectionsCheckingInterval, limitConnections } from './http/connection-limits.js';
import { registerRateLimit } from './http/rate-limit.js';
import { installErrorHandler } from './http-errors.js';
import { probe, type Checks } from './health/probes.js';
import { createLogger } from './logger.js';
import { LoyaltyJob } from './loyalty/loyalty-job.js';
import { installHttpMetrics } from './metrics/http-metrics.js';
import { Metrics } from './metrics/metrics.js';
import { extensionRoutes } from './routes/extension.js';
import { faceRoutes } from './routes/face.js';
import { healthRoutes } from './routes/health.js';
import { loyaltyRoutes } from './routes/loyalty.js';
import { memberRoutes } from './routes/members.js';
import { orderRoutes } from './routes/orders.js';
import { refundRoutes } from './routes/refunds.js';
import { pairRoutes, sessionRoutes } from './routes/pairing.js';
import { productRoutes } from './routes/products.js';
import { terminalRoutes } from './routes/terminal.js';
import { terminalReportRoutes } from './routes/terminal-report.js';
import type { RouteDeps } from './routes/types.js';
import { installSecurityHeaders, registerStatic } from './static.js';
import { AuthinfoClient } from './wxpay/authinfo-client.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** This app's Prometheus metrics (served by main.ts on METRICS_PORT). */
    metrics: Metrics;
    /** The readiness probes (as /readyz runs them), for the metrics scrape. */
    readiness: () => Promise<Checks>;
  }
}

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

/**
 * A Redis connection for the rate-limit counters: no queue while it is down (the limits are skipped then,
 * rather than every lookup waiting), so it is connected before the server answers (a few seconds at most:
 * a server whose Redis is down still starts).
 */
async function rateLimitRedis(url: string, log: FastifyBaseLogger): Promise<Redis> {
  const redis = new Redis(url, { connectTimeout: 2000, commandTimeout: 1000, maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true });
  redis.on('error', (error: Error) => log.warn({ err: error }, 'redis (rate limits): connection error (reconnecting)'));
  const ready = redis.connect().then(
    () => true,
    () => false,
  );
  await Promise.race([ready, new Promise((r) => setTimeout(r, 3000).unref())]);
  return redis;
}

/** The whole server as a Fastify instance (not listening), for main.ts and tests. */
export async function buildApp(config: ServerConfig, deps: AppDeps = {}): Promise<FastifyInstance> {
  // Typed as Fastify's logger so the instance is the plain (non-pino-specific) FastifyInstance.
  const logger: FastifyBaseLogger = createLogger(config.logLevel, deps.logStream);
  const limits = config.http;
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: 64 * 1024,
    // On close: finish requests in flight, drop idle keep-alive connections (main.ts has a hard deadline).
    forceCloseConnections: 'idle',
    // Node's own timeouts, given both ways: Fastify sets the top-level ones after creating the server, and
    // only the http options reach headersTimeout and the checking interval (whose default, 30 s, would let a
    // slow body run far past its deadline).
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionTimeout: limits.connectionTimeoutMs,
    http: {
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: limits.headersTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: connectionsCheckingInterval(limits),
    },
    // Whatever openid can be enrolled can be looked up: any printable ASCII character, percent-encoded, is 3.
    routerOptions: { maxParamLength: 3 * OPENID_MAX_LENGTH },
    trustProxy: config.trustProxy,
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  const metrics = new Metrics();
  app.decorate('metrics', metrics);
  limitConnections(app.server, limits, (reason) => metrics.connectionsRefused.inc({ reason }));

  const storage = deps.storage ?? (await openStorage(config.database));
  const cache = deps.cache ?? createCache(config, deps.redisPrefix, logger);
  app.addHook('onClose', async () => {
    if (deps.cache === undefined) await cache.close();
    if (deps.storage === undefined) await storage.close();
  });

  // Points expiry and the tier refresh: at start (in the background) and every LOYALTY_JOB_INTERVAL_S.
  const loyaltyJob = new LoyaltyJob(storage.db, storage.loyalty, logger);
  app.addHook('onReady', async () => loyaltyJob.start(config.loyaltyJobIntervalS * 1000));
  app.addHook('preClose', async () => loyaltyJob.stop());

  app.decorate('readiness', () => probe({ storage, cache }, (name, error) => logger.warn({ err: error }, `metrics: ${name} probe failed`)));
  const redis = config.redisUrl === null ? null : await rateLimitRedis(config.redisUrl, logger);
  app.addHook('onClose', async () => {
    redis?.disconnect();
  });

  const client = new AuthinfoClient(config.wxpay, deps.upstreamBackoffMs !== undefined ? { backoffMs: deps.upstreamBackoffMs } : {});
  const authinfo = new AuthinfoService(client, cache, config.wxpay, { refreshIntervalS: config.authinfoRefreshIntervalS, metrics });
  const routeDeps: RouteDeps = { config, storage, cache, authinfo, metrics };

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
  installSecurityHeaders(app, config.hstsMaxAgeS);
  installHttpMetrics(app, metrics);
  await registerRateLimit(app, { redis, ...(deps.redisPrefix !== undefined ? { prefix: `${deps.redisPrefix}ratelimit:` } : {}) });
  healthRoutes(app, routeDeps);
  await app.register(fastifyCookie);
  await registerOpenApi(app);
  await app.register(async (open) => pairRoutes(open, routeDeps), { prefix: API_PREFIX });
  extensionRoutes(app, routeDeps);
  await app.register(
    async (api) => {
      requireTerminal(api, storage);
      sessionRoutes(api, routeDeps);
      terminalRoutes(api, routeDeps);
      terminalReportRoutes(api, routeDeps);
      faceRoutes(api, routeDeps);
      memberRoutes(api, routeDeps);
      productRoutes(api, routeDeps);
      orderRoutes(api, routeDeps);
      refundRoutes(api, routeDeps);
      loyaltyRoutes(api, routeDeps);
    },
    { prefix: API_PREFIX },
  );
  await registerBackOffice(app, routeDeps);
  await registerAdminStatic(app, config.adminDist);
  await registerStatic(app, config.webDist);
  return app;
}
