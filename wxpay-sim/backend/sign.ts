import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * WeChat Pay API v2 signing, written independently of the server's signer so that a mistake in one
 * is caught by the other (both are checked against WeChat's published example).
 */

export const SIGN_TYPES = ['MD5', 'HMAC-SHA256'] as const;
export type SignType = (typeof SIGN_TYPES)[number];

export function isSignType(value: unknown): value is SignType {
  return value === 'MD5' || value === 'HMAC-SHA256';
}

export function signString(fields: Readonly<Record<string, string | undefined>>): string {
  return Object.keys(fields)
    .filter((k) => k !== 'sign' && fields[k] !== undefined && fields[k] !== '')
    .sort()
    .map((k) => `${k}=${fields[k] ?? ''}`)
    .join('&');
}

export function wxSign(fields: Readonly<Record<string, string | undefined>>, key: string, signType: SignType): string {
  const text = `${signString(fields)}&key=${key}`;
  const digest =
    signType === 'MD5'
      ? createHash('md5').update(text, 'utf8').digest('hex')
      : createHmac('sha256', key).update(text, 'utf8').digest('hex');
  return digest.toUpperCase();
}

export function signMatches(given: string, wanted: string): boolean {
  const a = Buffer.from(given.toUpperCase(), 'utf8');
  const b = Buffer.from(wanted, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
