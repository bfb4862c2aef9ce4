import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchFaceBrowser, requireHostAndSimulator, type FaceBrowser } from './testing/index.js';
import { facePhase, openPos, startPosStack, type PosStack } from './testing/pos-stack.js';

// A WeChat nickname is whatever the customer typed: the POS must show it as text, never as markup.
// Whole chain: simulator camera → host → extension → POS → server (enrolment) → POS again.
const NICKNAME = '<img src=x onerror="window.__xss=(window.__xss||0)+1">';
const OPENID = 'oSIM_0900_xss';

let stack: PosStack;
let browser: FaceBrowser;

beforeAll(async () => {
  requireHostAndSimulator();
  stack = await startPosStack();
  browser = await launchFaceBrowser({ faces: `${OPENID}\t${NICKNAME}\t\n` });
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('a nickname holding HTML', () => {
  it('is shown as text when offered for enrolment, on the member card and in the phone lookup, and never runs', async () => {
    const page = await browser.context.newPage();
    await openPos(page, stack);
    await facePhase(page, 'ready');
    browser.setScript(['face 1']);
    await page.keyboard.press('F2');
    await facePhase(page, 'not_member');
    expect(await page.textContent('[data-test=enrol-nickname]')).toBe(NICKNAME);
    await page.fill('[data-test=enrol-phone]', '13700009999');
    await page.click('[data-test=enrol-submit]');
    await facePhase(page, 'found');
    expect(await page.textContent('[data-test=member-nickname]')).toBe(NICKNAME);
    expect((await stack.member(OPENID)).nickname).toBe(NICKNAME);

    // Found by phone on another till: the card shows the nickname as text.
    const lookup = await browser.context.newPage();
    await openPos(lookup, stack);
    await lookup.fill('[data-test=phone-input]', '13700009999');
    await lookup.click('[data-test=phone-submit]');
    await lookup.waitForSelector('[data-test=member-card]');
    expect(await lookup.textContent('[data-test=member-nickname]')).toBe(NICKNAME);

    for (const p of [page, lookup]) {
      // No element was made from the nickname, and its handler never ran (the image would have failed at once).
      expect(await p.$$eval('img[src=x]', (images) => images.length)).toBe(0);
      expect(await p.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    }
    await Promise.all([page.close(), lookup.close()]);
  });
});
