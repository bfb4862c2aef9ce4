import { createHash, randomUUID } from 'node:crypto';
import { FaceError, isMemberLevel, isTenderProblem, memberTier, priceOrder, settleTender, type Tender, type TenderMethod } from '@posface/protocol';
import type { CreateOrderRequest, Order, Recommendation } from '@posface/protocol/api';
import { sql, type Selectable } from 'kysely';
import { isUniqueViolation, type Db } from '../db/connect.js';
import { safeInt, safeIntOrNull } from '../db/integers.js';
import type { OrdersTable } from '../db/schema.js';
import type { OrderLimits } from '../config.js';
import type { Loyalty } from '../loyalty/loyalty.js';
import { grantedLevel } from '../loyalty/member-tiers.js';
import type { Posting } from '../loyalty/points-ledger.js';
import { survivorRow } from '../members/member-store.js';
import { toProduct } from '../products/product-store.js';
import { ProductStore } from '../products/product-store.js';

const RECOMMENDATION_WINDOW_DAYS = 90;

export interface OrderContext {
  terminalId: string;
  storeId: string;
  idempotencyKey: string | null;
  /** The server's order limits (none for the CLI's demo data). */
  limits?: OrderLimits;
}

export { MAX_POINTS } from '../loyalty/points-ledger.js';

function limitExceeded(message: string, field: string, limit: number): FaceError {
  return new FaceError('LIMIT_EXCEEDED', message, { details: { field, limit } });
}

/** Lines and quantities against the limits (before any database work). */
function checkSize(req: CreateOrderRequest, limits: OrderLimits): void {
  if (req.lines.length > limits.maxLines) {
    throw limitExceeded(`body.lines: an order may have at most ${limits.maxLines} lines, got ${req.lines.length}`, 'body.lines', limits.maxLines);
  }
  const i = req.lines.findIndex((l) => l.quantity > limits.maxQuantity);
  if (i >= 0) {
    throw limitExceeded(`body.lines[${i}].quantity: at most ${limits.maxQuantity} per line`, `body.lines[${i}].quantity`, limits.maxQuantity);
  }
}

const DAY_MS = 86_400_000;

/**
 * When the sale happened: `sold_at` (an offline till's sale, synced later) within the age limit, else now.
 * A sale "in the future" comes from a till whose clock is ahead: it was sold now.
 */
function soldAt(req: CreateOrderRequest, now: Date, limits: OrderLimits | undefined): string {
  if (req.sold_at === undefined) return now.toISOString();
  const at = Date.parse(req.sold_at);
  if (Number.isNaN(at)) throw new FaceError('INVALID_REQUEST', `sold_at: not a date-time: "${req.sold_at}"`, { details: { field: 'body.sold_at' } });
  if (limits && at < now.getTime() - limits.maxAgeDays * DAY_MS) {
    throw limitExceeded(`sold_at: a sale may be synced at most ${limits.maxAgeDays} days after it was sold, this one is of ${req.sold_at}`, 'sold_at', limits.maxAgeDays);
  }
  return new Date(Math.min(at, now.getTime())).toISOString();
}

/**
 * Same request ⇔ same hash: member, lines in order, the points redeemed, the tender and the offline fields (a
 * retry sends the same body). Parts a request leaves out are left out of the canonical form, so keys stored
 * before redemption, tenders and offline sales existed still match.
 */
