import { FaceError } from '@posface/protocol';
import { CreateOrderRequest, Order, OrderHeaders } from '@posface/protocol/api';
import { terminalOf } from '../auth/terminal-auth.js';
import { ERROR_RESPONSES } from './errors.js';
import type { Api, RouteDeps } from './types.js';

/**
 * POST /api/v1/orders. Prices come from the catalogue; an `Idempotency-Key` makes a retry return the
 * first result (201 both times, with `Idempotent-Replayed: true` on replays), across restarts. Orders
 * beyond the server's limits (lines, quantity, total) are 422 LIMIT_EXCEEDED.
 */
export function orderRoutes(app: Api, deps: RouteDeps): void {
  app.post(
    '/orders',
    { schema: { body: CreateOrderRequest, headers: OrderHeaders, response: { 201: Order, ...ERROR_RESPONSES } } },
    async (request, reply) => {
      const t = terminalOf(request);
      const result = await deps.storage.orders
        .create(request.body, {
          terminalId: t.id,
          storeId: t.store_id,
          idempotencyKey: request.headers['idempotency-key'] ?? null,
          limits: deps.config.orders,
        })
        .catch((error: unknown) => {
          deps.metrics.orders.inc({ result: error instanceof FaceError ? error.code : 'error' });
          throw error;
        });
      deps.metrics.orders.inc({ result: result.replayed ? 'replayed' : 'created' });
      if (result.replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(201).send(result.order);
    },
  );
}
