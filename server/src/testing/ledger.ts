import { safeInt } from '../db/integers.js';
import type { Storage } from '../db/storage.js';

/**
 * The ledger's invariant for one member, read straight from the database: the balance, the sum of the
 * member's rows, and whether the rows chain (each row's balance = the previous row's + its points, never
 * below 0), in the order they were written.
 */
export async function ledgerOf(storage: Storage, memberId: string): Promise<{ points: number; sum: number; rows: number; chained: boolean; kinds: string[] }> {
  const db = storage.db.kysely;
  const member = await db.selectFrom('members').select('points').where('id', '=', memberId).executeTakeFirstOrThrow();
  const rows = await db.selectFrom('points_ledger').select(['kind', 'points', 'balance']).where('member_id', '=', memberId).orderBy('id').execute();
  let running = 0;
  let chained = true;
  for (const r of rows) {
    running += safeInt(r.points, 'points');
    if (safeInt(r.balance, 'balance') !== running || running < 0) chained = false;
  }
  return { points: safeInt(member.points, 'members.points'), sum: running, rows: rows.length, chained, kinds: rows.map((r) => r.kind) };
}
