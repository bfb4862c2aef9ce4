import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerOf } from '@posface/server/testing/ledger';
import { adminCli, field, login, shot, startAdminStack, type AdminStack } from './testing/admin-stack.js';

/**
 * The loyalty program in the back office, in a real Chromium against the real server (SQLite): a manager
 * sets the rules and a silver price, corrects a member's points with a reason, and merges a duplicate
 * member; each change is read back from the page's ledger and from the database (balance = sum of rows).
 */
const PASSWORD = 'manager password 2026';

let stack: AdminStack;
let page: Page;
let token: string;

async function sell(memberId: string, productId: string, quantity: number): Promise<void> {
  const res = await fetch(`${stack.origin}/api/v1/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ member_id: memberId, lines: [{ product_id: productId, quantity }] }),
  });
  expect(res.status, await res.text()).toBe(201);
}

async function openMember(id: string): Promise<void> {
  await page.goto(`${stack.origin}/admin/#/members/${id}`);
  await page.waitForSelector(`[data-test=member-card]:has-text("${id}")`);
}

beforeAll(async () => {
  stack = await startAdminStack();
  expect((await adminCli(stack.dbUrl, ['add-user', '--username', 'lily', '--role', 'manager'], `${PASSWORD}\n`)).code).toBe(0);
  await stack.storage.terminals.add({ storeId: 'S001', storeName: '演示门店', deviceId: 'D001' });
  token = (await stack.storage.terminals.issueToken({ deviceId: 'D001' })).token;
  await stack.storage.products.upsert({ id: 'cola', barcode: '6902538006100', name: '可乐', name_en: 'Cola', price_fen: 350, member_price_fen: 320 });
  const context = await stack.browser.newContext({ viewport: { width: 1366, height: 900 } });
  page = await context.newPage();
  await login(page, stack.origin, 'lily', PASSWORD);
});
afterAll(async () => {
  await stack?.close();
});

describe('back office: loyalty', () => {
  it('sets the rules on the loyalty screen: redemption, a silver tier by spend with ×1.5 points', async () => {
    await page.click('[data-test=nav-loyalty]');
    await page.waitForSelector('[data-test=loyalty-form]');
    await page.fill(field('redeem-max-share'), '30');
    await page.click('[data-test=tier-by-spend-silver]');
    await page.fill(field('tier-threshold-silver'), '500');
    await page.fill(field('tier-multiplier-silver'), '150');
    await page.keyboard.press('Tab');
    await page.click('[data-test=loyalty-save]');
    await page.waitForSelector('[data-test=loyalty-updated]');
    await shot(page, 'loyalty-rules');
    const rules = await stack.storage.loyalty.settings.rules();
    expect(rules).toMatchObject({ redeem_max_share_pct: 30, redeem_points_per_yuan: 100 });
    expect(rules.tiers[1]).toEqual({ level: 'silver', threshold_fen: 50_000, multiplier_pct: 150 });
  });

  it('sets a silver price on the product edit', async () => {
    await page.click('[data-test=nav-products]');
    await page.click('[data-test="edit-6902538006100"]');
    await page.click('[data-test=tier-on-silver]');
    await page.fill(field('tier-price-silver'), '2.90');
    await page.keyboard.press('Tab');
    await page.click('[data-test=edit-save]');
    await page.waitForSelector('[data-test=product-form]', { state: 'hidden' });
    expect((await stack.storage.loyalty.tierPrices.of(['cola'])).get('cola')).toEqual([{ level: 'silver', price_fen: 290 }]);
  });

  it("adjusts a member's points with a reason; the ledger shows it, and a debit past the balance is refused", async () => {
    const zhou = await stack.storage.members.create({ nickname: '周敏', phone: '13611112222' });
    await sell(zhou.id, 'cola', 10); // 32.00 paid: 32 points
    await openMember(zhou.id);
    expect(await page.textContent('[data-test=member-points]')).toBe('32');

    await page.fill(field('adjust-points'), '-50');
    await page.fill(field('adjust-reason'), '退货补扣');
    await page.click('[data-test=adjust-save]');
    await page.waitForSelector('[data-test=adjust-error]');
    expect(await page.textContent('[data-test=adjust-error]')).toContain('积分不足');

    await page.fill(field('adjust-points'), '120');
    await page.fill(field('adjust-reason'), '活动补发积分');
    await page.click('[data-test=adjust-save]');
    await page.waitForSelector('[data-test=member-points]:has-text("152")');
    const first = page.locator('[data-test=ledger] tbody tr').first();
    expect(await first.textContent()).toMatch(/人工调整\s*120\s*152\s*活动补发积分/);
    await shot(page, 'points-adjusted');
    expect(await ledgerOf(stack.storage, zhou.id)).toMatchObject({ points: 152, sum: 152, chained: true, kinds: ['earn', 'adjust'] });
  });

  it('merges a duplicate member: its orders and points move, the merge is in both ledgers, the duplicate is closed', async () => {
    const keep = await stack.storage.members.create({ nickname: '陈晨', phone: '13933334444', points: 40 });
    const dup = await stack.storage.members.create({ nickname: '陈晨（重复）', openid: 'o-e2e-dup' });
    await sell(dup.id, 'cola', 5); // 16.00 paid: 16 points
    await openMember(keep.id);
    await page.fill(field('merge-id'), dup.id);
    await page.click('[data-test=merge-save]');
    await page.click('.el-message-box .el-button--primary');
    await page.waitForSelector('[data-test=member-points]:has-text("56")');
    const ledger = await page.textContent('[data-test=ledger] tbody');
    expect(ledger).toContain('合并转入');
    expect(ledger).toContain(`merged from ${dup.id}`);
    expect(await page.textContent('[data-test=member-orders] tbody')).toContain('可乐 × 5');
    await shot(page, 'member-merged');

    await openMember(dup.id);
    expect(await page.textContent('[data-test=member-closed]')).toContain(keep.id);
    expect(await page.textContent('[data-test=ledger] tbody')).toContain('合并转出');
    expect(await page.locator('[data-test=merge-form]').count()).toBe(0);
    expect(await ledgerOf(stack.storage, keep.id)).toMatchObject({ points: 56, sum: 56, chained: true });
    expect(await ledgerOf(stack.storage, dup.id)).toMatchObject({ points: 0, sum: 0, chained: true });
  });
});
