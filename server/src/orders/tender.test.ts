import type { ErrorBody, Order } from '@posface/protocol/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PRODUCTS } from '@posface/demo';
import { MemberAdmin } from '../admin/member-admin.js';
import { openStorage, type Storage } from '../db/storage.js';
import { PG_URL, postgresDatabase, sqliteDatabase, type TestDatabase } from '../testing/databases.js';
import { call, startStack, type Stack } from '../testing/harness.js';

/** The tender of a sale over real HTTP, on each engine: the server settles it against the total it prices. */
function tenderSuite(make: () => TestDatabase): void {
  let db: TestDatabase;
  let storage: Storage;
  let stack: Stack;
  let token: string;

  beforeAll(async () => {
    db = make();
    storage = await openStorage(db.config);
    for (const p of DEMO_PRODUCTS) await storage.products.upsert(p);
    token = (await storage.terminals.add({ storeId: 'S001', storeName: '演示门店', deviceId: 'D001' })).token;
    stack = await startStack(db.config, { deps: { storage } });
  });
  afterAll(async () => {
    await stack.close();
    await storage.close();
    await db.drop();
  });

  const order = (body: unknown, key?: string) =>
    call<Order & ErrorBody>(stack.server.url, 'POST', '/api/v1/orders', { token, body, ...(key ? { headers: { 'idempotency-key': key } } : {}) });
  // P001 ¥2.00 ×2 + P002 ¥3.50 = ¥7.50 at list prices (no member).
  const lines = [{ product_id: 'P001', quantity: 2 }, { product_id: 'P002', quantity: 1 }];

  it('cash: the server computes the change from the total it priced, stores it and answers it', async () => {
    const res = await order({ lines, tender: { method: 'cash', received_fen: 10_000 } });
    expect(res.status).toBe(201);
    expect(res.body.total_fen).toBe(750);
    expect(res.body.tender).toEqual({ method: 'cash', received_fen: 10_000, change_fen: 9_250 });
    const row = await storage.db.kysely.selectFrom('orders').select(['tender_method', 'tender_received_fen', 'tender_change_fen']).where('id', '=', res.body.id).executeTakeFirstOrThrow();
    expect([row.tender_method, Number(row.tender_received_fen), Number(row.tender_change_fen)]).toEqual(['cash', 10_000, 9_250]);
  });

  it('cash: a change the till computed the same is accepted; another one, or too little money, is 400 naming the field', async () => {
    expect((await order({ lines, tender: { method: 'cash', received_fen: 1_000, change_fen: 250 } })).body.tender).toEqual({ method: 'cash', received_fen: 1_000, change_fen: 250 });
    const wrong = await order({ lines, tender: { method: 'cash', received_fen: 1_000, change_fen: 300 } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatchObject({ code: 'INVALID_REQUEST', details: { field: 'body.tender.change_fen', reason: 'wrong_change', total_fen: 750 } });
    const short = await order({ lines, tender: { method: 'cash', received_fen: 700 } });
    expect(short.status).toBe(400);
    expect(short.body.error).toMatchObject({ details: { field: 'body.tender.received_fen', reason: 'too_little' } });
    expect(short.body.error.message).toContain('less than the total of 750 fen');
    expect((await order({ lines, tender: { method: 'cash' } })).body.error).toMatchObject({ details: { reason: 'missing' } });
  });

  it('the change is checked against member prices when a member buys', async () => {
    const m = await storage.members.create({ nickname: '会员' });
    // Member prices: 2 × ¥1.50 + ¥3.00 = ¥6.00.
    const res = await order({ member_id: m.id, lines, tender: { method: 'cash', received_fen: 1_000, change_fen: 400 } });
    expect(res.status).toBe(201);
    expect(res.body.tender).toEqual({ method: 'cash', received_fen: 1_000, change_fen: 400 });
    expect((await order({ member_id: m.id, lines, tender: { method: 'cash', received_fen: 1_000, change_fen: 250 } })).status).toBe(400);
  });

  it('other methods are recorded by name with no amounts; an amount on one, or an unknown method, is 400', async () => {
    for (const method of ['wechat_pay', 'alipay', 'bank_card']) {
      const res = await order({ lines, tender: { method } });
      expect(res.status).toBe(201);
      expect(res.body.tender).toEqual({ method });
    }
    expect((await order({ lines, tender: { method: 'bank_card', received_fen: 750 } })).body.error).toMatchObject({ details: { reason: 'not_allowed' } });
    expect((await order({ lines, tender: { method: 'bitcoin' } })).status).toBe(400);
    expect((await order({ lines, tender: { method: 'cash', received_fen: -1 } })).status).toBe(400);
    expect((await order({ lines, tender: { method: 'cash', received_fen: 1_000, tip: 1 } })).status).toBe(400);
  });

  it('an order without a tender (an API script) is recorded with none', async () => {
    const res = await order({ lines });
    expect(res.status).toBe(201);
    expect(res.body.tender).toBeNull();
  });

  it('a retry replays the first answer; the same key with another tender is a CONFLICT', async () => {
    const first = await order({ lines, tender: { method: 'cash', received_fen: 2_000 } }, 'tender-retry-0001');
    const again = await order({ lines, tender: { method: 'cash', received_fen: 2_000 } }, 'tender-retry-0001');
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    const other = await order({ lines, tender: { method: 'alipay' } }, 'tender-retry-0001');
    expect(other.status).toBe(409);
  });

  it("the back office's order views show the tender", async () => {
    const m = await storage.members.create({ nickname: '看订单' });
    await order({ member_id: m.id, lines, tender: { method: 'wechat_pay' } });
    await order({ member_id: m.id, lines, tender: { method: 'cash', received_fen: 5_000 } });
    const { items } = await new MemberAdmin(storage.db, storage.loyalty).orders(m.id, 1, 20);
    expect(items.map((o) => o.tender).sort((a, b) => (a?.method ?? '').localeCompare(b?.method ?? ''))).toEqual([
      { method: 'cash', received_fen: 5_000, change_fen: 4_400 },
      { method: 'wechat_pay' },
    ]);
  });
}

describe('tender on SQLite', () => tenderSuite(sqliteDatabase));
describe.skipIf(PG_URL === undefined)('tender on PostgreSQL', () => tenderSuite(() => postgresDatabase(PG_URL ?? '')));
