import type { FastifyReply } from 'fastify';

/**
 * The POS's session cookie. HttpOnly: no script on the page can read it. Secure: browsers send it over
 * HTTPS only — and over http://localhost and http://127.0.0.1, which Chromium treats as secure, so the
 * demo and the tests need no exception. SameSite=Strict: never sent on a request another site starts.
 * Path=/api: the POS's static files never carry it.
 */
export const SESSION_COOKIE = 'posface_session';

const ATTRIBUTES = { path: '/api', httpOnly: true, secure: true, sameSite: 'strict' } as const;

export function setSessionCookie(reply: FastifyReply, secret: string, expiresAt: Date, now = new Date()): void {
  reply.setCookie(SESSION_COOKIE, secret, { ...ATTRIBUTES, maxAge: Math.max(0, Math.floor((expiresAt.getTime() - now.getTime()) / 1000)) });
}

/** Tells the browser to drop a cookie that no longer opens anything. */
export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, ATTRIBUTES);
}
