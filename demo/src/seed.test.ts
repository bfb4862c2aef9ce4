import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalizePairingCode } from '@posface/protocol';
import { openStorage } from '@posface/server';
import { readFaces } from '@posface/wxpay-sim';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_HISTORY, DEMO_MEMBERS, DEMO_PRODUCTS } from './data.js';
import { seed } from './seed.js';

describe('demo seed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'posface-demo-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('members are faces 1–4 of the simulator; faces 5 and 6 are not members', () => {
    const faces = readFaces();
    expect(faces.length).toBeGreaterThanOrEqual(6);
    expect(DEMO_MEMBERS.map((m) => [m.openid, m.nickname, m.unionid])).toEqual(faces.slice(0, 4).map((f) => [f.openid, f.nickname, f.unionid]));
    const memberOpenids = new Set(DEMO_MEMBERS.map((m) => m.openid));
    for (const f of faces.slice(4)) expect(memberOpenids.has(f.openid)).toBe(false);
  });

  it('products have unique barcodes, Chinese and English names, member prices not above list prices', () => {
    expect(new Set(DEMO_PRODUCTS.map((p) => p.barcode)).size).toBe(DEMO_PRODUCTS.length);
    for (const p of DEMO_PRODUCTS) {
      expect(p.name).toMatch(/[\u4e00-\u9fff]/);
      expect(p.name_en).toBeTruthy();
      if (p.member_price_fen !== null) expect(p.member_price_fen).toBeLessThan(p.price_fen);
    }
    expect(DEMO_PRODUCTS.some((p) => p.member_price_fen === null)).toBe(true);
  });

  it('runs twice: data and terminal kept, a new pairing code issued (the old one no longer pairs)', async () => {
    const s = await openStorage({ kind: 'sqlite', path: join(dir, 'pos.sqlite') });
    try {
      const first = await seed(s);
      expect(first).toMatchObject({ store_id: 'S001', device_id: 'D001', members: 4, products: DEMO_PRODUCTS.length, orders: DEMO_HISTORY.length });
      // The history makes recommendations show at once: 王芳's favourite first, then best-sellers.
      const recs = await s.orders.recommendations('M0001', 'S001', 4);
      expect(recs[0]).toMatchObject({ reason: 'frequent', product: { id: 'P004' }, count: 6 });
      expect(recs.some((r) => r.reason === 'bestseller')).toBe(true);
      const second = await seed(s);
      expect(second.members).toBe(0);
      expect(second.orders).toBe(0);
      expect(second.terminal_id).toBe(first.terminal_id);
      expect(second.pairing_code).not.toBe(first.pairing_code);
      await expect(s.sessions.pair(normalizePairingCode(first.pairing_code) ?? '')).rejects.toMatchObject({ code: 'PAIRING_CODE_INVALID', details: { reason: 'unknown' } });
      const { session } = await s.sessions.pair(normalizePairingCode(second.pairing_code) ?? '');
      expect(session.terminal).toMatchObject({ id: first.terminal_id, store_name: '演示门店 Demo Store' });
      expect((await s.members.byOpenid('oSIM_0001_wangfang'))?.phone).toBe('138****5678');
      expect(await s.members.byOpenid('oSIM_0005_liuyang')).toBeNull();
    } finally {
      await s.close();
    }
  });
});