function requestHash(req: CreateOrderRequest): string {
  const t = req.tender;
  const canonical = JSON.stringify({
    m: req.member_id ?? null,
    l: req.lines.map((l) => [l.product_id, l.quantity]),
    ...(req.redeem_points ? { r: req.redeem_points } : {}),
    ...(t === undefined ? {} : { t: [t.method, t.received_fen ?? null, t.change_fen ?? null] }),
    ...(req.customer_openid !== undefined ? { c: req.customer_openid } : {}),
    ...(req.sold_at !== undefined ? { s: req.sold_at } : {}),
  });
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/** The tender as recorded against the total the server priced (protocol's rule), or INVALID_REQUEST naming the field. */
function settle(input: Tender, totalFen: number): Tender {
  const settled = settleTender(input, totalFen);
  if (isTenderProblem(settled)) {
    throw new FaceError('INVALID_REQUEST', `body.tender.${settled.message}`, {
      details: { field: `body.tender.${settled.field}`, reason: settled.reason, total_fen: totalFen },
    });
  }
  return settled;
}

/** An order row's tender (null for one recorded without). */
export function tenderOf(row: Pick<OrdersTable, 'tender_method' | 'tender_received_fen' | 'tender_change_fen'>): Tender | null {
  if (row.tender_method === null) return null;
  const tender: Tender = { method: row.tender_method as TenderMethod };
  if (row.tender_received_fen !== null) tender.received_fen = safeInt(row.tender_received_fen, 'orders.tender_received_fen');
  if (row.tender_change_fen !== null) tender.change_fen = safeInt(row.tender_change_fen, 'orders.tender_change_fen');
  return tender;
}

export class OrderStore {
  private readonly products: ProductStore;

  constructor(
    private readonly db: Db,
    private readonly loyalty: Loyalty,
  ) {
    this.products = new ProductStore(db);
  }

  /**
   * Creates the order, or with an idempotency key already used by this terminal returns the first result
   * (`replayed`). The same key with a different body is a CONFLICT.
   */
  async create(req: CreateOrderRequest, ctx: OrderContext, now = new Date()): Promise<{ order: Order; replayed: boolean }> {
    const hash = requestHash(req);
    const earlier = await this.findReplay(ctx, hash);
    if (earlier) return { order: earlier, replayed: true };
    if (ctx.limits) checkSize(req, ctx.limits);
    if (req.customer_openid !== undefined && req.member_id != null) {
      throw new FaceError('INVALID_REQUEST', 'body: give member_id or customer_openid, not both', { details: { field: 'body.customer_openid' } });
    }
    const soldAtIso = soldAt(req, now, ctx.limits);

    const catalogue = await this.loyalty.tierPrices.attach([...(await this.products.byIds(req.lines.map((l) => l.product_id))).values()]);
    const byId = new Map(catalogue.map((p) => [p.id, p]));
    const lines = req.lines.map((l, i) => {
      const product = byId.get(l.product_id);
      if (!product) {
        throw new FaceError('INVALID_REQUEST', `lines[${i}].product_id: no product with id "${l.product_id}"`, { details: { field: `lines[${i}].product_id` } });
      }
      return { product, quantity: l.quantity };
    });
    // A member merged into another buys as the member they were merged into. A face the offline till could not
    // recognise (customer_openid): the member it turns out to be (if any) earns the points, at the list prices
    // the till charged; no member with that openid: a sale without points.
    const foundLater = req.customer_openid !== undefined ? await this.memberIdByOpenid(req.customer_openid) : null;
    const wanted = req.member_id ?? foundLater;
    const member = wanted == null ? null : await survivorRow(this.db.kysely, wanted);
    if (member === undefined) throw new FaceError('NOT_FOUND', `no member with id "${wanted ?? ''}"`, { details: { field: 'member_id' } });
    const memberId = member?.id ?? null;
    const rules = await this.loyalty.settings.rules();
    // The tier prices the order: spend before it (a concurrent order of the same member may not be in it yet).
    const spend = member === null ? 0 : await this.loyalty.tiers.spend(member.id, now);
    const tier = member === null ? null : memberTier(spend, grantedLevel(member), rules);
    const priced = priceOrder(lines, {
      member: member !== null,
      memberPrices: foundLater === null,
      level: tier?.level ?? 'standard',
      rules,
      redeemPoints: req.redeem_points ?? 0,
    });
    const goodsFen = priced.totalFen + priced.redemptionFen;
    if (ctx.limits && !(goodsFen <= ctx.limits.maxTotalFen)) {
      throw limitExceeded(`the order total (${goodsFen} fen) is above this server's limit of ${ctx.limits.maxTotalFen} fen`, 'body.lines', ctx.limits.maxTotalFen);
    }
    const tender = req.tender === undefined ? null : settle(req.tender, priced.totalFen);
    const id = randomUUID();
    const createdAt = now.toISOString();
    // The level after this order: its payment counts towards the member's spend.
    const levelAfter = member === null ? null : memberTier(spend + priced.totalFen, grantedLevel(member), rules).level;
    try {
      await this.db.kysely.transaction().execute(async (trx) => {
        // The member's row first (locked until commit): concurrent orders of one member queue here.
        const locked = memberId === null ? undefined : await this.loyalty.ledger.lockMember(trx, memberId);
        // Merged into another while this order was priced: its points must not land on the closed record.
        if (locked?.closed_at != null) throw new FaceError('CONFLICT', 'the member was merged into another just now: send the order again', { details: { member_id: memberId } });
        await trx
          .insertInto('orders')
          .values({
            id,
            store_id: ctx.storeId,
            terminal_id: ctx.terminalId,
            member_id: memberId,
            idempotency_key: ctx.idempotencyKey,
            request_hash: hash,
            total_fen: priced.totalFen,
            discount_fen: priced.memberSavingsFen,
            points_earned: priced.pointsEarned,
            member_points: null,
            tender_method: tender?.method ?? null,
            tender_received_fen: tender?.received_fen ?? null,
            tender_change_fen: tender?.change_fen ?? null,
            created_at: createdAt,
            sold_at: soldAtIso,
            redeemed_points: priced.redeemedPoints,
            redemption_fen: priced.redemptionFen,
            refunded_fen: 0,
            member_level: levelAfter,
          })
          .execute();
        await trx
          .insertInto('order_lines')
          .values(priced.lines.map((l, i) => ({ order_id: id, line_no: i + 1, ...l, refunded_quantity: 0 })))
          .execute();
        if (locked !== undefined) {
          // Redeemed before earned: the points of this order cannot pay for it.
          const postings: Posting[] = [];
          if (priced.redeemedPoints > 0) postings.push({ kind: 'redeem', points: -priced.redeemedPoints, orderId: id });
          if (priced.pointsEarned > 0) postings.push({ kind: 'earn', points: priced.pointsEarned, orderId: id });
          const balance = await this.loyalty.ledger.post(trx, locked, postings, { now, ...(levelAfter !== null ? { level: levelAfter } : {}) });
          await trx.updateTable('orders').set({ member_points: balance }).where('id', '=', id).execute();
        }
      });
    } catch (error) {
      // A concurrent retry with the same key committed first: answer with its result.
      if (isUniqueViolation(error) && ctx.idempotencyKey !== null) {
        const winner = await this.findReplay(ctx, hash);
        if (winner) return { order: winner, replayed: true };
      }
      throw error;
    }
    const order = await this.get(id);
    if (!order) throw new FaceError('INTERNAL_ERROR', 'order vanished after insert');
    return { order, replayed: false };
  }

  private async memberIdByOpenid(openid: string): Promise<string | null> {
    const row = await this.db.kysely.selectFrom('members').select('id').where('openid', '=', openid).executeTakeFirst();
    return row?.id ?? null;
  }

  private async findReplay(ctx: OrderContext, hash: string): Promise<Order | null> {
    if (ctx.idempotencyKey === null) return null;
    const row = await this.db.kysely
      .selectFrom('orders')
      .selectAll()
      .where('terminal_id', '=', ctx.terminalId)
      .where('idempotency_key', '=', ctx.idempotencyKey)
      .executeTakeFirst();
    if (!row) return null;
    if (row.request_hash !== hash) {
      throw new FaceError('CONFLICT', 'this Idempotency-Key was already used for a different order', { details: { order_id: row.id } });
    }
    return this.toOrder(row);
  }

  async get(id: string): Promise<Order | null> {
    const row = await this.db.kysely.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? this.toOrder(row) : null;
  }

  private async toOrder(row: Selectable<OrdersTable>): Promise<Order> {
    const lines = await this.db.kysely
      .selectFrom('order_lines')
      .select(['product_id', 'name', 'quantity', 'unit_price_fen', 'line_total_fen'])
      .where('order_id', '=', row.id)
      .orderBy('line_no')
      .execute();
    return {
      id: row.id,
      member_id: row.member_id,
      lines: lines.map((l) => ({
        product_id: l.product_id,
        name: l.name,
        quantity: safeInt(l.quantity, 'order_lines.quantity'),
        unit_price_fen: safeInt(l.unit_price_fen, 'order_lines.unit_price_fen'),
        line_total_fen: safeInt(l.line_total_fen, 'order_lines.line_total_fen'),
      })),
      total_fen: safeInt(row.total_fen, 'orders.total_fen'),
      discount_fen: safeInt(row.discount_fen, 'orders.discount_fen'),
      points_earned: safeInt(row.points_earned, 'orders.points_earned'),
      member_points: safeIntOrNull(row.member_points, 'orders.member_points'),
      tender: tenderOf(row),
      created_at: row.created_at,
      sold_at: row.sold_at,
      redeemed_points: safeInt(row.redeemed_points, 'orders.redeemed_points'),
      redemption_fen: safeInt(row.redemption_fen, 'orders.redemption_fen'),
      member_level: isMemberLevel(row.member_level) ? row.member_level : null,
    };
  }

  /** What the member bought most in the window, then the store's best-sellers, without repeats. */
  async recommendations(memberId: string, storeId: string, limit: number, now = new Date()): Promise<Recommendation[]> {
    const since = new Date(now.getTime() - RECOMMENDATION_WINDOW_DAYS * 86_400_000).toISOString();
    const top = (by: { member: string } | { store: string }, n: number) => {
      let q = this.db.kysely
        .selectFrom('order_lines')
        .innerJoin('orders', 'orders.id', 'order_lines.order_id')
        .innerJoin('products', 'products.id', 'order_lines.product_id')
        .select([
          'products.id',
          'products.barcode',
          'products.name',
          'products.name_en',
          'products.price_fen',
          'products.member_price_fen',
          'products.created_at',
          sql<number>`cast(sum(order_lines.quantity) as integer)`.as('count'),
        ])
        .where('orders.created_at', '>=', since);
      q = 'member' in by ? q.where('orders.member_id', '=', by.member) : q.where('orders.store_id', '=', by.store);
      return q
        .groupBy(['products.id', 'products.barcode', 'products.name', 'products.name_en', 'products.price_fen', 'products.member_price_fen', 'products.created_at'])
        .orderBy(sql`cast(sum(order_lines.quantity) as integer)`, 'desc')
        .orderBy('products.id')
        .limit(n)
        .execute();
    };
    const out: Recommendation[] = [];
    const seen = new Set<string>();
    for (const row of await top({ member: memberId }, limit)) {
      seen.add(row.id);
      out.push({ product: toProduct(row), reason: 'frequent', count: Number(row.count) });
    }
    if (out.length < limit) {
      for (const row of await top({ store: storeId }, limit + seen.size)) {
        if (out.length >= limit) break;
        if (seen.has(row.id)) continue;
        out.push({ product: toProduct(row), reason: 'bestseller', count: Number(row.count) });
      }
    }
    const products = await this.loyalty.tierPrices.attach(out.map((r) => r.product));
    return out.map((r, i) => ({ ...r, product: products[i] ?? r.product }));
  }
}
