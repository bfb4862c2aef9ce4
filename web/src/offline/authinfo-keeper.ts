import { isUnreachable } from '../api/http.js';
import type { FetchAuthinfo } from '../face/index.js';
import { deleteMeta, readMeta, writeMeta, type PosDb } from './db.js';

/** A kept authinfo with less life left than this is not handed out (the face step itself takes seconds). */
const MIN_LIFE_MS = 60_000;

/**
 * Wraps the authinfo fetch so the camera still opens while the server is unreachable, after a reload too:
 * each authinfo the server hands out is kept (IndexedDB) until its expiry, and handed back when the server
 * cannot be reached. Never when the SDK refused it (`refresh`): that one is dropped.
 */
export function keepAuthinfo(
  fetchAuthinfo: FetchAuthinfo,
  db: Promise<PosDb>,
  offline: () => boolean,
  now: () => number = Date.now,
): FetchAuthinfo {
  return async (rawdata, options) => {
    if (options.refresh) await deleteMeta(db, 'authinfo');
    else if (offline()) {
      const kept = await keptAuthinfo(db, now);
      if (kept) return kept;
    }
    try {
      const answer = await fetchAuthinfo(rawdata, options);
      await writeMeta(db, 'authinfo', { authinfo: answer.authinfo, expiresAt: now() + answer.expires_in * 1000 });
      return answer;
    } catch (error) {
      const kept = options.refresh || !isUnreachable(error) ? null : await keptAuthinfo(db, now);
      if (kept) return kept;
      throw error;
    }
  };
}

async function keptAuthinfo(db: Promise<PosDb>, now: () => number): Promise<Awaited<ReturnType<FetchAuthinfo>> | null> {
  const kept = await readMeta(db, 'authinfo');
  const lifeMs = kept ? kept.expiresAt - now() : 0;
  if (!kept || lifeMs < MIN_LIFE_MS) return null;
  return { authinfo: kept.authinfo, expires_in: Math.floor(lifeMs / 1000), expires_at: Math.floor(kept.expiresAt / 1000) };
}
