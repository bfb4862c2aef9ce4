/**
 * Terminal pairing codes: what IT reads off the CLI (or the back office) and the cashier types on the
 * till. 8 symbols from a 32-symbol alphabet without 0/O and 1/I is 40 bits: with a 10-minute life and
 * the server's attempt limits, guessing any live code is out of reach (docs/terminal-pairing.md).
 */
export const PAIRING_CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export const PAIRING_CODE_LENGTH = 8;
/** What a pairing code looks like, for error messages. */
export const PAIRING_CODE_RULE = `${PAIRING_CODE_LENGTH} characters: digits 2–9 and letters A–Z except I and O`;

const CODE = new RegExp(`^[${PAIRING_CODE_ALPHABET}]{${PAIRING_CODE_LENGTH}}$`);

/** The code as stored and compared (upper case, no spaces or dashes), or null when it cannot be one. */
export function normalizePairingCode(input: string): string | null {
  const code = input.replace(/[\s-]+/g, '').toUpperCase();
  return CODE.test(code) ? code : null;
}

/** ABCD-EFGH: how a code is shown, in two halves a person can read out and type. */
export function formatPairingCode(code: string): string {
  const half = PAIRING_CODE_LENGTH / 2;
  return `${code.slice(0, half)}-${code.slice(half)}`;
}

/** Why a pairing code was refused (PAIRING_CODE_INVALID's details.reason). */
export type PairingCodeRefusal = 'unknown' | 'expired' | 'used';

/**
 * Why a browser has no valid session (UNAUTHORIZED's details.reason on a cookie request): no cookie,
 * a session the server does not know (ended, or replaced by a later pairing), idle too long, or the
 * terminal revoked.
 */
export type SessionRefusal = 'missing' | 'unknown' | 'expired' | 'revoked';
