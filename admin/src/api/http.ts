import { codeForStatus, FaceError, isErrorCode, POS_REQUEST_HEADER } from '@posface/protocol';

/**
 * The admin app's fetch: same-origin session cookie (HttpOnly: never seen here), the CSRF header on every
 * request, JSON or CSV bodies, and every failure a FaceError (the server's `{ error }` kept as it is; a
 * server out of reach is NETWORK_ERROR). `onUnauthorized` hears every 401 (logged out, expired).
 */
export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** A text body sent as text/csv. */
  csv?: string;
  /** Answer as text (CSV downloads). */
  text?: boolean;
}

export class AdminHttp {
  constructor(
    private readonly base: string,
    private readonly onUnauthorized: (error: FaceError) => void = () => {},
    private readonly fetchFn: typeof fetch = globalThis.fetch.bind(globalThis),
  ) {}

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) params.set(k, String(v));
    const url = `${this.base}${path}${params.size > 0 ? `?${params}` : ''}`;
    const headers: Record<string, string> = { accept: options.text ? 'text/csv' : 'application/json', [POS_REQUEST_HEADER]: '1' };
    let body: string | undefined;
    if (options.csv !== undefined) {
      headers['content-type'] = 'text/csv; charset=utf-8';
      body = options.csv;
    } else if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    let response: Response;
    try {
      response = await this.fetchFn(url, { method, headers, body, credentials: 'same-origin' });
    } catch (error) {
      throw new FaceError('NETWORK_ERROR', `cannot reach the server (${method} ${path}): ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const text = await response.text();
    if (!response.ok) {
      const error = toError(response.status, text, `${method} ${path}`);
      if (error.code === 'UNAUTHORIZED') this.onUnauthorized(error);
      throw error;
    }
    if (response.status === 204 || options.text) return text as T;
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new FaceError('INTERNAL_ERROR', `${method} ${path}: the answer is not JSON`, { cause: error });
    }
  }
}

function toError(status: number, text: string, what: string): FaceError {
  try {
    const data = JSON.parse(text) as { error?: { code?: unknown } };
    if (isErrorCode(data.error?.code)) return FaceError.fromJSON(data.error, codeForStatus(status));
  } catch {
    // Not JSON (a proxy's page): the status says what happened.
  }
  return new FaceError(codeForStatus(status), `${what} failed with HTTP ${status}: ${text.slice(0, 120)}`, { details: { status } });
}
