/** An authinfo as cached: WeChat's value and when it expires (unix seconds). */
export interface CachedAuthinfo {
  authinfo: string;
  expiresAt: number;
}

/**
 * Keeps each authinfo until `expiresAt − margin`; concurrent misses for one key share ONE load.
 * Implementations: memory (one process) and Redis (several instances share entries and the load).
 */
export interface AuthinfoCache {
  getOrLoad(key: string, load: () => Promise<CachedAuthinfo>): Promise<CachedAuthinfo>;
  /** Forgets an entry (e.g. after the SDK rejected it). */
  delete(key: string): Promise<void>;
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

  getOrLoad(key: string, load: () => Promise<CachedAuthinfo>): Promise<CachedAuthinfo> {
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      if (usableMs(hit, this.marginS) > 0) return Promise.resolve(hit);
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

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.entries.clear();
  }
}
