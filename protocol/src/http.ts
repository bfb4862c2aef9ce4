import type { ErrorCode } from './errors.js';

/**
 * The plain constants of the merchant server's HTTP API. They live apart from api.ts (the TypeBox
 * schemas) so the POS can import them from '@posface/protocol' without bundling TypeBox.
 */
export const API_PREFIX = '/api/v1';
/** The POS sends a fresh key per sale and repeats it on retries. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/**
 * State-changing requests that a session cookie authenticates must carry this header with the value '1'
 * (or an Origin of the server itself): a cross-site form or script cannot add it (CSRF).
 */
export const POS_REQUEST_HEADER = 'x-posface-request';
/** The protocol's own bounds on one order; each server may set lower ones (ORDER_MAX_LINES, ORDER_MAX_QUANTITY). */
export const ORDER_LINES_MAX = 200;
export const ORDER_QUANTITY_MAX = 999;
/** The POS's unauthenticated pairing route: a one-time code in, a session cookie out. */
export const PAIR_PATH = '/pair';
/** The current cookie session (DELETE: unpair this browser). */
export const SESSION_PATH = '/session';

/**
 * Self-hosted extension distribution, served by the merchant server without a token (Chrome fetches
 * them): IT's policy sets the update URL https://<server>/extension/update.xml; the update manifest
 * there names the version and points Chrome at the .crx.
 */
export const EXTENSION_UPDATE_PATH = '/extension/update.xml';
export const EXTENSION_CRX_PATH = '/extension/pos-face.crx';
/** The update manifest's file name in the extension build (and in the server's EXTENSION_DIST). */
export const EXTENSION_UPDATE_FILE = 'update.xml';
/** The signed package's file name in the extension build for `version`. */
export function extensionCrxFile(version: string): string {
  return `pos-face-${version}.crx`;
}

/** The HTTP status the server answers each error code with (any other code: 500). */
export const HTTP_STATUS: Readonly<Partial<Record<ErrorCode, number>>> = {
  INVALID_REQUEST: 400,
  UNAUTHORIZED: 401,
  PAIRING_CODE_INVALID: 401,
  CSRF_REJECTED: 403,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  MESSAGE_TOO_LARGE: 413,
  LIMIT_EXCEEDED: 422,
  POINTS_INSUFFICIENT: 409,
  REDEMPTION_NOT_ALLOWED: 422,
  REFUND_EXCEEDS_SALE: 409,
  RATE_LIMITED: 429,
  UPSTREAM_ERROR: 502,
  DATABASE_UNAVAILABLE: 503,
  UPSTREAM_TIMEOUT: 504,
};

export function statusForCode(code: ErrorCode): number {
  return Object.hasOwn(HTTP_STATUS, code) ? (HTTP_STATUS[code] ?? 500) : 500;
}

/**
 * What a bare status means: the first code listed for it (a proxy's 401 is UNAUTHORIZED, not a pairing code);
 * a proxy's 403 is a refusal, not this server's CSRF check.
 */
const CODE_BY_STATUS = new Map<number, ErrorCode>([[403, 'UNAUTHORIZED']]);
for (const [code, status] of Object.entries(HTTP_STATUS) as [ErrorCode, number][]) {
  // A bare 503 comes from a proxy as often as from this server (which always sends a body with its code).
  if (code !== 'DATABASE_UNAVAILABLE' && !CODE_BY_STATUS.has(status)) CODE_BY_STATUS.set(status, code);
}

/** What an HTTP status means when the body carries no usable error (a proxy's page, say). */
export function codeForStatus(status: number): ErrorCode {
  return CODE_BY_STATUS.get(status) ?? 'INTERNAL_ERROR';
}
