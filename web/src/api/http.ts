import { codeForStatus, FaceError, isErrorCode, POS_REQUEST_HEADER } from '@posface/protocol';
import type * as Answers from './answers.js';

/**
 * The typed fetch core: the terminal's session cookie, a timeout per request, and every failure turned
 * into a FaceError (the server's `{ error }` body kept as is; a server that cannot be reached becomes
 * NETWORK_ERROR). The credential is an HttpOnly cookie the browser sends by itself: no script here ever
 * holds it. Every request carries the POS's request header, which the server wants on changes (CSRF).
 *
 * This is where the server's answers enter the POS, so each is checked here against the API schema the
 * server answers with (answers.ts): a malformed answer is an INTERNAL_ERROR naming the field, never a crash
 * somewhere later.
 */

export interface HttpOptions {
  /** Origin + path prefix; '' means same origin (the server serves the POS). */
  baseUrl?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Told of every UNAUTHORIZED answer: the session ended (revoked, expired), whatever the request was. */
  onUnauthorized?: (error: FaceError) => void;
}

export interface RequestOptions {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** What error messages call the path (a path holding an openid names it by hash instead). */
  label?: string;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** The answer checker, loaded on first use (a chunk of its own: TypeBox stays out of the initial script). */
let answers: Promise<typeof Answers> | null = null;
function loadAnswers(): Promise<typeof Answers> {
  answers ??= import('./answers.js').catch((error: unknown) => {
    answers = null;
    throw new FaceError('NETWORK_ERROR', `Cannot load the POS's answer checker: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  });
  return answers;
}

export class HttpClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly fetchFn: typeof fetch;
  private readonly onUnauthorized: ((error: FaceError) => void) | undefined;

  constructor(options: HttpOptions) {
    this.baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    // Bound so a detached `fetch` keeps its `this` (browsers throw "Illegal invocation" otherwise).
    this.fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.onUnauthorized = options.onUnauthorized;
  }

  get<N extends Answers.AnswerName>(path: string, answer: N, options: RequestOptions = {}): Promise<Answers.Answer<N>> {
    return this.request('GET', path, answer, options);
  }

  post<N extends Answers.AnswerName>(path: string, body: unknown, answer: N, options: RequestOptions = {}): Promise<Answers.Answer<N>> {
    return this.request('POST', path, answer, { ...options, body });
  }

  /** A request answered with 204 No Content. */
  async delete(path: string, options: RequestOptions = {}): Promise<void> {
    await this.request('DELETE', path, null, options);
  }

  /** `answer`: which schema a successful answer's body has; null for an answer without a body (204). */
  async request<N extends Answers.AnswerName>(method: string, path: string, answer: N | null, options: RequestOptions = {}): Promise<Answers.Answer<N>> {
    const url = this.url(path, options.query);
    const label = options.label ?? path;
    const headers: Record<string, string> = { accept: 'application/json', [POS_REQUEST_HEADER]: '1', ...options.headers };
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
      response = await this.fetchFn(url, { method, headers, body, credentials: 'same-origin', signal: controller.signal });
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
    if (answer === null && response.status === 204) return undefined as Answers.Answer<N>;
    const parsed = parseJson(text);
    // A body that is not JSON (a proxy's HTML error page, say): the status and a snippet say what happened.
    const data = 'value' in parsed ? parsed.value : undefined;
    if (!response.ok) {
      const error = errorFromResponse(response.status, data, text, method, label);
      if (error.code === 'UNAUTHORIZED') this.onUnauthorized?.(error);
      throw error;
    }
    if ('problem' in parsed) {
      throw new FaceError('INTERNAL_ERROR', `The server answered ${method} ${label} with something that is not JSON (${parsed.problem})`);
    }
    const problem = answer === null ? { field: '/', message: 'a body where none was expected' } : (await loadAnswers()).answerProblem(answer, data);
    if (problem !== null) {
      throw new FaceError('INTERNAL_ERROR', `The server's answer to ${method} ${label} is not what this POS expects (${problem.message}): is the server another version?`, {
        details: { field: problem.field, status: response.status },
      });
    }
    return data as Answers.Answer<N>;
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
