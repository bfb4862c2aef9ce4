import type { ErrorBody, Member, Order } from '@posface/protocol/api';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PRODUCTS } from '@posface/demo';
import { openDatabase } from '../db/connect.js';
import { safeInt } from '../db/integers.js';
import { migrateToLatest } from '../db/migrations.js';
import { openStorage, type Storage } from '../db/storage.js';
import { PG_URL, postgresDatabase, sqliteDatabase, type TestDatabase } from '../testing/databases.js';
import { call, startStack, type Stack } from '../testing/harness.js';
import { MAX_POINTS } from './order-store.js';

/** Orders at and past the limits, and points past 32 bits, on each engine over real HTTP. */
function limitsSuite(make: () => TestDatabase): void {
  let db: TestDatabase;
  let storage: Storage;
  let stack: Stack;
  let token: string;

  beforeAll(async () => {
    db = make();
    storage = await openStorage(db.config);
    for (const p of DEMO_PRODUCTS) await storage.products.upsert(p);
    // A dear product, so that totals near the limit need few lines.
    await storage.products.upsert({ id: 'PBIG', barcode: '6900000099999', name: '礼盒', name_en: 'Gift box', price_fen: 1_000_000, member_price_fen: null });
    token = (await storage.terminals.add({ storeId: 'S001', storeName: '演示门店', deviceId: 'D001' })).token;
    stack = await startStack(db.config, { deps: { storage }, config: { orders: { maxLines: 100, maxQuantity: 999, maxTotalFen: 5_000_000, maxAgeDays: 30 } } });
  });
  afterAll(async () => {
    await stack.close();
    await storage.close();
    await db.drop();
  });

  const order = (body: unknown, key?: string) =>
    call<Order & ErrorBody>(stack.server.url, 'POST', '/api/v1/orders', { token, body, ...(key ? { headers: { 'idempotency-key': key } } : {}) });
  const newMember = async (points: number) => storage.members.create({ nickname: '大客户', points });
  const pointsOf = async (id: string) => (await storage.members.byId(id))?.points;

  it('200 lines × 999 (the attack that earned 17,582,400 points) is 422 LIMIT_EXCEEDED, and books nothing', async () => {
    const m = await newMember(0);
    const lines = Array.from({ length: 200 }, (_, i) => ({ product_id: DEMO_PRODUCTS[i % DEMO_PRODUCTS.length]?.id ?? 'P001', quantity: 999 }));
    const res = await order({ member_id: m.id, lines });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'LIMIT_EXCEEDED', details: { field: 'body.lines', limit: 100 } });
    expect(await pointsOf(m.id)).toBe(0);
  });

  it('a total above ORDER_MAX_TOTAL_FEN (and the 2,147,850,000-fen one) is 422, not 500', async () => {
    const m = await newMember(0);
    const over = await order({ member_id: m.id, lines: [{ product_id: 'PBIG', quantity: 6 }] });
    expect(over.status).toBe(422);
    expect(over.body.error.code).toBe('LIMIT_EXCEEDED');
    expect(over.body.error.message).toContain('6000000 fen');
    const huge = await order({ lines: [{ product_id: 'PBIG', quantity: 999 }, { product_id: 'PBIG', quantity: 999 }, { product_id: 'PBIG', quantity: 150 }] });
    expect(huge.status).toBe(422);
    const at = await order({ member_id: m.id, lines: [{ product_id: 'PBIG', quantity: 5 }] });
    expect(at.status).toBe(201);
    expect(at.body.points_earned).toBe(50_000);
  });

  it('points go past 2^31 (the PostgreSQL integer overflow) and stay exact', async () => {
    const m = await newMember(2_147_480_000);
    const res = await order({ member_id: m.id, lines: [{ product_id: 'PBIG', quantity: 5 }] }, 'past-int32-0001');
    expect(res.status).toBe(201);
    expect(res.body.member_points).toBe(2_147_530_000);
    const again = await order({ member_id: m.id, lines: [{ product_id: 'PBIG', quantity: 5 }] });
    expect(again.body.member_points).toBe(2_147_580_000);
    const seen = await call<Member>(stack.server.url, 'GET', `/api/v1/members/${m.id}/recommendations`, { token });
    expect(seen.status).toBe(200);
    expect(await pointsOf(m.id)).toBe(2_147_580_000);
    // The replay reads the stored 64-bit values back.
    expect((await order({ member_id: m.id, lines: [{ product_id: 'PBIG', quantity: 5 }] }, 'past-int32-0001')).body).toEqual(res.body);
  });

  it('a balance that would pass the largest exact number is 422 and unchanged', async () => {
    const m = await newMember(MAX_POINTS - 10);
    const res = await order({ member_id: m.id, lines: [{ product_id: 'P007', quantity: 1 }] });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'LIMIT_EXCEEDED', details: { field: 'member_id' } });
    expect(await pointsOf(m.id)).toBe(MAX_POINTS - 10);
    // An order without points still goes through for them.
    expect((await order({ member_id: m.id, lines: [{ product_id: 'P001', quantity: 0 + 1 }] })).status).toBe(201);
  });

  it('configured lower limits: quantity per line', async () => {
    const low = await startStack(db.config, { deps: { storage }, config: { orders: { maxLines: 3, maxQuantity: 10, maxTotalFen: 5_000_000, maxAgeDays: 30 } } });
    try {
      const res = await call<ErrorBody>(low.server.url, 'POST', '/api/v1/orders', { token, body: { lines: [{ product_id: 'P001', quantity: 2 }, { product_id: 'P002', quantity: 11 }] } });
      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({ code: 'LIMIT_EXCEEDED', details: { field: 'body.lines[1].quantity', limit: 10 } });
    } finally {
      await low.close();
    }
  });
}

