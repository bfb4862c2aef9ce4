import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEFAULT_LOYALTY_RULES } from '@posface/protocol';
import type { LoyaltyRules } from '@posface/protocol/api';
import { ledgerOf } from '@posface/server/testing/ledger';
import { launchFaceBrowser, requireHostAndSimulator, type FaceBrowser } from './testing/index.js';
import { countPrints, facePhase, openPos, printCount, scan, shot, startPosStack, type PosStack } from './testing/pos-stack.js';

// Loyalty at the till (issue 12, "At the till"): the tier on the member card, points redeemed at the tender
// step, and a refund of part of that order — retried after a lost answer — that restores the points it
// redeemed and reverses the points it earned once, read back from the server's ledger. Whole chain: the
// built POS served by the real server (SQLite, demo seed) → real extension → real host → SDK simulator.
let stack: PosStack;
let browser: FaceBrowser;
let page: Page;

const WATER = '6901234567892'; // ¥2.00, member ¥1.50
const COLA = '6902538006100'; // ¥3.50, member ¥3.00
const WANGFANG = 'oSIM_0001_wangfang'; // face 1: gold (granted), 1280 points

/** 100 points = ¥1, at most 50% of an order; gold ×1.5; platinum from ¥2,000 of spend. */
const RULES: LoyaltyRules = {
  ...DEFAULT_LOYALTY_RULES,
  redeem_max_share_pct: 50,
  tiers: [
    { level: 'standard', threshold_fen: 0, multiplier_pct: 100 },
    { level: 'silver', threshold_fen: 10_000, multiplier_pct: 120 },
    { level: 'gold', threshold_fen: 50_000, multiplier_pct: 150 },
    { level: 'platinum', threshold_fen: 200_000, multiplier_pct: 200 },
  ],
};

