import { expiryCutoff, memberTier, monthsBefore, pointsToExpire, TIER_WINDOW_MONTHS } from '@posface/protocol';
import type { LoyaltyRules } from '@posface/protocol/api';
import { sql } from 'kysely';
import { randomBytes } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Executor } from '../admin/staff-store.js';
import type { Db } from '../db/connect.js';
import { safeInt } from '../db/integers.js';
import type { Loyalty } from './loyalty.js';
import { grantedLevel } from './member-tiers.js';

const TIERS_JOB = 'tiers';
/** The tiers mark that asks for every member: unique to each rules change, so a run already under way cannot clear it. */
const EVERYONE = 'all:';
/** Members per page of a tier refresh. */
const TIER_PAGE = 500;

export interface LoyaltyJobRun {
  expiredMembers: number;
  expiredPoints: number;
  tiersRefreshed: number;
}

/** Old credits (earned at or before the cutoff) and all debits of members: SQL sums, so a run reads no rows it does not need. */
function ageSums(trx: Executor, cutoff: string) {
  return trx
    .selectFrom('points_ledger')
    .select([
      'member_id',
      sql<number | string>`sum(case when points > 0 and earned_at <= ${cutoff} then points else 0 end)`.as('old'),
      sql<number | string>`sum(case when points < 0 then -points else 0 end)`.as('debits'),
    ])
    .groupBy('member_id');
}

/**
 * The loyalty program's background work, on server start and then every LOYALTY_JOB_INTERVAL_S:
 * - **expiry** (when the rules set `expiry_months`): each member's points earned at or before the cutoff
 *   and not used up are taken off by one `expire` row (first in, first out: protocol's pointsToExpire),
 *   under the member's lock. Idempotent: a second run, on this or another instance, finds nothing left.
 * - **tiers**: `members.level` (the cached tier lists and reports read) is recomputed for members whose
 *   orders aged out of the 12-month window since the last run — or for every member after the rules
 *   changed (saving them resets the job's mark).
 * Each member is its own transaction, so a run never holds locks for long; a failure is logged and the
 * next run tries again.
 */
