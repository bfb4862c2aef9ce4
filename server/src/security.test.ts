import type { ErrorBody, MemberLookup, Order, ProductList } from '@posface/protocol/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PRODUCTS } from '@posface/demo';
import { openStorage, type Storage } from './db/storage.js';
import { PG_URL, postgresDatabase, sqliteDatabase, type TestDatabase } from './testing/databases.js';
import { call, startStack, type Stack } from './testing/harness.js';

/**
 * What already held when the server was attacked, kept holding: auth cannot be bypassed, input never
 * becomes SQL, the client cannot set prices, and 50 concurrent duplicates of one sale book it once.
 */
/** API routes meant to work without a terminal token ("METHOD /path"); none so far. */
// The pairing route takes a one-time code instead of a credential (its own tests: routes/pairing.test.ts).
const PUBLIC_API_ROUTES = new Set<string>(['POST /api/v1/pair']);

function securitySuite(make: () => TestDatabase): void {
  let db: TestDatabase;
  let storage: Storage;
  let stack: Stack;
  let token: string;
  let revoked: string;

  beforeAll(async () => {
    db = make();
    storage = await openStorage(db.config);
    for (const p of DEMO_PRODUCTS) await storage.products.upsert(p);
    token = (await storage.terminals.add({ storeId: 'S001', storeName: '演示门店', deviceId: 'D001' })).token;
    revoked = (await storage.terminals.add({ storeId: 'S001', storeName: '演示门店', deviceId: 'D002' })).token;
    await storage.terminals.revoke({ deviceId: 'D002' });
    stack = await startStack(db.config, { deps: { storage } });
  });
  afterAll(async () => {
    await stack.close();
    await storage.close();
    await db.drop();
  });

  it('every /api/v1 route refuses requests without a valid token, however it is dressed up', async () => {
    // Every registered API route, read from the router's tree, so a route added later is checked too.
    const routes: Array<readonly [string, string]> = [];
    const prefixes: string[] = [];
    for (const line of stack.server.app.printRoutes({ commonPrefix: false }).split('\n')) {
      const m = /── (\S+)(?: \(([A-Z, ]+)\))?/.exec(line);
      if (m === null) continue;
      const depth = (line.indexOf('──') - 1) / 4;
      const path = `${depth > 0 ? (prefixes[depth - 1] ?? '') : ''}${m[1] ?? ''}`;
      prefixes[depth] = path;
      if (!path.startsWith('/api/v1/')) continue;
      for (const verb of (m[2] ?? '').split(', ')) {
        if (verb !== '' && verb !== 'HEAD' && !PUBLIC_API_ROUTES.has(`${verb} ${path}`)) routes.push([verb, path.replace(/:[a-z]+/g, 'x')]);
      }
    }
    expect(routes.length).toBeGreaterThanOrEqual(8);
    const disguises: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer' },
      { authorization: 'Bearer ' },
      { authorization: `Bearer ${revoked}` },
      { authorization: `Basic ${token}` },
      { authorization: `Bearer ${token.slice(0, -1)}` },
      { authorization: `Bearer ${token}\u0000` },
      { 'x-forwarded-user': 'admin', authorization: 'Bearer null' },
    ];
    for (const [method, path] of routes) {
      for (const headers of disguises) {
        const res = await call<ErrorBody>(stack.server.url, method, path, { headers, ...(method === 'POST' ? { body: {} } : {}) }).catch(() => ({ status: 0, body: { error: { code: 'REFUSED' } } }));
        expect([401, 0], `${method} ${path} ${JSON.stringify(headers)}`).toContain(res.status);
      }
    }
    for (const path of [`/api/v1/terminal?token=${token}`, '/api/v1//terminal', '/api/v1/./terminal', '/api/v1/%74erminal', '/api/v1/terminal/', '/API/V1/terminal']) {
      expect((await call(stack.server.url, 'GET', path)).status, path).not.toBe(200);
    }
  });

  it('input that looks like SQL stays data', async () => {
    const get = (path: string) => call<ProductList & MemberLookup & ErrorBody>(stack.server.url, 'GET', path, { token });
    expect((await get(`/api/v1/members/by-openid/${encodeURIComponent("'OR'1'='1")}`)).body).toEqual({ member: null });
    expect((await get(`/api/v1/members/by-openid/${encodeURIComponent("' OR '1'='1")}`)).status).toBe(400);
    expect((await get(`/api/v1/members?phone=${encodeURIComponent("13800000000' OR '1'='1")}`)).status).toBe(400);
    expect((await get(`/api/v1/products?q=${encodeURIComponent("%' OR 1=1 --")}`)).body.items).toEqual([]);
    expect((await get(`/api/v1/products?barcode=${encodeURIComponent("' OR ''='")}`)).body.items).toEqual([]);
    expect((await get(`/api/v1/members/${encodeURIComponent("x' OR '1'='1")}/recommendations`)).status).toBe(404);
    const order = await call<ErrorBody>(stack.server.url, 'POST', '/api/v1/orders', { token, body: { lines: [{ product_id: "P001' OR '1'='1", quantity: 1 }] } });
    expect(order.status).toBe(400);
    const key = await call<Order>(stack.server.url, 'POST', '/api/v1/orders', { token, headers: { 'idempotency-key': "';DROP-TABLE-orders;--" }, body: { lines: [{ product_id: 'P001', quantity: 1 }] } });
    expect(key.status).toBe(201);
    expect((await storage.products.list(50)).length).toBe(DEMO_PRODUCTS.length);
    expect(await storage.orders.get(key.body.id)).not.toBeNull();
  });

  it('the client cannot set prices, totals or points', async () => {
    const member = await storage.members.create({ nickname: '价格' });
    for (const body of [
      { member_id: member.id, lines: [{ product_id: 'P002', quantity: 1, unit_price_fen: 1 }] },
      { member_id: member.id, lines: [{ product_id: 'P002', quantity: 1, line_total_fen: 1 }] },
      { member_id: member.id, lines: [{ product_id: 'P002', quantity: 1 }], points_earned: 1_000_000 },
      { member_id: member.id, lines: [{ product_id: 'P002', quantity: 1 }], discount_fen: 100 },
      { member_id: member.id, lines: [{ product_id: 'P002', quantity: -5 }] },
      { member_id: member.id, lines: [{ product_id: 'P002', quantity: 1.5 }] },
    ]) {
      expect((await call(stack.server.url, 'POST', '/api/v1/orders', { token, body })).status, JSON.stringify(body)).toBe(400);
    }
    const priced = await call<Order>(stack.server.url, 'POST', '/api/v1/orders', { token, body: { lines: [{ product_id: 'P002', quantity: 2 }] } });
    const p2 = DEMO_PRODUCTS.find((p) => p.id === 'P002');
    // No member: list price, no member discount, no points.
    expect(priced.body).toMatchObject({ total_fen: (p2?.price_fen ?? 0) * 2, discount_fen: 0, points_earned: 0 });
  });

  it('50 concurrent duplicates of one sale book it once, with exact points', async () => {
    const member = await storage.members.create({ nickname: '重复' });
    const body = { member_id: member.id, lines: [{ product_id: 'P007', quantity: 1 }] };
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => call<Order>(stack.server.url, 'POST', '/api/v1/orders', { token, body, headers: { 'idempotency-key': 'dup-sale-0000-0001' } })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array.from({ length: 50 }, () => 201));
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') !== 'true')).toHaveLength(1);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect((await storage.members.byId(member.id))?.points).toBe(45);
    const n = await storage.db.kysely.selectFrom('orders').select((eb) => eb.fn.countAll().as('n')).where('member_id', '=', member.id).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(1);
  });
}

describe('security regressions on SQLite', () => securitySuite(sqliteDatabase));
describe.skipIf(PG_URL === undefined)('security regressions on PostgreSQL', () => securitySuite(() => postgresDatabase(PG_URL ?? '')));
