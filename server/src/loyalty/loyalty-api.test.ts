import { DEFAULT_LOYALTY_RULES, type StaffRole } from '@posface/protocol';
import type { AdjustPointsResponse, AdminProduct, AuditList, LoyaltySettings, MemberDetail, MergeMembersResponse } from '@posface/protocol/admin-api';
import type { ErrorBody, LoyaltyRules, Order, OrderDetail, Refund } from '@posface/protocol/api';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openBackOffice, type BackOffice } from '../admin/back-office.js';
import { openStorage, type Storage } from '../db/storage.js';
import { AdminClient } from '../testing/admin-client.js';
import { PG_URL, postgresDatabase, sqliteDatabase, type TestDatabase } from '../testing/databases.js';
import { call, startStack, type Stack } from '../testing/harness.js';
import { ledgerOf } from '../testing/ledger.js';
import { LoyaltyJob, refreshAllTiers } from './loyalty-job.js';

/**
 * The loyalty program over real HTTP on a real database: the rules the back office saves, orders at the till
 * that redeem points and pay tier prices, refunds of part and then all of a partly redeemed order (once
 * each, whatever the retries), points adjusted by hand (never by IT), merges, the member's ledger, expiry.
 */
const PASSWORD = 'correct horse battery';

/** ¥1 earns 1 point (×1.5 silver, ×2 gold); 100 points = ¥1 off, at most half an order; silver from ¥100 of spend. */
const RULES: LoyaltyRules = {
  points_per_yuan: 1,
  redeem_points_per_yuan: 100,
  redeem_max_share_pct: 50,
  tiers: [
    { level: 'standard', threshold_fen: 0, multiplier_pct: 100 },
    { level: 'silver', threshold_fen: 10_000, multiplier_pct: 150 },
    { level: 'gold', threshold_fen: 50_000, multiplier_pct: 200 },
    { level: 'platinum', threshold_fen: null, multiplier_pct: 300 },
  ],
  expiry_months: null,
};

