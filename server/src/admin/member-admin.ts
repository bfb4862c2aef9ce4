import { FaceError, isMemberLevel } from '@posface/protocol';
import { MEMBER_LEDGER_PAGE, type AdminMember, type AdminOrder, type LedgerEntry, type MemberDetail, type UpdateMemberRequest } from '@posface/protocol/admin-api';
import { sql, type Selectable } from 'kysely';
import { isUniqueViolation, type Db } from '../db/connect.js';
import { safeInt } from '../db/integers.js';
import type { MembersTable, OrdersTable } from '../db/schema.js';
import type { Loyalty } from '../loyalty/loyalty.js';
import { grantedLevel } from '../loyalty/member-tiers.js';
import { phoneTaken } from '../members/member-store.js';
import { tenderOf } from '../orders/order-store.js';
import { containsPattern } from '../products/product-store.js';
import type { Executor } from './staff-store.js';

export function toAdminMember(row: Selectable<MembersTable>): AdminMember {
  return {
    id: row.id,
    nickname: row.nickname,
    phone: row.phone,
    level: isMemberLevel(row.level) ? row.level : 'standard',
    level_granted: grantedLevel(row),
    points: safeInt(row.points, 'members.points'),
    has_face: row.openid !== null,
    created_at: row.created_at,
    closed_at: row.closed_at,
    merged_into: row.merged_into,
  };
}

/**
 * The back office's view of members: search, a member's page (tier, points ledger) and orders, level and
 * phone edits, points adjustments (through the ledger).
 */
export class MemberAdmin {
  constructor(
    private readonly db: Db,
    private readonly loyalty: Loyalty,
  ) {}

  /** By phone (digits: prefix), id (exact) or nickname (contains). */
  async page(query: { q?: string | undefined; page: number; perPage: number }): Promise<{ items: AdminMember[]; total: number }> {
    let q = this.db.kysely.selectFrom('members');
    const text = query.q?.trim();
    if (text !== undefined && text !== '') {
      const pattern = containsPattern(text);
      q = q.where((eb) =>
        eb.or([
          eb('id', '=', text),
          ...(/^[0-9]{1,11}$/.test(text) ? [eb('phone', 'like', `${text}%`)] : []),
          sql<boolean>`lower(nickname) like ${pattern} escape '\\'`,
        ]),
      );
    }
    const { total } = await q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const rows = await q.selectAll().orderBy('created_at', 'desc').orderBy('id').limit(query.perPage).offset((query.page - 1) * query.perPage).execute();
    return { items: rows.map(toAdminMember), total: Number(total) };
  }

  async get(id: string, trx: Executor = this.db.kysely): Promise<AdminMember | null> {
    const row = await trx.selectFrom('members').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toAdminMember(row) : null;
  }

  /** The member's page: the member, their tier now, and the newest rows of their ledger. */
  async detail(id: string, now = new Date()): Promise<MemberDetail | null> {
    const row = await this.db.kysely.selectFrom('members').selectAll().where('id', '=', id).executeTakeFirst();
    if (row === undefined) return null;
    const tier = await this.loyalty.tiers.of(row, await this.loyalty.settings.rules(), now);
    const ledger = await this.loyalty.ledger.page(id, 1, MEMBER_LEDGER_PAGE);
    // The level shown is the tier now (the stored one may predate orders leaving the 12-month window).
    return { ...toAdminMember(row), level: tier.level, tier, ledger: ledger.items, ledger_total: ledger.total };
  }

  async ledger(id: string, page: number, perPage: number): Promise<{ items: LedgerEntry[]; total: number }> {
    return this.loyalty.ledger.page(id, page, perPage);
  }

