import { createHash, randomBytes } from 'node:crypto';

/**
 * Terminal bearer tokens (API clients, scripts) and browser session secrets (the POS's cookie):
 * 256 random bits each, shown once; only their sha256 is stored.
 */

const TOKEN_PREFIX = 'pft_';
const SESSION_PREFIX = 'pfs_';

export function newToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export function newSessionSecret(): string {
  return SESSION_PREFIX + randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The token from an `Authorization: Bearer …` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  if (header === undefined) return null;
  const m = /^Bearer[ \t]+([\x21-\x7e]{1,256})[ \t]*$/i.exec(header);
  return m?.[1] ?? null;
}
