import { FaceError } from '@posface/protocol';
import { AdminOrderDetail, IdParams } from '@posface/protocol/admin-api';
import { Refund, RefundHeaders, RefundRequest } from '@posface/protocol/api';
import { ERROR_RESPONSES } from '../routes/errors.js';
import type { Api } from '../routes/types.js';
import { actorOf } from './admin-auth.js';
import type { AdminDeps } from './back-office.js';
import { withLines } from './member-admin.js';

/**
 * An order with its refunds (GET /orders/{id}), and refunds from the back office (`orders.refund`): the
 * same rules, key and answer as the till's POST /api/v1/orders/{id}/refunds, plus an audit row in the
 * refund's transaction.
 */
export function orderRoutes(app: Api, deps: AdminDeps): void {
  const { refunds } = deps.storage;
  const { audit } = deps.office;
  const db = deps.storage.db.kysely;

  app.get('/orders/:id', { config: { permission: 'members.read' }, schema: { params: IdParams, response: { 200: AdminOrderDetail, ...ERROR_RESPONSES } } }, async (request) => {
    const row = await db.selectFrom('orders').selectAll().where('id', '=', request.params.id).executeTakeFirst();
    if (row === undefined) throw new FaceError('NOT_FOUND', `no order ${request.params.id}`);
    const [order] = await withLines(db, [row]);
    return { order: order as NonNullable<typeof order>, refunds: await refunds.forOrder(row.id), refundable: await refunds.refundable(row.id) };
  });

  app.post(
    '/orders/:id/refunds',
    { config: { permission: 'orders.refund' }, schema: { params: IdParams, headers: RefundHeaders, body: RefundRequest, response: { 201: Refund, ...ERROR_RESPONSES } } },
    async (request, reply) => {
      const actor = actorOf(request);
      const result = await refunds.create(request.params.id, request.body, {
        requestedBy: actor,
        refundedBy: actor,
        idempotencyKey: request.headers['idempotency-key'],
        inTransaction: (trx, refund) =>
          audit.write(trx, {
            actor,
            action: 'orders.refund',
            target_type: 'order',
            target_id: refund.order_id,
            summary: { refund_id: refund.id, refund_fen: refund.refund_fen, points_reversed: refund.points_reversed, points_restored: refund.points_restored, points_unrecovered: refund.points_unrecovered, reason: refund.reason },
          }),
      });
      if (result.replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(201).send(result.refund);
    },
  );
}
