import { FaceError, POS_REQUEST_HEADER } from '@posface/protocol';
import type { FastifyRequest } from 'fastify';

const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A cookie rides along on any request the browser makes, so a change made with one must prove it comes
 * from the POS itself: the `X-PosFace-Request: 1` header (a cross-origin page cannot add it without a
 * CORS preflight, which this server never grants) or an Origin equal to this server's own. SameSite=Strict
 * already keeps other sites' requests cookie-less; this also covers same-site neighbours.
 */
export function checkSameOrigin(request: FastifyRequest): void {
  if (SAFE_METHODS.has(request.method)) return;
  if (request.headers[POS_REQUEST_HEADER] === '1') return;
  const origin = request.headers.origin;
  if (origin !== undefined && origin === `${request.protocol}://${request.host}`) return;
  throw new FaceError(
    'CSRF_REJECTED',
    `${request.method} with a session cookie needs the "X-PosFace-Request: 1" header or this server's own Origin (got ${origin === undefined ? 'no Origin' : JSON.stringify(origin.slice(0, 100))})`,
  );
}
