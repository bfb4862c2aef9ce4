import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchFaceBrowser, requireHostAndSimulator, type FaceBrowser } from './testing/index.js';
import { facePhase, openPos, pay, scan, shot, startPosStack, type PosStack, type TenderMethod } from './testing/pos-stack.js';

// Selling with the server unreachable, whole chain: the built POS (its service worker, IndexedDB) in a real
// Chromium with the real extension and host over the SDK simulator; the real server stopped and started again
// on the same port over the same SQLite file. Figures (not assertions) are printed with "[offline]".
let stack: PosStack;

beforeAll(async () => {
  requireHostAndSimulator();
  stack = await startPosStack();
});
afterAll(async () => {
  await stack?.close();
});

const WATER = '6901234567892'; // ¥2.00, member ¥1.50
const COLA = '6902538006100'; // ¥3.50, member ¥3.00
const WANGFANG = 'oSIM_0001_wangfang'; // face 1
const LILEI = 'oSIM_0002_lilei'; // face 2
const SERVER = '[data-status=server]';
const SYNC = '[data-test=sync-status]';

/** The server's orders, oldest first (what the till's sales became). */
async function serverOrders() {
  return stack.storage.db.kysely.selectFrom('orders').selectAll().orderBy('created_at').orderBy('id').execute();
}

/** Waits until the status bar says the server is `health`; returns how long that took. */
async function serverHealth(page: Page, health: 'ok' | 'error', timeout = 20_000): Promise<number> {
  const started = Date.now();
  await page.waitForSelector(`${SERVER}[data-health=${health}]`, { timeout });
  return Date.now() - started;
}

/** How many sales the status bar says wait (0 when it shows none). */
async function waiting(page: Page): Promise<number> {
  const bar = await page.$(SYNC);
  return bar ? Number(await bar.getAttribute('data-waiting')) : 0;
}

/** How many products the till keeps for offline selling (IndexedDB, as the POS wrote it). */
function keptProducts(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const open = indexedDB.open('posface-pos');
        open.onerror = () => resolve(-1);
        open.onsuccess = () => {
          const db = open.result;
          try {
            const count = db.transaction('products').objectStore('products').count();
            count.onsuccess = () => resolve(count.result);
            count.onerror = () => resolve(-1);
          } catch {
            resolve(-1);
          } finally {
            db.close();
          }
        };
      }),
  );
}

/** Opens the POS and waits until it could sell offline: the shell precached, the catalogue and authinfo kept. */
async function openReadyForOffline(browser: FaceBrowser): Promise<Page> {
  const page = await browser.context.newPage();
  await openPos(page, stack);
  await facePhase(page, 'ready');
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await expect.poll(() => keptProducts(page), { timeout: 20_000 }).toBeGreaterThan(0);
  await expect.poll(() => page.getAttribute('[data-status=authinfo]', 'data-health')).toBe('ok');
  return page;
}

/** F9 and the tender, and the till says the sale was kept for later. */
async function completeOffline(page: Page, waitingAfter: number, method: TenderMethod = 'wechat_pay', received = ''): Promise<void> {
  await pay(page, method, received, 'queued');
  await page.waitForSelector(`${SYNC}[data-waiting="${waitingAfter}"]`);
  expect(await page.textContent(SYNC)).toContain(`${waitingAfter} 笔待同步`);
}

