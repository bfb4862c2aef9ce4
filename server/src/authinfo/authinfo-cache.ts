/** An authinfo as cached: WeChat's value and when it expires (unix seconds). */
export interface CachedAuthinfo {
  authinfo: string;
  expiresAt: number;
  /** When a refresh (the SDK rejected the previous authinfo) fetched this one; absent otherwise. */
  refreshedAt?: number;
}

export interface LoadOptions {
  /**
   * This is a refresh: only an entry that a refresh fetched at or after this time (unix seconds) will do;
   * any other is reloaded (still one upstream call for concurrent requests). So a burst of refreshes costs
   * one WeChat call per interval, not one each.
   */
  refreshedSince?: number;
}

/** Whether a cached entry may be handed out now under `options`. */
export function acceptable(entry: CachedAuthinfo, marginS: number, options: LoadOptions = {}): boolean {
  if (usableMs(entry, marginS) <= 0) return false;
  return options.refreshedSince === undefined || (entry.refreshedAt !== undefined && entry.refreshedAt >= options.refreshedSince);
}

/**
 * Keeps each authinfo until `expiresAt − margin`; concurrent misses for one key share ONE load.
 * Implementations: memory (one process) and Redis (several instances share entries and the load).
 */
export interface AuthinfoCache {
  getOrLoad(key: string, load: () => Promise<CachedAuthinfo>, options?: LoadOptions): Promise<CachedAuthinfo>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** Milliseconds this entry may still be handed out for (≤ 0: do not cache it). */
export function usableMs(entry: CachedAuthinfo, marginS: number, now = Date.now()): number {
  return (entry.expiresAt - marginS) * 1000 - now;
}

export class MemoryAuthinfoCache implements AuthinfoCache {
  private readonly entries = new Map<string, CachedAuthinfo>();
  private readonly inflight = new Map<string, Promise<CachedAuthinfo>>();

  constructor(private readonly marginS: number) {}

  getOrLoad(key: string, load: () => Promise<CachedAuthinfo>, options: LoadOptions = {}): Promise<CachedAuthinfo> {
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      if (acceptable(hit, this.marginS, options)) return Promise.resolve(hit);
      this.entries.delete(key);
    }
    const pending = this.inflight.get(key);
    if (pending !== undefined) return pending;
    const loading = load()
      .then((entry) => {
        if (usableMs(entry, this.marginS) > 0) {
          this.prune();
          this.entries.set(key, entry);
        }
        return entry;
      })
      .finally(() => this.inflight.delete(key));
    this.inflight.set(key, loading);
    return loading;
  }

  private prune(): void {
    if (this.entries.size < 10_000) return;
    for (const [k, v] of this.entries) if (usableMs(v, this.marginS) <= 0) this.entries.delete(k);
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.entries.clear();
  }
}
