import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startStack, tempDir, type Stack } from './testing/harness.js';

describe('serving the built POS', () => {
  const dir = tempDir();
  const web = join(dir.path, 'dist');
  let stack: Stack;

  beforeAll(async () => {
    mkdirSync(join(web, 'assets'), { recursive: true });
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>POS</title><script type="module" src="/assets/index-AbCd1234.js"></script>');
    writeFileSync(join(web, 'assets', 'index-AbCd1234.js'), 'console.log("pos")');
    writeFileSync(join(web, 'favicon.svg'), '<svg/>');
    stack = await startStack({ kind: 'sqlite', path: join(dir.path, 'pos.sqlite') }, { config: { webDist: web } });
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
