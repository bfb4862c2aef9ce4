import { FaceError, normalizePairingCode, PAIR_PATH, PAIRING_CODE_RULE, SESSION_PATH } from '@posface/protocol';
import { PairRequest, PairResponse } from '@posface/protocol/api';
import { Type } from 'typebox';
import { checkSameOrigin } from '../auth/csrf.js';
import { clearSessionCookie, setSessionCookie } from '../auth/session-cookie.js';
import { extraLimit } from '../http/rate-limit.js';
import { ERROR_RESPONSES } from './errors.js';
import type { Api, RouteDeps } from './types.js';

/**
 * Attempts at POST /pair. Per client IP: a cashier's typos and IT pairing a store's tills behind one
 * NAT fit easily. For the whole server: at most 100 guesses in a code's 10-minute life, so with 2^40
 * codes the chance of hitting any live one is about 1e-10 per outstanding code (docs/terminal-pairing.md).
 */
export const PAIR_LIMITS = {
  perIp: { max: 10, timeWindow: 60_000 },
  global: { max: 100, timeWindow: 10 * 60_000 },
} as const;

/** POST /api/v1/pair {code}: no authentication; a valid code sets the session cookie. */
export function pairRoutes(app: Api, deps: RouteDeps): void {
  app.post(
    PAIR_PATH,
    {
      schema: { body: PairRequest, response: { 200: PairResponse, ...ERROR_RESPONSES } },
      config: { rateLimit: PAIR_LIMITS.perIp },
      onRequest: extraLimit(app, { ...PAIR_LIMITS.global, key: 'pair:all' }),
    },
    async (request, reply) => {
      // The answer sets a credential, so it must come from the POS itself (no login CSRF).
      checkSameOrigin(request);
      const code = normalizePairingCode(request.body.code);
      if (code === null) throw new FaceError('INVALID_REQUEST', `body.code: a pairing code has ${PAIRING_CODE_RULE}`, { details: { field: 'body.code' } });
      const now = new Date();
      const { session, secret } = await deps.storage.sessions.pair(code, now);
      setSessionCookie(reply, secret, session.expiresAt, now);
      const t = session.terminal;
      request.log.info({ terminal: t.id, session: session.id }, 'terminal paired');
      return { store: { id: t.store_id, name: t.store_name }, device_id: t.device_id, session_expires_at: session.expiresAt.toISOString() };
    },
  );
}

/** DELETE /api/v1/session: unpairs this browser (its cookie session ends; the terminal stays). */
export function sessionRoutes(app: Api, deps: RouteDeps): void {
  app.delete(SESSION_PATH, { schema: { response: { 204: Type.Null(), ...ERROR_RESPONSES } } }, async (request, reply) => {
    const session = request.terminalSession;
    if (session === null) {
      throw new FaceError('INVALID_REQUEST', 'a bearer token has no session to end: revoke the terminal with the CLI instead');
    }
    await deps.storage.sessions.end(session.id);
    clearSessionCookie(reply);
    request.log.info({ terminal: session.terminal.id, session: session.id }, 'terminal unpaired');
    return reply.code(204).send(null);
  });
}
