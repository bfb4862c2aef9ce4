import { describe, expect, it } from 'vitest';
import { FaceError, shortHash } from '@posface/protocol';
import type { AuthinfoResponse, Member, Product } from '@posface/protocol/api';
import { FakeApi, product } from '../testing/fakes.js';
import { keepAuthinfo } from './authinfo-keeper.js';
import { CatalogueCache } from './catalogue-cache.js';
import { openPosDb } from './db.js';
import { MEMBER_CACHE_MAX_AGE_MS, MemberCache } from './member-cache.js';
import { productLookups } from './product-lookups.js';
import { TerminalCache } from './terminal-cache.js';

let dbs = 0;
const fresh = () => openPosDb(`caches-test-${(dbs += 1)}`);
const WANG: Member = { id: 'M1', nickname: '王芳', phone: '138****5678', level: 'gold', points: 1280 };
const DAY = 86_400_000;

describe('member cache', () => {
  it('recognises a member seen recently by their openid, storing only the short hash and what the till shows', async () => {
    const db = fresh();
    const cache = new MemberCache(db);
    // Whatever else the answer carried (here an openid a server should never send) is not kept.
    await cache.remember('oSIM_0001_wangfang', { ...WANG, openid: 'oSIM_0001_wangfang' } as Member);
    expect(await cache.recall('oSIM_0001_wangfang')).toEqual(WANG);
    expect(await cache.recall('oSIM_0002_lilei')).toBeNull();
    const rows = await (await db).getAll('members');
    expect(rows.map((r) => r.key)).toEqual([shortHash('oSIM_0001_wangfang')]);
    expect(JSON.stringify(rows)).not.toContain('oSIM_0001');
    expect(Object.keys(rows[0]?.member ?? {}).sort()).toEqual(['id', 'level', 'nickname', 'phone', 'points']);
  });

  it('forgets a member not seen for MEMBER_CACHE_MAX_AGE_MS; seeing them again keeps them', async () => {
    let now = Date.UTC(2026, 3, 1);
    const db = fresh();
    const cache = new MemberCache(db, MEMBER_CACHE_MAX_AGE_MS, () => now);
    await cache.remember('oA', { ...WANG, id: 'A' });
    await cache.remember('oB', { ...WANG, id: 'B' });
    now += 5 * DAY;
    expect(await cache.recall('oB')).not.toBeNull();
    now += 3 * DAY;
    expect(await cache.purge()).toBe(1);
    expect(await cache.recall('oA')).toBeNull();
    expect((await cache.recall('oB'))?.id).toBe('B');
    now += MEMBER_CACHE_MAX_AGE_MS + 1;
    // Past the age, a recall misses even before the purge ran.
    expect(await cache.recall('oB')).toBeNull();
    expect(await (await db).count('members')).toBe(0);
  });

  it('keeps the last known points of a member after a sale', async () => {
    const cache = new MemberCache(fresh());
    await cache.remember('oA', WANG);
    await cache.updatePoints('M1', 1300);
    await cache.updatePoints('M-other', 5);
    expect((await cache.recall('oA'))?.points).toBe(1300);
  });
});

describe('catalogue cache', () => {
  const A = product('a', 200, 150, '6901234567892');
  const B = product('b', 350, null, '6902538006100');
  const C = { ...product('c', 890, 790, '6911988012345'), name: '奥利奥饼干', name_en: 'Oreo Cookies' };

  it('refreshes the whole catalogue page by page, and a product removed on the server goes', async () => {
    const api = new FakeApi();
    api.products.push(A, B, C);
    const cache = new CatalogueCache(fresh(), () => 42);
    expect(await cache.refresh((after) => api.cataloguePage(after))).toEqual({ refreshedAt: 42, count: 3 });
    expect(await cache.byBarcode('6902538006100')).toEqual([B]);
    api.products.splice(1, 1);
    await cache.refresh((after) => api.cataloguePage(after));
    expect(await cache.byBarcode('6902538006100')).toEqual([]);
    expect(await cache.info()).toEqual({ refreshedAt: 42, count: 2 });
  });

  it('a refresh cut short keeps the previous copy whole', async () => {
    const api = new FakeApi();
    api.products.push(A, B, C);
    const cache = new CatalogueCache(fresh());
    await cache.refresh((after) => api.cataloguePage(after));
    const failing = async (after: string | null) => {
      if (after !== null) throw new FaceError('NETWORK_ERROR', 'gone mid-refresh');
      return api.cataloguePage(after);
    };
    await expect(cache.refresh(failing)).rejects.toThrow('gone mid-refresh');
    expect((await cache.info())?.count).toBe(3);
    expect(await cache.byBarcode(C.barcode)).toEqual([C]);
  });

  it('searches names, English names and barcodes like the server, up to the limit', async () => {
    const cache = new CatalogueCache(fresh());
    await cache.replace([A, B, C]);
    expect((await cache.search('oreo', 8)).map((p) => p.id)).toEqual(['c']);
    expect((await cache.search('饼干', 8)).map((p) => p.id)).toEqual(['c']);
    expect((await cache.search('69025', 8)).map((p) => p.id)).toEqual(['b']);
    expect(await cache.search('商品', 1)).toHaveLength(1);
    expect(await cache.search('  ', 8)).toEqual([]);
  });
});

