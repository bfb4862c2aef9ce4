import { sql } from 'kysely';
import type { AuthinfoCache } from '../authinfo/authinfo-cache.js';
import type { Storage } from '../db/storage.js';

export type ProbeResult = 'ok' | 'unavailable';
export type Checks = { database: ProbeResult; cache: ProbeResult };

/** A probe that has not answered within this is a failure: a frozen database must not freeze /readyz. */
const PROBE_TIMEOUT_MS = 2000;

async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** The database and the cache, probed at once, each bounded in time; failures go to `onFailure`. */
export async function probe(
  deps: { storage: Storage; cache: AuthinfoCache },
  onFailure: (name: keyof Checks, error: unknown) => void,
  timeoutMs = PROBE_TIMEOUT_MS,
): Promise<Checks> {
  const run = async (name: keyof Checks, work: () => Promise<unknown>): Promise<ProbeResult> => {
    try {
      await within(timeoutMs, work());
      return 'ok';
    } catch (error) {
      onFailure(name, error);
      return 'unavailable';
    }
  };
  const [database, cache] = await Promise.all([
    run('database', () => sql`select 1`.execute(deps.storage.db.kysely)),
    run('cache', () => deps.cache.ping()),
  ]);
  return { database, cache };
}
