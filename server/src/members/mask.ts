import { createHash } from 'node:crypto';

/** 13812345678 → 138****5678: what the till shows and the API returns. */
export function maskPhone(phone: string | null): string | null {
  if (phone === null) return null;
  return phone.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(7)}` : '****';
}

/** Openids are personal data: logs keep only this short hash. */
export function openidHash(openid: string): string {
  return `#${createHash('sha256').update(openid, 'utf8').digest('hex').slice(0, 10)}`;
}
