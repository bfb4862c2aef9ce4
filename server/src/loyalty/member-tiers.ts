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
    const since = monthsBefore(now, TIER_WINDOW_MONTHS).toISOString();
    const row = await trx
      .selectFrom('orders')
      .select(sql<number | string | null>`sum(total_fen - refunded_fen)`.as('spend'))
      .where('member_id', '=', memberId)
      .where('created_at', '>=', since)
      .executeTakeFirst();
    return row?.spend == null ? 0 : safeInt(row.spend, 'spend');
  }

  async of(member: { id: string; level_granted: string | null }, rules: LoyaltyRules, now: Date, trx: Executor = this.db.kysely): Promise<MemberTier> {
    return memberTier(await this.spend(member.id, now, trx), grantedLevel(member), rules);
  }
}

export function grantedLevel(member: { level_granted: string | null }): MemberTier['level'] | null {
  return isMemberLevel(member.level_granted) ? member.level_granted : null;
}
