import { join } from 'node:path';
import { LIMITS } from '@posface/protocol';
import { AuthinfoResponse, ErrorBody, Member, type MemberLookup, OPENID_MAX_LENGTH, Order, TerminalInfo } from '@posface/protocol/api';
import { makeRawdata, verifyAuthinfo } from '@posface/wxpay-sim';
import { Value } from 'typebox/value';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PRODUCTS } from '@posface/demo';
import { openStorage, type Storage } from './db/storage.js';
import { call as rawCall, startStack, tempDir, TEST_API_KEY, TEST_APPID, TEST_MCH_ID, TEST_SERIAL, type CallResult, type Stack } from './testing/harness.js';

/** The server over real HTTP on loopback, a real SQLite file, and the fake WeChat backend. */

const dir = tempDir();
const dbConfig = { kind: 'sqlite' as const, path: join(dir.path, 'pos.sqlite') };
let storage: Storage;
let stack: Stack;
const tokens: string[] = [];
const responses: string[] = [];
let deviceSeq = 0;

async function call<T>(method: string, path: string, options: Parameters<typeof rawCall>[3] = {}): Promise<CallResult<T>> {
  const res = await rawCall<T>(stack.server.url, method, path, options);
  responses.push(res.text, JSON.stringify([...res.headers]));
  return res;
}

/** A fresh terminal (so its authinfo cache entry is fresh too). */
async function newTerminal(extra: { screenIndex?: string; releaseAfterSession?: boolean } = {}): Promise<string> {
  deviceSeq += 1;
  const { token } = await storage.terminals.add({ storeId: 'S001', storeName: '演示门店 Demo Store', deviceId: `D${deviceSeq}`, ...extra });
  tokens.push(token);
  return token;
}

beforeAll(async () => {
  storage = await openStorage(dbConfig);
  for (const p of DEMO_PRODUCTS) await storage.products.upsert(p);
  stack = await startStack(dbConfig, { deps: { storage } });
});
afterAll(async () => {
  await stack.close();
  await storage.close();
  dir.remove();
});
beforeEach(() => {
  stack.backend.faults.reset();
  stack.backend.resetStats();
});

describe('auth', () => {
  it('health needs no token; every /api/v1 route does', async () => {
    expect((await call('GET', '/healthz')).body).toEqual({ status: 'ok' });
    expect(await call('GET', '/readyz')).toMatchObject({ status: 200, body: { status: 'ok', checks: { database: 'ok', cache: 'ok' } } });
    for (const [method, path] of [
      ['GET', '/api/v1/terminal'],
      ['POST', '/api/v1/face/authinfo'],
      ['GET', '/api/v1/members/by-openid/x'],
      ['GET', '/api/v1/products'],
      ['POST', '/api/v1/orders'],
    ] as const) {
      const res = await call<ErrorBody>(method, path, { body: method === 'POST' ? {} : undefined });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHORIZED');
    }
  });

  it('unknown, malformed and revoked tokens get 401', async () => {
    const token = await newTerminal();
    expect((await call('GET', '/api/v1/terminal', { token })).status).toBe(200);
    expect((await call('GET', '/api/v1/terminal', { token: `${token}0` })).status).toBe(401);
    expect((await call('GET', '/api/v1/terminal', { headers: { authorization: `Basic ${token}` } })).status).toBe(401);
    await storage.terminals.revoke({ deviceId: `D${deviceSeq}` });
    const res = await call<ErrorBody>('GET', '/api/v1/terminal', { token });
    expect(res.status).toBe(401);
    expect(res.body.error.message).toBe('unknown or revoked terminal token');
  });
});

describe('GET /api/v1/terminal', () => {
  it('gives store, device and face settings', async () => {
    const token = await newTerminal({ screenIndex: '2', releaseAfterSession: true });
    const res = await call<TerminalInfo>('GET', '/api/v1/terminal', { token });
    expect(Value.Check(TerminalInfo, res.body)).toBe(true);
    expect(res.body).toEqual({
      store: { id: 'S001', name: '演示门店 Demo Store' },
      device_id: `D${deviceSeq}`,
      face: { appid: TEST_APPID, mch_id: TEST_MCH_ID, store_id: 'S001', ask_unionid: '0', screen_index: '2', release_after_session: true },
    });
  });
});