  /** Level (the level staff grant: the tier's floor) and phone; the cached tier follows the new floor. */
  async update(id: string, change: UpdateMemberRequest, trx: Executor, now = new Date()): Promise<{ before: AdminMember; after: AdminMember }> {
    const row = await this.loyalty.ledger.lockMember(trx, id);
    if (row === undefined) throw new FaceError('NOT_FOUND', `no member ${id}`);
    const before = toAdminMember(row);
    const granted = change.level === undefined ? before.level_granted : change.level === 'standard' ? null : change.level;
    const tier = await this.loyalty.tiers.of({ id, level_granted: granted }, await this.loyalty.settings.rules(trx), now, trx);
    const set = { level_granted: granted, level: tier.level, ...(change.phone !== undefined ? { phone: change.phone } : {}) };
    // Only the phone is unique here; the transaction is lost on PostgreSQL after the violation, so answer at once.
    await trx
      .updateTable('members')
      .set(set)
      .where('id', '=', id)
      .execute()
      .catch((error: unknown) => {
        throw isUniqueViolation(error) && typeof change.phone === 'string' ? phoneTaken(change.phone, error) : error;
      });
    return { before, after: { ...before, ...set } };
  }

  /** Credits (+) or debits (−) points by hand: a ledger row with the reason and who did it. */
  async adjust(id: string, points: number, reason: string, actor: string, trx: Executor, now = new Date()): Promise<{ entry: LedgerEntry; member: AdminMember }> {
    const row = await this.loyalty.ledger.lockMember(trx, id);
    if (row === undefined) throw new FaceError('NOT_FOUND', `no member ${id}`);
    if (row.closed_at !== null) throw new FaceError('CONFLICT', `member ${id} was merged into ${row.merged_into ?? '?'}: adjust that member`, { details: { merged_into: row.merged_into } });
    const balance = await this.loyalty.ledger.post(trx, row, [{ kind: 'adjust', points, reason, actor }], { now });
    const [entry] = (await this.loyalty.ledger.page(id, 1, 1, trx)).items;
    if (entry === undefined) throw new Error('the adjustment row vanished');
    return { entry, member: { ...toAdminMember(row), points: balance } };
  }

  async orders(memberId: string, page: number, perPage: number): Promise<{ items: AdminOrder[]; total: number }> {
    const q = this.db.kysely.selectFrom('orders').where('member_id', '=', memberId);
    const { total } = await q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const rows = await q.selectAll().orderBy('created_at', 'desc').orderBy('id').limit(perPage).offset((page - 1) * perPage).execute();
    return { items: await withLines(this.db.kysely, rows), total: Number(total) };
  }
}

/** Orders with their lines (one query for all the lines). */
export async function withLines(db: Executor, rows: readonly Selectable<OrdersTable>[]): Promise<AdminOrder[]> {
  if (rows.length === 0) return [];
  const lines = await db
    .selectFrom('order_lines')
    .select(['order_id', 'product_id', 'name', 'quantity', 'unit_price_fen', 'line_total_fen'])
    .where('order_id', 'in', rows.map((r) => r.id))
    .orderBy('order_id')
    .orderBy('line_no')
    .execute();
  const byOrder = new Map<string, AdminOrder['lines']>();
  for (const { order_id: orderId, ...l } of lines) {
    const list = byOrder.get(orderId) ?? [];
    list.push({
      product_id: l.product_id,
      name: l.name,
      quantity: safeInt(l.quantity, 'order_lines.quantity'),
      unit_price_fen: safeInt(l.unit_price_fen, 'order_lines.unit_price_fen'),
      line_total_fen: safeInt(l.line_total_fen, 'order_lines.line_total_fen'),
    });
    byOrder.set(orderId, list);
  }
  return rows.map((r) => ({
    id: r.id,
    store_id: r.store_id,
    terminal_id: r.terminal_id,
    member_id: r.member_id,
    lines: byOrder.get(r.id) ?? [],
    total_fen: safeInt(r.total_fen, 'orders.total_fen'),
    discount_fen: safeInt(r.discount_fen, 'orders.discount_fen'),
    points_earned: safeInt(r.points_earned, 'orders.points_earned'),
    redeemed_points: safeInt(r.redeemed_points, 'orders.redeemed_points'),
    redemption_fen: safeInt(r.redemption_fen, 'orders.redemption_fen'),
    refunded_fen: safeInt(r.refunded_fen, 'orders.refunded_fen'),
    tender: tenderOf(r),
    created_at: r.created_at,
  }));
}
