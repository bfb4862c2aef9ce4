import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FACE_PAGE_PATH,
  faceCall,
  faceTestFiles,
  launchFaceBrowser,
  requireHostAndSimulator,
  startStaticServer,
  type FaceBrowser,
  type StaticServer,
} from './support/index.js';

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
});
