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
/** The POS's unauthenticated pairing route: a one-time code in, a session cookie out. */
export const PAIR_PATH = '/pair';
/** The current cookie session (DELETE: unpair this browser). */
export const SESSION_PATH = '/session';
