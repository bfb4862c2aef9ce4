import { FaceError } from '@posface/protocol';
import { AdminMember, AdminMemberList, AdminOrderList, IdParams, MemberDetail, PageQuery, UpdateMemberRequest } from '@posface/protocol/admin-api';
import { ERROR_RESPONSES } from '../routes/errors.js';
import type { Api } from '../routes/types.js';
import { actorOf } from './admin-auth.js';
import { changes } from './audit-log.js';
import type { AdminDeps } from './back-office.js';

/**
 * Members: search (phone, nickname, id), a member's page (points, ledger) and orders, level and phone.
 * Adjusting points (`points.adjust`) and merging members (`members.merge`) come with the loyalty ledger:
 * their routes go here, in the same pattern (permission in config, change and audit in one transaction).
 */
export function memberRoutes(app: Api, deps: AdminDeps): void {
  const { members, audit } = deps.office;
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
}
