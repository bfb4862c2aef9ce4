import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startStack, tempDir, type Stack } from './testing/harness.js';

const ASSET = `console.log(${JSON.stringify('pos '.repeat(500))})`;

/** A raw GET (fetch would decompress and hide the encoding). */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}

describe('serving the built POS', () => {
  const dir = tempDir();
  const web = join(dir.path, 'dist');
  let stack: Stack;

  beforeAll(async () => {
    mkdirSync(join(web, 'assets'), { recursive: true });
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>POS</title><script type="module" src="/assets/index-AbCd1234.js"></script>');
    writeFileSync(join(web, 'assets', 'index-AbCd1234.js'), ASSET);
    // What the web build writes beside each asset (vite-plugin-compression2), and a map a build might leave.
    writeFileSync(join(web, 'assets', 'index-AbCd1234.js.br'), brotliCompressSync(ASSET));
    writeFileSync(join(web, 'assets', 'index-AbCd1234.js.gz'), gzipSync(ASSET));
    writeFileSync(join(web, 'assets', 'index-AbCd1234.js.map'), '{"version":3,"sources":["src/secret.ts"]}');
    writeFileSync(join(web, 'favicon.svg'), '<svg/>');
    stack = await startStack({ kind: 'sqlite', path: join(dir.path, 'pos.sqlite') }, { config: { webDist: web, trustProxy: ['127.0.0.1'] } });
  });
  afterAll(async () => {
    await stack.close();
    dir.remove();
  });

  it('index.html is revalidated and carries the security headers', async () => {
    const res = await call(stack.server.url, 'GET', '/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<title>POS</title>');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('permissions-policy')).toContain('camera=()');
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    // Plain HTTP: no HSTS (it would be ignored, and a LAN deployment must stay reachable).
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });

  it('HSTS when a trusted TLS proxy says the request came over HTTPS', async () => {
    const res = await call(stack.server.url, 'GET', '/', { headers: { 'x-forwarded-proto': 'https' } });
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000');
    const api = await call(stack.server.url, 'GET', '/healthz', { headers: { 'x-forwarded-proto': 'https' } });
    expect(api.headers.get('strict-transport-security')).toBe('max-age=31536000');
  });

  it('assets go out precompressed (brotli, else gzip, else plain); source maps are never served', async () => {
    const url = `${stack.server.url}/assets/index-AbCd1234.js`;
    const br = await rawGet(url, { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.body.length).toBeLessThan(ASSET.length / 5);
    expect(brotliDecompressSync(br.body).toString()).toBe(ASSET);
    expect(br.headers['content-type']).toContain('javascript');
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await rawGet(url, { 'accept-encoding': 'gzip' })).headers['content-encoding']).toBe('gzip');
    const plain = await rawGet(url, {});
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(ASSET);
    const map = await call<{ error: { code: string } }>(stack.server.url, 'GET', '/assets/index-AbCd1234.js.map');
    expect(map.status).toBe(404);
    expect(map.text).not.toContain('secret.ts');
  });

  it('hashed assets are cached for a year', async () => {
    const res = await call(stack.server.url, 'GET', '/assets/index-AbCd1234.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('content-type')).toContain('javascript');
  });

  it('client-side routes fall back to index.html; missing files and API paths are 404 JSON', async () => {
    const spa = await call(stack.server.url, 'GET', '/settings/diagnostics');
    expect(spa.status).toBe(200);
    expect(spa.text).toContain('<title>POS</title>');
    expect(spa.headers.get('cache-control')).toBe('no-cache');
    const missing = await call<{ error: { code: string } }>(stack.server.url, 'GET', '/assets/nope-12345678.js');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
    const api = await call<{ error: { code: string } }>(stack.server.url, 'GET', '/api/v2/anything');
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toContain('application/json');
  });
});
