export * from './errors.js';
export * from './sdk.js';
export * from './host.js';
export * from './bridge.js';
export * from './timeouts.js';
export * from './http.js';
export * from './pairing.js';
export { isRequestId, MAX_ID_LENGTH } from './validate.js';
