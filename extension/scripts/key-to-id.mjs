import { createHash } from 'node:crypto';

/**
 * Chrome's rule for an extension ID: SHA-256 of the DER public key (the manifest's base64 `key`),
 * first 16 bytes, each hex digit 0-f written as a-p.
 * @param {string} base64Der
 */
export function extensionIdFromKey(base64Der) {
  const hex = createHash('sha256').update(Buffer.from(base64Der, 'base64')).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}
