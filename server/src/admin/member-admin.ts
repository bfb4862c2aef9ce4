import { FaceError } from '@posface/protocol';
import { MEMBER_LEVELS, type MemberLevel } from '@posface/protocol/api';
import type { AdminMember, AdminOrder, LedgerEntry, UpdateMemberRequest } from '@posface/protocol/admin-api';
import { sql } from 'kysely';
import { isUniqueViolation, type Db } from '../db/connect.js';
import { phoneTaken } from '../members/member-store.js';
import { safeInt } from '../db/integers.js';
import type { MembersTable, OrdersTable } from '../db/schema.js';
import { tenderOf } from '../orders/order-store.js';
import { containsPattern } from '../products/product-store.js';
import type { Executor } from './staff-store.js';

export function toAdminMember(row: MembersTable): AdminMember {
  return {
    id: row.id,
    nickname: row.nickname,
    phone: row.phone,
    level: (MEMBER_LEVELS as readonly string[]).includes(row.level) ? (row.level as MemberLevel) : 'standard',
    points: safeInt(row.points, 'members.points'),
    has_face: row.openid !== null,
    created_at: row.created_at,
  };
}

/**
 * Where a member's points history comes from. Until the loyalty ledger exists there is none ([]); the
 * ledger work replaces this with its own reader (MemberAdmin's constructor takes it).
 */
export type LedgerReader = (memberId: string, trx: Executor) => Promise<LedgerEntry[]>;
export const NO_LEDGER: LedgerReader = async () => [];

/** The back office's view of members: search, a member's page and orders, level and phone edits. */
export class MemberAdmin {
  constructor(
    private readonly db: Db,
    private readonly ledger: LedgerReader = NO_LEDGER,
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

  async detail(id: string): Promise<(AdminMember & { ledger: LedgerEntry[] }) | null> {
    const member = await this.get(id);
    return member === null ? null : { ...member, ledger: await this.ledger(id, this.db.kysely) };
  }

  async update(id: string, change: UpdateMemberRequest, trx: Executor): Promise<{ before: AdminMember; after: AdminMember }> {
    const before = await this.get(id, trx);
    if (before === null) throw new FaceError('NOT_FOUND', `no member ${id}`);
    // Only the phone is unique here; the transaction is lost on PostgreSQL after the violation, so answer at once.
    await trx
      .updateTable('members')
      .set(change)
      .where('id', '=', id)
      .execute()
      .catch((error: unknown) => {
        throw isUniqueViolation(error) && typeof change.phone === 'string' ? phoneTaken(change.phone, error) : error;
      });
    return { before, after: { ...before, ...change } };
  }

  async orders(memberId: string, page: number, perPage: number): Promise<{ items: AdminOrder[]; total: number }> {
    const q = this.db.kysely.selectFrom('orders').where('member_id', '=', memberId);
    const { total } = await q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const rows = await q.selectAll().orderBy('created_at', 'desc').orderBy('id').limit(perPage).offset((page - 1) * perPage).execute();
    return { items: await withLines(this.db.kysely, rows), total: Number(total) };
  }
}

/** Orders with their lines (one query for all the lines). */
export async function withLines(db: Executor, rows: readonly OrdersTable[]): Promise<AdminOrder[]> {
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
    tender: tenderOf(r),
    created_at: r.created_at,
  }));
}
