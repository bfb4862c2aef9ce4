import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildExtensionVariant,
  FACE_PAGE_PATH,
  faceCall,
  faceTestFiles,
  launchFaceBrowser,
  requireHostAndSimulator,
  startStaticServer,
  type FaceBrowser,
  type StaticServer,
} from './testing/index.js';

let server: StaticServer;
const browsers: FaceBrowser[] = [];
const variantRoot = mkdtempSync(join(tmpdir(), 'posface-ext-variant-'));

function hostSawNothing(browser: FaceBrowser): void {
  expect(browser.hostPids()).toEqual([]);
  // The host logs from its first moment; no log folder (or an empty one) means it never started.
  expect(existsSync(browser.logDir) ? readdirSync(browser.logDir) : []).toEqual([]);
}

beforeAll(async () => {
  requireHostAndSimulator();
  server = await startStaticServer(await faceTestFiles());
});
afterAll(async () => {
  for (const b of browsers) await b.close();
  await server?.close();
  rmSync(variantRoot, { recursive: true, force: true });
});

describe('origins', () => {
  it('a page on an origin the worker does not allow gets ORIGIN_NOT_ALLOWED and the host sees nothing', async () => {
    // A production build for http://127.0.0.1 (port 80): Chrome's content-script pattern ignores the port,
    // so the bridge is injected on the test server's port too, and the worker's exact origin check refuses.
    const dir = buildExtensionVariant(join(variantRoot, 'port80'), { posOrigins: 'http://127.0.0.1', production: true });
    const browser = await launchFaceBrowser({ extensionDir: dir });
    browsers.push(browser);
    const page = await browser.open(server.origin + FACE_PAGE_PATH);
    expect(await faceCall(page, 'detect')).toMatchObject({ ok: false, code: 'ORIGIN_NOT_ALLOWED' });
    expect(await faceCall(page, 'userInfo', { appid: 'a', mch_id: 'm', store_id: 's', authinfo: 'x' })).toMatchObject({
      ok: false,
      code: 'ORIGIN_NOT_ALLOWED',
    });
    await new Promise((r) => setTimeout(r, 300));
    hostSawNothing(browser);
  });

  it('the content script is not injected on a foreign origin, and a forged sender is refused by the worker', async () => {
    const browser = await launchFaceBrowser();
    browsers.push(browser);
    const foreign = await browser.open(server.foreignOrigin + FACE_PAGE_PATH);
    expect(await faceCall(foreign, 'detect')).toMatchObject({ ok: false, code: 'EXTENSION_UNAVAILABLE' });
    expect(await foreign.evaluate(() => (window as unknown as { face: { extensionPresent: boolean } }).face.extensionPresent)).toBe(false);

    // An extension page can open the bridge port and claim any origin in the message; the worker
    // judges by the port's sender.url (chrome-extension://…), which is not a POS origin.
    const inside = await browser.open(`chrome-extension://${browser.extensionId}/popup.html`);
    const answer = await inside.evaluate(
      (pageOrigin) =>
        new Promise((resolve) => {
          const port = chrome.runtime.connect({ name: 'pos-face-bridge' });
          port.onMessage.addListener(resolve);
          port.postMessage({ channel: 'pos-face', type: 'request', id: 'forged-1', method: 'hello', origin: pageOrigin, sender: { url: pageOrigin } });
        }),
      server.origin,
    );
    expect(answer).toMatchObject({ id: 'forged-1', ok: false, error: { code: 'ORIGIN_NOT_ALLOWED' } });
    await new Promise((r) => setTimeout(r, 300));
    hostSawNothing(browser);
  });

  it('frames never reach the host: a foreign frame in the POS page is not heard, and the POS framed by a foreign page has no bridge', async () => {
    const browser = await launchFaceBrowser();
    browsers.push(browser);
    const html = (body: string) => ({ type: 'text/html; charset=utf-8', body: `<!doctype html><html><head><meta charset="utf-8"></head><body>${body}</body></html>` });
    // A foreign frame inside the POS page posts bridge requests to its parent, as the page itself would.
    server.set('/evil-frame.html', html(`<script>
      let n = 0;
      const timer = setInterval(() => {
        for (const method of ['hello', 'call']) parent.postMessage({ channel: 'pos-face', type: 'request', id: 'evil-' + n++, method, params: { cmd: 'stopWxpayface' } }, '*');
        if (n >= 20) clearInterval(timer);
      }, 100);
    </script>`));
    server.set('/pos-with-frame.html', html(`<script>
      window.seen = [];
      addEventListener('message', (e) => { if (e.data && e.data.channel === 'pos-face') seen.push({ type: e.data.type, id: e.data.id ?? null, own: e.source === window }); });
    </script><iframe src="${server.foreignOrigin}/evil-frame.html"></iframe>`));
    const pos = await browser.open(server.origin + '/pos-with-frame.html');
    await pos.waitForFunction(() => (window as unknown as { seen: unknown[] }).seen.filter((m) => (m as { own: boolean }).own === false).length >= 20);
    // The bridge is there and answers the page's own request (one the worker refuses without the host)…
    await pos.evaluate(() => window.postMessage({ channel: 'pos-face', type: 'request', id: 'own-1', method: 'exec' }, location.origin));
    await pos.waitForFunction(() => (window as unknown as { seen: Array<{ id: string }> }).seen.some((m) => m.id === 'own-1' && (m as { type?: string }).type === 'response'));
    await new Promise((r) => setTimeout(r, 300));
    // …and nothing the frame sent: no answer, no hello ack (`ready`) beyond the one at load.
    const seen = await pos.evaluate(() => (window as unknown as { seen: Array<{ type: string; id: string | null; own: boolean }> }).seen);
    expect(seen.filter((m) => m.type === 'response')).toEqual([{ type: 'response', id: 'own-1', own: true }]);
    expect(seen.filter((m) => m.type === 'ready').length).toBeLessThanOrEqual(1);
    expect(seen.filter((m) => !m.own).every((m) => m.type === 'request')).toBe(true);

    // The POS page itself, framed by a foreign page: the bridge is injected in top frames only.
    server.set('/framer.html', html(`<iframe src="${server.origin}${FACE_PAGE_PATH}"></iframe>`));
    const framer = await browser.open(server.foreignOrigin + '/framer.html');
    const frame = framer.frames().find((f) => f.url().startsWith(server.origin));
    if (!frame) throw new Error('the POS frame did not load');
    await frame.waitForFunction(() => 'face' in window);
    const detected = await frame.evaluate(() =>
      (window as unknown as { face: { detect(): Promise<unknown> } }).face.detect().then(
        () => 'answered',
        (error: { code?: string }) => error.code,
      ),
    );
    expect(detected).toBe('EXTENSION_UNAVAILABLE');
    await new Promise((r) => setTimeout(r, 300));
    hostSawNothing(browser);
  });
});
