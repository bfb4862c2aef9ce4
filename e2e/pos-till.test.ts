import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_PRODUCTS } from '@posface/demo';
import { launchFaceBrowser, requireHostAndSimulator, type FaceBrowser } from './testing/index.js';
import { countPrints, facePhase, openPos, pay, printCount, scan, shot, startPosStack, type PosStack } from './testing/pos-stack.js';

// The till as a new cashier meets it (issue 11): start-up, tender and receipt, a clean screen after each sale,
// enrolment's phone checks, a host that dies, and a server that is down. Whole chain: the built POS served by
// the real server (SQLite, demo seed) → real extension → real host → SDK simulator.
let stack: PosStack;
let browser: FaceBrowser;

beforeAll(async () => {
  requireHostAndSimulator();
  stack = await startPosStack();
  browser = await launchFaceBrowser();
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const WATER = '6901234567892'; // ¥2.00, member ¥1.50
const COLA = '6902538006100'; // ¥3.50, member ¥3.00
const WANGFANG = 'oSIM_0001_wangfang';

async function newTill(): Promise<Page> {
  const page = await browser.context.newPage();
  await countPrints(page);
  return page;
}

const text = async (page: Page, selector: string) => ((await page.textContent(selector)) ?? '').trim();

describe('the till for a new cashier', () => {
  // First in the file: the server has no authinfo cached yet, so the slow upstream makes start-up slow.
  it('F2 pressed during start-up is remembered and the face step starts once ready (item 6)', async () => {
    stack.backend.faults.set({ latencyMs: 3_000 });
    const page = await newTill();
    try {
      browser.setScript(['face 1']);
      await openPos(page, stack);
      await page.keyboard.press('F2');
      await page.waitForSelector('[data-test=face-notice]', { timeout: 2_000 });
      expect(await text(page, '[data-test=face-notice]')).toContain('准备好后将自动开始');
      // No second F2: the remembered one starts the step once the authinfo arrived.
      await facePhase(page, 'found');
      expect(await text(page, '[data-test=member-nickname]')).toBe('王芳');
      expect(browser.scriptLeft()).toEqual([]);
    } finally {
      stack.backend.faults.reset();
      await page.close();
    }
  });

  it('tender at F9 (cash, change, quick amounts), the receipt printed and reprinted, and a clean screen after (items 1, tender, receipt)', async () => {
    const page = await newTill();
    await openPos(page, stack);
    await facePhase(page, 'ready');
    await scan(page, WATER);
    await scan(page, COLA);
    browser.setScript(['face 1']);
    await page.keyboard.press('F2');
    await facePhase(page, 'found');
    const pointsBefore = Number(await text(page, '[data-test=member-points]'));
    expect(await text(page, '[data-test=total]')).toBe('¥4.50');
    expect(await page.$('[data-test=search-message]')).not.toBeNull();

    // F9: the tender step, cash first, the amount field focused.
    await page.keyboard.press('F9');
    await page.waitForSelector('[data-test=tender-dialog]');
    expect(await text(page, '[data-test=tender-total]')).toBe('¥4.50');
    expect(await page.$$eval('[data-test=tender-quick]', (b) => b.map((x) => x.textContent?.trim()))).toEqual(['¥4.50', '¥10.00', '¥50.00', '¥100.00']);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-test'))).toBe('tender-received');
    await page.keyboard.type('3');
    expect(await text(page, '[data-test=tender-issue]')).toContain('实收金额少于应收 ¥4.50');
    expect(await page.isDisabled('[data-test=tender-confirm]')).toBe(true);
    await page.fill('[data-test=tender-received]', '10');
    expect(await text(page, '[data-test=tender-change]')).toBe('¥5.50');
    await shot(page, '10-tender-cash');
    await page.click('[data-test=tender-quick]:has-text("¥50.00")');
    expect(await text(page, '[data-test=tender-change]')).toBe('¥45.50');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-test=receipt]');
    expect(await page.$('[data-test=tender-dialog]')).toBeNull();

    // The order on the server carries the tender, settled against the total it priced.
    const order = await stack.storage.db.kysely.selectFrom('orders').selectAll().orderBy('created_at', 'desc').executeTakeFirstOrThrow();
    expect(order).toMatchObject({ total_fen: 450, discount_fen: 100, tender_method: 'cash' });
    expect([Number(order.tender_received_fen), Number(order.tender_change_fen)]).toEqual([5_000, 4_550]);
    const member = await stack.member(WANGFANG);
    expect(member.points - pointsBefore).toBe(order.points_earned);

    // The summary: what to hand back, and the points.
    expect(await text(page, '[data-test=sale-tender]')).toMatch(/^现金\s*· 找零\s*¥45\.50$/);
    expect(await text(page, '[data-test=points-earned]')).toContain(String(member.points));
    // Item 1: nothing of this customer is left: no member, no "member found", no "已添加 …".
    expect(await page.getAttribute('[data-test=face-panel]', 'data-phase')).toBe('ready');
    expect(await page.$('[data-test=member-card]')).toBeNull();
    expect(await page.$('[data-test=search-message]')).toBeNull();
    expect(await text(page, '[data-test=total]')).toBe('¥0.00');
    await shot(page, '11-sale-done');

    // The receipt printed itself once; in print it is the only thing on the page, 80 mm wide.
    expect(await printCount(page)).toBe(1);
    await page.emulateMedia({ media: 'print' });
    try {
      expect(await page.isVisible('[data-test=search]')).toBe(false);
      const receipt = await page.waitForSelector('[data-test=receipt-print]', { state: 'visible' });
      const width = await receipt.evaluate((el) => el.getBoundingClientRect().width);
      expect(width / (96 / 25.4)).toBeCloseTo(72, 0); // CSS px → mm
      const printed = (await receipt.textContent()) ?? '';
      for (const expected of ['演示门店 Demo Store', '农夫山泉 550ml', '可口可乐 330ml', '本单会员优惠 ¥1.00', `本单积分 +${order.points_earned}`, `当前积分 ${member.points}`, '现金¥50.00', '找零¥45.50', '王芳']) {
        expect(printed.replace(/\s+/g, '')).toContain(expected.replace(/\s+/g, ''));
      }
      expect(await page.$$('[data-test=receipt-line]')).toHaveLength(2);
      await shot(page, '12-receipt', receipt);
    } finally {
      await page.emulateMedia({ media: 'screen' });
    }
    await page.click('[data-test=reprint]');
    await expect.poll(() => printCount(page)).toBe(2);

    // 下一位顾客, then the next customer's first scan: list prices, the panel says nothing of the last one.
    await page.click('[data-test=next-customer]');
    expect(await page.$('[data-test=receipt]')).toBeNull();
    await scan(page, WATER);
    expect(await text(page, '[data-test=total]')).toBe('¥2.00');
    expect(await page.getAttribute('[data-test=face-panel]', 'data-phase')).toBe('ready');
    expect(await page.$('[data-test=reprint]')).not.toBeNull();

    // Another method is recorded by name, with no amounts.
    await pay(page, 'alipay');
    const second = await stack.storage.db.kysely.selectFrom('orders').selectAll().orderBy('created_at', 'desc').executeTakeFirstOrThrow();
    expect([second.total_fen, second.tender_method, second.tender_received_fen, second.tender_change_fen]).toEqual([200, 'alipay', null, null]);
    expect(await text(page, '[data-test=sale-tender]')).toBe('支付宝');

    // This till's face step was reported to the server (batched a few seconds later), as an outcome only: no openid.
    const faceEvents = () => stack.storage.db.kysely.selectFrom('face_events').selectAll().execute();
    await expect.poll(async () => (await faceEvents()).filter((e) => e.outcome === 'member_found').length, { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
    const events = await faceEvents();
    expect(JSON.stringify(events)).not.toContain('oSIM_');
    await page.close();
  });

  it('enrolment checks the phone locally and refuses one another member has (item 7)', async () => {
    const page = await newTill();
    await openPos(page, stack);
    await facePhase(page, 'ready');
    browser.setScript(['face 6']);
    await page.keyboard.press('F2');
    await facePhase(page, 'not_member');
    await page.fill('[data-test=enrol-phone]', '12345');
    await page.click('[data-test=enrol-submit]');
    const problem = await page.waitForSelector('[data-test=enrol-phone-problem]');
    expect(await problem.getAttribute('data-problem')).toBe('phoneInvalid');
    expect(await problem.textContent()).toContain('请输入 11 位手机号');
    // 王芳's number: refused by the server (one member per phone), said in the cashier's words.
    await page.fill('[data-test=enrol-phone]', '138 1234 5678');
    await page.click('[data-test=enrol-submit]');
    await page.waitForSelector('[data-test=enrol-phone-problem][data-problem=phoneTaken]');
    expect(await text(page, '[data-test=enrol-phone-problem]')).toContain('该手机号已登记在另一位会员名下');
    await expect(stack.member('oSIM_0006_chenjing')).rejects.toThrow(/no member/);
    await shot(page, '13-enrol-phone-taken');
    // Without a phone the enrolment goes through.
    await page.fill('[data-test=enrol-phone]', '');
    await page.click('[data-test=enrol-submit]');
    await facePhase(page, 'found');
    expect((await stack.member('oSIM_0006_chenjing')).phone).toBeNull();
    await page.close();
  });

  it('a host that dies shows in the status bar at once, and the next F2 starts a fresh one (item 4)', async () => {
    const page = await newTill();
    await openPos(page, stack);
    await facePhase(page, 'ready');
    await expect.poll(() => page.getAttribute('[data-status=host]', 'data-health')).toBe('ok');
    const pids = browser.hostPids();
    expect(pids.length).toBeGreaterThan(0);
    const killedAt = Date.now();
    for (const pid of pids) process.kill(pid, 'SIGKILL');
    await page.waitForSelector('[data-status=host]:not([data-health=ok])', { timeout: 5_000 });
    console.log(`host killed → status bar: ${Date.now() - killedAt} ms`);
    browser.setScript(['face 2']);
    await page.keyboard.press('F2');
    await facePhase(page, 'found');
    expect(await text(page, '[data-test=member-nickname]')).toBe('李雷 🍵');
    await expect.poll(() => page.getAttribute('[data-status=host]', 'data-health')).toBe('ok');
    await page.close();
  });

  it('a long cart keeps the line just scanned in view, and recommendation names are shown whole (item 8)', async () => {
    const page = await newTill();
    await openPos(page, stack);
    await facePhase(page, 'ready');
    const inView = (barcode: string) =>
      page.evaluate((b) => {
        const body = document.querySelector('[data-test=cart-body]')?.getBoundingClientRect();
        const row = document.querySelector(`[data-test=cart-line][data-barcode="${b}"]`)?.getBoundingClientRect();
        return body !== undefined && row !== undefined && row.top >= body.top - 1 && row.bottom <= body.bottom + 1;
      }, barcode);
    const barcodes = DEMO_PRODUCTS.map((p) => p.barcode);
    for (const barcode of barcodes) {
      await scan(page, barcode);
      expect(await inView(barcode), barcode).toBe(true);
    }
    // The cart is longer than its panel (else this proves nothing); scanning the first line again brings it back.
    expect(await inView(barcodes[0] ?? '')).toBe(false);
    await scan(page, barcodes[0] ?? '');
    expect(await inView(barcodes[0] ?? '')).toBe(true);

    browser.setScript(['face 1']);
    await page.keyboard.press('F2');
    await facePhase(page, 'found');
    await page.waitForSelector('[data-test=recommendation]');
    const names = await page.$$eval('[data-test=recommendation] .rname', (els) =>
      els.map((e) => ({ text: e.textContent, cut: e.scrollWidth > e.clientWidth || e.scrollHeight > e.clientHeight })),
    );
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((n) => n.cut)).toEqual([]);
    expect(names.map((n) => n.text)).toContain('伊利纯牛奶 250ml');
    await shot(page, '15-long-cart');
    await page.close();
  });

  // Last: it stops the server.
  it('with the server down: a phone lookup with a member attached says so, and F2 says what happened, not "face failed", in Chinese (items 2, 5)', async () => {
    const page = await newTill();
    await openPos(page, stack);
    await facePhase(page, 'ready');
    await page.fill('[data-test=phone-input]', '13987654321');
    await page.click('[data-test=phone-submit]');
    await page.waitForSelector('[data-test=member-card]');
    await stack.stopServer();

    await page.fill('[data-test=phone-input]', '13600001111');
    await page.click('[data-test=phone-submit]');
    const error = await page.waitForSelector('[data-test=phone-error] [role=alert]');
    expect(await error.getAttribute('data-code')).toBe('NETWORK_ERROR');
    expect(await error.textContent()).toContain('无法连接服务器');

    // The face was recognised; the member lookup could not reach the server. Offline selling takes over: a face
    // this till has not seen is noted for the server to check at sync (e2e/pos-offline.test.ts), said so in Chinese.
    browser.setScript(['face 3']);
    await page.keyboard.press('F2');
    await facePhase(page, 'unknown_offline');
    const panel = await text(page, '[data-test=face-panel]');
    expect(panel).toContain('离线：已记下顾客');
    expect(panel).not.toContain('刷脸失败');
    expect(panel).not.toMatch(/Failed to fetch|Cannot reach/);
    await shot(page, '14-server-down-lookup');
    await page.close();
  });
});
