import { FaceError } from '@posface/protocol';
import { AuditList, AuditQuery, CreateStaffRequest, IdParams, StaffList, StaffUser, UpdateStaffRequest } from '@posface/protocol/admin-api';
import { ERROR_RESPONSES } from '../routes/errors.js';
import type { Api } from '../routes/types.js';
import { actorOf, sessionOf } from './admin-auth.js';
import { changes } from './audit-log.js';
import type { AdminDeps } from './back-office.js';

/** Staff accounts (owner only) and the audit log (owner only). Passwords never reach the audit log. */
export function staffRoutes(app: Api, deps: AdminDeps): void {
  const { staff, audit } = deps.office;
  const db = deps.storage.db.kysely;
  const config = { permission: 'staff.manage' } as const;

  app.get('/staff', { config, schema: { response: { 200: StaffList, ...ERROR_RESPONSES } } }, async () => ({ items: await staff.list() }));

  app.post('/staff', { config, schema: { body: CreateStaffRequest, response: { 201: StaffUser, ...ERROR_RESPONSES } } }, async (request, reply) => {
    const user = await db.transaction().execute(async (trx) => {
      const created = await staff.create(request.body, trx);
      await audit.write(trx, { actor: actorOf(request), action: 'staff.create', target_type: 'staff', target_id: created.id, summary: { username: created.username, role: created.role } });
      return created;
    });
    return reply.code(201).send(user);
  });

  app.patch('/staff/:id', { config, schema: { params: IdParams, body: UpdateStaffRequest, response: { 200: StaffUser, ...ERROR_RESPONSES } } }, async (request) => {
    const { id } = request.params;
    if (id === sessionOf(request).user.id && (request.body.disabled === true || (request.body.role !== undefined && request.body.role !== 'owner'))) {
      throw new FaceError('CONFLICT', 'you cannot disable or demote your own account: ask another owner');
    }
    return db.transaction().execute(async (trx) => {
      const { before, after } = await staff.update(id, request.body, trx);
      const summary: Record<string, unknown> = { username: after.username, ...changes(before, after) };
      if (request.body.password !== undefined) summary.password = 'reset';
      await audit.write(trx, { actor: actorOf(request), action: 'staff.update', target_type: 'staff', target_id: id, summary });
      return after;
    });
  });

  app.get('/audit', { config: { permission: 'audit.read' }, schema: { querystring: AuditQuery, response: { 200: AuditList, ...ERROR_RESPONSES } } }, async (request) =>
    audit.list(request.query),
  );
}
