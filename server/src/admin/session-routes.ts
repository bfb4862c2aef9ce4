import { FaceError, permissionsOf } from '@posface/protocol';
import { LoginRequest, SessionInfo } from '@posface/protocol/admin-api';
import { Type } from 'typebox';
import { checkSameOrigin } from '../auth/csrf.js';
import { ERROR_RESPONSES } from '../routes/errors.js';
import type { Api } from '../routes/types.js';
import { clearStaffCookie, sessionOf, setStaffCookie } from './admin-auth.js';
import type { AdminDeps } from './back-office.js';
import type { StaffSession } from './staff-store.js';

/**
 * Login attempts: per client IP (a store's staff behind one NAT fit easily), and per username whatever
 * the address (a password guessed from many machines). argon2id makes each guess cost the guesser too.
 */
export const LOGIN_LIMITS = {
  perIp: { max: 10, timeWindow: 60_000 },
  perUsername: { max: 20, timeWindow: 15 * 60_000 },
} as const;

const info = (session: StaffSession) => ({ user: session.user, permissions: permissionsOf(session.user.role), expires_at: session.expiresAt.toISOString() });

/** POST /session {username, password} → cookie; GET /session → who; DELETE /session → logged out. */
export function sessionRoutes(app: Api, deps: AdminDeps): void {
  const { staff, audit } = deps.office;
  const perUsername = app.createRateLimit({
    ...LOGIN_LIMITS.perUsername,
    keyGenerator: (request) => `admin-login:${String((request.body as { username?: unknown } | undefined)?.username ?? '').toLowerCase()}`,
  });

  app.post(
    '/session',
    {
      config: { permission: 'public', rateLimit: LOGIN_LIMITS.perIp },
      schema: { body: LoginRequest, response: { 200: SessionInfo, ...ERROR_RESPONSES } },
      preHandler: async (request, reply) => {
        // The answer sets a credential, so it must come from the back office itself (no login CSRF).
        checkSameOrigin(request);
        const limit = await perUsername(request);
        if (!limit.isAllowed && limit.isExceeded) {
          reply.header('retry-after', limit.ttlInSeconds);
          throw new FaceError('RATE_LIMITED', `too many login attempts for this username: retry in ${limit.ttlInSeconds} s`, {
            details: { limit: limit.max, retry_after_s: limit.ttlInSeconds },
          });
        }
      },
    },
    async (request, reply) => {
      const user = await staff.authenticate(request.body.username, request.body.password);
      if (user === null) {
        request.log.info({ username: request.body.username.slice(0, 64) }, 'admin: login refused');
        throw new FaceError('UNAUTHORIZED', 'wrong username or password, or the account is disabled', { details: { reason: 'credentials' } });
      }
      const now = new Date();
      const { session, secret } = await staff.openSession(user, now);
      await audit.write(deps.storage.db.kysely, { actor: `staff:${user.username}`, action: 'session.login', target_type: 'staff', target_id: user.id, summary: { ip: request.ip } }, now);
      setStaffCookie(reply, secret, session.expiresAt, now);
      return info(session);
    },
  );

  app.get('/session', { config: { permission: 'session' }, schema: { response: { 200: SessionInfo, ...ERROR_RESPONSES } } }, async (request) => info(sessionOf(request)));

  app.delete('/session', { config: { permission: 'session' }, schema: { response: { 204: Type.Null(), ...ERROR_RESPONSES } } }, async (request, reply) => {
    await staff.endSession(sessionOf(request).id);
    clearStaffCookie(reply);
    return reply.code(204).send(null);
  });
}
