import { codeForStatus, FaceError, isErrorCode } from '@posface/protocol';

/**
 * The typed fetch core: bearer token, a timeout per request, and every failure turned into a FaceError
 * (the server's `{ error }` body kept as is; a server that cannot be reached becomes NETWORK_ERROR).
 */

export interface HttpOptions {
  /** Origin + path prefix; '' means same origin (the server serves the POS). */
  baseUrl?: string;
  getToken: () => string | null;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface RequestOptions {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Overrides the token (pairing checks a token before it is saved). */
  token?: string;
  timeoutMs?: number;
  /** What error messages call the path (a path holding an openid names it by hash instead). */
  label?: string;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

export class HttpClient {
  private readonly baseUrl: string;
  private readonly getToken: () => string | null;
  private readonly timeoutMs: number;
  private readonly fetchFn: typeof fetch;

  constructor(options: HttpOptions) {
    this.baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '');
    this.getToken = options.getToken;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    // Bound so a detached `fetch` keeps its `this` (browsers throw "Illegal invocation" otherwise).
    this.fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  get<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('GET', path, options);
  }

  post<T>(path: string, body: unknown, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('POST', path, { ...options, body });
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const url = this.url(path, options.query);
    const label = options.label ?? path;
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    const token = options.token ?? this.getToken();
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    let response: Response;
    try {
      response = await this.fetchFn(url, { method, headers, body, signal: controller.signal });
    } catch (error) {
      if (timedOut) {
        throw new FaceError('TIMEOUT', `The server did not answer ${method} ${label} within ${timeoutMs} ms`, {
          cause: error,
        });
      }
      const reason = error instanceof Error ? error.message : String(error);
      throw new FaceError('NETWORK_ERROR', `Cannot reach the server (${method} ${label}): ${reason}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
    const text = await response.text();
    const parsed = parseJson(text);
    // A body that is not JSON (a proxy's HTML error page, say): the status and a snippet say what happened.
    const data = 'value' in parsed ? parsed.value : undefined;
    if (!response.ok) throw errorFromResponse(response.status, data, text, method, label);
    if ('problem' in parsed) {
      throw new FaceError('INTERNAL_ERROR', `The server answered ${method} ${label} with something that is not JSON (${parsed.problem})`);
    }
    return data as T;
  }

  private url(path: string, query: RequestOptions['query']): string {
    let url = `${this.baseUrl}${path}`;
    if (query) {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
      const qs = params.toString();
      if (qs) url += `?${qs}`;
    }
    return url;
  }
}

function parseJson(text: string): { value: unknown } | { problem: string } {
  if (text === '') return { problem: 'an empty body' };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}

function errorFromResponse(status: number, data: unknown, text: string, method: string, path: string): FaceError {
  const fallback = codeForStatus(status);
  const error = typeof data === 'object' && data !== null ? (data as { error?: unknown }).error : undefined;
  if (typeof error === 'object' && error !== null && isErrorCode((error as { code?: unknown }).code)) {
    return FaceError.fromJSON(error, fallback);
  }
  const snippet = text.slice(0, 120).replace(/\s+/g, ' ');
  return new FaceError(fallback, `${method} ${path} failed with HTTP ${status}${snippet ? `: ${snippet}` : ''}`, {
    details: { status },
  });
}