export class LoyaltyJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly db: Db,
    private readonly loyalty: Loyalty,
    private readonly log: { info(obj: object, msg: string): void; error(obj: object, msg: string): void },
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Runs now (in the background) and then every `intervalMs`. */
  start(intervalMs: number): void {
    this.trigger();
    this.timer = setInterval(() => this.trigger(), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private trigger(): void {
    if (this.running !== null) return;
    this.running = this.run(this.clock())
      .then((done) => {
        if (done.expiredMembers + done.tiersRefreshed > 0) this.log.info({ ...done }, 'loyalty: points expired, tiers refreshed');
      })
      .catch((error: unknown) => this.log.error({ err: error }, 'loyalty: the background run failed (the next run tries again)'))
      .finally(() => {
        this.running = null;
      });
  }

  async run(now: Date): Promise<LoyaltyJobRun> {
    const expired = await this.expire(now);
    return { ...expired, tiersRefreshed: await this.refreshTiers(now) };
  }

  async expire(now: Date): Promise<{ expiredMembers: number; expiredPoints: number }> {
    const rules = await this.loyalty.settings.rules();
    if (rules.expiry_months === null) return { expiredMembers: 0, expiredPoints: 0 };
    const cutoff = expiryCutoff(now, rules.expiry_months).toISOString();
    const due = await ageSums(this.db.kysely, cutoff)
      .having(sql<boolean>`sum(case when points > 0 and earned_at <= ${cutoff} then points else 0 end) > sum(case when points < 0 then -points else 0 end)`)
      .execute();
    let expiredMembers = 0;
    let expiredPoints = 0;
    for (const { member_id: memberId } of due) {
      const points = await this.db.kysely.transaction().execute(async (trx) => {
        const member = await this.loyalty.ledger.lockMember(trx, memberId);
        if (member === undefined) return 0;
        // Again under the lock: another run, or an order, may have come first.
        const sums = await ageSums(trx, cutoff).where('member_id', '=', memberId).executeTakeFirst();
        const amount = sums === undefined ? 0 : pointsToExpire(safeInt(sums.old, 'old credits'), safeInt(sums.debits, 'debits'));
        if (amount > 0) await this.loyalty.ledger.post(trx, member, [{ kind: 'expire', points: -amount, reason: `earned on or before ${cutoff}` }], { now });
        return amount;
      });
      if (points > 0) {
        expiredMembers += 1;
        expiredPoints += points;
      }
      // Each member is quick, and there may be a million: requests get their turn in between.
      await yieldToEventLoop();
    }
    return { expiredMembers, expiredPoints };
  }

  /**
   * Recomputes the cached tier of members whose orders left the window since the last run (all, after a
   * rules change), a page of members at a time: the page, its spends in one query and an update per
   * changed member, then the event loop gets a turn, so tills are served while a run goes through a
   * million members.
   */
  async refreshTiers(now: Date): Promise<number> {
    const until = monthsBefore(now, TIER_WINDOW_MONTHS).toISOString();
    const mark = await this.db.kysely.selectFrom('loyalty_jobs').select('done_until').where('name', '=', TIERS_JOB).executeTakeFirst();
    const rules = await this.loyalty.settings.rules();
    const members = () => this.db.kysely.selectFrom('members').select(['id', 'level', 'level_granted']);
    let changed = 0;
    if (mark === undefined || mark.done_until === '' || mark.done_until.startsWith(EVERYONE)) {
      for (let after = ''; ; ) {
        const page = await members().where('closed_at', 'is', null).where('id', '>', after).orderBy('id').limit(TIER_PAGE).execute();
        if (page.length === 0) break;
        changed += await this.retier(page, rules, now);
        after = page[page.length - 1]!.id;
      }
    } else {
      const aged = await this.db.kysely
        .selectFrom('orders')
        .select('member_id')
        .distinct()
        .where('member_id', 'is not', null)
        .where('created_at', '>=', mark.done_until)
        .where('created_at', '<', until)
        .execute();
      const ids = aged.flatMap((r) => (r.member_id === null ? [] : [r.member_id]));
      for (let i = 0; i < ids.length; i += TIER_PAGE) changed += await this.retier(await members().where('id', 'in', ids.slice(i, i + TIER_PAGE)).execute(), rules, now);
    }
    // Only over the mark this run started from: rules saved meanwhile set a new one, and the next run must see it.
    if (mark === undefined) {
      await this.db.kysely.insertInto('loyalty_jobs').values({ name: TIERS_JOB, done_until: until }).onConflict((oc) => oc.column('name').doNothing()).execute();
    } else {
      await this.db.kysely.updateTable('loyalty_jobs').set({ done_until: until }).where('name', '=', TIERS_JOB).where('done_until', '=', mark.done_until).execute();
    }
    return changed;
  }

  /** One page: the members' spends in one query, then each changed level, unless an order changed it meanwhile. */
  private async retier(page: Array<{ id: string; level: string; level_granted: string | null }>, rules: LoyaltyRules, now: Date): Promise<number> {
    const spends = await this.loyalty.tiers.spends(page.map((m) => m.id), now);
    let changed = 0;
    for (const member of page) {
      const level = memberTier(spends.get(member.id) ?? 0, grantedLevel(member), rules).level;
      if (level === member.level) continue;
      const done = await this.db.kysely.updateTable('members').set({ level }).where('id', '=', member.id).where('level', '=', member.level).executeTakeFirst();
      changed += Number(done.numUpdatedRows);
    }
    await yieldToEventLoop();
    return changed;
  }
}

/** Saving new rules: the next run recomputes every member's cached tier. */
export async function refreshAllTiers(trx: Executor): Promise<void> {
  const mark = `${EVERYONE}${randomBytes(8).toString('hex')}`;
  await trx
    .insertInto('loyalty_jobs')
    .values({ name: TIERS_JOB, done_until: mark })
    .onConflict((oc) => oc.column('name').doUpdateSet({ done_until: mark }))
    .execute();
}
