import { FaceError, type LedgerKind } from '@posface/protocol';
import type { LedgerEntry } from '@posface/protocol/admin-api';
import type { Selectable } from 'kysely';
import type { Executor } from '../admin/staff-store.js';
import type { Db, Dialect } from '../db/connect.js';
import { safeInt } from '../db/integers.js';
import type { MembersTable, PointsLedgerTable } from '../db/schema.js';

/** A points balance never passes this, so it stays exact as a JavaScript number. */
export const MAX_POINTS = Number.MAX_SAFE_INTEGER;

/** One change to post: the ledger row's fields (earned_at defaults to now). */
export interface Posting {
  kind: LedgerKind;
  points: number;
  orderId?: string;
  refundId?: string;
  relatedMemberId?: string;
  reason?: string;
  actor?: string;
  earnedAt?: string;
}

export function toLedgerEntry(row: Selectable<PointsLedgerTable>): LedgerEntry {
  return {
    id: safeInt(row.id, 'points_ledger.id'),
    kind: row.kind as LedgerKind,
    points: safeInt(row.points, 'points_ledger.points'),
    balance: safeInt(row.balance, 'points_ledger.balance'),
    ...(row.order_id !== null ? { order_id: row.order_id } : {}),
    ...(row.refund_id !== null ? { refund_id: row.refund_id } : {}),
    ...(row.reason !== null ? { reason: row.reason } : {}),
    ...(row.related_member_id !== null ? { related_member_id: row.related_member_id } : {}),
    ...(row.actor !== null ? { actor: row.actor } : {}),
    earned_at: row.earned_at,
    created_at: row.created_at,
  };
}

/**
 * The points ledger: every change of a member's points is a row, and `members.points` is the sum of the
 * member's rows. Both change only here, in the caller's transaction, with the member's row locked first
 * (lockMember), so concurrent orders, refunds, adjustments, merges and expiry of one member are applied one
 * after another: each row's `balance` is the one before it plus its points, and a balance is never below 0
 * or above MAX_POINTS. Rows are never updated or deleted.
 */
export class PointsLedger {
  constructor(private readonly db: Db) {}

  get dialect(): Dialect {
    return this.db.dialect;
  }

  /**
   * Reads the member and holds their row until the transaction ends: PostgreSQL locks it (FOR UPDATE);
   * SQLite has one writer at a time (this server's one connection, and WAL refuses a stale write).
   */
  async lockMember(trx: Executor, id: string): Promise<Selectable<MembersTable> | undefined> {
    let q = trx.selectFrom('members').selectAll().where('id', '=', id);
    if (this.db.dialect === 'postgres') q = q.forUpdate();
    return q.executeTakeFirst();
  }

  /**
   * Appends `postings` in order to a member locked by lockMember in this transaction, and sets their
   * balance (and, with `level`, their cached tier). Refuses a balance that would go below 0 at any row
   * (POINTS_INSUFFICIENT: nothing written) or pass MAX_POINTS (LIMIT_EXCEEDED). Returns the new balance.
   */
  async post(trx: Executor, member: { id: string; points: number }, postings: readonly Posting[], options: { now?: Date; level?: string } = {}): Promise<number> {
    const at = (options.now ?? new Date()).toISOString();
    let balance = safeInt(member.points, 'members.points');
    const before = balance;
    const rows = postings.map((p) => {
      balance += p.points;
      if (balance < 0) {
        throw new FaceError('POINTS_INSUFFICIENT', `the member has ${before} points, fewer than the ${-p.points} to take`, { details: { balance: before, points: -p.points } });
      }
      if (balance > MAX_POINTS) {
        throw new FaceError('LIMIT_EXCEEDED', "the member's points balance would pass the largest balance this server keeps", { details: { field: 'member_id', limit: MAX_POINTS } });
      }
      return {
        member_id: member.id,
        kind: p.kind,
        points: p.points,
        balance,
        earned_at: p.earnedAt ?? at,
        order_id: p.orderId ?? null,
        refund_id: p.refundId ?? null,
        related_member_id: p.relatedMemberId ?? null,
        reason: p.reason ?? null,
        actor: p.actor ?? null,
        created_at: at,
      };
    });
    if (rows.length > 0) await trx.insertInto('points_ledger').values(rows).execute();
    await trx
      .updateTable('members')
      .set({ points: balance, ...(options.level !== undefined ? { level: options.level } : {}) })
      .where('id', '=', member.id)
      .execute();
    return balance;
  }

  /** A member's rows, newest first. */
  async page(memberId: string, page: number, perPage: number, trx: Executor = this.db.kysely): Promise<{ items: LedgerEntry[]; total: number }> {
    const q = trx.selectFrom('points_ledger').where('member_id', '=', memberId);
    const { total } = await q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const rows = await q.selectAll().orderBy('id', 'desc').limit(perPage).offset((page - 1) * perPage).execute();
    return { items: rows.map(toLedgerEntry), total: Number(total) };
  }

  /** The credits (points > 0) of a member, newest earned first: what their balance is made of. */
  async creditsNewestFirst(trx: Executor, memberId: string): Promise<{ points: number; earned_at: string }[]> {
    const rows = await trx
      .selectFrom('points_ledger')
      .select(['points', 'earned_at'])
      .where('member_id', '=', memberId)
      .where('points', '>', 0)
      .orderBy('earned_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return rows.map((r) => ({ points: safeInt(r.points, 'points_ledger.points'), earned_at: r.earned_at }));
  }
}
