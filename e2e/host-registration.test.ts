import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIM_LIBRARY_PATH } from '@posface/wxpay-sim';
import hostPackage from '../native-host/package.json' with { type: 'json' };
import {
  FACE_PAGE_PATH,
  faceCall,
  faceTestFiles,
  launchFaceBrowser,
  requireHostAndSimulator,
  startStaticServer,
  testConnectionInPopup,
  type FaceBrowser,
  type StaticServer,
} from './testing/index.js';

// Chrome re-reads the host manifest on every connect, so one browser can go through all three states.
let server: StaticServer;
let browser: FaceBrowser;

beforeAll(async () => {
  requireHostAndSimulator();
  server = await startStaticServer(await faceTestFiles());
  browser = await launchFaceBrowser({ host: 'missing' });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('host registration', () => {
  it('host not registered → HOST_NOT_FOUND', async () => {
    const page = await browser.open(server.origin + FACE_PAGE_PATH);
    const outcome = await faceCall(page, 'detect');
    expect(outcome).toMatchObject({ ok: false, code: 'HOST_NOT_FOUND' });
    expect(browser.hostPids()).toEqual([]);
    await page.close();
  });

  it('the popup\'s "test connection" shows HOST_NOT_FOUND with its advice', async () => {
    const popup = await testConnectionInPopup(browser);
    expect(popup.result).toBe(await popup.message('testFailed', 'HOST_NOT_FOUND'));
    expect(popup.errorShown).toBe(true);
    expect(popup.errorCode).toBe('HOST_NOT_FOUND');
    expect(popup.errorAdvice).toBe(await popup.message('advice_HOST_NOT_FOUND'));
    expect(popup.errorAdvice).not.toBe('');
    expect(popup.host).toBe(await popup.message('hostUnreachable', 'HOST_NOT_FOUND'));
  });

  it('host manifest allowing another extension → HOST_FORBIDDEN', async () => {
    browser.setHost('wrong-origin');
    const page = await browser.open(server.origin + FACE_PAGE_PATH);
    expect(await faceCall(page, 'rawdata')).toMatchObject({ ok: false, code: 'HOST_FORBIDDEN' });
    expect(browser.hostPids()).toEqual([]);
    await page.close();
  });

  it('once registered properly the same browser reaches the host', async () => {
    browser.setHost('ok');
    const page = await browser.open(server.origin + FACE_PAGE_PATH);
    expect(await faceCall(page, 'hello')).toMatchObject({ ok: true, value: { sdk: { loaded: true } } });
    await page.close();
  });

  it('the popup\'s "test connection" then shows the host version, the loaded SDK, its arch and path', async () => {
    const popup = await testConnectionInPopup(browser);
    expect(popup.result).toBe(await popup.message('testOk'));
    expect(popup.host).toBe(await popup.message('hostFound', hostPackage.version, '1'));
    expect(popup.sdk).toBe(await popup.message('sdkLoaded'));
    expect(popup.arch).toBe(process.arch);
    expect(popup.path).toBe(SIM_LIBRARY_PATH);
  });
});