describe('POST /api/v1/face/authinfo', () => {
  it('brokers an authinfo the SDK accepts, with store and device from the terminal record', async () => {
    const token = await newTerminal();
    const before = Math.floor(Date.now() / 1000);
    const res = await call<AuthinfoResponse>('POST', '/api/v1/face/authinfo', { token, body: { rawdata: makeRawdata(TEST_SERIAL) } });
    expect(res.status).toBe(200);
    expect(Value.Check(AuthinfoResponse, res.body)).toBe(true);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body.expires_in).toBeGreaterThan(7195);
    expect(res.body.expires_at).toBeGreaterThanOrEqual(before + 7200);
    expect(verifyAuthinfo(res.body.authinfo, { serial: TEST_SERIAL, appid: TEST_APPID, mch_id: TEST_MCH_ID, store_id: 'S001' }).ok).toBe(true);
    const sent = stack.backend.stats().lastFields;
    expect(sent).toMatchObject({ store_id: 'S001', store_name: '演示门店 Demo Store', device_id: `D${deviceSeq}`, sign_type: 'HMAC-SHA256', version: '1' });
  });

  it('100 concurrent requests for one terminal make one upstream call', async () => {
    const token = await newTerminal();
    const results = await Promise.all(
      Array.from({ length: 100 }, () => call<AuthinfoResponse>('POST', '/api/v1/face/authinfo', { token, body: { rawdata: makeRawdata(TEST_SERIAL) } })),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(new Set(results.map((r) => r.body.authinfo)).size).toBe(1);
    expect(stack.backend.stats().requests).toBe(1);
    // Another device is another cache entry.
    const other = await newTerminal();
    await call('POST', '/api/v1/face/authinfo', { token: other, body: { rawdata: makeRawdata(TEST_SERIAL) } });
    expect(stack.backend.stats().requests).toBe(2);
  });

  it('?refresh=true replaces the cached authinfo (after the SDK rejected it)', async () => {
    const token = await newTerminal();
    const body = { rawdata: makeRawdata(TEST_SERIAL) };
    const first = await call<AuthinfoResponse>('POST', '/api/v1/face/authinfo', { token, body });
    const cached = await call<AuthinfoResponse>('POST', '/api/v1/face/authinfo?refresh=false', { token, body });
    expect(cached.body.authinfo).toBe(first.body.authinfo);
    expect(stack.backend.stats().requests).toBe(1);
    const fresh = await call<AuthinfoResponse>('POST', '/api/v1/face/authinfo?refresh=true', { token, body });
    expect(fresh.status).toBe(200);
    expect(fresh.body.authinfo).not.toBe(first.body.authinfo);
    expect(stack.backend.stats().requests).toBe(2);
    expect((await call('POST', '/api/v1/face/authinfo?refresh=maybe', { token, body })).status).toBe(400);
  });

  it('the client cannot choose the store, and bad rawdata is named', async () => {
    const token = await newTerminal();
    const extra = await call<ErrorBody>('POST', '/api/v1/face/authinfo', { token, body: { rawdata: 'abc', store_id: 'S999' } });
    expect(extra.status).toBe(400);
    expect(extra.body.error).toMatchObject({ code: 'INVALID_REQUEST', message: 'body.store_id: is not a known field' });
    const long = await call<ErrorBody>('POST', '/api/v1/face/authinfo', { token, body: { rawdata: 'a'.repeat(LIMITS.rawdata + 1) } });
    expect(long.status).toBe(400);
    expect(long.body.error.message).toContain('body.rawdata');
    // CDATA cannot carry "]]>": a 400 naming the field, not a 500.
    const cdata = await call<ErrorBody>('POST', '/api/v1/face/authinfo', { token, body: { rawdata: 'abc]]><x/>' } });
    expect(cdata.status).toBe(400);
    expect(cdata.body.error).toMatchObject({ code: 'INVALID_REQUEST', message: 'rawdata: must not contain "]]>"' });
    const notJson = await rawCall<ErrorBody>(stack.server.url, 'POST', '/api/v1/face/authinfo', { token, headers: { 'content-type': 'application/json' } });
    expect(notJson.status).toBe(400);
    expect(stack.backend.stats().requests).toBe(0);
  });

  it.each([
    ['http5xx', 502, 'UPSTREAM_ERROR', { mode: 'http5xx' as const, status: 503 }, undefined, 3],
    ['timeout', 504, 'UPSTREAM_TIMEOUT', { mode: 'timeout' as const }, undefined, 1],
    ['malformed', 502, 'UPSTREAM_ERROR', { mode: 'malformed' as const }, undefined, 1],
    ['badSign', 502, 'UPSTREAM_ERROR', { mode: 'badSign' as const }, undefined, 1],
    ['systemError', 502, 'UPSTREAM_ERROR', { mode: 'systemError' as const }, 'SYSTEMERROR', 1],
  ])('fault %s → HTTP %i %s', async (_name, status, code, fault, returnCode, upstreamCalls) => {
    const token = await newTerminal();
    stack.backend.faults.set(fault);
    const res = await call<ErrorBody>('POST', '/api/v1/face/authinfo', { token, body: { rawdata: makeRawdata(TEST_SERIAL) } });
    expect(res.status).toBe(status);
    expect(Value.Check(ErrorBody, res.body)).toBe(true);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.returnCode).toBe(returnCode);
    expect(stack.backend.stats().requests).toBe(upstreamCalls);
    // Nothing bad was cached: once WeChat behaves, the terminal gets an authinfo.
    stack.backend.faults.reset();
    await new Promise((r) => setTimeout(r, 10));
    expect((await call('POST', '/api/v1/face/authinfo', { token, body: { rawdata: makeRawdata(TEST_SERIAL) } })).status).toBe(200);
  });

  it('latency below the timeout still answers', async () => {
    const token = await newTerminal();
    stack.backend.faults.set({ latencyMs: 200 });
    expect((await call('POST', '/api/v1/face/authinfo', { token, body: { rawdata: makeRawdata(TEST_SERIAL) } })).status).toBe(200);
  });
});

