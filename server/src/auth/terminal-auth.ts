import { FaceError } from '@posface/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Storage } from '../db/storage.js';
import type { TerminalSession } from '../terminals/session-store.js';
import type { Terminal } from '../terminals/terminal-store.js';
import { checkSameOrigin } from './csrf.js';
import { clearSessionCookie, SESSION_COOKIE, setSessionCookie } from './session-cookie.js';
import { bearerToken } from './tokens.js';

declare module 'fastify' {
  interface FastifyRequest {
    terminal: Terminal | null;
    /** The browser session when the session cookie authenticated the request (null for a bearer token). */
    terminalSession: TerminalSession | null;
  }
}

/**
 * Every route of the encapsulated scope needs an active terminal (401 otherwise): an API client's
 * `Authorization: Bearer` token, or else the POS's session cookie — with the CSRF check on changes.
 */
export function requireTerminal(scope: FastifyInstance, storage: Pick<Storage, 'terminals' | 'sessions'>): void {
  scope.decorateRequest('terminal', null);
  scope.decorateRequest('terminalSession', null);
  scope.addHook('onRequest', async (request, reply) => {
    if (request.headers.authorization !== undefined) {
      const token = bearerToken(request.headers.authorization);
      if (token === null) throw new FaceError('UNAUTHORIZED', 'malformed Authorization header: send "Authorization: Bearer <terminal token>"');
      const terminal = await storage.terminals.findByToken(token);
      if (terminal === null) throw new FaceError('UNAUTHORIZED', 'unknown or revoked terminal token');
      request.terminal = terminal;
      return;
    }
    const secret = request.cookies[SESSION_COOKIE];
    if (secret === undefined || secret === '') {
      throw new FaceError('UNAUTHORIZED', 'not paired: pair this browser with a pairing code (POST /api/v1/pair), or send "Authorization: Bearer <terminal token>"', {
        details: { reason: 'missing' },
      });
    }
    checkSameOrigin(request);
    const now = new Date();
    const found = await storage.sessions.find(secret, now);
    if (!found.ok) {
      clearSessionCookie(reply);
      const why = { unknown: 'this browser session has ended (unpaired, or the terminal paired again elsewhere)', expired: 'this browser session expired', revoked: 'this terminal was revoked' };
      throw new FaceError('UNAUTHORIZED', `${why[found.reason]}: pair again with a new pairing code from IT`, { details: { reason: found.reason } });
    }
    request.terminal = found.session.terminal;
    request.terminalSession = found.session;
    if (found.session.extended) setSessionCookie(reply, secret, found.session.expiresAt, now);
  });
}

export function terminalOf(request: FastifyRequest): Terminal {
  if (request.terminal === null) throw new FaceError('UNAUTHORIZED', 'no terminal on this request');
  return request.terminal;
}
