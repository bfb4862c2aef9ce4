import { FaceError } from '@posface/protocol';
import type { AuthinfoResponse } from '@posface/protocol/api';

/** What the session needs from the face client. */
interface RawdataSource {
  rawdata(): Promise<string>;
}

/**
 * POST /api/v1/face/authinfo {rawdata} through the POS's API client. `refresh` asks the server to drop
 * its cached authinfo too (the SDK rejected it, so the server's copy is no better).
 */
export type FetchAuthinfo = (rawdata: string, options: { refresh: boolean }) => Promise<AuthinfoResponse>;

type AuthinfoStatus = 'idle' | 'fetching' | 'ready' | 'error';

export interface AuthinfoState {
  status: AuthinfoStatus;
  /** When the held authinfo expires (ms, page clock), or null when none is held. */
  expiresAt: number | null;
  /** The last fetch's failure (cleared by the next success). */
  error: FaceError | null;
}

interface AuthinfoSessionOptions {
  /** Stop using an authinfo this long before it expires (default 300 s; less for short-lived ones). */
  marginSec?: number;
  /** Wait this long before retrying a failed background refresh (default 30 s). */
  retryMs?: number;
  /** The clock in ms (tests pass a fake one). */
  now?: () => number;
  onChange?: (state: AuthinfoState) => void;
}

interface Held {
  authinfo: string;
  expiresAt: number;
  /** After this moment current() no longer hands it out. */
  usableUntil: number;
}

/**
 * Keeps a valid authinfo at hand so the click path never waits on the network: prewarmed at start(),
 * refreshed in the background a margin before it stops being usable, and fetched again once when the
 * SDK rejects it (withAuthinfo).
 */
export class AuthinfoSession {
  private held: Held | null = null;
  /** The SDK rejected what we held: the next fetch must bypass the server's cache. */
  private rejected = false;
  private inflight: Promise<string> | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  private current_: AuthinfoState = { status: 'idle', expiresAt: null, error: null };
  private readonly marginMs: number;
  private readonly retryMs: number;
  private readonly now: () => number;

  constructor(
    private readonly client: RawdataSource,
    private readonly fetchAuthinfo: FetchAuthinfo,
    private readonly options: AuthinfoSessionOptions = {},
  ) {
    this.marginMs = (options.marginSec ?? 300) * 1000;
    this.retryMs = options.retryMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  get state(): AuthinfoState {
    return this.current_;
  }

  /** Prewarms and keeps refreshing until stop(). Never rejects: failures are in `state` and retried. */
  async start(): Promise<void> {
    this.running = true;
    await this.get().catch(this.reportBackgroundFailure);
  }

  stop(): void {
    this.running = false;
    this.clearTimer();
  }

  /** A usable authinfo without any I/O, or null (the click path uses this). */
  current(): string | null {
    return this.held && this.now() < this.held.usableUntil ? this.held.authinfo : null;
  }

  /** A usable authinfo, fetching one when none is held (concurrent callers share one fetch). */
  get(): Promise<string> {
    const held = this.current();
    if (held !== null) return Promise.resolve(held);
    return this.refresh();
  }

  /** Forgets the held authinfo (the SDK rejected it); the next fetch bypasses the server's cache. */
  invalidate(): void {
    this.held = null;
    this.rejected = true;
    this.emit({ status: this.inflight ? 'fetching' : 'idle', expiresAt: null, error: this.current_.error });
  }

  /** Runs fn with an authinfo; on AUTHINFO_INVALID fetches a fresh one and retries exactly once. */
  async withAuthinfo<T>(fn: (authinfo: string) => Promise<T>): Promise<T> {
    const first = await this.get();
    try {
      return await fn(first);
    } catch (error) {
      if (!(error instanceof FaceError) || error.code !== 'AUTHINFO_INVALID') throw error;
      if (this.held?.authinfo === first) this.invalidate();
      let fresh = await this.get();
      if (fresh === first) {
        // We joined a background fetch that began before the rejection and brought the server's
        // cached copy back: ask again, this time past the server's cache.
        this.invalidate();
        fresh = await this.get();
      }
      return fn(fresh);
    }
  }

  private refresh(): Promise<string> {
    this.inflight ??= this.fetchOnce().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private async fetchOnce(): Promise<string> {
    this.clearTimer();
    this.emit({ ...this.current_, status: 'fetching' });
    try {
      const rawdata = await this.client.rawdata();
      const response = await this.fetchAuthinfo(rawdata, { refresh: this.rejected });
      this.rejected = false;
      if (typeof response?.authinfo !== 'string' || response.authinfo.length === 0) {
        throw new FaceError('UPSTREAM_ERROR', 'The server answered without an authinfo');
      }
      if (!Number.isInteger(response.expires_in) || response.expires_in <= 0) {
        throw new FaceError('UPSTREAM_ERROR', `The server answered an authinfo with expires_in ${String(response.expires_in)}`);
      }
      // expires_in counts from now, so the page's clock need not agree with the server's.
      const now = this.now();
      const lifeMs = response.expires_in * 1000;
      const expiresAt = now + lifeMs;
      const usableUntil = expiresAt - Math.min(this.marginMs, lifeMs / 2);
      this.held = { authinfo: response.authinfo, expiresAt, usableUntil };
      this.emit({ status: 'ready', expiresAt, error: null });
      // Refresh a margin before it stops being usable (or halfway, for a short-lived one).
      this.schedule(Math.max(1000, usableUntil - Math.min(this.marginMs, (usableUntil - now) / 2) - now));
      return response.authinfo;
    } catch (error) {
      const failure = FaceError.wrap(error, 'NETWORK_ERROR');
      this.emit({ status: 'error', expiresAt: this.current() ? this.held!.expiresAt : null, error: failure });
      this.schedule(this.retryMs);
      throw failure;
    }
  }

  private schedule(delayMs: number): void {
    this.clearTimer();
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.refresh().catch(this.reportBackgroundFailure);
    }, delayMs);
  }

  /** A prewarm or background refresh failed with nobody awaiting it: `state` holds it, the console says it. */
  private readonly reportBackgroundFailure = (error: unknown): void => {
    const failure = FaceError.wrap(error, 'NETWORK_ERROR');
    const retry = this.running ? `; retrying in ${Math.round(this.retryMs / 1000)} s` : '';
    console.warn(`pos-face: authinfo fetch failed (${failure.code}: ${failure.message})${retry}`);
  };

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private emit(state: AuthinfoState): void {
    this.current_ = state;
    this.options.onChange?.(state);
  }
}