describe('members, products, orders, recommendations', () => {
  let token: string;
  beforeAll(async () => {
    token = await newTerminal();
  });

  it('enrols a member, finds them by openid and phone, refuses a duplicate', async () => {
    const created = await call<Member>('POST', '/api/v1/members', { token, body: { openid: 'oAPI_0001', nickname: '刘洋', phone: '13711112222' } });
    expect(created.status).toBe(201);
    expect(Value.Check(Member, created.body)).toBe(true);
    expect(created.body).toEqual({ id: created.body.id, nickname: '刘洋', phone: '137****2222', points: 0, level: 'standard', tier: { level: 'standard', multiplier_pct: 100, spend_fen: 0, next: null } });
    expect((await call<MemberLookup>('GET', '/api/v1/members/by-openid/oAPI_0001', { token })).body.member?.id).toBe(created.body.id);
    const byPhone = await call<{ items: Member[] }>('GET', '/api/v1/members?phone=13711112222', { token });
    expect(byPhone.body.items.map((m) => m.id)).toEqual([created.body.id]);
    const dup = await call<ErrorBody>('POST', '/api/v1/members', { token, body: { openid: 'oAPI_0001', nickname: 'x' } });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('CONFLICT');
  });

  it('member: null for an openid that is not a member, without echoing it; 400 for a bad phone or an empty enrolment', async () => {
    const res = await call<MemberLookup>('GET', '/api/v1/members/by-openid/oSECRET_NOBODY', { token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ member: null });
    expect(res.text).not.toContain('oSECRET_NOBODY');
    const phone = await call<ErrorBody>('GET', '/api/v1/members?phone=12345', { token });
    expect(phone.status).toBe(400);
    expect(phone.body.error.message).toMatch(/^querystring\.phone: /);
    const empty = await call<ErrorBody>('POST', '/api/v1/members', { token, body: { nickname: 'x' } });
    expect(empty.status).toBe(400);
  });

  it('an openid of the longest length protocol allows can be enrolled and looked up; a longer one is 400 both ways', async () => {
    const longest = `o${'A'.repeat(OPENID_MAX_LENGTH - 1)}`;
    expect((await call('POST', '/api/v1/members', { token, body: { openid: longest, nickname: '长号' } })).status).toBe(201);
    expect((await call('GET', `/api/v1/members/by-openid/${longest}`, { token })).status).toBe(200);
    // Printable ASCII needing percent-encoding still fits the path limit.
    const odd = `o%/?#${'-'.repeat(OPENID_MAX_LENGTH - 5)}`;
    expect((await call('POST', '/api/v1/members', { token, body: { openid: odd, nickname: '怪号' } })).status).toBe(201);
    expect((await call('GET', `/api/v1/members/by-openid/${encodeURIComponent(odd)}`, { token })).status).toBe(200);
    const tooLong = `${longest}B`;
    expect((await call('POST', '/api/v1/members', { token, body: { openid: tooLong, nickname: 'x' } })).status).toBe(400);
    const lookup = await call<ErrorBody>('GET', `/api/v1/members/by-openid/${tooLong}`, { token });
    expect(lookup.status).toBe(400);
    expect(lookup.body.error.message).toMatch(/^params\.openid: /);
  });

  it('finds products by barcode and by text', async () => {
    expect((await call<{ items: Array<{ id: string }> }>('GET', '/api/v1/products?barcode=6902538006100', { token })).body.items.map((p) => p.id)).toEqual(['P002']);
    expect((await call<{ items: Array<{ id: string }> }>('GET', `/api/v1/products?q=${encodeURIComponent('可乐')}`, { token })).body.items.map((p) => p.id)).toEqual(['P002']);
    expect((await call('GET', '/api/v1/products?q=a&barcode=1', { token })).status).toBe(400);
    expect((await call('GET', '/api/v1/products?limit=500', { token })).status).toBe(400);
  });

  it('prices orders on the server, accrues points and replays an idempotent retry', async () => {
    const member = (await call<Member>('POST', '/api/v1/members', { token, body: { openid: 'oAPI_0002', nickname: '陈静' } })).body;
    const body = { member_id: member.id, lines: [{ product_id: 'P002', quantity: 2 }, { product_id: 'P008', quantity: 1 }] };
    const tampered = await call<ErrorBody>('POST', '/api/v1/orders', { token, body: { ...body, total_fen: 1 } });
    expect(tampered.status).toBe(400);
    expect(tampered.body.error.message).toBe('body.total_fen: is not a known field');
    const headers = { 'idempotency-key': 'sale-7f3a-0001' };
    const first = await call<Order>('POST', '/api/v1/orders', { token, body, headers });
    expect(first.status).toBe(201);
    expect(Value.Check(Order, first.body)).toBe(true);
    expect(first.body).toMatchObject({ total_fen: 900, discount_fen: 100, points_earned: 9, member_points: 9 });
    const again = await call<Order>('POST', '/api/v1/orders', { token, body, headers });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect((await call<MemberLookup>('GET', '/api/v1/members/by-openid/oAPI_0002', { token })).body.member?.points).toBe(9);
    const conflict = await call<ErrorBody>('POST', '/api/v1/orders', { token, body: { ...body, lines: [{ product_id: 'P002', quantity: 3 }] }, headers });
    expect(conflict.status).toBe(409);
    expect((await call('POST', '/api/v1/orders', { token, body, headers: { 'idempotency-key': 'short' } })).status).toBe(400);
    const recs = await call<{ items: Array<{ product: { id: string }; reason: string }> }>('GET', `/api/v1/members/${member.id}/recommendations?limit=2`, { token });
    expect(recs.body.items.map((r) => [r.product.id, r.reason])).toEqual([
      ['P002', 'frequent'],
      ['P008', 'frequent'],
    ]);
    expect((await call('GET', '/api/v1/members/nobody/recommendations', { token })).status).toBe(404);
  });
});

describe('secrets and personal data', () => {
  it('the API key, tokens, authinfos and openids appear in no response and no log line', async () => {
    const logs = stack.logs.text();
    expect(stack.logs.lines.length).toBeGreaterThan(50);
    expect(logs).toContain('/by-openid/sha256:');
    const all = responses.join('\n');
    expect(all).not.toContain(TEST_API_KEY);
    expect(logs).not.toContain(TEST_API_KEY);
    for (const t of tokens) {
      expect(all).not.toContain(t);
      expect(logs).not.toContain(t);
    }
    for (const openid of ['oAPI_0001', 'oAPI_0002', 'oSECRET_NOBODY']) expect(logs).not.toContain(openid);
    expect(logs).not.toContain('13711112222');
    expect(logs).not.toMatch(/"authinfo":"[A-Za-z0-9+/=]{20,}/);
  });
});
