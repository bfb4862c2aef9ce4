import { FaceError } from '@posface/protocol';
import { isUnreachable } from './api/http.js';
import type { PosApiPort } from './services.js';
import type { useStatusStore } from './stores/status.js';

/**
 * Beats: every UP_MS while the server answers, every DOWN_MS while it does not, each given TIMEOUT_MS. A
 * server that stops is seen within UP_MS + TIMEOUT_MS (5 s) even when nothing else is sent; one that comes
 * back within DOWN_MS (2 s). Any request that fails to reach it marks it down at once (HttpClient's hooks).
 */
export const HEARTBEAT = { UP_MS: 3000, DOWN_MS: 2000, TIMEOUT_MS: 2000, TICK_MS: 500 } as const;
/** The session (a revoked terminal) is checked this often while the server answers: GET /terminal. */
export const SESSION_CHECK_MS = 30_000;

export interface HeartbeatOptions {
  api: Pick<PosApiPort, 'ping'>;
  status: ReturnType<typeof useStatusStore>;
  /** An authenticated round trip (GET /terminal): a revoked terminal goes back to pairing. */
  checkSession: () => Promise<unknown>;
  timing?: typeof HEARTBEAT;
  now?: () => number;
}

/** Keeps the status bar's "server" honest, in both directions. Returns a stop function. */
export function startHeartbeat({ api, status, checkSession, timing = HEARTBEAT, now = Date.now }: HeartbeatOptions): () => void {
  let lastBeat = -Infinity;
  let lastSessionCheck = now();
  let inflight = false;

  const beat = async (): Promise<void> => {
    inflight = true;
    lastBeat = now();
    try {
      status.markReachable(await api.ping(timing.TIMEOUT_MS));
      if (now() - lastSessionCheck >= SESSION_CHECK_MS) {
        lastSessionCheck = now();
        await checkSession();
      }
    } catch (e) {
      const error = FaceError.wrap(e, 'INTERNAL_ERROR');
      if (isUnreachable(error)) status.markUnreachable(error);
      else status.record('heartbeat', error);
    } finally {
      inflight = false;
    }
  };

  const tick = (): void => {
    if (inflight) return;
    if (now() - lastBeat >= (status.offline ? timing.DOWN_MS : timing.UP_MS)) void beat();
  };
  // The browser knows when its own network went or came back: say so now rather than at the next beat.
  const wentOffline = () => status.markUnreachable(new FaceError('NETWORK_ERROR', 'The browser lost its network connection'));
  const cameOnline = () => void beat();
  globalThis.addEventListener?.('offline', wentOffline);
  globalThis.addEventListener?.('online', cameOnline);
  const timer = setInterval(tick, timing.TICK_MS);
  tick();
  return () => {
    clearInterval(timer);
    globalThis.removeEventListener?.('offline', wentOffline);
    globalThis.removeEventListener?.('online', cameOnline);
  };
}