function loyaltySuite(make: () => TestDatabase): void {
  let db: TestDatabase;
  let storage: Storage;
  let office: BackOffice;
  let stack: Stack;
  let manager: AdminClient;
  let token: string;
  let keyNo = 0;
  const key = () => `test-key-${(keyNo += 1).toString().padStart(4, '0')}`;
  const as = async (role: StaffRole) => {
    const name = `${role}-loyalty`;
    if ((await office.staff.byUsername(name)) === null) await office.staff.create({ username: name, role, password: PASSWORD });
    const client = new AdminClient(stack.server.url);
    expect((await client.login(name, PASSWORD)).status).toBe(200);
    return client;
  };
  const order = (body: object, idem = key()) => call<Order & ErrorBody>(stack.server.url, 'POST', '/api/v1/orders', { token, body, headers: { 'idempotency-key': idem } });
  const refund = (orderId: string, body: object, idem: string) => call<Refund & ErrorBody>(stack.server.url, 'POST', `/api/v1/orders/${orderId}/refunds`, { token, body, headers: { 'idempotency-key': idem } });

  beforeAll(async () => {
    db = make();
    storage = await openStorage(db.config);
    office = openBackOffice(storage.db);
    stack = await startStack(db.config, { deps: { storage } });
    manager = await as('manager');
    token = (await storage.terminals.add({ storeId: 'S001', storeName: '演示门店', deviceId: 'LOY1' })).token;
    await storage.products.upsert({ id: 'A', barcode: '690000000101', name: '咖啡豆', name_en: 'Beans', price_fen: 3000, member_price_fen: 2800 });
    await storage.products.upsert({ id: 'B', barcode: '690000000102', name: '面包', name_en: 'Bread', price_fen: 1001, member_price_fen: null });
  });
  afterAll(async () => {
    await stack?.close();
    await storage?.close();
    await db?.drop();
  });

  it('saves the rules (owner and manager only), refuses tiers that fall, and the till reads them', async () => {
    const first = await manager.get<LoyaltySettings>('/loyalty');
    expect(first.body).toEqual({ rules: DEFAULT_LOYALTY_RULES, updated_at: null, updated_by: null });
    const falling = { ...RULES, tiers: RULES.tiers.map((t) => (t.level === 'gold' ? { ...t, threshold_fen: 5_000 } : t)) };
    const bad = await manager.request<ErrorBody>('PUT', '/loyalty', { body: falling });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'INVALID_REQUEST', details: { field: 'body.tiers[2].threshold_fen' } });
    expect((await (await as('it')).request('PUT', '/loyalty', { body: RULES })).status).toBe(403);
    const saved = await manager.request<LoyaltySettings>('PUT', '/loyalty', { body: RULES });
    expect(saved.status, saved.text).toBe(200);
    expect(saved.body).toMatchObject({ rules: RULES, updated_by: 'staff:manager-loyalty' });
    expect((await call<LoyaltyRules>(stack.server.url, 'GET', '/api/v1/loyalty/rules', { token })).body).toEqual(RULES);
  });

  it('sets tier prices on a product: one per level, never above the price', async () => {
    const above = await manager.request<ErrorBody>('PATCH', '/products/A', { body: { tier_prices: [{ level: 'silver', price_fen: 3001 }] } });
    expect(above.status).toBe(400);
    expect(above.body.error.details).toMatchObject({ field: 'body.tier_prices[0].price_fen' });
    const ok = await manager.request<AdminProduct>('PATCH', '/products/A', { body: { tier_prices: [{ level: 'gold', price_fen: 2200 }, { level: 'silver', price_fen: 2500 }] } });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.tier_prices).toEqual([{ level: 'silver', price_fen: 2500 }, { level: 'gold', price_fen: 2200 }]);
  });

  it('redeems points at the cap at most, earns on the money paid only, reaches silver by spend and then pays the silver price', async () => {
    const member = await storage.members.create({ nickname: '积分', points: 1000 });
    const goods = 2 * 2800 + 1001; // member prices: 6601 fen
    const overCap = await order({ member_id: member.id, redeem_points: 3301, lines: [{ product_id: 'A', quantity: 2 }, { product_id: 'B', quantity: 1 }] });
    expect(overCap.status).toBe(422);
    expect(overCap.body.error).toMatchObject({ code: 'REDEMPTION_NOT_ALLOWED', details: { reason: 'over_cap', max_points: 3300 } });
    const tooMany = await order({ member_id: member.id, redeem_points: 1100, lines: [{ product_id: 'A', quantity: 2 }, { product_id: 'B', quantity: 1 }] });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.error).toMatchObject({ code: 'POINTS_INSUFFICIENT', details: { balance: 1000 } });

    const first = await order({ member_id: member.id, redeem_points: 500, lines: [{ product_id: 'A', quantity: 2 }, { product_id: 'B', quantity: 1 }] });
    expect(first.status, first.text).toBe(201);
    // 500 points = ¥5 off; 6101 fen paid earns floor(61.01) = 61 points, nothing on the ¥5.
    expect(first.body).toMatchObject({ total_fen: goods - 500, redeemed_points: 500, redemption_fen: 500, points_earned: 61, member_points: 1000 - 500 + 61, member_level: 'standard' });

    // 5600 more: 11701 fen in 12 months reaches silver after this order (it still pays the standard price).
    const second = await order({ member_id: member.id, lines: [{ product_id: 'A', quantity: 2 }] });
    expect(second.body).toMatchObject({ total_fen: 5600, points_earned: 56, member_level: 'silver' });
    // Silver now: the silver price (2500, below the member price) and ×1.5 points: floor(25 × 1.5) = 37.
    const third = await order({ member_id: member.id, lines: [{ product_id: 'A', quantity: 1 }] });
    expect(third.body).toMatchObject({ total_fen: 2500, points_earned: 37, member_level: 'silver' });

    const ledger = await ledgerOf(storage, member.id);
    expect(ledger).toMatchObject({ points: 1000 - 500 + 61 + 56 + 37, sum: 1000 - 500 + 61 + 56 + 37, chained: true, kinds: ['opening', 'redeem', 'earn', 'earn', 'earn'] });
  });

  it('refunds a line of a partly redeemed order, then the rest: the shares add up to the order, each refund once', async () => {
    const member = await storage.members.create({ nickname: '退款', points: 1000 });
    const sold = await order({ member_id: member.id, redeem_points: 500, lines: [{ product_id: 'A', quantity: 2 }, { product_id: 'B', quantity: 1 }] });
    const o = sold.body; // goods 6601, paid 6101, earned 61, redeemed 500; balance 561
    const goods = 6601;

    const part = await refund(o.id, { lines: [{ line_no: 2, quantity: 1 }], reason: '面包过期' }, 'refund-part-1');
    expect(part.status, part.text).toBe(201);
    // Line 2 is 1001 of 6601 fen of goods: floor of each share.
    expect(part.body).toMatchObject({
      goods_fen: 1001,
      refund_fen: Math.floor((6101 * 1001) / goods),
      points_reversed: Math.floor((61 * 1001) / goods),
      points_restored: Math.floor((500 * 1001) / goods),
      points_unrecovered: 0,
      member_points: 561 + 75 - 9,
      reason: '面包过期',
    });
    const again = await refund(o.id, { lines: [{ line_no: 2, quantity: 1 }], reason: '面包过期' }, 'refund-part-1');
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(part.body.id);
    const reused = await refund(o.id, { lines: [{ line_no: 1, quantity: 1 }] }, 'refund-part-1');
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe('CONFLICT');
    const over = await refund(o.id, { lines: [{ line_no: 2, quantity: 1 }] }, 'refund-part-2');
    expect(over.status).toBe(409);
    expect(over.body.error).toMatchObject({ code: 'REFUND_EXCEEDS_SALE', details: { line_no: 2, refundable: 0 } });

    const rest = await refund(o.id, {}, 'refund-rest-1');
    expect(rest.status, rest.text).toBe(201);
    // The rest is exactly what the order had left: together, all the money, all the points.
    expect(part.body.refund_fen + rest.body.refund_fen).toBe(6101);
    expect(part.body.points_reversed + rest.body.points_reversed).toBe(61);
    expect(part.body.points_restored + rest.body.points_restored).toBe(500);
    expect(rest.body.member_points).toBe(1000);
    expect((await refund(o.id, {}, 'refund-rest-2')).body.error.code).toBe('REFUND_EXCEEDS_SALE');

    const detail = await call<OrderDetail>(stack.server.url, 'GET', `/api/v1/orders/${o.id}`, { token });
    expect(detail.body).toMatchObject({ refunded_fen: 6101, refundable: [{ line_no: 1, quantity: 0 }, { line_no: 2, quantity: 0 }] });
    expect(detail.body.refunds).toHaveLength(2);
    expect(await ledgerOf(storage, member.id)).toMatchObject({ points: 1000, sum: 1000, chained: true, kinds: ['opening', 'redeem', 'earn', 'refund_restore', 'refund_reverse', 'refund_restore', 'refund_reverse'] });
  });

  it('a refund never takes the balance below 0: points already spent are recorded as unrecovered', async () => {
    const member = await storage.members.create({ nickname: '花光' });
    const sold = await order({ member_id: member.id, lines: [{ product_id: 'A', quantity: 4 }] }); // 11200 fen: 112 points
    expect(sold.body.points_earned).toBe(112);
    await storage.db.kysely.transaction().execute(async (trx) => {
      const row = await storage.loyalty.ledger.lockMember(trx, member.id);
      if (row) await storage.loyalty.ledger.post(trx, row, [{ kind: 'adjust', points: -100, reason: 'spent elsewhere' }]);
    });
    const back = await refund(sold.body.id, {}, 'refund-spent-1');
    expect(back.body).toMatchObject({ points_reversed: 12, points_unrecovered: 100, member_points: 0 });
    expect(await ledgerOf(storage, member.id)).toMatchObject({ points: 0, sum: 0, chained: true });
  });

  it('adjusts points with a reason (never IT, never below 0), audited, and GET /members/{id} shows the ledger', async () => {
    const member = await storage.members.create({ nickname: '调整', points: 20 });
    const it_ = await as('it');
    const refused = await it_.request<ErrorBody>('POST', `/members/${member.id}/points`, { body: { points: 50, reason: '补录' } });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'FORBIDDEN', details: { permission: 'points.adjust' } });
    expect((await manager.request('POST', `/members/${member.id}/points`, { body: { points: 50, reason: '  ' } })).status).toBe(400);
    expect((await manager.request('POST', `/members/${member.id}/points`, { body: { points: 0, reason: '零' } })).status).toBe(400);
    const below = await manager.request<ErrorBody>('POST', `/members/${member.id}/points`, { body: { points: -21, reason: '扣多了' } });
    expect(below.status).toBe(409);
    expect(below.body.error.code).toBe('POINTS_INSUFFICIENT');

    const done = await manager.request<AdjustPointsResponse>('POST', `/members/${member.id}/points`, { body: { points: 50, reason: '补录上周积分' } });
    expect(done.status, done.text).toBe(201);
    expect(done.body.member.points).toBe(70);
    expect(done.body.entry).toMatchObject({ kind: 'adjust', points: 50, balance: 70, reason: '补录上周积分', actor: 'staff:manager-loyalty' });

    const page = await manager.get<MemberDetail>(`/members/${member.id}`);
    expect(page.body.points).toBe(70);
    expect(page.body.ledger.map((e) => [e.kind, e.points, e.reason])).toEqual([
      ['adjust', 50, '补录上周积分'],
      ['opening', 20, 'balance at enrolment'],
    ]);
    for (const e of page.body.ledger) expect(Date.parse(e.created_at)).not.toBeNaN();
    const audit = await (await as('owner')).get<AuditList>('/audit?action=points.adjust');
    expect(audit.body.items.find((a) => a.target_id === member.id)).toMatchObject({ summary: { points: 50, reason: '补录上周积分', balance: [20, 70] } });
  });

  it('merges a duplicate: orders and points move with their age, the duplicate is closed, the merge is in both ledgers', async () => {
    const survivor = await storage.members.create({ nickname: '本人', phone: '13800001111', points: 10 });
    const duplicate = await storage.members.create({ nickname: '重复', openid: `oDUP_${db.name}`, points: 5 });
    const bought = await order({ member_id: duplicate.id, lines: [{ product_id: 'B', quantity: 3 }] }); // 3003 fen: 30 points
    expect(bought.body.member_points).toBe(35);

    expect((await (await as('it')).request('POST', `/members/${survivor.id}/merge`, { body: { duplicate_id: duplicate.id } })).status).toBe(403);
    expect((await manager.request('POST', `/members/${survivor.id}/merge`, { body: { duplicate_id: survivor.id } })).status).toBe(400);
    const merged = await manager.request<MergeMembersResponse>('POST', `/members/${survivor.id}/merge`, { body: { duplicate_id: duplicate.id } });
    expect(merged.status, merged.text).toBe(200);
    expect(merged.body).toMatchObject({ moved_points: 35, moved_orders: 1, member: { id: survivor.id, points: 45, has_face: true } });
    expect((await manager.request<ErrorBody>('POST', `/members/${survivor.id}/merge`, { body: { duplicate_id: duplicate.id } })).body.error.code).toBe('CONFLICT');

    const gone = await manager.get<MemberDetail>(`/members/${duplicate.id}`);
    expect(gone.body).toMatchObject({ points: 0, merged_into: survivor.id });
    expect(gone.body.ledger[0]).toMatchObject({ kind: 'merge_out', points: -35, related_member_id: survivor.id });
    const kept = await manager.get<MemberDetail>(`/members/${survivor.id}`);
    // One merge_in per age of the moved points (the opening 5, then the order's 30), so expiry treats them as before.
    expect(kept.body.ledger.filter((e) => e.kind === 'merge_in').map((e) => e.points).sort((a, b) => a - b)).toEqual([5, 30]);
    expect(await ledgerOf(storage, survivor.id)).toMatchObject({ points: 45, sum: 45, chained: true });
    expect(await ledgerOf(storage, duplicate.id)).toMatchObject({ points: 0, sum: 0, chained: true });
    // The order is the survivor's now, and refunding it reverses the points on the survivor.
    const back = await refund(bought.body.id, {}, 'refund-merged-1');
    expect(back.body).toMatchObject({ member_id: survivor.id, points_reversed: 30, member_points: 15 });
  });

  it('expires points earned before the cutoff, first in first out, once', async () => {
    const member = await storage.members.create({ nickname: '过期', points: 100 }, new Date('2025-01-10T00:00:00Z'));
    await storage.db.kysely.transaction().execute(async (trx) => {
      const row = await storage.loyalty.ledger.lockMember(trx, member.id);
      if (row) await storage.loyalty.ledger.post(trx, row, [{ kind: 'adjust', points: -30, reason: 'used' }], { now: new Date('2025-06-01T00:00:00Z') });
      const again = await storage.loyalty.ledger.lockMember(trx, member.id);
      if (again) await storage.loyalty.ledger.post(trx, again, [{ kind: 'adjust', points: 40, reason: 'newer' }], { now: new Date('2026-03-01T00:00:00Z') });
    });
    await storage.db.kysely.transaction().execute((trx) => storage.loyalty.settings.save({ ...RULES, expiry_months: 12 }, 'test', trx));
    const job = new LoyaltyJob(storage.db, storage.loyalty, { info: () => undefined, error: () => undefined });
    try {
      // 12 months before 2026-02-01: the opening 100 (30 of it used) expires, the newer 40 stays.
      const run = await job.expire(new Date('2026-02-01T00:00:00Z'));
      expect(run).toEqual({ expiredMembers: 1, expiredPoints: 70 });
      expect(await ledgerOf(storage, member.id)).toMatchObject({ points: 40, sum: 40, chained: true, kinds: ['opening', 'adjust', 'adjust', 'expire'] });
      expect((await job.expire(new Date('2026-02-01T00:00:00Z'))).expiredPoints).toBe(0);
    } finally {
      await storage.db.kysely.transaction().execute((trx) => storage.loyalty.settings.save(RULES, 'test', trx));
    }
  });

  it('refreshes cached tiers a page at a time, letting requests through, all members after a rules change and aged orders after', async () => {
    const kysely = storage.db.kysely;
    const setLevel = (id: string, level: string) => kysely.updateTable('members').set({ level }).where('id', '=', id).execute();
    const levelOf = async (id: string) => (await kysely.selectFrom('members').select('level').where('id', '=', id).executeTakeFirstOrThrow()).level;
    const now = new Date();
    // Enough members for several pages; three whose cached level is wrong.
    for (let i = 0; i < 1_100; i += 1) await storage.members.create({ nickname: `页${i}` });
    const spender = await storage.members.create({ nickname: '常客' });
    expect((await order({ member_id: spender.id, lines: [{ product_id: 'A', quantity: 4 }] })).status).toBe(201);
    const lapsed = await storage.members.create({ nickname: '久未来' });
    const granted = await storage.members.create({ nickname: '特批', level: 'gold' });
    await setLevel(spender.id, 'standard');
    await setLevel(lapsed.id, 'gold');
    await setLevel(granted.id, 'standard');
    await kysely.transaction().execute((trx) => refreshAllTiers(trx));

    const job = new LoyaltyJob(storage.db, storage.loyalty, { info: () => undefined, error: () => undefined });
    let turns = 0;
    let counting = true;
    const count = () => {
      if (!counting) return;
      turns += 1;
      setImmediate(count);
    };
    setImmediate(count);
    const changed = await job.refreshTiers(now);
    counting = false;
    expect(changed).toBeGreaterThanOrEqual(3);
    expect([await levelOf(spender.id), await levelOf(lapsed.id), await levelOf(granted.id)]).toEqual(['silver', 'standard', 'gold']);
    // One query per member kept the event loop for the whole run; a page of 500 at a time gives it a turn per page.
    expect(turns).toBeGreaterThanOrEqual(3);
    // Nothing left to change, and from now on only members whose orders aged out are looked at.
    expect(await job.refreshTiers(now)).toBe(0);

    // The spender's orders leave the 12-month window: the next run finds them and drops the tier.
    const longAgo = new Date(now.getTime() - 400 * 86_400_000).toISOString();
    await kysely.updateTable('orders').set({ created_at: longAgo }).where('member_id', '=', spender.id).execute();
    await kysely.updateTable('loyalty_jobs').set({ done_until: new Date(now.getTime() - 800 * 86_400_000).toISOString() }).where('name', '=', 'tiers').execute();
    expect(await job.refreshTiers(now)).toBe(1);
    expect(await levelOf(spender.id)).toBe('standard');

    // Rules saved while a run over everyone is under way (here, between its first page and its spends): the
    // run must not mark that done, or the new rules would never reach the cached tiers.
    const mark = async () => (await kysely.selectFrom('loyalty_jobs').select('done_until').where('name', '=', 'tiers').executeTakeFirstOrThrow()).done_until;
    await kysely.transaction().execute((trx) => refreshAllTiers(trx));
    let savedDuringRun = '';
    const spends = storage.loyalty.tiers.spends.bind(storage.loyalty.tiers);
    const spy = vi.spyOn(storage.loyalty.tiers, 'spends').mockImplementationOnce(async (...args) => {
      await kysely.transaction().execute((trx) => refreshAllTiers(trx));
      savedDuringRun = await mark();
      return spends(...args);
    });
    try {
      await job.refreshTiers(now);
    } finally {
      spy.mockRestore();
    }
    expect(savedDuringRun).toMatch(/^all:/);
    expect(await mark()).toBe(savedDuringRun);
    await job.refreshTiers(now);
    expect(await mark()).not.toMatch(/^all:/);
  });
}

describe('loyalty program (sqlite)', () => loyaltySuite(sqliteDatabase));
describe.skipIf(PG_URL === undefined)('loyalty program (postgres)', () => loyaltySuite(() => postgresDatabase(PG_URL ?? '')));
