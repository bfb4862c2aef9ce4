import type { CataloguePage, ErrorBody, Order } from '@posface/protocol/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PRODUCTS } from '@posface/demo';
import { openStorage, type Storage } from '../db/storage.js';
import { PG_URL, postgresDatabase, sqliteDatabase, type TestDatabase } from '../testing/databases.js';
import { call, startStack, type Stack } from '../testing/harness.js';

/**
 * Sales a till completed while the server was unreachable, synced later from its outbox: the time they were
 * sold, a face recognised only now (points once, at the list prices charged), and the catalogue the till keeps.
 */
function offlineSuite(make: () => TestDatabase): void {
  let db: TestDatabase;
  let storage: Storage;
  let stack: Stack;
  let token: string;

  beforeAll(async () => {
    db = make();
    storage = await openStorage(db.config);
    for (const p of DEMO_PRODUCTS) await storage.products.upsert(p);
    token = (await storage.terminals.add({ storeId: 'S001', storeName: '演示门店', deviceId: 'D001' })).token;
    stack = await startStack(db.config, { deps: { storage }, config: { orders: { maxLines: 100, maxQuantity: 999, maxTotalFen: 5_000_000, maxAgeDays: 7 } } });
  });
  afterAll(async () => {
    await stack.close();
    await storage.close();
    await db.drop();
  });

  const order = (body: unknown, key: string) =>
    call<Order & ErrorBody>(stack.server.url, 'POST', '/api/v1/orders', { token, body, headers: { 'idempotency-key': key } });
  const pointsOf = async (id: string) => (await storage.members.byId(id))?.points;
  const count = async () => Number((await storage.db.kysely.selectFrom('orders').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

  it('keeps when a synced sale was sold, apart from when it was booked', async () => {
    const sold = hoursAgo(20);
    const res = await order({ lines: [{ product_id: 'P001', quantity: 1 }], sold_at: sold }, 'offline-sold-at-1');
    expect(res.status).toBe(201);
    expect(res.body.sold_at).toBe(sold);
    expect(Date.parse(res.body.created_at)).toBeGreaterThan(Date.parse(sold) + 19 * 3_600_000);
    // An online sale without sold_at was sold when it was booked.
    const now = await order({ lines: [{ product_id: 'P001', quantity: 1 }] }, 'online-no-sold-at');
    expect(now.body.sold_at).toBe(now.body.created_at);
  });

  it('a sale "in the future" (a till clock ahead) was sold now; one older than ORDER_MAX_AGE_DAYS is 422 and books nothing', async () => {
    const future = await order({ lines: [{ product_id: 'P001', quantity: 1 }], sold_at: new Date(Date.now() + 3_600_000).toISOString() }, 'offline-future-1');
    expect(future.status).toBe(201);
    expect(future.body.sold_at).toBe(future.body.created_at);
    const before = await count();
    const old = await order({ lines: [{ product_id: 'P001', quantity: 1 }], sold_at: hoursAgo(8 * 24) }, 'offline-too-old');
    expect(old.status).toBe(422);
    expect(old.body.error).toMatchObject({ code: 'LIMIT_EXCEEDED', details: { field: 'sold_at', limit: 7 } });
    expect(await count()).toBe(before);
  });

  it('a face recognised only at sync earns points once, at the list prices the till charged, across retries', async () => {
    const m = await storage.members.create({ openid: 'oOFFLINE_known_0001', nickname: '离线会员' });
    const body = { customer_openid: 'oOFFLINE_known_0001', lines: [{ product_id: 'P009', quantity: 1 }, { product_id: 'P001', quantity: 2 }], sold_at: hoursAgo(2) };
    const first = await order(body, 'offline-face-known-1');
    expect(first.status).toBe(201);
    // List prices (¥98.00 + 2 × ¥2.00), not member prices: that is what the customer paid.
    expect(first.body).toMatchObject({ member_id: m.id, total_fen: 10_200, discount_fen: 0, points_earned: 102, member_points: 102 });
    const again = await order(body, 'offline-face-known-1');
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await pointsOf(m.id)).toBe(102);
  });

  it('a face that is no member books the sale without points (the openid is not kept)', async () => {
    const res = await order({ customer_openid: 'oOFFLINE_stranger_01', lines: [{ product_id: 'P005', quantity: 1 }] }, 'offline-face-unknown');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ member_id: null, total_fen: 890, points_earned: 0, member_points: null });
    const row = await storage.db.kysely.selectFrom('orders').selectAll().where('id', '=', res.body.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain('oOFFLINE_stranger_01');
  });

  it('member_id and customer_openid together are 400; a replayed key with another sold_at is 409', async () => {
    const both = await order({ member_id: 'M-x', customer_openid: 'oOFFLINE_known_0001', lines: [{ product_id: 'P001', quantity: 1 }] }, 'offline-both-ids');
    expect(both.status).toBe(400);
    expect(both.body.error).toMatchObject({ code: 'INVALID_REQUEST', details: { field: 'body.customer_openid' } });
    const sold = hoursAgo(1);
    expect((await order({ lines: [{ product_id: 'P002', quantity: 1 }], sold_at: sold }, 'offline-conflict')).status).toBe(201);
    expect((await order({ lines: [{ product_id: 'P002', quantity: 1 }], sold_at: hoursAgo(3) }, 'offline-conflict')).status).toBe(409);
  });

  it('hands out the whole catalogue a page at a time, in id order', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page: { status: number; body: CataloguePage } = await call<CataloguePage>(stack.server.url, 'GET', `/api/v1/products/catalogue?limit=4${after ? `&after=${after}` : ''}`, { token });
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((p) => p.id));
      after = page.body.next;
      pages += 1;
    } while (after !== null);
    expect(seen).toEqual(DEMO_PRODUCTS.map((p) => p.id).sort());
    expect(pages).toBe(Math.floor(DEMO_PRODUCTS.length / 4) + 1);
    expect((await call(stack.server.url, 'GET', '/api/v1/products/catalogue')).status).toBe(401);
  });
}

describe('offline sales on SQLite', () => offlineSuite(sqliteDatabase));
describe.skipIf(PG_URL === undefined)('offline sales on PostgreSQL', () => offlineSuite(() => postgresDatabase(PG_URL ?? '')));
