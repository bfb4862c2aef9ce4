import type { AdminMember, AdminMemberList, AdminOrderList, AdminProduct, AdminProductList, AdminTerminalList, ApiKey, AuditList, CreatedApiKey, FaceReport, ImportResult, MemberDetail, OrderFeed, PairingCodeResponse, SalesReport, TopProductReport } from '@posface/protocol/admin-api';
import type { Order } from '@posface/protocol/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from '../db/storage.js';
import { AdminClient } from '../testing/admin-client.js';
import { PG_URL, postgresDatabase, sqliteDatabase, type TestDatabase } from '../testing/databases.js';
import { call, startStack, type Stack } from '../testing/harness.js';
import { pairFrom } from '../testing/pair-client.js';
import { openBackOffice } from './back-office.js';
import { ORDER_FEED_SETTLE_MS } from './integration.js';

/**
 * The back office's work over real HTTP on a real database: terminals (pairing code → a paired POS that
 * reports versions and face outcomes), the product CSV import (bad rows listed, nothing written; then all),
 * edits and export, members, reports, API keys and the integration API.
 */
const PASSWORD = 'correct horse battery';
const HEADER = 'barcode,name,name_en,price_fen,member_price_fen';

function officeSuite(make: () => TestDatabase): void {
  let db: TestDatabase;
  let storage: Storage;
  let stack: Stack;
  let manager: AdminClient;
  let owner: AdminClient;

  beforeAll(async () => {
    db = make();
    storage = await openStorage(db.config);
    const { staff } = openBackOffice(storage.db);
    await staff.create({ username: 'owner', role: 'owner', password: PASSWORD });
    await staff.create({ username: 'manager', role: 'manager', password: PASSWORD });
    stack = await startStack(db.config, { deps: { storage } });
    manager = new AdminClient(stack.server.url);
    owner = new AdminClient(stack.server.url);
    expect((await manager.login('manager', PASSWORD)).status).toBe(200);
    expect((await owner.login('owner', PASSWORD)).status).toBe(200);
  });
  afterAll(async () => {
    await stack?.close();
    await storage?.close();
    await db?.drop();
  });

  it('imports a catalogue: the preview lists each bad row and why, nothing is written until every row is good', async () => {
    const bad = [
      HEADER,
      '6901234567892,矿泉水,Water,200,180',
      ',无条码,,100,',
      '6902538006100,可乐,Cola,abc,',
      '6911988012345,饼干,Biscuits,500,600',
      '6901234567892,重复,Again,100,',
      '6920000000001,太长' + 'x'.repeat(130) + ',,100,',
      '6920000000002,少一列,,100',
    ].join('\n');
    const preview = await manager.request<ImportResult>('POST', '/products/import?dry_run=1', { csv: bad });
    expect(preview.status, preview.text).toBe(200);
    expect(preview.body).toMatchObject({ ok: false, dry_run: true, rows: 7 });
    expect(preview.body.errors.map((e) => [e.line, e.field, e.problem])).toEqual([
      [3, 'barcode', 'required'],
      [4, 'price_fen', 'not_integer'],
      [5, 'member_price_fen', 'member_above_price'],
      [6, 'barcode', 'duplicate'],
      [7, 'name', 'too_long'],
      [8, undefined, 'columns'],
    ]);
    expect(preview.body.errors[3]?.message).toContain('line 2');
    // The real import of the same file refuses it whole.
    const refused = await manager.request<ImportResult>('POST', '/products/import', { csv: bad });
    expect(refused.body).toMatchObject({ ok: false, dry_run: false, created: 0 });
    expect(Number((await storage.db.kysely.selectFrom('products').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(0);
    expect((await manager.request('POST', '/products/import', { csv: 'name,barcode\nx,1' })).body).toMatchObject({ ok: false, errors: [{ line: 1, problem: 'header' }] });
    expect((await manager.request('POST', '/products/import', { body: { rows: [] } })).status).toBe(400);

    const good = `\ufeff${HEADER}\r\n6901234567892,矿泉水,Water,200,180\r\n6902538006100,"可乐, 罐装",Cola,350,\r\n6911988012345,饼干,,500,450\r\n`;
    const dry = await manager.request<ImportResult>('POST', '/products/import?dry_run=1', { csv: good });
    expect(dry.body).toMatchObject({ ok: true, rows: 3, created: 3, updated: 0, errors: [] });
    expect((await manager.get<AdminProductList>('/products')).body.total).toBe(0);
    const done = await manager.request<ImportResult>('POST', '/products/import', { csv: good });
    expect(done.body).toMatchObject({ ok: true, dry_run: false, rows: 3, created: 3, updated: 0 });
    const again = await manager.request<ImportResult>('POST', '/products/import', { csv: `${HEADER}\n6901234567892,矿泉水 550ml,Water,220,200\n` });
    expect(again.body).toMatchObject({ ok: true, created: 0, updated: 1 });

    const audit = await owner.get<AuditList>('/audit?action=products.import');
    expect(audit.body.items.map((e) => e.summary)).toEqual([{ rows: 1, created: 0, updated: 1 }, { rows: 3, created: 3, updated: 0 }]);
  });

  it('searches and pages products, edits prices (member price never above price) and exports what it imports', async () => {
    const page = await manager.get<AdminProductList>('/products?q=WATER&per_page=1');
    expect(page.body.total).toBe(1);
    const water = page.body.items[0] as AdminProduct;
    expect(water).toMatchObject({ barcode: '6901234567892', name: '矿泉水 550ml', price_fen: 220, member_price_fen: 200 });
    expect((await manager.get<AdminProductList>('/products?per_page=2&page=2')).body).toMatchObject({ total: 3, items: [{ barcode: '6911988012345' }] });

    const edited = await manager.request<AdminProduct>('PATCH', `/products/${water.id}`, { body: { member_price_fen: 150 } });
    expect(edited.status).toBe(200);
    expect(edited.body.member_price_fen).toBe(150);
    const tooHigh = await manager.request('PATCH', `/products/${water.id}`, { body: { price_fen: 100 } });
    expect(tooHigh.status).toBe(400);
    expect(tooHigh.text).toContain('member_price_fen (150) is above price_fen (100)');
    expect((await manager.request('PATCH', `/products/${water.id}`, { body: { member_price_fen: null } })).body).toMatchObject({ member_price_fen: null });
    const log = await owner.get<AuditList>('/audit?action=products.update');
    expect(log.body.items[1]).toMatchObject({ actor: 'staff:manager', target_id: water.id, summary: { barcode: '6901234567892', member_price_fen: [200, 150] } });

    // The POS sees the new price at once.
    const { token } = await storage.terminals.add({ storeId: 'S9', storeName: 'x', deviceId: 'PRICE' });
    const pos = await call<{ items: { member_price_fen: number | null }[] }>(stack.server.url, 'GET', '/api/v1/products?barcode=6901234567892', { token });
    expect(pos.body.items[0]?.member_price_fen).toBeNull();

    const exported = await manager.send('GET', '/api/admin/v1/products/export', { headers: { cookie: manager.cookie } });
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toContain('text/csv');
    expect(exported.text).toBe(`${HEADER}\n6901234567892,矿泉水 550ml,Water,220,\n6902538006100,"可乐, 罐装",Cola,350,\n6911988012345,饼干,,500,450\n`);
    const reimport = await manager.request<ImportResult>('POST', '/products/import?dry_run=1', { csv: exported.text });
    expect(reimport.body).toMatchObject({ ok: true, created: 0, updated: 3 });
  });

  it('provisions a terminal with a pairing code the POS redeems; the till reports versions and face outcomes (no openid), once per event', async () => {
    const created = await manager.request<PairingCodeResponse>('POST', '/terminals', { body: { store_id: 'S001', device_id: 'D001', store_name: '一号店' } });
    expect(created.status, created.text).toBe(201);
    expect(created.body.pairing_code).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    expect((await manager.request('POST', '/terminals', { body: { store_id: 'S001', device_id: 'D001' } })).status).toBe(409);
    expect((await manager.request('POST', '/terminals', { body: { store_id: 'NOPE', device_id: 'D9' } })).status).toBe(404);

    const paired = await pairFrom(stack.server.url, { code: created.body.pairing_code });
    expect(paired.status).toBe(200);
    const cookie = (paired.cookie ?? '').split(';')[0] ?? '';
    const pos = (body: unknown) => call<{ accepted: number; duplicates: number }>(stack.server.url, 'POST', '/api/v1/terminal/report', { headers: { cookie, 'x-posface-request': '1' }, body });
    const at = new Date().toISOString();
    const events = [
      { id: 'evt-00000001', at, outcome: 'member_found' },
      { id: 'evt-00000002', at, outcome: 'not_member' },
      { id: 'evt-00000003', at, outcome: 'enrolled' },
      { id: 'evt-00000004', at, outcome: 'cancelled' },
      { id: 'evt-00000005', at, outcome: 'failed', error_code: 'SDK_ERROR' },
    ];
    const first = await pos({ versions: { extension: '0.3.1', host: '0.2.0', sdk: '2.20.0' }, face_events: events });
    expect(first.status, first.text).toBe(200);
    expect(first.body).toEqual({ accepted: 5, duplicates: 0 });
    expect((await pos({ face_events: [...events.slice(0, 2), { id: 'evt-00000006', at, outcome: 'member_found' }] })).body).toEqual({ accepted: 1, duplicates: 2 });
    const withOpenid = await pos({ face_events: [{ id: 'evt-00000007', at, outcome: 'member_found', openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' }] });
    expect(withOpenid.status).toBe(400);
    expect((await call(stack.server.url, 'POST', '/api/v1/terminal/report', { body: { versions: { host: '1' } } })).status).toBe(401);

    const list = await manager.get<AdminTerminalList>('/terminals');
    const till = list.body.items.find((t) => t.id === created.body.terminal_id);
    expect(till).toMatchObject({ store_id: 'S001', store_name: '一号店', device_id: 'D001', versions: { extension: '0.3.1', host: '0.2.0', sdk: '2.20.0' }, face: { attempts: 6, recognised: 4 } });
    expect(till?.face.success_rate).toBeCloseTo(4 / 6);
    expect(till?.last_seen_at).not.toBeNull();

    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const face = await manager.get<FaceReport>(`/reports/face?from=${today}&to=${today}`);
    expect(face.body.rows).toEqual([{ store_id: 'S001', terminal_id: created.body.terminal_id, device_id: 'D001', attempts: 6, recognised: 4, member_found: 2, enrolled: 1, cancelled: 1, failed: 1 }]);
    const csv = await manager.send('GET', `/api/admin/v1/reports/face?from=${today}&to=${today}&format=csv`, { headers: { cookie: manager.cookie } });
    expect(csv.text).toBe(`store_id,terminal_id,device_id,attempts,recognised,member_found,enrolled,cancelled,failed\nS001,${created.body.terminal_id},D001,6,4,2,1,1,1\n`);

    const fresh = await manager.request<PairingCodeResponse>('POST', `/terminals/${created.body.terminal_id}/pairing-code`);
    expect(fresh.body.pairing_code).not.toBe(created.body.pairing_code);
    expect((await manager.request('DELETE', `/terminals/${created.body.terminal_id}`)).status).toBe(204);
    expect((await pos({ versions: { host: '0.2.1' } })).status).toBe(401);
    expect((await manager.get<AdminTerminalList>('/terminals')).body.items.some((t) => t.id === created.body.terminal_id)).toBe(false);
    expect((await manager.get<AdminTerminalList>('/terminals?include_revoked=true')).body.items.find((t) => t.id === created.body.terminal_id)?.revoked_at).not.toBeNull();
    expect((await manager.request('DELETE', `/terminals/${created.body.terminal_id}`)).status).toBe(404);
    const actions = (await owner.get<AuditList>('/audit?per_page=100')).body.items.filter((e) => e.target_id === created.body.terminal_id).map((e) => e.action);
    expect(actions).toEqual(['terminals.revoke', 'terminals.pairing_code', 'terminals.create']);
    expect(JSON.stringify((await owner.get<AuditList>('/audit?per_page=100')).body)).not.toContain(fresh.body.pairing_code);
  });

  it("finds members by phone, nickname or id, shows a member's page and orders, edits level and phone; reports count their sales", async () => {
    const wang = await storage.members.create({ nickname: '王芳', phone: '13812345678', openid: 'o-face-wang' });
    await storage.members.create({ nickname: 'Li Lei', phone: '13900000000' });
    const { token } = await storage.terminals.add({ storeId: 'S001', deviceId: 'SALES' });
    const products = (await manager.get<AdminProductList>('/products')).body.items;
    const sell = (body: unknown) => call<Order>(stack.server.url, 'POST', '/api/v1/orders', { token, body });
    expect((await sell({ member_id: wang.id, lines: [{ product_id: products[0]?.id, quantity: 2 }] })).status).toBe(201);
    expect((await sell({ lines: [{ product_id: products[1]?.id, quantity: 1 }] })).status).toBe(201);

    expect((await manager.get<AdminMemberList>('/members?q=138123')).body.items.map((m) => m.nickname)).toEqual(['王芳']);
    expect((await manager.get<AdminMemberList>('/members?q=li%20l')).body.items.map((m) => m.nickname)).toEqual(['Li Lei']);
    expect((await manager.get<AdminMemberList>(`/members?q=${wang.id}`)).body.items).toHaveLength(1);
    expect((await manager.get<AdminMemberList>('/members')).body.total).toBe(2);

    const detail = await manager.get<MemberDetail>(`/members/${wang.id}`);
    expect(detail.body).toMatchObject({ id: wang.id, nickname: '王芳', phone: '13812345678', level: 'standard', points: 4, has_face: true, ledger_total: 1, tier: { level: 'standard', spend_fen: 440 } });
    expect(detail.body.ledger).toMatchObject([{ kind: 'earn', points: 4, balance: 4, order_id: expect.any(String) }]);
    expect(detail.text).not.toContain('o-face-wang');
    const orders = await manager.get<AdminOrderList>(`/members/${wang.id}/orders`);
    expect(orders.body).toMatchObject({ total: 1, items: [{ member_id: wang.id, total_fen: 440, lines: [{ quantity: 2 }] }] });

    const edited = await manager.request<AdminMember>('PATCH', `/members/${wang.id}`, { body: { level: 'gold', phone: '13700000000' } });
    expect(edited.body).toMatchObject({ level: 'gold', phone: '13700000000' });
    expect((await manager.request('PATCH', `/members/${wang.id}`, { body: { phone: '12345' } })).status).toBe(400);
    expect((await manager.request('PATCH', '/members/nobody', { body: { level: 'gold' } })).status).toBe(404);
    expect((await owner.get<AuditList>('/audit?action=members.update')).body.items[0]?.summary).toEqual({ level: ['standard', 'gold'], level_granted: [null, 'gold'], phone: ['13812345678', '13700000000'] });

    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const sales = await manager.get<SalesReport>(`/reports/sales?from=${today}&to=${today}`);
    expect(sales.body.rows).toEqual([{ period: today, orders: 2, total_fen: 790, member_orders: 1, member_total_fen: 440 }]);
    const week = await manager.get<SalesReport>(`/reports/sales?from=${today}&to=${today}&bucket=week`);
    expect(week.body.rows).toHaveLength(1);
    expect(new Date(`${week.body.rows[0]?.period}T00:00:00Z`).getUTCDay()).toBe(1);
    const top = await manager.get<TopProductReport>(`/reports/top-products?from=${today}&to=${today}`);
    expect(top.body.rows[0]).toMatchObject({ product_id: products[0]?.id, quantity: 2 });
    expect((await manager.get(`/reports/enrolments?from=${today}&to=${today}`)).body).toEqual({ rows: [{ period: today, members: 2 }] });
    expect((await manager.get('/reports/sales?from=2026-02-01&to=2026-01-01')).status).toBe(400);
    expect((await manager.get('/reports/sales?from=2020-01-01&to=2026-01-01')).status).toBe(400);
  });

  it('gives the ERP an API key (shown once, scoped, revocable) to upsert products and read orders since a cursor', async () => {
    const it_ = owner;
    const created = await it_.request<CreatedApiKey>('POST', '/api-keys', { body: { name: 'ERP nightly', scopes: ['products:write', 'orders:read'] } });
    expect(created.status).toBe(201);
    const key = created.body.key;
    expect(key).toMatch(/^pfk_/);
    const listed = await it_.get<{ items: ApiKey[] }>('/api-keys');
    expect(JSON.stringify(listed.body)).not.toContain(key);
    expect(JSON.stringify((await owner.get<AuditList>('/audit?per_page=100')).body)).not.toContain(key);
    const erp = (method: string, path: string, body?: unknown, bearer = key) => call(stack.server.url, method, `/api/integration/v1${path}`, { token: bearer, ...(body !== undefined ? { body } : {}) });

    const upsert = await erp('PUT', '/products', { items: [{ barcode: '6901234567892', name: '矿泉水', price_fen: 230, member_price_fen: 210 }, { barcode: 'ERP-1', name: '新品', price_fen: 990 }] });
    expect(upsert.status, upsert.text).toBe(200);
    expect(upsert.body).toEqual({ created: 1, updated: 1 });
    expect((await erp('PUT', '/products', { items: [{ barcode: 'ERP-2', name: 'x', price_fen: 1, member_price_fen: 2 }] })).status).toBe(400);
    expect((await manager.get<AdminProductList>('/products?q=ERP-2')).body.total).toBe(0);
    expect((await owner.get<AuditList>('/audit?action=products.upsert')).body.items[0]).toMatchObject({ actor: 'api-key:ERP nightly', summary: { rows: 2, created: 1, updated: 1 } });

    await new Promise((r) => setTimeout(r, ORDER_FEED_SETTLE_MS + 200));
    const page1 = await erp('GET', '/orders?limit=1');
    expect(page1.status).toBe(200);
    const feed1 = page1.body as OrderFeed;
    expect(feed1.items).toHaveLength(1);
    const feed2 = (await erp('GET', `/orders?since=${feed1.next_cursor}`)).body as OrderFeed;
    expect(feed2.items).toHaveLength(1);
    expect(feed2.items[0]?.id).not.toBe(feed1.items[0]?.id);
    const feed3 = (await erp('GET', `/orders?since=${feed2.next_cursor}`)).body as OrderFeed;
    expect(feed3).toEqual({ items: [], next_cursor: feed2.next_cursor });
    expect((await erp('GET', '/orders?since=garbage')).status).toBe(400);

    const readOnly = await it_.request<CreatedApiKey>('POST', '/api-keys', { body: { name: 'BI', scopes: ['orders:read'] } });
    const forbidden = await erp('PUT', '/products', { items: [{ barcode: 'X', name: 'x', price_fen: 1 }] }, readOnly.body.key);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect((await erp('GET', '/orders', undefined, 'pfk_not-a-key')).status).toBe(401);
    expect((await call(stack.server.url, 'GET', '/api/integration/v1/orders', { headers: { cookie: owner.cookie } })).status).toBe(401);
    expect((await it_.request('DELETE', `/api-keys/${created.body.id}`)).status).toBe(200);
    expect((await erp('GET', '/orders')).status).toBe(401);
    const after = (await it_.get<{ items: ApiKey[] }>('/api-keys')).body.items.find((k) => k.id === created.body.id);
    expect(after?.revoked_at).not.toBeNull();
    expect(after?.last_used_at).not.toBeNull();
  });

  it('publishes the OpenAPI document of the integration and back-office APIs and the till\'s loyalty routes at /api/docs', async () => {
    const doc = await call<{ openapi: string; paths: Record<string, unknown> }>(stack.server.url, 'GET', '/api/docs/json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/integration/v1/products', '/api/integration/v1/orders', '/api/admin/v1/products/import', '/api/admin/v1/members/{id}']));
    // Of the till's own API, only the loyalty routes (redeem, refunds, rules), for the till's side.
    expect(Object.keys(doc.body.paths).filter((p) => p.startsWith('/api/v1/')).sort()).toEqual(['/api/v1/loyalty/rules', '/api/v1/orders', '/api/v1/orders/{id}', '/api/v1/orders/{id}/refunds']);
    const ui = await call(stack.server.url, 'GET', '/api/docs');
    expect(ui.status).toBe(200);
  });
}

describe('back office on SQLite', () => officeSuite(sqliteDatabase));
describe.skipIf(PG_URL === undefined)('back office on PostgreSQL', () => officeSuite(() => postgresDatabase(PG_URL ?? '')));
