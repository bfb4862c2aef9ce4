import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import { API_PREFIX, FaceError, statusForCode } from '@posface/protocol';
import type { FastifyInstance } from 'fastify';

/**
 * Serves the built POS (web/dist): Vite's hashed assets cached for a year, everything else (index.html)
 * revalidated every time, SPA fallback to index.html; security headers on every response. The build writes
 * brotli and gzip copies next to each asset (web/vite.config.ts); they are sent to browsers that accept
 * them. Source maps are never served, even if a build left some.
 */

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // Vue binds inline style attributes.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The page needs no powerful browser feature (the camera is the face SDK's, outside the browser). */
const PERMISSIONS_POLICY = ['camera', 'microphone', 'geolocation', 'payment', 'usb', 'serial', 'hid', 'bluetooth']
  .map((feature) => `${feature}=()`)
  .join(', ');

/**
 * `hstsMaxAgeS` > 0: Strict-Transport-Security on requests that arrived over HTTPS. This server speaks plain
 * HTTP, so that means a TLS proxy in TRUST_PROXY said so (X-Forwarded-Proto); a plain-HTTP request never
 * gets it (it would be ignored, and a LAN-only deployment must stay reachable over HTTP).
 */
export function installSecurityHeaders(app: FastifyInstance, hstsMaxAgeS: number): void {
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('permissions-policy', PERMISSIONS_POLICY);
    reply.header('cross-origin-opener-policy', 'same-origin');
    if (hstsMaxAgeS > 0 && request.protocol === 'https') reply.header('strict-transport-security', `max-age=${hstsMaxAgeS}`);
    if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });
}

const isApi = (url: string) => url === API_PREFIX || url.startsWith(`${API_PREFIX}/`) || url.startsWith('/api/');

/** Registers the POS files when `webDist` holds a build; returns whether it did. */
export async function registerStatic(app: FastifyInstance, webDist: string | null): Promise<boolean> {
  const served = webDist !== null && existsSync(join(webDist, 'index.html'));
  if (served) {
    const assets = `${join(webDist, 'assets')}${sep}`;
    await app.register(fastifyStatic, {
      root: webDist,
      prefix: '/',
      index: ['index.html'],
      preCompressed: true,
      allowedPath: (pathName) => !pathName.endsWith('.map'),
      cacheControl: false,
      setHeaders(res, path) {
        res.setHeader('cache-control', path.startsWith(assets) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const wantsPage = (request.method === 'GET' || request.method === 'HEAD') && !isApi(request.url) && !/\.[a-z0-9]+$/i.test(request.url.split('?')[0] ?? '');
    if (served && wantsPage) {
      reply.header('cache-control', 'no-cache');
      return reply.sendFile('index.html');
    }
    const hint = !served && !isApi(request.url) ? ' (the POS is not built: run `npm run build -w web`)' : '';
    const error = new FaceError('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0] ?? ''}${hint}`);
    return reply.code(statusForCode(error.code)).send({ error: error.toJSON() });
  });
  return served;
}
