import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchFaceBrowser, requireHostAndSimulator, type FaceBrowser } from './testing/index.js';
import { facePhase, openPos, pageScrolls, pay, scan, shot, startPosStack, type PosStack } from './testing/pos-stack.js';

// The POS at the till, whole chain: built POS served by the real server (SQLite, demo seed) → real
// extension → real host → SDK simulator; the server fetches authinfo from the fake WeChat backend.
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

describe('POS checkout with face member lookup', () => {
  it('scan two products, F2, member found, member prices applied, sale completed, points visible', async () => {
    const page = await browser.context.newPage();
    await openPos(page, stack);
    await facePhase(page, 'ready');
    await shot(page, '01-ready');
    await expect.poll(() => page.getAttribute('[data-status=authinfo]', 'data-health')).toBe('ok');

    await scan(page, WATER);
    await scan(page, COLA);
    await scan(page, WATER);
    expect(await page.textContent('[data-test=total]')).toBe('¥7.50');

    const { points: pointsBefore } = await stack.member('oSIM_0001_wangfang');
    browser.setScript(['face 1']);
    const before = stack.backend.stats().requests;
    await page.keyboard.press('F2');
    await facePhase(page, 'found');
    // The click path used the prewarmed authinfo: no upstream call for this session.
    expect(stack.backend.stats().requests).toBe(before);
    expect(await page.textContent('[data-test=member-nickname]')).toBe('王芳');
    expect(await page.textContent('[data-test=member-points]')).toBe(String(pointsBefore));
    // Member prices: 2 × ¥1.50 + ¥3.00.
    expect(await page.textContent('[data-test=total]')).toBe('¥6.00');
    expect(await page.textContent('[data-test=savings]')).toBe('−¥1.50');
    await shot(page, '03-member-found');
    expect(await pageScrolls(page)).toBe(false);

    await pay(page);
    const member = await stack.member('oSIM_0001_wangfang');
    const earned = member.points - pointsBefore;
    expect(earned).toBeGreaterThan(0);
    expect(await page.textContent('[data-test=points-earned]')).toContain(`+${earned}`);
    expect(await page.textContent('[data-test=points-earned]')).toContain(String(member.points));
    expect(await page.textContent('[data-test=receipt]')).toContain('¥6.00');
    await shot(page, '04-sale-completed');
    await page.close();
  });

  it('a face that is not a member yet is enrolled in one tap (with a phone number)', async () => {
    const page = await browser.context.newPage();
    await openPos(page, stack);
    await facePhase(page, 'ready');
    browser.setScript(['face 5']);
    await page.click('[data-test=face-button]');
    await facePhase(page, 'not_member');
    expect(await page.textContent('[data-test=enrol-nickname]')).toBe('刘洋');
    await shot(page, '05-not-a-member');
    await page.fill('[data-test=enrol-phone]', '13700007777');
    await page.click('[data-test=enrol-submit]');
    await facePhase(page, 'found');
    expect(await page.textContent('[data-test=member-nickname]')).toBe('刘洋');
    const created = await stack.member('oSIM_0005_liuyang');
    expect(created.nickname).toBe('刘洋');
    expect(created.phone).toMatch(/^137\*{4}7777$/);
    await shot(page, '06-enrolled');
    await page.close();
  });

  it('Esc cancels the face step (stopWxpayface) and the POS is ready again', async () => {
    const page = await browser.context.newPage();
    await openPos(page, stack);
    await facePhase(page, 'ready');
    browser.setScript(['slow 20000']);
    await page.keyboard.press('F2');
    await facePhase(page, 'scanning', 5000);
    expect(await page.textContent('[data-test=face-phase]')).toBe('请看摄像头');
    await shot(page, '02-scanning');
    await page.keyboard.press('Escape');
    await facePhase(page, 'cancelled', 8000);
    // Cancelled because the SDK was told to stop (its script would hold the face step for 20 s), not
    // because the page gave up on it.
    const sdkCalls = () => browser.hostLog().filter((line) => line.msg === 'sdk call').map((line) => `${String(line.cmd)} ${String(line.code ?? line.return_code)}`);
    // The host writes its log in batches (a quarter of a second at most).
    await expect.poll(sdkCalls, { timeout: 5000 }).toEqual(expect.arrayContaining(['stopWxpayface SUCCESS', 'getWxpayfaceUserInfo USER_CANCEL']));
    expect(await page.$('[data-test=member-card]')).toBeNull();
    await shot(page, '07-cancelled');
    // Esc again dismisses; the next face works.
    await page.keyboard.press('Escape');
    await facePhase(page, 'ready');
    browser.setScript(['face 2']);
    await page.keyboard.press('F2');
    await facePhase(page, 'found');
    expect(await page.textContent('[data-test=member-nickname]')).toBe('李雷 🍵');
    await page.close();
  });
});
