import { FaceError } from '@posface/protocol';
import { OrderDetail, OrderIdParams, Refund, RefundHeaders, RefundRequest } from '@posface/protocol/api';
import { terminalOf } from '../auth/terminal-auth.js';
import { ERROR_RESPONSES } from './errors.js';
import type { Api, RouteDeps } from './types.js';

/**
 * What a till needs to refund a receipt: GET /api/v1/orders/{id} (the order, its refunds, what is left to
 * refund per line) and POST /api/v1/orders/{id}/refunds (an `Idempotency-Key` is required: a retry gets
 * the first refund, 201 both times, `Idempotent-Replayed: true` on replays). Any order of the merchant can
 * be refunded at any of its tills. The answer is what the refund receipt prints.
 */
export function refundRoutes(app: Api, deps: RouteDeps): void {
  const { orders, refunds } = deps.storage;

  app.get('/orders/:id', { schema: { params: OrderIdParams, response: { 200: OrderDetail, ...ERROR_RESPONSES } } }, async (request) => {
    const order = await orders.get(request.params.id);
    if (order === null) throw new FaceError('NOT_FOUND', `no order with id "${request.params.id}"`);
    const done = await refunds.forOrder(order.id);
    return { order, refunds: done, refundable: await refunds.refundable(order.id), refunded_fen: done.reduce((sum, r) => sum + r.refund_fen, 0) };
  });

  app.post(
    '/orders/:id/refunds',
    { schema: { params: OrderIdParams, headers: RefundHeaders, body: RefundRequest, response: { 201: Refund, ...ERROR_RESPONSES } } },
    async (request, reply) => {
      const t = terminalOf(request);
      const result = await refunds.create(request.params.id, request.body, {
        requestedBy: `terminal:${t.id}`,
        refundedBy: `terminal:${t.store_id}/${t.device_id}`,
        idempotencyKey: request.headers['idempotency-key'],
      });
      if (result.replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(201).send(result.refund);
    },
  );
}
