import { FaceError } from '@posface/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PRODUCTS } from '@posface/demo';
import { PG_URL, postgresDatabase, sqliteDatabase, type TestDatabase } from '../testing/databases.js';
import { openStorage, type Storage } from './storage.js';

/** The same suite on every engine. */
function storageSuite(make: () => TestDatabase): void {
  let db: TestDatabase;
  let s: Storage;
  const P = DEMO_PRODUCTS;

  beforeAll(async () => {
    db = make();
    s = await openStorage(db.config);
    for (const p of P) await s.products.upsert(p);
  });
  afterAll(async () => {
    await s.close();
    await db.drop();
  });

  const terminal = async (device: string, store = 'S001') => (await s.terminals.add({ storeId: store, storeName: '演示门店 Demo Store', deviceId: device })).terminal;

  it('migrations are idempotent (a second open is a no-op)', async () => {
    const again = await openStorage(db.config);
    await again.close();
  });

  it('terminals: token found by hash only, one active per device, revocation', async () => {
    const { terminal: t, token } = await s.terminals.add({ storeId: 'S001', storeName: '演示门店', deviceId: 'T1', screenIndex: '2', releaseAfterSession: true });
    expect(t).toMatchObject({ store_id: 'S001', store_name: '演示门店', device_id: 'T1', screen_index: '2', release_after_session: true, ask_unionid: '0' });
    expect((await s.terminals.findByToken(token))?.id).toBe(t.id);
    expect(await s.terminals.findByToken(`${token}x`)).toBeNull();
    const stored = await s.db.kysely.selectFrom('terminals').selectAll().where('id', '=', t.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(token);
    await expect(s.terminals.add({ storeId: 'S001', storeName: '演示门店', deviceId: 'T1' })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await s.terminals.revoke({ id: t.id })).map((r) => r.id)).toEqual([t.id]);
    expect(await s.terminals.findByToken(token)).toBeNull();
    await expect(s.terminals.add({ storeId: 'S001', storeName: '演示门店', deviceId: 'T1' })).resolves.toBeTruthy();
  });

  it('terminals: bad ids and names are refused with the reason', async () => {
    const error = await s.terminals.add({ storeId: 'S 1', storeName: '', deviceId: 'D'.repeat(33) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FaceError);
    expect((error as FaceError).message).toBe('store id: 1 to 32 letters, digits, "_" or "-"; device id: 1 to 32 letters, digits, "_" or "-"; store name: 1 to 128 characters');
  });

  it('members: by openid, by phone (masked), unique openid', async () => {
    const m = await s.members.create({ openid: 'o-storage-1', nickname: '王芳', phone: '13812345678' });
    expect(m).toEqual({ id: m.id, nickname: '王芳', phone: '138****5678', level: 'standard', points: 0, tier: { level: 'standard', multiplier_pct: 100, spend_fen: 0, next: null } });
    expect((await s.members.byOpenid('o-storage-1'))?.id).toBe(m.id);
    expect(await s.members.byOpenid('o-nobody')).toBeNull();
    expect((await s.members.byPhone('13812345678')).map((x) => x.id)).toEqual([m.id]);
    await expect(s.members.create({ openid: 'o-storage-1', nickname: 'dup' })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('products: barcode, Chinese/English search, literal wildcards', async () => {
    expect((await s.products.byBarcode('6907992100012')).map((p) => p.id)).toEqual(['P004']);
    expect((await s.products.search('牛奶', 10)).map((p) => p.id)).toEqual(['P004']);
    expect((await s.products.search('MILK', 10)).map((p) => p.id)).toEqual(['P004']);
    expect((await s.products.search('6907992', 10)).map((p) => p.id)).toEqual(['P004']);
    expect(await s.products.search('%', 10)).toEqual([]);
    expect(await s.products.search('_', 10)).toEqual([]);
    expect((await s.products.search('ml', 2)).length).toBe(2);
  });

  it('orders: member prices, points, lines as priced by the server', async () => {
    const t = await terminal('O1');
    const m = await s.members.create({ openid: 'o-order-1', nickname: '李雷' });
    const { order, replayed } = await s.orders.create(
      { member_id: m.id, lines: [{ product_id: 'P001', quantity: 3 }, { product_id: 'P006', quantity: 1 }, { product_id: 'P009', quantity: 1 }] },
      { terminalId: t.id, storeId: 'S001', idempotencyKey: null },
    );
    expect(replayed).toBe(false);
    // 3×150 (member) + 750 (no member price) + 8800 (member) = 10000 fen; list 600+750+9800 = 11150.
    expect(order).toMatchObject({ member_id: m.id, total_fen: 10000, discount_fen: 1150, points_earned: 100, member_points: 100 });
    expect(order.lines.map((l) => [l.product_id, l.unit_price_fen, l.line_total_fen])).toEqual([
      ['P001', 150, 450],
      ['P006', 750, 750],
      ['P009', 8800, 8800],
    ]);
    expect((await s.members.byId(m.id))?.points).toBe(100);
    const anonymous = await s.orders.create({ lines: [{ product_id: 'P001', quantity: 1 }] }, { terminalId: t.id, storeId: 'S001', idempotencyKey: null });
    expect(anonymous.order).toMatchObject({ member_id: null, total_fen: 200, discount_fen: 0, points_earned: 0, member_points: null });
  });

  it('orders: unknown product or member is refused and nothing is written', async () => {
    const t = await terminal('O2');
    const before = await s.db.kysely.selectFrom('orders').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    await expect(s.orders.create({ lines: [{ product_id: 'P001', quantity: 1 }, { product_id: 'NOPE', quantity: 1 }] }, { terminalId: t.id, storeId: 'S001', idempotencyKey: null })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      message: 'lines[1].product_id: no product with id "NOPE"',
    });
    await expect(s.orders.create({ member_id: 'ghost', lines: [{ product_id: 'P001', quantity: 1 }] }, { terminalId: t.id, storeId: 'S001', idempotencyKey: null })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const after = await s.db.kysely.selectFrom('orders').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('orders: an idempotency key returns the first result, also under concurrency; another body is a CONFLICT', async () => {
    const t = await terminal('O3');
    const m = await s.members.create({ openid: 'o-idem', nickname: '张伟' });
    const req = { member_id: m.id, lines: [{ product_id: 'P007', quantity: 1 }] };
    const ctx = { terminalId: t.id, storeId: 'S001', idempotencyKey: 'key-0001-abcdef' };
    const results = await Promise.all(Array.from({ length: 8 }, () => s.orders.create(req, ctx)));
    const ids = new Set(results.map((r) => r.order.id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect((await s.members.byId(m.id))?.points).toBe(45);
    await expect(s.orders.create({ ...req, lines: [{ product_id: 'P007', quantity: 2 }] }, ctx)).rejects.toMatchObject({ code: 'CONFLICT' });
    // Keys are per terminal: another till may use the same key for its own sale.
    const other = await terminal('O4');
    const theirs = await s.orders.create(req, { ...ctx, terminalId: other.id });
    expect(theirs.replayed).toBe(false);
  });

  it('recommendations: the member’s most bought in 90 days, then the store’s best-sellers', async () => {
    const t = await terminal('R1', 'S002');
    const m = await s.members.create({ openid: 'o-reco', nickname: 'Emily' });
    const other = await s.members.create({ openid: 'o-reco-2', nickname: 'Other' });
    const ctx = { terminalId: t.id, storeId: 'S002', idempotencyKey: null };
    const longAgo = new Date(Date.now() - 100 * 86_400_000);
    await s.orders.create({ member_id: m.id, lines: [{ product_id: 'P005', quantity: 50 }] }, ctx, longAgo);
    await s.orders.create({ member_id: m.id, lines: [{ product_id: 'P002', quantity: 2 }, { product_id: 'P003', quantity: 5 }] }, ctx);
    await s.orders.create({ member_id: other.id, lines: [{ product_id: 'P008', quantity: 9 }, { product_id: 'P003', quantity: 9 }, { product_id: 'P010', quantity: 4 }] }, ctx);
    const recs = await s.orders.recommendations(m.id, 'S002', 4);
    expect(recs.map((r) => [r.product.id, r.reason, r.count])).toEqual([
      ['P003', 'frequent', 5],
      ['P002', 'frequent', 2],
      ['P008', 'bestseller', 9],
      ['P010', 'bestseller', 4],
    ]);
  });

  it('points accrue correctly under concurrent orders of one member', async () => {
    const t = await terminal('C1');
    const m = await s.members.create({ openid: 'o-conc', nickname: '并发' });
    await Promise.all(
      Array.from({ length: 10 }, () => s.orders.create({ member_id: m.id, lines: [{ product_id: 'P007', quantity: 1 }] }, { terminalId: t.id, storeId: 'S001', idempotencyKey: null })),
    );
    expect((await s.members.byId(m.id))?.points).toBe(450);
  });
}

describe('storage on SQLite', () => storageSuite(sqliteDatabase));
// Runs when TEST_DATABASE_URL is set (`. .ci/services.sh && start_services`).
describe.skipIf(PG_URL === undefined)('storage on PostgreSQL', () => storageSuite(() => postgresDatabase(PG_URL ?? '')));
