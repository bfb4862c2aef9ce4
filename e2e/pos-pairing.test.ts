import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchFaceBrowser, requireHostAndSimulator, type FaceBrowser } from './testing/index.js';
import { pairPos, shot, startPosStack, type PosStack } from './testing/pos-stack.js';

// The terminal's credential in a real Chromium: typed code → HttpOnly cookie; nothing a script on the
// page could read, nothing in the browser's history; revoking the terminal ends it at the next request.
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

const LEGACY_KEY = 'posface.terminal.token';

describe('POS pairing', () => {
  it('pairs by the typed code; the credential is not in document.cookie, localStorage or history; revoking ends it at once', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(`${stack.origin}/`);
    // What an older POS left behind is gone after the next start.
    await page.evaluate((key) => localStorage.setItem(key, 'pft_left-behind-by-an-old-version'), LEGACY_KEY);
    await page.reload();
    await page.waitForSelector('[data-test=pair-form]');
    expect(await page.evaluate((key) => localStorage.getItem(key), LEGACY_KEY)).toBeNull();
    await shot(page, '00-pairing');

    const code = await pairPos(page, stack);
    await page.waitForSelector('[data-test=search]');

    const cookies = await browser.context.cookies();
    const session = cookies.find((c) => c.name === 'posface_session');
    expect(session).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/api', domain: '127.0.0.1' });
    const secret = session?.value ?? '';
    expect(secret).toMatch(/^pfs_/);
    // Neither on the POS's page nor on a page under /api, where the cookie applies, can a script read it.
    expect(await page.evaluate(() => document.cookie)).toBe('');
    const apiPage = await browser.context.newPage();
    await apiPage.goto(`${stack.origin}/api/v1/terminal`);
    expect(JSON.parse((await apiPage.textContent('body')) ?? '{}')).toMatchObject({ device_id: 'D001' });
    expect(await apiPage.evaluate(() => document.cookie)).toBe('');
    await apiPage.close();
    const stored = await page.evaluate(() => JSON.stringify(Object.entries(localStorage)) + JSON.stringify(Object.entries(sessionStorage)));
    for (const needle of [secret, code, code.replace('-', ''), 'pft_', 'pfs_']) expect(stored).not.toContain(needle);

    // IT revokes the terminal: the next request the POS makes is refused, and it says why. That is this
    // scan, or the status heartbeat when it comes first (a loaded machine): either way the POS must end here.
    await stack.storage.terminals.revoke({ id: stack.terminalId });
    const scanned = page
      .click('[data-test=search]', { timeout: 5000 })
      .then(async () => {
        await page.keyboard.type('6901234567892', { delay: 5 });
        await page.keyboard.press('Enter');
      })
      .catch(async (error: unknown) => {
        if (!(await page.locator('[data-test=pair-why]').isVisible())) throw error;
      });
    await Promise.all([scanned, page.waitForSelector('[data-test=pair-why]')]);
    expect(await page.textContent('[data-test=pair-why]')).toBe('本终端已被 IT 吊销。如需继续使用，请联系 IT 重新开通并获取新的配对码。');
    await shot(page, '00-revoked');
    expect(await page.evaluate(() => fetch('/api/v1/terminal').then((r) => r.status))).toBe(401);
    // The server told the browser to drop the dead cookie.
    expect((await browser.context.cookies()).some((c) => c.name === 'posface_session')).toBe(false);

    // Chromium writes its history database on close: no code, token or secret in any address it kept.
    const pageUrl = page.url();
    await browser.context.close();
    const history = new SQLite(join(browser.profileDir, 'Default', 'History'), { readonly: true, fileMustExist: true });
    const urls = (history.prepare('SELECT url FROM urls').all() as { url: string }[]).map((r) => r.url);
    history.close();
    expect(urls.some((u) => u.startsWith(stack.origin))).toBe(true);
    expect(pageUrl).toBe(`${stack.origin}/#/pair`);
    for (const url of urls) {
      for (const needle of [code, code.replace('-', ''), secret, 'token=', 'code=', 'pft_', 'pfs_']) expect(url).not.toContain(needle);
    }
  });
});
