import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startStack, tempDir, type Stack } from '../testing/harness.js';
import { advertisedVersion } from './extension.js';

// The extension's update manifest and .crx over real HTTP, as Chrome's updater asks for them.
const ID = 'nfkeaanmkeknnoplahmcfjnkkklggdka';
const manifest = (version: string) =>
  `<?xml version='1.0' encoding='UTF-8'?>\n<gupdate xmlns='http://www.google.com/update2/response' protocol='2.0'>\n  <app appid='${ID}'>\n` +
  `    <updatecheck codebase='https://pos.example.com/extension/pos-face.crx' version='${version}' />\n  </app>\n</gupdate>\n`;
/** What Chrome appends to the update URL. */
const CHROME_QUERY = `?os=linux&arch=x64&prod=chromiumcrx&prodversion=156.0.8078.114&acceptformat=crx3,puff&x=id%3D${ID}%26v%3D0.0.0.0%26installsource%3Dnotfromwebstore%26installedby%3Dpolicy%26uc`;

async function bytes(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: Buffer }> {
  const res = await fetch(url, { headers });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

describe('extension distribution (EXTENSION_DIST)', () => {
  const dir = tempDir();
  const dist = join(dir.path, 'extension');
  const crx1 = randomBytes(5000);
  let stack: Stack;
  let off: Stack;

  beforeAll(async () => {
    mkdirSync(dist);
    writeFileSync(join(dist, 'update.xml'), manifest('1.2.3'));
    writeFileSync(join(dist, 'pos-face-1.2.3.crx'), crx1);
    stack = await startStack({ kind: 'sqlite', path: join(dir.path, 'pos.sqlite') }, { config: { extensionDist: dist } });
    off = await startStack({ kind: 'sqlite', path: join(dir.path, 'off.sqlite') });
  });
  afterAll(async () => {
    await stack.close();
    await off.close();
    dir.remove();
  });

  it('serves update.xml as application/xml without a token, with Chrome’s query, revalidated each time', async () => {
    const res = await bytes(`${stack.server.url}/extension/update.xml${CHROME_QUERY}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/xml');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(res.body.toString('utf8')).toBe(manifest('1.2.3'));
  });

  it('serves the .crx that update.xml advertises at the stable URL, as application/x-chrome-extension', async () => {
    const res = await bytes(`${stack.server.url}/extension/pos-face.crx`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-chrome-extension');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.body.equals(crx1)).toBe(true);
    const head = await fetch(`${stack.server.url}/extension/pos-face.crx`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(crx1.length));
  });

  it('answers 304 to a matching If-None-Match (also in a list or weak), 200 to another', async () => {
    const first = await bytes(`${stack.server.url}/extension/pos-face.crx`);
    const etag = first.headers.get('etag') as string;
    const again = await bytes(`${stack.server.url}/extension/pos-face.crx`, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect((await bytes(`${stack.server.url}/extension/pos-face.crx`, { 'if-none-match': `"x", W/${etag}` })).status).toBe(304);
    expect((await bytes(`${stack.server.url}/extension/pos-face.crx`, { 'if-none-match': '"other"' })).status).toBe(200);
  });

  it('a new build dropped into the folder is served at once, without a restart', async () => {
    const crx2 = randomBytes(6000);
    const before = (await bytes(`${stack.server.url}/extension/update.xml`)).headers.get('etag');
    writeFileSync(join(dist, 'pos-face-1.2.4.crx'), crx2);
    writeFileSync(join(dist, 'update.xml'), manifest('1.2.4'));
    try {
      const update = await bytes(`${stack.server.url}/extension/update.xml`);
      expect(update.body.toString('utf8')).toContain("version='1.2.4'");
      expect(update.headers.get('etag')).not.toBe(before);
      expect((await bytes(`${stack.server.url}/extension/pos-face.crx`)).body.equals(crx2)).toBe(true);
    } finally {
      writeFileSync(join(dist, 'update.xml'), manifest('1.2.3'));
      rmSync(join(dist, 'pos-face-1.2.4.crx'));
    }
  });

  it('says "not published" (404 NOT_FOUND, no server path) when a file is missing, and logs what IT should do', async () => {
    writeFileSync(join(dist, 'update.xml'), manifest('9.9.9'));
    try {
      const noCrx = await call<{ error: { code: string; message: string } }>(stack.server.url, 'GET', '/extension/pos-face.crx');
      expect(noCrx.status).toBe(404);
      expect(noCrx.body.error).toEqual({ code: 'NOT_FOUND', message: 'The POS Face extension is not published on this server' });
      expect(noCrx.text).not.toContain(dir.path);
      expect(stack.logs.text()).toContain('pos-face-9.9.9.crx is missing: build it with POSFACE_EXTENSION_SIGNING_KEY and POSFACE_EXTENSION_SERVER');
      rmSync(join(dist, 'update.xml'));
      expect((await call(stack.server.url, 'GET', '/extension/update.xml')).status).toBe(404);
      expect((await call(stack.server.url, 'GET', '/extension/pos-face.crx')).status).toBe(404);
    } finally {
      writeFileSync(join(dist, 'update.xml'), manifest('1.2.3'));
    }
  });

  it('EXTENSION_DIST=none serves nothing there', async () => {
    const res = await call<{ error: { code: string } }>(off.server.url, 'GET', '/extension/update.xml');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  it('reads the advertised version only from a well-formed manifest', () => {
    expect(advertisedVersion(manifest('0.1.0'))).toBe('0.1.0');
    expect(advertisedVersion(manifest('../../etc/passwd'))).toBeNull();
    expect(advertisedVersion('<gupdate/>')).toBeNull();
    expect(advertisedVersion('not xml at all')).toBeNull();
  });
});
