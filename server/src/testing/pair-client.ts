import { request as httpRequest } from 'node:http';
import type { ErrorBody, PairResponse } from '@posface/protocol/api';
import type { CallResult } from './harness.js';

/**
 * POST /api/v1/pair as a till would send it, from its own loopback address (127.0.0.N, a fresh one per
 * call unless `from` names one): the attempt limits count per client IP. node:http, since fetch cannot
 * choose its source address.
 */
let nextHost = 10;
export function pairFrom(baseUrl: string, body: unknown, options: { headers?: Record<string, string>; from?: string } = {}): Promise<CallResult<PairResponse & ErrorBody> & { cookie: string | null }> {
  const url = new URL('/api/v1/pair', baseUrl);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: 'POST',
        localAddress: options.from ?? `127.0.0.${(nextHost = nextHost >= 250 ? 10 : nextHost + 1)}`,
        headers: { 'content-type': 'application/json', 'x-posface-request': '1', ...options.headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          const setCookie = res.headers['set-cookie'] ?? [];
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers.set(k, v);
          resolve({ status: res.statusCode ?? 0, headers, body: JSON.parse(text) as PairResponse & ErrorBody, text, cookie: setCookie.find((c) => c.startsWith('posface_session=')) ?? null });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