describe('product lookups', () => {
  it('ask the server while it answers, the kept catalogue when it cannot be reached or the status says offline', async () => {
    const api = new FakeApi();
    const onServer: Product = product('a', 200, 150);
    const kept: Product = { ...onServer, price_fen: 199 };
    api.products.push(onServer);
    const cache = new CatalogueCache(fresh());
    await cache.replace([kept]);
    let offline = false;
    const lookups = productLookups(api, cache, () => offline);
    expect(await lookups.byBarcode(onServer.barcode)).toEqual([onServer]);
    api.failNext = new FaceError('NETWORK_ERROR', 'down');
    expect(await lookups.byBarcode(onServer.barcode)).toEqual([kept]);
    api.failNext = new FaceError('RATE_LIMITED', 'slow down');
    await expect(lookups.search('商品', 8)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    offline = true;
    api.failNext = new FaceError('INTERNAL_ERROR', 'must not be asked');
    expect(await lookups.search('商品', 8)).toEqual([kept]);
  });
});

describe('authinfo keeper', () => {
  const answer = (n: number): AuthinfoResponse => ({ authinfo: `AUTH-${n}`, expires_in: 3600, expires_at: 0 });

  it('hands back the kept authinfo when the server cannot be reached (after a reload too), until shortly before it expires', async () => {
    let now = Date.UTC(2026, 3, 1);
    const db = fresh();
    let calls = 0;
    let down = false;
    const fetchAuthinfo = async () => {
      calls += 1;
      if (down) throw new FaceError('NETWORK_ERROR', 'down');
      return answer(calls);
    };
    expect((await keepAuthinfo(fetchAuthinfo, db, () => false, () => now)('RAW', { refresh: false })).authinfo).toBe('AUTH-1');
    down = true;
    now += 1000 * 1000;
    // A reload: a new keeper over the same database.
    const reloaded = keepAuthinfo(fetchAuthinfo, db, () => false, () => now);
    expect(await reloaded('RAW', { refresh: false })).toEqual({ authinfo: 'AUTH-1', expires_in: 2600, expires_at: Math.floor((now + 2600_000) / 1000) });
    // Known offline: not even asked.
    const before = calls;
    expect((await keepAuthinfo(fetchAuthinfo, db, () => true, () => now)('RAW', { refresh: false })).authinfo).toBe('AUTH-1');
    expect(calls).toBe(before);
    now += 2560 * 1000;
    await expect(reloaded('RAW', { refresh: false })).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
  });

  it('drops the kept authinfo when the SDK refused it, and the session clears it when unpaired', async () => {
    const db = fresh();
    let down = false;
    const fetchAuthinfo = async () => {
      if (down) throw new FaceError('NETWORK_ERROR', 'down');
      return answer(1);
    };
    const keeper = keepAuthinfo(fetchAuthinfo, db, () => false);
    await keeper('RAW', { refresh: false });
    down = true;
    await expect(keeper('RAW', { refresh: true })).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    await expect(keeper('RAW', { refresh: false })).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    down = false;
    await keeper('RAW', { refresh: false });
    await new TerminalCache(db).clear();
    down = true;
    await expect(keeper('RAW', { refresh: false })).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
  });
});
