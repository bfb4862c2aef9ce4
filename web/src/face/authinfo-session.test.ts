import { afterEach, describe, expect, it, vi } from 'vitest';
import { FaceError } from '@posface/protocol';
import type { AuthinfoResponse } from '@posface/protocol/api';
import { AuthinfoSession, type AuthinfoState } from './authinfo-session.js';

afterEach(() => void vi.useRealTimers());

function setup(expiresIn = 3600) {
  let n = 0;
  const rawdatas: string[] = [];
  const fetches: string[] = [];
  const client = { rawdata: async () => `raw-${rawdatas.push('x')}` };
  const fetchAuthinfo = vi.fn(async (rawdata: string, _options: { refresh: boolean }): Promise<AuthinfoResponse> => {
    fetches.push(rawdata);
    n += 1;
    return { authinfo: `auth-${n}`, expires_in: expiresIn, expires_at: Math.floor(Date.now() / 1000) + expiresIn };
  });
  return { client, fetchAuthinfo, fetches };
}

describe('AuthinfoSession', () => {
  it('prewarms on start; current() then has it with no I/O', async () => {
    const { client, fetchAuthinfo, fetches } = setup();
    const states: AuthinfoState[] = [];
    const session = new AuthinfoSession(client, fetchAuthinfo, { onChange: (s) => states.push(s) });
    expect(session.current()).toBeNull();
    await session.start();
    expect(session.current()).toBe('auth-1');
    expect(fetches).toEqual(['raw-1']);
    expect(states.map((s) => s.status)).toEqual(['fetching', 'ready']);
    expect(await session.get()).toBe('auth-1');
    expect(fetchAuthinfo).toHaveBeenCalledTimes(1);
    session.stop();
  });

  it('concurrent get() calls share one fetch', async () => {
    const { client, fetchAuthinfo } = setup();
    const session = new AuthinfoSession(client, fetchAuthinfo);
    const all = await Promise.all([session.get(), session.get(), session.get()]);
    expect(all).toEqual(['auth-1', 'auth-1', 'auth-1']);
    expect(fetchAuthinfo).toHaveBeenCalledTimes(1);
  });

  it('refreshes in the background before expires_in − margin, and stops using it at the margin', async () => {
    vi.useFakeTimers();
    const { client, fetchAuthinfo } = setup(3600);
    const session = new AuthinfoSession(client, fetchAuthinfo, { marginSec: 300 });
    await session.start();
    // Usable until 3300 s; refreshed a margin before that, at 3000 s.
    await vi.advanceTimersByTimeAsync(2999_000);
    expect(fetchAuthinfo).toHaveBeenCalledTimes(1);
    expect(session.current()).toBe('auth-1');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(fetchAuthinfo).toHaveBeenCalledTimes(2);
    expect(session.current()).toBe('auth-2');
    expect(session.state.expiresAt).toBe(Date.now() - 1000 + 3600_000);
    session.stop();
    await vi.advanceTimersByTimeAsync(7200_000);
    expect(fetchAuthinfo).toHaveBeenCalledTimes(2);
    expect(session.current()).toBeNull();
  });

  it('a failed fetch is reported in state and retried; the old authinfo stays while still usable', async () => {
    vi.useFakeTimers();
    const { client, fetchAuthinfo } = setup(3600);
    const session = new AuthinfoSession(client, fetchAuthinfo, { marginSec: 300, retryMs: 10_000 });
    await session.start();
    fetchAuthinfo.mockRejectedValueOnce(new FaceError('UPSTREAM_TIMEOUT', 'WeChat is slow'));
    await vi.advanceTimersByTimeAsync(3000_000 + 1);
    expect(session.state).toMatchObject({ status: 'error', error: { code: 'UPSTREAM_TIMEOUT' } });
    expect(session.current()).toBe('auth-1');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(session.state.status).toBe('ready');
    expect(session.current()).toBe('auth-2');
    session.stop();
  });

  it('start() never rejects; get() does, with a FaceError', async () => {
    const session = new AuthinfoSession({ rawdata: async () => 'r' }, async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(session.start()).resolves.toBeUndefined();
    expect(session.state).toMatchObject({ status: 'error', error: { code: 'NETWORK_ERROR' } });
    await expect(session.get()).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    session.stop();
  });

  it('refuses a server answer without a usable authinfo', async () => {
    const session = new AuthinfoSession({ rawdata: async () => 'r' }, async () => ({ authinfo: '', expires_in: 3600, expires_at: 0 }));
    await expect(session.get()).rejects.toMatchObject({ code: 'UPSTREAM_ERROR' });
  });

  it('withAuthinfo fetches a fresh one and retries exactly once on AUTHINFO_INVALID', async () => {
    const { client, fetchAuthinfo } = setup();
    const session = new AuthinfoSession(client, fetchAuthinfo);
    const seen: string[] = [];
    const result = await session.withAuthinfo(async (authinfo) => {
      seen.push(authinfo);
      if (authinfo === 'auth-1') throw new FaceError('AUTHINFO_INVALID', 'AuthInfo License Error');
      return 'openid';
    });
    expect(result).toBe('openid');
    expect(seen).toEqual(['auth-1', 'auth-2']);
    // The retry must not get the server's cached copy of the rejected authinfo back.
    expect(fetchAuthinfo.mock.calls.map((call) => call[1])).toEqual([{ refresh: false }, { refresh: true }]);

    const always = vi.fn(async () => {
      throw new FaceError('AUTHINFO_INVALID', 'AuthInfo License Error');
    });
    await expect(session.withAuthinfo(always)).rejects.toMatchObject({ code: 'AUTHINFO_INVALID' });
    expect(always).toHaveBeenCalledTimes(2);

    const other = vi.fn(async () => {
      throw new FaceError('USER_CANCEL', 'cancelled');
    });
    await expect(session.withAuthinfo(other)).rejects.toMatchObject({ code: 'USER_CANCEL' });
    expect(other).toHaveBeenCalledTimes(1);
  });

  it('a rejection during a background refresh still ends with an authinfo from past the server cache', async () => {
    vi.useFakeTimers();
    // The server keeps handing out its cached copy unless asked to refresh.
    let cached = 'cached-1';
    let issued = 1;
    let holdNext = false;
    let release: (() => void) | null = null;
    const fetchAuthinfo = vi.fn(async (_rawdata: string, options: { refresh: boolean }): Promise<AuthinfoResponse> => {
      if (options.refresh) cached = `fresh-${++issued}`;
      const authinfo = cached;
      if (holdNext) {
        holdNext = false;
        await new Promise<void>((resolve) => (release = resolve));
      }
      return { authinfo, expires_in: 3600, expires_at: 0 };
    });
    const session = new AuthinfoSession({ rawdata: async () => 'raw' }, fetchAuthinfo, { marginSec: 300 });
    await session.start();
    const seen: string[] = [];
    let sdkSaysNo: ((error: FaceError) => void) | null = null;
    const run = session.withAuthinfo((authinfo) => {
      seen.push(authinfo);
      if (authinfo !== 'cached-1') return Promise.resolve(authinfo);
      return new Promise<string>((_resolve, reject) => (sdkSaysNo = reject));
    });
    // While the face step runs, the background refresh (not asked to bypass the cache) begins...
    holdNext = true;
    await vi.advanceTimersByTimeAsync(3300 * 1000);
    expect(release).not.toBeNull();
    // ...and the SDK rejects the authinfo before that refresh has answered.
    sdkSaysNo!(new FaceError('AUTHINFO_INVALID', 'AuthInfo License Error'));
    await vi.advanceTimersByTimeAsync(0);
    release!();
    expect(await run).toBe('fresh-2');
    expect(seen).toEqual(['cached-1', 'fresh-2']);
    session.stop();
  });

  it('a short-lived authinfo is still used, with a margin of half its life', async () => {
    vi.useFakeTimers();
    const { client, fetchAuthinfo } = setup(120);
    const session = new AuthinfoSession(client, fetchAuthinfo, { marginSec: 300 });
    await session.start();
    expect(session.current()).toBe('auth-1');
    await vi.advanceTimersByTimeAsync(61_000);
    expect(fetchAuthinfo.mock.calls.length).toBeGreaterThanOrEqual(2);
    session.stop();
  });
});
