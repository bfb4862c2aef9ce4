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
