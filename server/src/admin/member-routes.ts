import { FaceError } from '@posface/protocol';
import {
  AdjustPointsRequest,
  AdjustPointsResponse,
  AdminMember,
  AdminMemberList,
  AdminOrderList,
  IdParams,
  LedgerPage,
  MemberDetail,
  MergeMembersRequest,
  MergeMembersResponse,
  PageQuery,
  UpdateMemberRequest,
} from '@posface/protocol/admin-api';
import { mergeMembers } from '../loyalty/member-merge.js';
import { ERROR_RESPONSES } from '../routes/errors.js';
import type { Api } from '../routes/types.js';
import { actorOf } from './admin-auth.js';
import { changes } from './audit-log.js';
import type { AdminDeps } from './back-office.js';

/**
 * Members: search (phone, nickname, id), a member's page (tier, points ledger) and orders, level and
 * phone, points adjusted by hand (`points.adjust`, never IT) and merges (`members.merge`). Each change and
 * its audit row are one transaction.
 */
export function memberRoutes(app: Api, deps: AdminDeps): void {
  const { members, audit, loyalty } = deps.office;
  const db = deps.storage.db.kysely;
  const read = { permission: 'members.read' } as const;

  app.get('/members', { config: read, schema: { querystring: PageQuery, response: { 200: AdminMemberList, ...ERROR_RESPONSES } } }, async (request) =>
    members.page({ q: request.query.q, page: request.query.page ?? 1, perPage: request.query.per_page ?? 20 }),
  );

  app.get('/members/:id', { config: read, schema: { params: IdParams, response: { 200: MemberDetail, ...ERROR_RESPONSES } } }, async (request) => {
    const member = await members.detail(request.params.id);
    if (member === null) throw new FaceError('NOT_FOUND', `no member ${request.params.id}`);
    return member;
  });

  app.get(
    '/members/:id/ledger',
    { config: read, schema: { params: IdParams, querystring: PageQuery, response: { 200: LedgerPage, ...ERROR_RESPONSES } } },
    async (request) => members.ledger(request.params.id, request.query.page ?? 1, request.query.per_page ?? 20),
  );

  app.get(
    '/members/:id/orders',
    { config: read, schema: { params: IdParams, querystring: PageQuery, response: { 200: AdminOrderList, ...ERROR_RESPONSES } } },
    async (request) => members.orders(request.params.id, request.query.page ?? 1, request.query.per_page ?? 20),
  );

  app.patch(
    '/members/:id',
    { config: { permission: 'members.edit' }, schema: { params: IdParams, body: UpdateMemberRequest, response: { 200: AdminMember, ...ERROR_RESPONSES } } },
    async (request) =>
      db.transaction().execute(async (trx) => {
        const { before, after } = await members.update(request.params.id, request.body, trx);
        await audit.write(trx, { actor: actorOf(request), action: 'members.update', target_type: 'member', target_id: after.id, summary: changes(before, after) });
        return after;
      }),
  );

  app.post(
    '/members/:id/points',
    { config: { permission: 'points.adjust' }, schema: { params: IdParams, body: AdjustPointsRequest, response: { 201: AdjustPointsResponse, ...ERROR_RESPONSES } } },
    async (request, reply) => {
      const { points, reason } = request.body;
      if (points === 0) throw new FaceError('INVALID_REQUEST', 'body.points: must not be 0 (+ credits, − debits)', { details: { field: 'body.points' } });
      const actor = actorOf(request);
      const done = await db.transaction().execute(async (trx) => {
        const result = await members.adjust(request.params.id, points, reason.trim(), actor, trx);
        await audit.write(trx, {
          actor,
          action: 'points.adjust',
          target_type: 'member',
          target_id: request.params.id,
          summary: { points, reason: reason.trim(), balance: [result.member.points - points, result.member.points] },
        });
        return result;
      });
      return reply.code(201).send(done);
    },
  );

  app.post(
    '/members/:id/merge',
    { config: { permission: 'members.merge' }, schema: { params: IdParams, body: MergeMembersRequest, response: { 200: MergeMembersResponse, ...ERROR_RESPONSES } } },
    async (request) => {
      const actor = actorOf(request);
      const survivorId = request.params.id;
      const duplicateId = request.body.duplicate_id;
      const moved = await db.transaction().execute(async (trx) => {
        const result = await mergeMembers(trx, loyalty, survivorId, duplicateId, actor);
        await audit.write(trx, {
          actor,
          action: 'members.merge',
          target_type: 'member',
          target_id: survivorId,
          summary: { duplicate_id: duplicateId, moved_points: result.movedPoints, moved_orders: result.movedOrders },
        });
        return result;
      });
      const member = await members.get(survivorId);
      if (member === null) throw new FaceError('INTERNAL_ERROR', 'the merged member vanished');
      return { member, moved_points: moved.movedPoints, moved_orders: moved.movedOrders };
    },
  );
}
