import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { requireService } from '@posface/testing';
import type { ErrorBody, Member, MemberList, MemberLookup } from '@posface/protocol/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from '../db/storage.js';
import { call, startStack, tempDir, type Stack } from '../testing/harness.js';

/** Member lookups answer only the till's view, and each terminal has a per-minute budget (429 after). */

const REDIS_URL = requireService('TEST_REDIS_URL');
const dir = tempDir();
const database = { kind: 'sqlite' as const, path: join(dir.path, 'pos.sqlite') };
let storage: Storage;
let stack: Stack;
let device = 0;

const terminal = async () => (await storage.terminals.add({ storeId: 'S001', storeName: '演示门店', deviceId: `D${(device += 1)}` })).token;

beforeAll(async () => {
  storage = await openStorage(database);
  stack = await startStack(database, { deps: { storage }, config: { memberLookupsPerMinute: 5 } });
});
afterAll(async () => {
  await stack.close();
  await storage.close();
  dir.remove();
});

describe('member lookups', () => {
  it('answer id, nickname, masked phone, level, points and tier only: never openid, sub_openid or unionid', async () => {
    const token = await terminal();
    const ids = { openid: 'oLOOKUP_0001', sub_openid: 'oSUB_0001', unionid: 'uLOOKUP_0001' };
    const created = await call<Member>(stack.server.url, 'POST', '/api/v1/members', { token, body: { ...ids, nickname: '周杰', phone: '13600002222' } });
    const byOpenid = await call<MemberLookup>(stack.server.url, 'GET', '/api/v1/members/by-openid/oLOOKUP_0001', { token });
    const byPhone = await call<MemberList>(stack.server.url, 'GET', '/api/v1/members?phone=13600002222', { token });
    for (const shown of [created.body, byOpenid.body.member]) expect(Object.keys(shown ?? {}).sort()).toEqual(['id', 'level', 'nickname', 'phone', 'points', 'tier']);
    expect(byPhone.body.items.map((m) => Object.keys(m).sort())).toEqual([['id', 'level', 'nickname', 'phone', 'points', 'tier']]);
    for (const res of [created, byOpenid, byPhone]) for (const id of Object.values(ids)) expect(res.text).not.toContain(id);
    expect(byOpenid.body.member).toEqual({ id: created.body.id, nickname: '周杰', phone: '136****2222', level: 'standard', points: 0, tier: { level: 'standard', multiplier_pct: 100, spend_fen: 0, next: null } });
  });

  it('a terminal gets MEMBER_LOOKUPS_PER_MINUTE per route, then 429 RATE_LIMITED with Retry-After; other terminals are not affected', async () => {
    const token = await terminal();
    const statuses: number[] = [];
    for (let i = 0; i < 8; i += 1) statuses.push((await call(stack.server.url, 'GET', `/api/v1/members/by-openid/oENUM_${i}`, { token })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    const refused = await call<ErrorBody>(stack.server.url, 'GET', '/api/v1/members/by-openid/oENUM_x', { token });
    expect(refused.body.error.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    // Phone lookups have their own budget; so does every other terminal.
    expect((await call(stack.server.url, 'GET', '/api/v1/members?phone=13600009999', { token })).status).toBe(200);
    const other = await terminal();
    expect((await call(stack.server.url, 'GET', '/api/v1/members/by-openid/oENUM_0', { token: other })).status).toBe(200);
  });

  it('enumerating phone numbers stops after the budget', async () => {
    const token = await terminal();
    const statuses = await Promise.all(Array.from({ length: 50 }, (_, i) => call(stack.server.url, 'GET', `/api/v1/members?phone=1390000${String(i).padStart(4, '0')}`, { token }).then((r) => r.status)));
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(45);
  });
});

describe.skipIf(REDIS_URL === undefined)('member lookup limits shared through Redis', () => {
  it('two server instances share one budget per terminal', async () => {
    const db2 = { kind: 'sqlite' as const, path: join(dir.path, `shared-${randomBytes(3).toString('hex')}.sqlite`) };
    const s = await openStorage(db2);
    const { token } = await s.terminals.add({ storeId: 'S001', storeName: '演示门店', deviceId: 'R1' });
    const config = { memberLookupsPerMinute: 6, redisUrl: REDIS_URL ?? null };
    // Two instances of one deployment: the same Redis and the same key prefix.
    const redisPrefix = `posface-test:${randomBytes(4).toString('hex')}:`;
    const a = await startStack(db2, { deps: { storage: s, redisPrefix }, config });
    const b = await startStack(db2, { deps: { storage: s, redisPrefix }, config, backendInstance: a.backend });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 10; i += 1) statuses.push((await call((i % 2 === 0 ? a : b).server.url, 'GET', `/api/v1/members/by-openid/oR_${i}`, { token })).status);
      expect(statuses.filter((x) => x === 200)).toHaveLength(6);
      expect(statuses.slice(6)).toEqual([429, 429, 429, 429]);
    } finally {
      await b.close();
      await a.close();
      await s.close();
    }
  });
});
