import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SignType } from '../config.js';

/**
 * WeChat Pay API v2 signature: fields with a non-empty value except `sign`, sorted by name (ASCII),
 * joined as k=v&…, then `&key=<API key>`; MD5, or HMAC-SHA256 keyed with the API key; upper-case hex.
 */
export function signPayload(fields: Readonly<Record<string, string | undefined>>): string {
  return Object.keys(fields)
    .filter((k) => k !== 'sign' && fields[k] !== undefined && fields[k] !== '')
    .sort()
    .map((k) => `${k}=${fields[k] ?? ''}`)
    .join('&');
}

export function sign(fields: Readonly<Record<string, string | undefined>>, apiKey: string, signType: SignType): string {
  const text = `${signPayload(fields)}&key=${apiKey}`;
  const digest =
    signType === 'HMAC-SHA256'
      ? createHmac('sha256', apiKey).update(text, 'utf8').digest('hex')
      : createHash('md5').update(text, 'utf8').digest('hex');
  return digest.toUpperCase();
}

/** Constant-time check of a signature received from WeChat. */
export function verifySign(fields: Readonly<Record<string, string | undefined>>, apiKey: string, signType: SignType): boolean {
  const given = Buffer.from((fields.sign ?? '').toUpperCase(), 'utf8');
  const wanted = Buffer.from(sign(fields, apiKey, signType), 'utf8');
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/** 32 characters from a CSPRNG, fresh for every request. */
export function nonceStr(): string {
  return randomBytes(16).toString('hex');
}
