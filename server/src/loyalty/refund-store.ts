import { createHash, randomUUID } from 'node:crypto';
import { FaceError, isMemberLevel, refundDelta, reversalOnBalance } from '@posface/protocol';
import type { Refund, RefundRequest } from '@posface/protocol/api';
import type { Selectable } from 'kysely';
import type { Executor } from '../admin/staff-store.js';
import { isUniqueViolation, type Db } from '../db/connect.js';
import { safeInt, safeIntOrNull } from '../db/integers.js';
import type { RefundsTable } from '../db/schema.js';
import type { Loyalty } from './loyalty.js';
import type { Posting } from './points-ledger.js';

export interface RefundContext {
  /** `terminal:<id>` or `staff:<username>`: whose idempotency key it is. */
  requestedBy: string;
  /** What the receipt and the back office show: `terminal:<device id>` or `staff:<username>`. */
  refundedBy: string;
  idempotencyKey: string;
  /** Runs inside the refund's transaction once it is written (the back office's audit row). */
  inTransaction?: (trx: Executor, refund: Selectable<RefundsTable>) => Promise<void>;
}

/** Same request ⇔ same hash (a retry sends the same body to the same order). */
function requestHash(orderId: string, req: RefundRequest): string {
  const canonical = JSON.stringify({ o: orderId, l: req.lines?.map((l) => [l.line_no, l.quantity]) ?? null, r: req.reason ?? null });
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/** Lines of an order: what was sold, at what price, and how much is refunded already. */
async function orderLines(trx: Executor, orderId: string) {
  const rows = await trx
    .selectFrom('order_lines')
    .select(['line_no', 'product_id', 'name', 'quantity', 'unit_price_fen', 'refunded_quantity'])
    .where('order_id', '=', orderId)
    .orderBy('line_no')
    .execute();
  return rows.map((r) => ({
    line_no: safeInt(r.line_no, 'order_lines.line_no'),
    product_id: r.product_id,
    name: r.name,
    quantity: safeInt(r.quantity, 'order_lines.quantity'),
    unit_price_fen: safeInt(r.unit_price_fen, 'order_lines.unit_price_fen'),
    refunded: safeInt(r.refunded_quantity, 'order_lines.refunded_quantity'),
  }));
}

/**
 * Refunds: all of an order or some of its lines, never more of a line than was sold, each refund once (by
 * its idempotency key). Money and points follow protocol's refund arithmetic (cumulative shares, so
 * partial refunds add up to the whole); the points go through the ledger in the same transaction, the
 * member's row locked first, then the order's (the order of locks everywhere: member, then order).
 */
export class RefundStore {
  constructor(
    private readonly db: Db,
    private readonly loyalty: Loyalty,
  ) {}

  async create(orderId: string, req: RefundRequest, ctx: RefundContext, now = new Date()): Promise<{ refund: Refund; replayed: boolean }> {
    const hash = requestHash(orderId, req);
    const earlier = await this.findReplay(ctx, hash);
    if (earlier) return { refund: earlier, replayed: true };
    const order = await this.db.kysely.selectFrom('orders').select(['id', 'member_id']).where('id', '=', orderId).executeTakeFirst();
    if (order === undefined) throw new FaceError('NOT_FOUND', `no order with id "${orderId}"`);
    const rules = await this.loyalty.settings.rules();
    const id = randomUUID();
    let replayOf: string | null = null;
    try {
      await this.db.kysely.transaction().execute(async (trx) => {
        const member = order.member_id === null ? undefined : await this.loyalty.ledger.lockMember(trx, order.member_id);
        let q = trx.selectFrom('orders').selectAll().where('id', '=', orderId);
        if (this.loyalty.ledger.dialect === 'postgres') q = q.forUpdate();
        const locked = await q.executeTakeFirstOrThrow();
        if (locked.member_id !== order.member_id) throw new FaceError('CONFLICT', "the order's member was merged into another just now: send the refund again", { details: { order_id: orderId } });
        // Again under the order's lock: a retry sent while the first try was running waited here for it.
        replayOf = (await this.replayRow(trx, ctx, hash))?.id ?? null;
        if (replayOf !== null) return;

        const lines = await orderLines(trx, orderId);
        const wanted = this.wantedLines(req, lines);
        const goodsFen = lines.reduce((sum, l) => sum + l.unit_price_fen * l.quantity, 0);
        const goodsBefore = lines.reduce((sum, l) => sum + l.unit_price_fen * l.refunded, 0);
        const goodsThis = wanted.reduce((sum, w) => sum + w.line.unit_price_fen * w.quantity, 0);
        const share = refundDelta(
          {
            goodsFen,
            paidFen: safeInt(locked.total_fen, 'orders.total_fen'),
            pointsEarned: safeInt(locked.points_earned, 'orders.points_earned'),
            redeemedPoints: safeInt(locked.redeemed_points, 'orders.redeemed_points'),
          },
          goodsBefore,
          goodsThis,
        );
        for (const w of wanted) {
          // Conditional, so a line can never be refunded past what was sold, whatever runs alongside.
          const done = await trx
            .updateTable('order_lines')
            .set({ refunded_quantity: w.line.refunded + w.quantity })
            .where('order_id', '=', orderId)
            .where('line_no', '=', w.line.line_no)
            .where('refunded_quantity', '=', w.line.refunded)
            .executeTakeFirst();
          if (Number(done.numUpdatedRows) !== 1) throw new FaceError('CONFLICT', 'the order changed while refunding: send the refund again');
        }
        await trx.updateTable('orders').set({ refunded_fen: safeInt(locked.refunded_fen, 'orders.refunded_fen') + share.refundFen }).where('id', '=', orderId).execute();

        const moved = member === undefined ? { reversed: 0, unrecovered: 0 } : reversalOnBalance(safeInt(member.points, 'members.points'), share);
        const balanceAfter = member === undefined ? null : safeInt(member.points, 'members.points') + share.pointsRestored - moved.reversed;
        // The tier after the refund: this order's refund is in the spend now (same transaction).
        const levelAfter = member === undefined ? null : (await this.loyalty.tiers.of(member, rules, now, trx)).level;
        const row: Selectable<RefundsTable> = {
          id,
          order_id: orderId,
          member_id: locked.member_id,
          requested_by: ctx.requestedBy,
          idempotency_key: ctx.idempotencyKey,
          request_hash: hash,
          goods_fen: goodsThis,
          refund_fen: share.refundFen,
          points_reversed: moved.reversed,
          points_restored: share.pointsRestored,
          points_unrecovered: moved.unrecovered,
          member_points: balanceAfter,
          member_level: levelAfter,
          reason: req.reason ?? null,
          refunded_by: ctx.refundedBy,
          created_at: now.toISOString(),
        };
        await trx.insertInto('refunds').values(row).execute();
        await trx.insertInto('refund_lines').values(wanted.map((w) => ({ refund_id: id, line_no: w.line.line_no, quantity: w.quantity }))).execute();
        if (member !== undefined) {
          const postings: Posting[] = [];
          const common = { orderId, refundId: id, ...(req.reason !== undefined ? { reason: req.reason } : {}) };
          if (share.pointsRestored > 0) postings.push({ kind: 'refund_restore', points: share.pointsRestored, ...common });
          if (moved.reversed > 0) postings.push({ kind: 'refund_reverse', points: -moved.reversed, ...common });
          await this.loyalty.ledger.post(trx, member, postings, { now, ...(levelAfter !== null ? { level: levelAfter } : {}) });
        }
        await ctx.inTransaction?.(trx, row);
      });
    } catch (error) {
      // A concurrent retry with the same key committed first: answer with its result.
      if (isUniqueViolation(error)) {
        const winner = await this.findReplay(ctx, hash);
        if (winner) return { refund: winner, replayed: true };
      }
      throw error;
    }
    if (replayOf !== null) return { refund: (await this.get(replayOf)) as Refund, replayed: true };
    return { refund: (await this.get(id)) as Refund, replayed: false };
  }

  /** The lines and quantities to refund: as asked, or everything left. */
  private wantedLines(req: RefundRequest, lines: Awaited<ReturnType<typeof orderLines>>) {
    const byNo = new Map(lines.map((l) => [l.line_no, l]));
    if (req.lines === undefined) {
      const left = lines.filter((l) => l.quantity > l.refunded).map((line) => ({ line, quantity: line.quantity - line.refunded }));
      if (left.length === 0) throw new FaceError('REFUND_EXCEEDS_SALE', 'this order is refunded in full already', { details: { refundable: [] } });
      return left;
    }
    const seen = new Set<number>();
    return req.lines.map((want, i) => {
      const line = byNo.get(want.line_no);
      if (line === undefined) throw new FaceError('INVALID_REQUEST', `body.lines[${i}].line_no: the order has no line ${want.line_no} (it has ${lines.length})`, { details: { field: `body.lines[${i}].line_no` } });
      if (seen.has(want.line_no)) throw new FaceError('INVALID_REQUEST', `body.lines[${i}].line_no: line ${want.line_no} is given twice`, { details: { field: `body.lines[${i}].line_no` } });
      seen.add(want.line_no);
      const refundable = line.quantity - line.refunded;
      if (want.quantity > refundable) {
        throw new FaceError('REFUND_EXCEEDS_SALE', `body.lines[${i}].quantity: ${want.quantity} of line ${want.line_no}, but only ${refundable} of ${line.quantity} is left to refund`, {
          details: { field: `body.lines[${i}].quantity`, line_no: want.line_no, refundable },
        });
      }
      return { line, quantity: want.quantity };
    });
  }

  /** The refund made earlier with this key (CONFLICT when that was a different request). */
  private async replayRow(trx: Executor, ctx: RefundContext, hash: string): Promise<{ id: string } | undefined> {
    const row = await trx
      .selectFrom('refunds')
      .select(['id', 'request_hash'])
      .where('requested_by', '=', ctx.requestedBy)
      .where('idempotency_key', '=', ctx.idempotencyKey)
      .executeTakeFirst();
    if (row !== undefined && row.request_hash !== hash) {
      throw new FaceError('CONFLICT', 'this Idempotency-Key was already used for a different refund', { details: { refund_id: row.id } });
    }
    return row;
  }

  private async findReplay(ctx: RefundContext, hash: string): Promise<Refund | null> {
    const row = await this.replayRow(this.db.kysely, ctx, hash);
    return row === undefined ? null : this.get(row.id);
  }

  async get(id: string): Promise<Refund | null> {
    const row = await this.db.kysely.selectFrom('refunds').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? null : ((await this.withLines([row]))[0] ?? null);
  }

  /** An order's refunds, oldest first. */
  async forOrder(orderId: string): Promise<Refund[]> {
    return this.withLines(await this.db.kysely.selectFrom('refunds').selectAll().where('order_id', '=', orderId).orderBy('created_at').orderBy('id').execute());
  }

  /** What each line of an order may still refund. */
  async refundable(orderId: string): Promise<{ line_no: number; quantity: number }[]> {
    return (await orderLines(this.db.kysely, orderId)).map((l) => ({ line_no: l.line_no, quantity: l.quantity - l.refunded }));
  }

  private async withLines(rows: readonly Selectable<RefundsTable>[]): Promise<Refund[]> {
    if (rows.length === 0) return [];
    const lines = await this.db.kysely
      .selectFrom('refund_lines')
      .innerJoin('refunds', 'refunds.id', 'refund_lines.refund_id')
      .innerJoin('order_lines', (join) => join.onRef('order_lines.order_id', '=', 'refunds.order_id').onRef('order_lines.line_no', '=', 'refund_lines.line_no'))
      .select(['refund_lines.refund_id', 'refund_lines.line_no', 'refund_lines.quantity', 'order_lines.product_id', 'order_lines.name', 'order_lines.unit_price_fen'])
      .where('refund_lines.refund_id', 'in', rows.map((r) => r.id))
      .orderBy('refund_lines.line_no')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      order_id: r.order_id,
      member_id: r.member_id,
      lines: lines
        .filter((l) => l.refund_id === r.id)
        .map((l) => {
          const quantity = safeInt(l.quantity, 'refund_lines.quantity');
          const unit = safeInt(l.unit_price_fen, 'order_lines.unit_price_fen');
          return { line_no: safeInt(l.line_no, 'refund_lines.line_no'), product_id: l.product_id, name: l.name, quantity, unit_price_fen: unit, goods_fen: unit * quantity };
        }),
      goods_fen: safeInt(r.goods_fen, 'refunds.goods_fen'),
      refund_fen: safeInt(r.refund_fen, 'refunds.refund_fen'),
      points_reversed: safeInt(r.points_reversed, 'refunds.points_reversed'),
      points_restored: safeInt(r.points_restored, 'refunds.points_restored'),
      points_unrecovered: safeInt(r.points_unrecovered, 'refunds.points_unrecovered'),
      member_points: safeIntOrNull(r.member_points, 'refunds.member_points'),
      member_level: isMemberLevel(r.member_level) ? r.member_level : null,
      reason: r.reason,
      refunded_by: r.refunded_by,
      created_at: r.created_at,
    }));
  }
}
