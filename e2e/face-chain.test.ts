import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST_PROTOCOL_VERSION, type HelloResult, type UserInfoResult } from '@posface/protocol';
import { mintAuthinfo, parseRawdata, SIM_DEFAULT_SERIAL, SIM_LIBRARY_PATH } from '@posface/wxpay-sim';
import {
  FACE_PAGE_PATH,
  faceCall,
  faceTestFiles,
  launchFaceBrowser,
  requireHostAndSimulator,
  startStaticServer,
  waitFor,
  type FaceBrowser,
  type StaticServer,
} from './testing/index.js';
import extensionPackage from '../extension/package.json' with { type: 'json' };
import hostPackage from '../native-host/package.json' with { type: 'json' };

// The whole chain: page (real FaceClient) → content script → worker → real host over stdio → simulator.
const merchant = { appid: 'wx2421b1c4370ec43b', mch_id: '10000100', store_id: 'S001' };
const faceParams = () => ({ ...merchant, authinfo: mintAuthinfo({ serial: SIM_DEFAULT_SERIAL, ...merchant }).authinfo });

let server: StaticServer;
let browser: FaceBrowser;

beforeAll(async () => {
  requireHostAndSimulator();
  server = await startStaticServer(await faceTestFiles());
  browser = await launchFaceBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('page → extension → host → simulator', () => {
  it('hello reports the extension, host and protocol versions and the loaded simulator', async () => {
    const page = await browser.open(server.origin + FACE_PAGE_PATH);
    const hello = await faceCall<HelloResult>(page, 'detect');
    expect(hello.ok).toBe(true);
    if (!hello.ok) return;
    expect(hello.value.extension).toEqual({ id: browser.extensionId, version: extensionPackage.version });
    expect(hello.value.host.version).toBe(hostPackage.version);
    expect(hello.value.protocol).toBe(HOST_PROTOCOL_VERSION);
    expect(hello.value.sdk).toMatchObject({ loaded: true, path: SIM_LIBRARY_PATH, error: null });
    await page.close();
  });

  it('init → rawdata → userInfo returns the scripted face', async () => {
    const page = await browser.open(server.origin + FACE_PAGE_PATH);
    browser.setScript(['face 2']);
    expect(await faceCall(page, 'init')).toMatchObject({ ok: true });
    const rawdata = await faceCall<string>(page, 'rawdata');
    expect(rawdata.ok && parseRawdata(rawdata.value)?.serial).toBe(SIM_DEFAULT_SERIAL);
    const user = await faceCall<UserInfoResult>(page, 'userInfo', faceParams());
    expect(user).toMatchObject({ ok: true, value: { return_code: 'SUCCESS', openid: 'oSIM_0002_lilei', nickname: '李雷 🍵' } });
    expect(browser.scriptLeft()).toEqual([]);
    await page.close();
  });

  it('cancel during the face step answers USER_CANCEL at once', async () => {
    const page = await browser.open(server.origin + FACE_PAGE_PATH);
    browser.setScript(['slow 20000']);
    await faceCall(page, 'init');
    const started = Date.now();
    const step = faceCall(page, 'userInfo', faceParams());
    await new Promise((r) => setTimeout(r, 500));
    expect(await faceCall(page, 'cancel')).toMatchObject({ ok: true });
    expect(await step).toMatchObject({ ok: false, code: 'USER_CANCEL' });
    expect(Date.now() - started).toBeLessThan(10_000);
    await page.close();
  });

  it('an SDK crash mid-call is HOST_EXITED, and the next call starts a fresh host, re-initialised, and succeeds', async () => {
    const page = await browser.open(server.origin + FACE_PAGE_PATH);
    await faceCall(page, 'init');
    const [before] = await waitFor(() => browser.hostPids(), (p) => p.length === 1, 5_000, 'one host');
    browser.setScript(['crash', 'face 1']);
    expect(await faceCall(page, 'userInfo', faceParams())).toMatchObject({ ok: false, code: 'HOST_EXITED' });
    // No init from the page: the extension replays the page's init on the fresh host (the simulator
    // refuses every command before init, as the SDK does).
    const user = await faceCall<UserInfoResult>(page, 'userInfo', faceParams());
    expect(user).toMatchObject({ ok: true, value: { openid: 'oSIM_0001_wangfang' } });
    const after = browser.hostPids();
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before);
    await page.close();
  });

  it('two tabs share one host process; a second face step is BUSY; only the tab that started it can stop it', async () => {
    const [a, b] = [await browser.open(server.origin + FACE_PAGE_PATH), await browser.open(server.origin + FACE_PAGE_PATH)];
    expect(await faceCall(a, 'hello')).toMatchObject({ ok: true });
    expect(await faceCall(b, 'hello')).toMatchObject({ ok: true });
    expect(await faceCall(b, 'init')).toMatchObject({ ok: true });
    expect(browser.hostPids()).toHaveLength(1);
    browser.setScript(['slow 20000']);
    let settled = false;
    const first = faceCall(a, 'userInfo', faceParams()).finally(() => (settled = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(await faceCall(b, 'userInfo', faceParams())).toMatchObject({ ok: false, code: 'BUSY' });
    // Tab B cannot end tab A's face step: its customer is still at the camera.
    expect(await faceCall(b, 'cancel')).toMatchObject({ ok: false, code: 'BUSY', message: expect.stringContaining('another tab') });
    await new Promise((r) => setTimeout(r, 500));
    expect(settled).toBe(false);
    expect(await faceCall(a, 'cancel')).toMatchObject({ ok: true });
    expect(await first).toMatchObject({ ok: false, code: 'USER_CANCEL' });
    expect(browser.hostPids()).toHaveLength(1);
    await Promise.all([a.close(), b.close()]);
  });
});
