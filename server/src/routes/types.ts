import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { AuthinfoService } from '../authinfo/authinfo-service.js';
import type { AuthinfoCache } from '../authinfo/authinfo-cache.js';
import type { ServerConfig } from '../config.js';
import type { Storage } from '../db/storage.js';
import type { Metrics } from '../metrics/metrics.js';

export type Api = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export interface RouteDeps {
  config: ServerConfig;
  storage: Storage;
  cache: AuthinfoCache;
  authinfo: AuthinfoService;
  metrics: Metrics;
}