beforeAll(async () => {
  requireHostAndSimulator();
  stack = await startPosStack();
  await stack.storage.loyalty.settings.save(RULES, 'e2e', stack.storage.db.kysely);
  browser = await launchFaceBrowser();
  page = await browser.context.newPage();
  await countPrints(page);
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const text = async (selector: string) => ((await page.textContent(selector)) ?? '').trim();

describe('loyalty at the till', () => {
  let orderId: string;
  let memberId: string;

  it('shows the tier and the progress to the next on the member card, and redeems points for a discount at the tender step', async () => {
    await openPos(page, stack);
    await facePhase(page, 'ready');
    await scan(page, WATER);
    await scan(page, COLA);
    browser.setScript(['face 1']);
    await page.keyboard.press('F2');
    await facePhase(page, 'found');
    const before = await stack.member(WANGFANG);
    memberId = before.id;
    expect(before.tier).toMatchObject({ level: 'gold', next: { level: 'platinum', threshold_fen: 200_000 } });
    expect(await text('[data-test=member-level]')).toBe('金卡会员');
    expect(await text('[data-test=member-multiplier]')).toBe('积分 ×1.5');
    const progress = await text('[data-test=member-tier-progress]');
    expect(progress).toContain('/ ¥2,000.00');
    expect(progress).toContain(`再消费 ¥${(before.tier!.next!.remaining_fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })} 升级白金会员`);
    await shot(page, 'loyalty-1-tier');

    // F9: 积分抵扣. Goods at member prices ¥4.50: at most 50% = 225 points.
    await page.keyboard.press('F9');
    await page.waitForSelector('[data-test=tender-dialog]');
    await page.waitForSelector('[data-test=redeem][data-block=ok]');
    expect(await text('[data-test=redeem-max]')).toBe('用最多 225 分');
    await page.fill('[data-test=redeem-points]', '300');
    expect(await text('[data-test=redeem-problem]')).toBe('本单最多可用 225 分');
    expect(await page.isDisabled('[data-test=tender-confirm]')).toBe(true);
    await page.click('[data-test=redeem-max]');
    expect(await text('[data-test=tender-total]')).toBe('¥2.25');
    expect(await text('[data-test=redeem-fen]')).toBe('−¥2.25');
    await shot(page, 'loyalty-2-redeem');
    await page.click('[data-test=tender-method-wechat_pay]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-test=receipt]');

    const after = await stack.member(WANGFANG);
    // 225 points off ¥4.50; ¥2.25 paid earns floor(2.25 × 1.5) = 3 points at gold.
    expect(after.points).toBe(before.points - 225 + 3);
    expect(await text('[data-test=points-earned]')).toBe(`本单积分 +3，会员当前积分 ${after.points}`);
    const order = await stack.storage.db.kysely.selectFrom('orders').selectAll().orderBy('created_at', 'desc').executeTakeFirstOrThrow();
    orderId = order.id;
    expect(Number(order.redeemed_points)).toBe(225);
    const receipt = (await page.textContent('[data-test=receipt-print]')) ?? '';
    expect(receipt).toContain('积分抵扣（225 分）−¥2.25');
    expect(receipt).toContain(`当前积分 ${after.points}`);
    await expect.poll(() => printCount(page)).toBe(1);
  });

  it('refunds part of that order at the till; a retry after a lost answer refunds it once; the ledger shows refund_restore and refund_reverse once', async () => {
    const before = await stack.member(WANGFANG);
    await page.click('[data-test=open-refund]');
    await page.waitForSelector('[data-test=refund-view]');
    await page.click('[data-test=refund-last-sale]');
    await page.waitForSelector('[data-test=refund-order-detail]');
    expect(await text('[data-test=refund-order-number]')).toBe(orderId.slice(0, 8).toUpperCase());
    // The water (¥1.50 of ¥4.50 goods): ¥0.75 back, 75 of the 225 points given back, 1 of the 3 taken back.
    await page.fill('[data-test=refund-line][data-line="1"] [data-test=refund-qty]', '1');
    await page.waitForSelector('[data-test=refund-preview]');
    expect(await text('[data-test=refund-preview-money]')).toBe('¥0.75');
    await shot(page, 'loyalty-3-refund');

    // The first answer is lost on the way back (the server did the refund); the cashier presses again.
    let tries = 0;
    const keys: string[] = [];
    await page.route('**/api/v1/orders/*/refunds', async (route) => {
      tries += 1;
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      if (tries === 1) {
        const answer = await route.fetch();
        expect(answer.status()).toBe(201);
        await route.abort('connectionreset');
      } else await route.continue();
    });
    await page.click('[data-test=refund-confirm]');
    await page.waitForSelector('[role=alert][data-code=NETWORK_ERROR]');
    await page.click('[data-test=refund-confirm]');
    await page.waitForSelector('[data-test=refund-done]');
    await page.unroute('**/api/v1/orders/*/refunds');
    expect(tries).toBe(2);
    expect(keys[0]).toMatch(/\S/);
    expect(keys[1]).toBe(keys[0]);

    expect(await text('[data-test=refund-done]')).toContain('退款成功：¥0.75');
    const after = await stack.member(WANGFANG);
    expect(after.points).toBe(before.points + 75 - 1);
    expect(await text('[data-test=refund-done-points]')).toBe(`退还积分 +75，扣回积分 −1，会员当前积分 ${after.points}`);
    expect(await text('[data-test=refund-left]')).toBe('0');
    await expect.poll(() => printCount(page)).toBe(2);

    // The server: one refund, and one refund_restore and one refund_reverse row for it.
    const db = stack.storage.db.kysely;
    const refunds = await db.selectFrom('refunds').selectAll().where('order_id', '=', orderId).execute();
    expect(refunds).toHaveLength(1);
    const rows = await db.selectFrom('points_ledger').select(['kind', 'points', 'refund_id']).where('member_id', '=', memberId).where('order_id', '=', orderId).orderBy('id').execute();
    expect(rows.map((r) => [r.kind, Number(r.points)])).toEqual([
      ['redeem', -225],
      ['earn', 3],
      ['refund_restore', 75],
      ['refund_reverse', -1],
    ]);
    expect(rows.filter((r) => r.refund_id !== null).every((r) => r.refund_id === refunds[0]?.id)).toBe(true);
    expect(await ledgerOf(stack.storage, memberId)).toMatchObject({ points: after.points, sum: after.points, chained: true });

    // The refund receipt: the only thing printed, 80 mm.
    await page.emulateMedia({ media: 'print' });
    try {
      const receipt = await page.waitForSelector('[data-test=refund-receipt-print]', { state: 'visible' });
      const printed = (await receipt.textContent()) ?? '';
      expect(printed).toContain('退 款 单');
      expect(printed).toContain(`原单号 ${orderId.slice(0, 8).toUpperCase()}`);
      expect(printed).toContain('1 × ¥1.50');
      expect(printed).toContain('退款金额¥0.75');
      expect(printed).toContain('退还积分+75');
      expect(printed).toContain('扣回积分−1');
      expect(printed).toContain(`当前积分${after.points}`);
      await shot(page, 'loyalty-4-refund-receipt', receipt);
    } finally {
      await page.emulateMedia({ media: 'screen' });
    }
    expect(await text('[data-test=refund-refunded]')).toBe('已退 ¥0.75');
  });

  it('never offline: with the server down the redeem control is disabled with a plain message', async () => {
    await page.click('[data-test=refund-back]');
    await page.waitForSelector('[data-test=search]');
    await scan(page, COLA);
    browser.setScript(['face 1']);
    await page.keyboard.press('F2');
    await facePhase(page, 'found');
    await stack.stopServer();
    await page.keyboard.press('F9');
    await page.waitForSelector('[data-test=redeem][data-block=offline]');
    expect(await text('[data-test=redeem-blocked]')).toBe('暂时连不上服务器，不能使用积分抵扣（积分抵扣必须联网）');
    expect(await page.$('[data-test=redeem-points]')).toBeNull();
    await shot(page, 'loyalty-5-redeem-offline');
  });
});
