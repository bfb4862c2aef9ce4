import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/**
 * What logs and diagnostics keep of an openid (or a nickname, an authinfo…): `sha256:` and the first 12 hex
 * digits of its SHA-256. The same function in the host, the server and the POS, so the lines of one customer
 * can be matched across the parts; 48 bits keep collisions rare among a chain's members and say nothing of
 * the value. Synchronous, in Node and the browser alike.
 */
export function shortHash(value: string): string {
  return `sha256:${bytesToHex(sha256(utf8ToBytes(value))).slice(0, 12)}`;
}
