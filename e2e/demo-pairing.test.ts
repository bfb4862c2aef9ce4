import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pairBrowserProfile } from '../scripts/demo/pair-browser.mjs';
import { CHROMIUM_PATH } from './testing/index.js';
import { startPosStack, type PosStack } from './testing/pos-stack.js';

// `npm start` pairs its browser profile once, headless, then opens the visible browser on the plain
// POS URL: that browser must find itself paired, with no code in its history.
let stack: PosStack;
let profileDir: string;

beforeAll(async () => {
  stack = await startPosStack();
  profileDir = mkdtempSync(join(tmpdir(), 'posface-demo-profile-'));
});
afterAll(async () => {
  await stack?.close();
  rmSync(profileDir, { recursive: true, force: true });
});

describe('demo: pairing the browser profile', () => {
  it('a wrong code is reported in the POS words; the right one pairs the profile for the next browser', async () => {
    const options = { browserPath: CHROMIUM_PATH, profileDir, base: stack.origin, asRoot: true };
    await expect(pairBrowserProfile({ ...options, code: 'ZZZZ-ZZZZ' })).rejects.toThrow(/^the POS refused the pairing code: 配对码不正确/);
    expect(await pairBrowserProfile({ ...options, code: await stack.pairingCode() })).toBe('paired');
    expect(await pairBrowserProfile({ ...options, code: 'unused' })).toBe('already paired');

    // The next browser on this profile (the demo's visible one) opens the POS already paired.
    const context = await chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox'] });
    try {
      const page = await context.newPage();
      await page.goto(`${stack.origin}/`);
      await page.waitForSelector('[data-test=search]');
      expect(page.url()).toBe(`${stack.origin}/#/`);
    } finally {
      await context.close();
    }
  });
});
