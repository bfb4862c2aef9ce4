import { randomBytes, scrypt } from 'node:crypto';
import { PAIRING_CODE_ALPHABET, PAIRING_CODE_LENGTH } from '@posface/protocol';

/** How long a pairing code stays valid after IT issues it. */
export const PAIRING_CODE_TTL_MS = 10 * 60_000;

/** A fresh code: each byte's low 5 bits pick one of the 32 symbols, so every symbol is equally likely. */
export function newPairingCode(): string {
  if (PAIRING_CODE_ALPHABET.length !== 32) throw new Error('the pairing code alphabet must have 32 symbols');
  return [...randomBytes(PAIRING_CODE_LENGTH)].map((b) => PAIRING_CODE_ALPHABET[b & 31]).join('');
}

// A code has only 40 bits, which sha256 would let anyone who reads the table try in minutes; scrypt
// (about 0.1 s a code, 16 MiB) puts that out of reach within the code's lifetime. The salt is fixed so the
// hash can be looked up; the attempt limits bound how often the server itself pays for it.
const SALT = 'posface-pairing-code-v1';
const SCRYPT = { N: 16_384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

/** The stored form of a normalised code (hex). */
export function hashPairingCode(code: string): Promise<string> {
  return new Promise((resolve, reject) => {
    scrypt(code, SALT, 32, SCRYPT, (error, key) => (error ? reject(error) : resolve(key.toString('hex'))));
  });
}