describe('the till with the server down (issue 11, item 3)', () => {
  let browser: FaceBrowser;
  afterAll(async () => {
    await browser?.close();
  });

  it('the status bar finds the server gone and back by itself; a failed request says so too; stale banners go', async () => {
    browser = await launchFaceBrowser();
    const page = await openReadyForOffline(browser);
    await serverHealth(page, 'ok');

    const down: number[] = [];
    const up: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      await stack.stopServer();
      down.push(await serverHealth(page, 'error'));
      expect(await page.textContent(SERVER)).toContain('离线');
      expect(await page.textContent(SYNC)).toContain('离线收银中');
      await stack.restartServer();
      up.push(await serverHealth(page, 'ok'));
      expect(await page.$(SYNC)).toBeNull();
    }
    console.log(`[offline] server down → status bar: ${down.join(', ')} ms; server back → status bar: ${up.join(', ')} ms`);

    // A request that cannot reach the server: the lookup's banner and the status bar say so together, without
    // waiting for the next beat (the figure printed: from the click to the status bar).
    await stack.stopServer();
    await page.fill('[data-test=phone-input]', '13987654321');
    const clicked = Date.now();
    await page.click('[data-test=phone-submit]');
    const banner = '[data-test=phone-lookup] [role=alert][data-code=NETWORK_ERROR]';
    await page.waitForSelector(banner);
    expect(await page.getAttribute(SERVER, 'data-health')).toBe('error');
    console.log(`[offline] failed request → status bar: ${Date.now() - clicked} ms (the heartbeat alone: up to 5 s)`);
    expect(await page.textContent(banner)).toContain('无法连接服务器');
    // Back: the banner that no longer applies goes without the cashier doing anything.
    await stack.restartServer();
    await serverHealth(page, 'ok');
    await page.waitForSelector(banner, { state: 'detached', timeout: 5_000 });
    await page.close();
  });
});

