import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_PATH, launchFaceBrowser, requireHostAndSimulator } from './testing/index.js';
import { facePhase, openPos, pageScrolls, pay, scan, shot, startPosStack, type PosStack } from './testing/pos-stack.js';

// Degraded mode: the face chain is missing a part; the POS still sells and finds members by phone.
let stack: PosStack;

beforeAll(async () => {
  stack = await startPosStack();
});
afterAll(async () => {
  await stack?.close();
});

async function sellWithPhoneLookup(page: Page): Promise<void> {
  await scan(page, '6911988012345'); // Oreo ¥8.90, member ¥7.90
  await page.fill('[data-test=phone-input]', '13987654321');
  await page.click('[data-test=phone-submit]');
  await page.waitForSelector('[data-test=member-card]');
  expect(await page.textContent('[data-test=member-nickname]')).toBe('李雷 🍵');
  expect(await page.textContent('[data-test=total]')).toBe('¥7.90');
  const before = (await stack.member('oSIM_0002_lilei')).points;
  await pay(page, 'wechat_pay');
  const after = (await stack.member('oSIM_0002_lilei')).points;
  expect(after).toBeGreaterThan(before);
  expect(await page.textContent('[data-test=points-earned]')).toContain(String(after));
}

describe('POS without the face chain', () => {
  let plain: Browser;
  afterAll(async () => {
    await plain?.close();
  });

  it('the extension missing: face disabled with the reason and fix; phone lookup and the sale work', async () => {
    // A browser without the extension at all: the real "not installed" case.
    plain = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
    const page = await plain.newPage();
    await openPos(page, stack);
    await facePhase(page, 'unavailable');
    expect(await page.isDisabled('[data-test=face-button]')).toBe(true);
    expect(await page.getAttribute('[data-test=face-panel] [role=alert]', 'data-code')).toBe('EXTENSION_UNAVAILABLE');
    expect(await page.textContent('[data-test=face-panel]')).toContain('请在 Chrome 中安装并启用 POS Face 扩展');
    expect(await page.getAttribute('[data-status=extension]', 'data-health')).toBe('missing');
    await shot(page, '08-extension-missing');
    // F2 does nothing harmful.
    await page.keyboard.press('F2');
    await facePhase(page, 'unavailable');
    await sellWithPhoneLookup(page);
    expect(await pageScrolls(page)).toBe(false);
    await shot(page, '09-extension-missing-sold');
  });

  it('the host not installed: HOST_NOT_FOUND with "run the host installer"', async () => {
    requireHostAndSimulator();
    const browser = await launchFaceBrowser({ host: 'missing' });
    try {
      const page = await browser.context.newPage();
      await openPos(page, stack);
      await facePhase(page, 'unavailable');
      expect(await page.getAttribute('[data-test=face-panel] [role=alert]', 'data-code')).toBe('HOST_NOT_FOUND');
      expect(await page.textContent('[data-test=face-panel]')).toContain('pos-face-host install');
      expect(await page.getAttribute('[data-status=extension]', 'data-health')).toBe('ok');
      expect(await page.getAttribute('[data-status=host]', 'data-health')).toBe('missing');
      await shot(page, '10-host-missing');
    } finally {
      await browser.close();
    }
  });
});
