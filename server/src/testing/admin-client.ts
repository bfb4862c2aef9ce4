import { request as httpRequest } from 'node:http';
import { ADMIN_API_PREFIX, POS_REQUEST_HEADER } from '@posface/protocol';
import type { CallResult } from './harness.js';

/**
 * A back-office client over real HTTP: logs in (POST /api/admin/v1/session), keeps the session cookie and
 * sends the CSRF header on changes, as the admin app does. Each client speaks from its own loopback
 * address (127.0.0.N), as staff at different machines would, so the per-IP login limit counts per client.
 */
let nextHost = 20;

export class AdminClient {
  cookie = '';
  setCookie: string | null = null;
  readonly from: string;

  constructor(readonly baseUrl: string) {
    nextHost = nextHost >= 250 ? 20 : nextHost + 1;
    this.from = `127.0.1.${nextHost}`;
  }

  async login(username: string, password: string): Promise<CallResult> {
    const res = await this.send('POST', `${ADMIN_API_PREFIX}/session`, { body: { username, password }, headers: { [POS_REQUEST_HEADER]: '1' } });
    this.setCookie = res.headers.get('set-cookie') ?? null;
    if (res.status === 200) this.cookie = (this.setCookie ?? '').split(';')[0] ?? '';
    return res;
  }

  /** `path` under /api/admin/v1, with the session cookie and the CSRF header (unless `headers` override them). */
  request<T = unknown>(method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; csv?: string } = {}): Promise<CallResult<T>> {
    return this.send<T>(method, `${ADMIN_API_PREFIX}${path}`, { ...options, headers: { cookie: this.cookie, [POS_REQUEST_HEADER]: '1', ...options.headers } });
  }

  get<T = unknown>(path: string): Promise<CallResult<T>> {
    return this.request<T>('GET', path);
  }

  /** Any path, JSON or CSV in; JSON or text out. */
  send<T = unknown>(method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; csv?: string } = {}): Promise<CallResult<T>> {
    const headers: Record<string, string> = { ...options.headers };
    let payload: string | undefined;
    if (options.csv !== undefined) {
      headers['content-type'] = 'text/csv';
      payload = options.csv;
    } else if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(options.body);
    }
    return new Promise((resolve, reject) => {
      const req = httpRequest(new URL(path, this.baseUrl), { method, localAddress: this.from, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          const out = new Headers();
          for (const [k, v] of Object.entries(res.headers)) {
            if (typeof v === 'string') out.set(k, v);
            else if (Array.isArray(v)) for (const item of v) out.append(k, item);
          }
          const json = (res.headers['content-type'] ?? '').includes('json');
          resolve({ status: res.statusCode ?? 0, headers: out, body: (json ? JSON.parse(text) : text) as T, text });
        });
      });
      req.on('error', reject);
      req.end(payload);
    });
  }
}
