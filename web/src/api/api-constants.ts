/**
 * Runtime constants of the HTTP API. They are defined in @posface/protocol/api, which also holds the TypeBox
 * schemas; importing a value from there would pull TypeBox into the bundle, so the POS mirrors the two
 * strings here and api-constants.test.ts checks they stay equal.
 */
export const API_PREFIX = '/api/v1';
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
