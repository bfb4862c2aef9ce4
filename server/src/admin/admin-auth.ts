import { ADMIN_API_PREFIX, ADMIN_SESSION_COOKIE, FaceError, roleCan, type Permission } from '@posface/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { checkSameOrigin } from '../auth/csrf.js';
import type { StaffSession, StaffStore } from './staff-store.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * What an admin route needs (protocol's PERMISSIONS): every route under /api/admin/v1 names one, or
     * `session` (any logged-in staff) or `public` (the login itself). A route without it fails at start.
     */
    permission?: Permission | 'session' | 'public';
  }
  interface FastifyRequest {
    staffSession: StaffSession | null;
  }
}

/**
 * The back office's cookie: HttpOnly (no script reads it), Secure (HTTPS, and http://localhost, which
 * browsers treat as secure), SameSite=Strict, Path=/api/admin (never sent to the POS's API or files).
 */
const ATTRIBUTES = { path: '/api/admin', httpOnly: true, secure: true, sameSite: 'strict' } as const;

export function setStaffCookie(reply: FastifyReply, secret: string, expiresAt: Date, now = new Date()): void {
  reply.setCookie(ADMIN_SESSION_COOKIE, secret, { ...ATTRIBUTES, maxAge: Math.max(0, Math.floor((expiresAt.getTime() - now.getTime()) / 1000)) });
}

export function clearStaffCookie(reply: FastifyReply): void {
  reply.clearCookie(ADMIN_SESSION_COOKIE, ATTRIBUTES);
}

export function actorOf(request: FastifyRequest): string {
  return `staff:${sessionOf(request).user.username}`;
}

export function sessionOf(request: FastifyRequest): StaffSession {
  if (request.staffSession === null) throw new FaceError('UNAUTHORIZED', 'not logged in to the back office');
  return request.staffSession;
}

/**
 * Every route of the scope needs a staff session cookie holding its permission: 401 without a live session
 * (missing, logged out, expired, account disabled or password reset), 403 FORBIDDEN without the permission,
 * 403 CSRF_REJECTED for a change without `X-PosFace-Request: 1` or this server's own Origin. A terminal's
 * credentials (bearer token, POS cookie) open nothing here.
 */
export function requireStaff(scope: FastifyInstance, staff: StaffStore): void {
  scope.decorateRequest('staffSession', null);
  scope.addHook('onRoute', (route) => {
    if (route.config?.permission === undefined) throw new Error(`admin route ${route.method} ${route.url} names no permission (config.permission)`);
  });
  scope.addHook('onRequest', async (request, reply) => {
    const permission = request.routeOptions.config.permission;
    if (permission === 'public') return;
    const secret = request.cookies[ADMIN_SESSION_COOKIE];
    if (secret === undefined || secret === '') {
      throw new FaceError('UNAUTHORIZED', `not logged in: POST ${ADMIN_API_PREFIX}/session with a staff account`, { details: { reason: 'missing' } });
    }
    checkSameOrigin(request);
    const now = new Date();
    const found = await staff.findSession(secret, now);
    if (!found.ok) {
      clearStaffCookie(reply);
      const why = { unknown: 'this session has ended (logged out)', expired: 'this session expired', disabled: 'this account is disabled' };
      throw new FaceError('UNAUTHORIZED', `${why[found.reason]}: log in again`, { details: { reason: found.reason } });
    }
    const { session } = found;
    request.staffSession = session;
    if (session.extended) setStaffCookie(reply, secret, session.expiresAt, now);
    if (permission !== 'session' && permission !== undefined && !roleCan(session.user.role, permission)) {
      throw new FaceError('FORBIDDEN', `the ${session.user.role} role may not do this (needs ${permission})`, { details: { permission } });
    }
  });
}
