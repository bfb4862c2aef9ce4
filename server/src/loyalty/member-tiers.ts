import { isMemberLevel, memberTier, monthsBefore, TIER_WINDOW_MONTHS } from '@posface/protocol';
import type { LoyaltyRules, MemberTier } from '@posface/protocol/api';
import { sql } from 'kysely';
import type { Executor } from '../admin/staff-store.js';
import type { Db } from '../db/connect.js';
import { safeInt } from '../db/integers.js';

/**
 * Tiers by spend: a member's spend is the money paid on their orders of the last TIER_WINDOW_MONTHS (the
 * order's time decides), less what was refunded of them; protocol's memberTier turns it into a level with
 * the granted level as a floor. Computed when it matters — pricing an order, a refund, a lookup, the
 * member's page — from the orders (index on member and time); `members.level` keeps the last result for
 * lists and reports, and the loyalty job refreshes it when orders age out of the window.
 */
export class MemberTiers {
  constructor(private readonly db: Db) {}

  async spend(memberId: string, now: Date, trx: Executor = this.db.kysely): Promise<number> {
    const row = await inWindow(trx, now).where('member_id', '=', memberId).executeTakeFirst();
    return toSpend(row?.spend);
  }

  /** The spend of each of `memberIds` in one query (members without orders in the window: 0). */
  async spends(memberIds: readonly string[], now: Date, trx: Executor = this.db.kysely): Promise<Map<string, number>> {
    if (memberIds.length === 0) return new Map();
    const rows = await inWindow(trx, now).select('member_id').where('member_id', 'in', memberIds).groupBy('member_id').execute();
    return new Map(rows.flatMap((row) => (row.member_id === null ? [] : [[row.member_id, toSpend(row.spend)]])));
  }

  async of(member: { id: string; level_granted: string | null }, rules: LoyaltyRules, now: Date, trx: Executor = this.db.kysely): Promise<MemberTier> {
    return memberTier(await this.spend(member.id, now, trx), grantedLevel(member), rules);
  }
}

/** The money paid on orders of the window, less what was refunded of them (summed by the caller's query). */
function inWindow(trx: Executor, now: Date) {
  const since = monthsBefore(now, TIER_WINDOW_MONTHS).toISOString();
  return trx
    .selectFrom('orders')
    .select(sql<number | string | null>`sum(total_fen - refunded_fen)`.as('spend'))
    .where('created_at', '>=', since);
}

function toSpend(value: number | string | null | undefined): number {
  return value == null ? 0 : safeInt(value, 'spend');
}

export function grantedLevel(member: { level_granted: string | null }): MemberTier['level'] | null {
  return isMemberLevel(member.level_granted) ? member.level_granted : null;
}
