import { sql } from 'kysely';
import type { Storage } from '../src/db/storage.js';
import { summarize } from './stats.js';

/** Fills `members` with n rows in one SQL statement (generate_series / recursive CTE): fast bulk load. */
export async function bulkLoadMembers(storage: Storage, n: number): Promise<number> {
  const t0 = performance.now();
  const db = storage.db.kysely;
  if (storage.db.dialect === 'postgres') {
    await sql`insert into members (id, openid, sub_openid, unionid, nickname, phone, level, points, created_at)
      select 'm' || g, 'o' || lpad(g::text, 9, '0'), null, null, 'member ' || g, '138' || lpad(g::text, 8, '0'),
             'standard', g % 5000, '2025-01-01T00:00:00.000Z'
      from generate_series(1, ${n}::int) as g`.execute(db);
    await sql`analyze members`.execute(db);
  } else {
    await sql`with recursive seq(g) as (select 1 union all select g + 1 from seq where g < ${n})
      insert into members (id, openid, sub_openid, unionid, nickname, phone, level, points, created_at)
      select 'm' || g, 'o' || printf('%09d', g), null, null, 'member ' || g, '138' || printf('%08d', g),
             'standard', g % 5000, '2025-01-01T00:00:00.000Z'
      from seq`.execute(db);
    await sql`analyze`.execute(db);
  }
  return performance.now() - t0;
}

export const openidOf = (i: number): string => `o${String(i).padStart(9, '0')}`;

/** Sequential lookups of random existing members through the member store (what the route runs). */
export async function lookupLatency(storage: Storage, n: number, lookups: number) {
  for (let i = 0; i < 500; i += 1) await storage.members.byOpenid(openidOf(1 + Math.floor(Math.random() * n)));
  const latencies: number[] = [];
  let misses = 0;
  for (let i = 0; i < lookups; i += 1) {
    const t0 = performance.now();
    const m = await storage.members.byOpenid(openidOf(1 + Math.floor(Math.random() * n)));
    latencies.push(performance.now() - t0);
    if (m === null) misses += 1;
  }
  if (misses > 0) throw new Error(`bench: ${misses} lookups found nobody — the bulk load is wrong`);
  return summarize(latencies);
}
