import { DEFAULT_LOYALTY_RULES, FaceError } from '@posface/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from '../db/storage.js';
import { PG_URL, postgresDatabase, sqliteDatabase, type TestDatabase } from '../testing/databases.js';
import { ledgerOf } from '../testing/ledger.js';

/**
 * The ledger's invariant under load: one member, 50 orders (half of them redeeming points), and refunds of
 * whole orders and of single lines, all at once, on SQLite and PostgreSQL. Whatever the interleaving, the
 * balance equals the sum of the rows, every row chains on the one before it, and nothing goes below 0.
 */

const CONCURRENT = 50;
const rules = { ...DEFAULT_LOYALTY_RULES, points_per_yuan: 2, redeem_points_per_yuan: 100, redeem_max_share_pct: 50 };

const databases: TestDatabase[] = [sqliteDatabase(), ...(PG_URL === undefined ? [] : [postgresDatabase(PG_URL)])];

for (const database of databases) {
  describe(`points ledger under concurrent orders, redemptions and refunds (${database.name})`, () => {
    let storage: Storage;
    let terminalId: string;

    beforeAll(async () => {
      storage = await openStorage(database.config);
      await storage.db.kysely.transaction().execute((trx) => storage.loyalty.settings.save(rules, 'test', trx));
      terminalId = (await storage.terminals.add({ storeId: 'S001', storeName: '演示门店', deviceId: 'INV1' })).terminal.id;
      await storage.products.upsert({ id: 'P1', barcode: '690000000001', name: '咖啡', name_en: 'Coffee', price_fen: 1850, member_price_fen: null });
      await storage.products.upsert({ id: 'P2', barcode: '690000000002', name: '面包', name_en: 'Bread', price_fen: 999, member_price_fen: null });
    });
    afterAll(async () => {
      await storage.close();
      await database.drop();
    });

    it(`${CONCURRENT} orders, redemptions and refunds of one member at once keep balance = sum of rows`, async () => {
      const member = await storage.members.create({ openid: `oINV_${database.name}`, nickname: '并发', points: 500 });
      const ctx = (key: string) => ({ terminalId, storeId: 'S001', idempotencyKey: key });
      // Orders to refund later, made first so the refunds have something to run against.
      const first = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          storage.orders.create({ member_id: member.id, lines: [{ product_id: 'P1', quantity: 2 }, { product_id: 'P2', quantity: 1 }], ...(i % 2 === 0 ? { redeem_points: 100 } : {}) }, ctx(`pre-${i}`)),
        ),
      );
      const started = performance.now();
      const outcomes = await Promise.allSettled([
        ...Array.from({ length: CONCURRENT }, (_, i) =>
          storage.orders.create({ member_id: member.id, lines: [{ product_id: i % 3 === 0 ? 'P2' : 'P1', quantity: 1 + (i % 4) }], ...(i % 2 === 0 ? { redeem_points: 100 * (1 + (i % 3)) } : {}) }, ctx(`o-${i}`)),
        ),
        // Each earlier order: refunded whole, by line, and (the same key twice) retried.
        ...first.flatMap(({ order }, i) =>
          i % 2 === 0
            ? [storage.refunds.create(order.id, {}, { requestedBy: 'staff:t', refundedBy: 'staff:t', idempotencyKey: `r-${i}` }), storage.refunds.create(order.id, {}, { requestedBy: 'staff:t', refundedBy: 'staff:t', idempotencyKey: `r-${i}` })]
            : [
                storage.refunds.create(order.id, { lines: [{ line_no: 1, quantity: 1 }] }, { requestedBy: 'staff:t', refundedBy: 'staff:t', idempotencyKey: `r-${i}-a` }),
                storage.refunds.create(order.id, { lines: [{ line_no: 2, quantity: 1 }] }, { requestedBy: 'staff:t', refundedBy: 'staff:t', idempotencyKey: `r-${i}-b` }),
              ],
        ),
      ]);
      const ms = performance.now() - started;
      console.info(`ledger invariant (${database.name}): ${CONCURRENT} orders + 20 refunds at once in ${ms.toFixed(0)} ms`);

      // Only a redemption the balance could not cover may fail; nothing else.
      const failures = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
      for (const f of failures) expect(f instanceof FaceError && f.code === 'POINTS_INSUFFICIENT', String(f)).toBe(true);

      const ledger = await ledgerOf(storage, member.id);
      expect(ledger.chained).toBe(true);
      expect(ledger.points).toBe(ledger.sum);
      // Every refund once: a retried key made no second refund, and each order's points came back exactly.
      const refunds = await storage.db.kysely.selectFrom('refunds').select(['order_id', 'points_reversed', 'points_restored']).where('member_id', '=', member.id).execute();
      expect(refunds).toHaveLength(15);
      for (const { order } of first) {
        const mine = refunds.filter((r) => r.order_id === order.id);
        const restored = mine.reduce((s, r) => s + Number(r.points_restored), 0);
        expect(restored).toBe(order.redeemed_points);
      }
      // Each order of the member is in the ledger with exactly what it earned and redeemed.
      const orders = await storage.db.kysely.selectFrom('orders').select(['id', 'points_earned', 'redeemed_points']).where('member_id', '=', member.id).execute();
      const rows = await storage.db.kysely.selectFrom('points_ledger').select(['order_id', 'kind', 'points']).where('member_id', '=', member.id).execute();
      for (const o of orders) {
        const of = (kind: string) => rows.filter((r) => r.order_id === o.id && r.kind === kind).reduce((s, r) => s + Number(r.points), 0);
        expect(of('earn')).toBe(Number(o.points_earned));
        expect(0 - of('redeem')).toBe(Number(o.redeemed_points));
      }
      expect(orders).toHaveLength(10 + CONCURRENT - failures.length);
    }, 120_000);
  });
}
