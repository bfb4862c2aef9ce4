import { FaceError } from '@posface/protocol';
import type { AuthinfoCache, CachedAuthinfo, LoadOptions } from './authinfo-cache.js';

/**
 * A shared cache (Redis) that falls back to this instance's own memory cache while the shared one
 * fails, so a Redis outage costs the chain some extra WeChat calls instead of every till's face
 * lookup. Upstream failures (from `load`) and the shared cache's own verdicts (FaceErrors) pass
 * through unchanged; only the cache's transport failures fall back.
 */
export class FallbackAuthinfoCache implements AuthinfoCache {
  /** After a failure the shared cache is left alone for a while, so requests don't each wait on it. */
  private sharedDownUntil = 0;

  constructor(
    private readonly shared: AuthinfoCache,
    private readonly local: AuthinfoCache,
    private readonly onFallback: (error: unknown) => void,
    private readonly retryAfterMs = 30_000,
  ) {}

  async getOrLoad(key: string, load: () => Promise<CachedAuthinfo>, options: LoadOptions = {}): Promise<CachedAuthinfo> {
    if (Date.now() < this.sharedDownUntil) return this.local.getOrLoad(key, load, options);
    // If the shared cache fails after the load succeeded, the fallback reuses that result: one upstream call.
    let loading: Promise<CachedAuthinfo> | undefined;
    const once = (): Promise<CachedAuthinfo> => (loading ??= load());
    try {
      return await this.shared.getOrLoad(key, once, options);
    } catch (error) {
      if (error instanceof FaceError) throw error;
      if (loading !== undefined && (await loading.then(() => false, (e: unknown) => e === error))) throw error;
      this.sharedDownUntil = Date.now() + this.retryAfterMs;
      this.onFallback(error);
      return this.local.getOrLoad(key, once, options);
    }
  }

  ping(): Promise<void> {
    return this.shared.ping();
  }

  async close(): Promise<void> {
    await Promise.all([this.shared.close(), this.local.close()]);
  }
}
