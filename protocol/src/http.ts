/**
 * The plain constants of the merchant server's HTTP API. They live apart from api.ts (the TypeBox
 * schemas) so the POS can import them from '@posface/protocol' without bundling TypeBox.
 */
export const API_PREFIX = '/api/v1';
/** The POS sends a fresh key per sale and repeats it on retries. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