describe('order limits on SQLite', () => limitsSuite(sqliteDatabase));
describe.skipIf(PG_URL === undefined)('order limits on PostgreSQL', () => limitsSuite(() => postgresDatabase(PG_URL ?? '')));
describe.skipIf(PG_URL === undefined)('64-bit migration on PostgreSQL', () => {
  it('an existing database made before 64-bit columns is migrated, its data kept', async () => {
    const db = postgresDatabase(PG_URL ?? '');
    try {
      const old = await openDatabase(db.config, { migrate: false });
      await migrateToLatest(old.kysely as never, { schema: (db.config as { schema?: string }).schema, target: '0001_initial' });
      await old.kysely.insertInto('members').values({ id: 'M-old', openid: null, sub_openid: null, unionid: null, nickname: '老会员', phone: null, level: 'gold', points: 2_000_000_000, created_at: new Date().toISOString() }).execute();
      const before = await sql<{ data_type: string }>`select data_type from information_schema.columns where table_schema = current_schema() and table_name = 'members' and column_name = 'points'`.execute(old.kysely);
      expect(before.rows[0]?.data_type).toBe('integer');
      await old.close();
      const s = await openStorage(db.config);
      try {
        const types = await sql<{ table_name: string; column_name: string; data_type: string }>`
          select table_name, column_name, data_type from information_schema.columns
          where table_schema = current_schema() and table_name in ('members', 'products', 'orders', 'order_lines') and column_name in ('points', 'price_fen', 'member_price_fen', 'total_fen', 'discount_fen', 'points_earned', 'member_points', 'unit_price_fen', 'line_total_fen')`.execute(s.db.kysely);
        expect(types.rows).toHaveLength(9);
        expect(types.rows.every((r) => r.data_type === 'bigint')).toBe(true);
        await s.db.kysely.updateTable('members').set({ points: sql<number>`points + 2000000000` }).where('id', '=', 'M-old').execute();
        expect((await s.members.byId('M-old'))?.points).toBe(4_000_000_000);
      } finally {
        await s.close();
      }
    } finally {
      await db.drop();
    }
  });
});

describe('64-bit values read back', () => {
  it('are numbers while exact, and an error beyond', () => {
    expect(safeInt('9007199254740991', 'x')).toBe(Number.MAX_SAFE_INTEGER);
    expect(safeInt(42, 'x')).toBe(42);
    expect(() => safeInt('9007199254740993', 'members.points')).toThrow('members.points: 9007199254740993 is not an integer JavaScript can hold exactly');
    expect(() => safeInt('1.5', 'x')).toThrow(RangeError);
  });
});
