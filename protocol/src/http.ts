import type { ErrorCode } from './errors.js';

/**
 * The plain constants of the merchant server's HTTP API. They live apart from api.ts (the TypeBox
 * schemas) so the POS can import them from '@posface/protocol' without bundling TypeBox.
 */
export const API_PREFIX = '/api/v1';
/** The POS sends a fresh key per sale and repeats it on retries. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/** The HTTP status the server answers each error code with (any other code: 500). */
export const HTTP_STATUS: Readonly<Partial<Record<ErrorCode, number>>> = {
  INVALID_REQUEST: 400,
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  CONFLICT: 409,
  MESSAGE_TOO_LARGE: 413,
  LIMIT_EXCEEDED: 422,
  RATE_LIMITED: 429,
  UPSTREAM_ERROR: 502,
  DATABASE_UNAVAILABLE: 503,
  UPSTREAM_TIMEOUT: 504,
};

export function statusForCode(code: ErrorCode): number {
  return Object.hasOwn(HTTP_STATUS, code) ? (HTTP_STATUS[code] ?? 500) : 500;
}

const CODE_BY_STATUS = new Map<number, ErrorCode>([
  // A bare 503 comes from a proxy as often as from this server (which always sends a body with its code).
  ...Object.entries(HTTP_STATUS)
    .filter(([code]) => code !== 'DATABASE_UNAVAILABLE')
    .map(([code, status]) => [status, code as ErrorCode] as const),
  [403, 'UNAUTHORIZED'],
]);

/** What an HTTP status means when the body carries no usable error (a proxy's page, say). */
export function codeForStatus(status: number): ErrorCode {
  return CODE_BY_STATUS.get(status) ?? 'INTERNAL_ERROR';
}
