import { FaceError, type ApiKeyScope } from '@posface/protocol';
import { OrderFeed, OrderFeedQuery, UpsertProductsRequest, UpsertProductsResponse, type ApiKey } from '@posface/protocol/admin-api';
import type { FastifyInstance } from 'fastify';
import { bearerToken } from '../auth/tokens.js';
import { ERROR_RESPONSES } from '../routes/errors.js';
import type { Api } from '../routes/types.js';
import type { AdminDeps } from './back-office.js';
import { memberPriceProblem } from './catalogue.js';
import { withLines } from './member-admin.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The API key scope an integration route needs. */
    scope?: ApiKeyScope;
  }
  interface FastifyRequest {
    apiKey: ApiKey | null;
  }
}

/** Requests per minute per key: a nightly sync of 50,000 products is 50 calls of 1,000. */
export const INTEGRATION_REQUESTS_PER_MINUTE = 120;
/**
 * The order feed only hands out orders older than this: an order's time is set before its transaction
 * commits, so a younger one may still appear behind the cursor. After this long it has committed.
 */
export const ORDER_FEED_SETTLE_MS = 5000;

const encodeCursor = (createdAt: string, id: string) => Buffer.from(JSON.stringify([createdAt, id]), 'utf8').toString('base64url');
function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string')) return value as [string, string];
  } catch (error) {
    throw new FaceError('INVALID_REQUEST', 'querystring.since: not a cursor this server gave out (use next_cursor as it came)', { cause: error, details: { field: 'querystring.since' } });
  }
  throw new FaceError('INVALID_REQUEST', 'querystring.since: not a cursor this server gave out (use next_cursor as it came)', { details: { field: 'querystring.since' } });
}

/**
 * The integration API for the merchant's ERP (/api/integration/v1): `Authorization: Bearer <api key>`,
 * a scope per route, INTEGRATION_REQUESTS_PER_MINUTE per key. Changes go to the audit log as `api-key:<name>`.
 */
export function integrationRoutes(app: Api, deps: AdminDeps): void {
  const { apiKeys, catalogue, audit } = deps.office;
  const db = deps.storage.db.kysely;
  (app as unknown as FastifyInstance).decorateRequest('apiKey', null);
  app.addHook('onRoute', (route) => {
    if (route.config?.scope === undefined) throw new Error(`integration route ${route.method} ${route.url} names no scope (config.scope)`);
  });
  app.addHook('onRequest', async (request) => {
    const token = bearerToken(request.headers.authorization);
    if (token === null) throw new FaceError('UNAUTHORIZED', 'send "Authorization: Bearer <api key>" (an API key from the back office)');
    const key = await apiKeys.authenticate(token);
    if (key === null) throw new FaceError('UNAUTHORIZED', 'unknown or revoked API key');
    const scope = request.routeOptions.config.scope;
    if (scope !== undefined && !key.scopes.includes(scope)) throw new FaceError('FORBIDDEN', `this API key lacks the "${scope}" scope`, { details: { scope } });
    request.apiKey = key;
  });
  const rateLimit = { max: INTEGRATION_REQUESTS_PER_MINUTE, timeWindow: 60_000, keyGenerator: (request: { apiKey: ApiKey | null; ip: string }) => (request.apiKey ? `api-key:${request.apiKey.id}` : `ip:${request.ip}`) };

  app.put(
    '/products',
    {
      config: { scope: 'products:write', rateLimit },
      bodyLimit: 1024 * 1024,
      schema: { tags: ['integration'], summary: 'Upsert products by barcode (all or nothing)', body: UpsertProductsRequest, response: { 200: UpsertProductsResponse, ...ERROR_RESPONSES } },
    },
    async (request) => {
      const seen = new Map<string, number>();
      request.body.items.forEach((item, i) => {
        const problem = memberPriceProblem(item);
        if (problem !== null) throw new FaceError('INVALID_REQUEST', `body.items[${i}]: ${problem}`, { details: { field: `body.items[${i}].member_price_fen` } });
        const first = seen.get(item.barcode);
        if (first !== undefined) throw new FaceError('INVALID_REQUEST', `body.items[${i}].barcode: ${item.barcode} is also items[${first}]`, { details: { field: `body.items[${i}].barcode` } });
        seen.set(item.barcode, i);
      });
      const key = request.apiKey as ApiKey;
      return db.transaction().execute(async (trx) => {
        const done = await catalogue.upsert(request.body.items, trx);
        await audit.write(trx, { actor: `api-key:${key.name}`, action: 'products.upsert', target_type: 'product', target_id: null, summary: { rows: request.body.items.length, ...done } });
        return done;
      });
    },
  );

  app.get(
    '/orders',
    {
      config: { scope: 'orders:read', rateLimit },
      schema: { tags: ['integration'], summary: 'Orders after a cursor, oldest first', querystring: OrderFeedQuery, response: { 200: OrderFeed, ...ERROR_RESPONSES } },
    },
    async (request) => {
      const limit = request.query.limit ?? 100;
      const settled = new Date(Date.now() - ORDER_FEED_SETTLE_MS).toISOString();
      let q = db.selectFrom('orders').selectAll().where('created_at', '<=', settled);
      if (request.query.since !== undefined) {
        const [createdAt, id] = decodeCursor(request.query.since);
        q = q.where((eb) => eb.or([eb('created_at', '>', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '>', id)])]));
      }
      const rows = await q.orderBy('created_at').orderBy('id').limit(limit).execute();
      const last = rows[rows.length - 1];
      return { items: await withLines(db, rows), next_cursor: last ? encodeCursor(last.created_at, last.id) : (request.query.since ?? encodeCursor('', '')) };
    },
  );
}

