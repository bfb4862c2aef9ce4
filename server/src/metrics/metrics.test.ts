import { join } from 'node:path';
import { makeRawdata } from '@posface/wxpay-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PRODUCTS } from '@posface/demo';
import { openStorage, type Storage } from '../db/storage.js';
import { call, startStack, tempDir, TEST_SERIAL, type Stack } from '../testing/harness.js';

/** GET /metrics on its own loopback port, after real traffic. */

const dir = tempDir();
const database = { kind: 'sqlite' as const, path: join(dir.path, 'pos.sqlite') };
let storage: Storage;
let stack: Stack;
let token: string;

beforeAll(async () => {
  storage = await openStorage(database);
  for (const p of DEMO_PRODUCTS) await storage.products.upsert(p);
  token = (await storage.terminals.add({ storeId: 'S001', storeName: '演示门店', deviceId: 'D001' })).token;
  stack = await startStack(database, { deps: { storage }, config: { metrics: { host: '127.0.0.1', port: 0 }, memberLookupsPerMinute: 2 } });
});
afterAll(async () => {
  await stack.close();
  await storage.close();
  dir.remove();
});

const scrape = async () => {
  const res = await fetch(`${stack.server.metricsUrl ?? ''}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  return res.text();
};
const value = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('metrics', () => {
  it('are on the metrics port only, not on the public one', async () => {
    expect(stack.server.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:[0-9]+$/);
    expect(stack.server.metricsUrl).not.toBe(stack.server.url);
    expect((await call(stack.server.url, 'GET', '/metrics')).status).toBe(404);
    expect((await fetch(`${stack.server.metricsUrl ?? ''}/other`)).status).toBe(404);
  });

  it('count requests by route template, authinfo hits/misses and upstream calls, orders, refusals, and dependency health', async () => {
    const body = { rawdata: makeRawdata(TEST_SERIAL) };
    for (let i = 0; i < 3; i += 1) await call(stack.server.url, 'POST', '/api/v1/face/authinfo', { token, body });
    stack.backend.faults.set({ mode: 'http5xx', status: 503 });
    await call(stack.server.url, 'POST', '/api/v1/face/authinfo?refresh=true', { token, body });
    stack.backend.faults.reset();
    await call(stack.server.url, 'POST', '/api/v1/orders', { token, body: { lines: [{ product_id: 'P001', quantity: 1 }] } });
    for (let i = 0; i < 3; i += 1) await call(stack.server.url, 'GET', '/api/v1/members/by-openid/oMETRICS_SECRET', { token });

    const text = await scrape();
    expect(value(text, 'posface_http_requests_total{method="POST",route="/api/v1/face/authinfo",status="200"}')).toBe(3);
    expect(value(text, 'posface_http_requests_total{method="GET",route="/api/v1/members/by-openid/:openid",status="200"}')).toBe(2);
    expect(value(text, 'posface_http_requests_total{method="GET",route="/api/v1/members/by-openid/:openid",status="429"}')).toBe(1);
    expect(text).not.toContain('oMETRICS_SECRET');
    expect(value(text, 'posface_http_request_duration_seconds_count{method="POST",route="/api/v1/orders"}')).toBe(1);
    expect(value(text, 'posface_authinfo_requests_total{result="miss"}')).toBe(1);
    expect(value(text, 'posface_authinfo_requests_total{result="hit"}')).toBe(2);
    expect(value(text, 'posface_wxpay_upstream_duration_seconds_count{outcome="ok"}')).toBe(1);
    expect(value(text, 'posface_wxpay_upstream_duration_seconds_count{outcome="UPSTREAM_ERROR"}')).toBe(1);
    expect(value(text, 'posface_orders_total{result="created"}')).toBe(1);
    expect(value(text, 'posface_rate_limited_total{route="/api/v1/members/by-openid/:openid"}')).toBe(1);
    expect(value(text, 'posface_dependency_up{dependency="database"}')).toBe(1);
    expect(value(text, 'posface_dependency_up{dependency="cache"}')).toBe(1);
    expect(value(text, 'process_open_fds')).toBeGreaterThan(0);
  });
});
