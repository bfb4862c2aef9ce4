import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FaceError } from '@posface/protocol';
import { HEARTBEAT, SESSION_CHECK_MS, startHeartbeat } from './heartbeat.js';
import { useStatusStore } from './stores/status.js';

/** A server the heartbeat pings: up answers in 5 ms; down fails after the timeout it was given, like a dead socket. */
function fakeServer() {
  const server = { up: true, pings: 0, sessionChecks: 0 };
  const api = {
    ping: (timeoutMs: number) => {
      server.pings += 1;
      return new Promise<number>((resolve, reject) => {
        if (server.up) setTimeout(() => resolve(5), 5);
        else setTimeout(() => reject(new FaceError('TIMEOUT', 'no answer')), timeoutMs);
      });
    },
  };
  return { server, api, checkSession: async () => void (server.sessionChecks += 1) };
}

let stop: () => void = () => undefined;
beforeEach(() => {
  vi.useFakeTimers();
  setActivePinia(createPinia());
});
afterEach(() => {
  stop();
  vi.useRealTimers();
});

/** Advances the clock in ticks until `done`, returning the time it took. */
async function timeUntil(done: () => boolean, limitMs = 60_000): Promise<number> {
  const started = Date.now();
  while (!done()) {
    if (Date.now() - started > limitMs) throw new Error('never happened');
    await vi.advanceTimersByTimeAsync(50);
  }
  return Date.now() - started;
}

describe('heartbeat', () => {
  it('finds a server that stopped within UP_MS + TIMEOUT_MS with nothing else sent, and one that came back within DOWN_MS', async () => {
    const { server, api, checkSession } = fakeServer();
    const status = useStatusStore();
    stop = startHeartbeat({ api, status, checkSession });
    await timeUntil(() => status.online);
    expect(status.server.latencyMs).toBe(5);

    for (let i = 0; i < 5; i += 1) {
      // Stopped at an arbitrary moment between beats.
      await vi.advanceTimersByTimeAsync(i * 700);
      server.up = false;
      expect(await timeUntil(() => status.offline)).toBeLessThanOrEqual(HEARTBEAT.UP_MS + HEARTBEAT.TIMEOUT_MS + HEARTBEAT.TICK_MS);
      expect(status.server.code).toBe('TIMEOUT');
      await vi.advanceTimersByTimeAsync(i * 300);
      server.up = true;
      expect(await timeUntil(() => status.online)).toBeLessThanOrEqual(HEARTBEAT.DOWN_MS + HEARTBEAT.TIMEOUT_MS + HEARTBEAT.TICK_MS);
    }
  });

  it('is light: one ping in flight at a time, one every UP_MS while up; the session checked every SESSION_CHECK_MS', async () => {
    const { server, api, checkSession } = fakeServer();
    const status = useStatusStore();
    stop = startHeartbeat({ api, status, checkSession });
    await vi.advanceTimersByTimeAsync(2 * SESSION_CHECK_MS + 1000);
    expect(server.pings).toBeGreaterThanOrEqual((2 * SESSION_CHECK_MS) / HEARTBEAT.UP_MS);
    expect(server.pings).toBeLessThanOrEqual((2 * SESSION_CHECK_MS) / HEARTBEAT.UP_MS + 1);
    expect(server.sessionChecks).toBe(2);
    // Down: pings that each wait their timeout never pile up.
    server.up = false;
    const before = server.pings;
    await vi.advanceTimersByTimeAsync(20_000);
    expect(server.pings - before).toBeLessThanOrEqual(20_000 / HEARTBEAT.TIMEOUT_MS);
  });

  it("a refusal is not 'down' (it is recorded); the browser's own offline event says down at once; stop ends it", async () => {
    const status = useStatusStore();
    let pings = 0;
    const api = {
      ping: async () => {
        pings += 1;
        throw new FaceError('INTERNAL_ERROR', 'health answered oddly');
      },
    };
    stop = startHeartbeat({ api, status, checkSession: async () => undefined });
    await vi.advanceTimersByTimeAsync(100);
    expect(status.offline).toBe(false);
    expect(status.errors[0]).toMatchObject({ where: 'heartbeat', code: 'INTERNAL_ERROR' });
    globalThis.dispatchEvent(new Event('offline'));
    expect(status.offline).toBe(true);
    stop();
    const after = pings;
    await vi.advanceTimersByTimeAsync(30_000);
    expect(pings).toBe(after);
  });
});