describe('selling offline (issue 11)', () => {
  let browser: FaceBrowser;
  afterAll(async () => {
    await browser?.close();
  });

  it('three sales with the server stopped (one member recognised offline), a reload and a fourth: four orders, points once each', async () => {
    browser = await launchFaceBrowser();
    let page = await openReadyForOffline(browser);
    // 王芳 was seen on this till while it was online: she can be recognised offline.
    browser.setScript(['face 1']);
    await page.keyboard.press('F2');
    await facePhase(page, 'found');
    await page.click('[data-test=detach-member]');

    const before = { orders: (await serverOrders()).length, wang: (await stack.member(WANGFANG)).points, li: (await stack.member(LILEI)).points };
    await stack.stopServer();
    await serverHealth(page, 'error');

    // 1: 王芳, recognised from the till's cache: member prices, points as last known.
    await scan(page, WATER);
    await scan(page, COLA);
    browser.setScript(['face 1']);
    await page.keyboard.press('F2');
    await facePhase(page, 'found');
    expect(await page.textContent('[data-test=member-nickname]')).toBe('王芳');
    expect(await page.textContent('[data-test=member-points-label]')).toContain('上次已知');
    expect(await page.textContent('[data-test=total]')).toBe('¥4.50');
    // Cash: the change is worked out on the till, offline too.
    await completeOffline(page, 1, 'cash', '10');
    expect(await page.textContent('[data-test=receipt-queued] [data-test=sale-change]')).toContain('¥5.50');

    // 2: 李雷, never seen on this till: list prices, the sale keeps his face for the server to credit.
    browser.setScript(['face 2']);
    await page.keyboard.press('F2');
    await facePhase(page, 'unknown_offline');
    await page.waitForSelector('[data-test=pending-customer]');
    await scan(page, WATER);
    await scan(page, WATER);
    await scan(page, COLA);
    expect(await page.textContent('[data-test=total]')).toBe('¥7.50');
    await completeOffline(page, 2);

    // 3: a walk-in customer.
    await scan(page, COLA);
    expect(await page.textContent('[data-test=total]')).toBe('¥3.50');
    await completeOffline(page, 3);
    await shot(page, 'offline-3-waiting');

    // A reload with the server still down: the shell comes from the service worker, the sales from IndexedDB.
    await page.reload();
    await page.waitForSelector('[data-test=search]');
    await serverHealth(page, 'error');
    await page.waitForSelector(`${SYNC}[data-waiting="3"]`);
    await scan(page, WATER);
    await completeOffline(page, 4);
    await shot(page, 'offline-4-after-reload');
    expect((await serverOrders()).length).toBe(before.orders);

    await stack.restartServer();
    const backAt = Date.now();
    await page.waitForSelector(SYNC, { state: 'detached', timeout: 30_000 });
    console.log(`[offline] server back → 4 sales synced: ${Date.now() - backAt} ms`);

    const orders = (await serverOrders()).slice(before.orders);
    expect(orders.map((o) => o.total_fen)).toEqual([450, 750, 350, 200]);
    const wang = await stack.member(WANGFANG);
    const li = await stack.member(LILEI);
    expect(orders.map((o) => o.member_id)).toEqual([wang.id, li.id, null, null]);
    // In the order sold, each when the till sold it (before the server booked it).
    expect(orders.map((o) => o.sold_at)).toEqual([...orders.map((o) => o.sold_at)].sort());
    for (const o of orders) expect(Date.parse(o.sold_at)).toBeLessThan(Date.parse(o.created_at));
    // How each was paid, as the till took it.
    expect(orders.map((o) => [o.tender_method, o.tender_change_fen])).toEqual([['cash', 550], ['wechat_pay', null], ['wechat_pay', null], ['wechat_pay', null]]);
    // Points once each: 王芳 on member prices, 李雷 on the list prices the till charged (the loyalty rules'
    // multiplier for their level applies to both).
    const [wangEarned, liEarned] = orders.map((o) => o.points_earned);
    expect(wangEarned).toBeGreaterThanOrEqual(4);
    expect(liEarned).toBeGreaterThanOrEqual(7);
    expect(orders.slice(2).map((o) => o.points_earned)).toEqual([0, 0]);
    expect(wang.points).toBe(before.wang + (wangEarned ?? 0));
    expect(li.points).toBe(before.li + (liEarned ?? 0));

    // A later reload and sync pass sends nothing again.
    await page.reload();
    await page.waitForSelector('[data-test=search]');
    await serverHealth(page, 'ok');
    await page.waitForTimeout(3_000);
    expect((await serverOrders()).length).toBe(before.orders + 4);
    expect((await stack.member(LILEI)).points).toBe(li.points);
    expect(await waiting(page)).toBe(0);
    page = await browser.context.newPage();
    await page.goto(`${stack.origin}/#/outbox`);
    await expect.poll(() => page.locator('[data-test=outbox-synced-sale]').count()).toBe(4);
    await shot(page, 'offline-outbox-synced');
  });

  it('the browser closed while offline and reopened later: its sales sync, none lost or doubled', async () => {
    const kept = mkdtempSync(join(tmpdir(), 'posface-e2e-kept-'));
    let reopened: FaceBrowser | null = null;
    try {
      const first = await launchFaceBrowser({ keepIn: kept });
      try {
        const page = await openReadyForOffline(first);
        await stack.stopServer();
        await serverHealth(page, 'error');
        await scan(page, COLA);
        await completeOffline(page, 1);
        await scan(page, WATER);
        await scan(page, WATER);
        await completeOffline(page, 2);
      } finally {
        await first.close();
      }
      const before = (await serverOrders()).length;

      // Reopened, still offline: the till opens and still holds both sales.
      reopened = await launchFaceBrowser({ keepIn: kept });
      let page = await reopened.open(`${stack.origin}/`);
      await page.waitForSelector('[data-test=search]');
      await page.waitForSelector(`${SYNC}[data-waiting="2"]`);
      await serverHealth(page, 'error');

      await stack.restartServer();
      const backAt = Date.now();
      await page.waitForSelector(SYNC, { state: 'detached', timeout: 30_000 });
      console.log(`[offline] server back → 2 sales synced after the browser was reopened: ${Date.now() - backAt} ms`);
      const orders = (await serverOrders()).slice(before);
      expect(orders.map((o) => o.total_fen)).toEqual([350, 400]);

      // Closed and reopened once more, online: nothing is sent twice.
      await reopened.close();
      reopened = await launchFaceBrowser({ keepIn: kept });
      page = await reopened.open(`${stack.origin}/`);
      await page.waitForSelector('[data-test=search]');
      await serverHealth(page, 'ok');
      await page.waitForTimeout(3_000);
      expect((await serverOrders()).length).toBe(before + 2);
      expect(await waiting(page)).toBe(0);
    } finally {
      await reopened?.close();
      rmSync(kept, { recursive: true, force: true });
    }
  });
});
