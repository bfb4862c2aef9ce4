import type { Order } from '@posface/protocol/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeWxpayBackend, type FakeBackend } from '@posface/wxpay-sim/backend';
import { DEMO_PRODUCTS } from '@posface/demo';
import { openStorage } from '../db/storage.js';
import { PG_URL, postgresDatabase, sqliteDatabase, type TestDatabase } from '../testing/databases.js';
import { call, startStack, TEST_API_KEY } from '../testing/harness.js';

/** A sale retried after the server restarted (crash between commit and answer) is not booked twice. */
function restartSuite(make: () => TestDatabase): void {
  let db: TestDatabase;
  let backend: FakeBackend;
  beforeAll(async () => {
    db = make();
    backend = await startFakeWxpayBackend({ apiKey: TEST_API_KEY });
  });
  afterAll(async () => {
    await backend.close();
    await db.drop();
  });

  it('returns the first result for the same Idempotency-Key after a restart', async () => {
    const setup = await openStorage(db.config);
    for (const p of DEMO_PRODUCTS) await setup.products.upsert(p);
    const member = await setup.members.create({ openid: 'o-restart', nickname: '重启' });
    const { token } = await setup.terminals.add({ storeId: 'S001', storeName: '演示门店', deviceId: 'D001' });
    await setup.close();

    const body = { member_id: member.id, lines: [{ product_id: 'P009', quantity: 1 }] };
    const headers = { 'idempotency-key': '0b9d2c3e-restart-key' };

    const first = await startStack(db.config, { backendInstance: backend });
    const a = await call<Order>(first.server.url, 'POST', '/api/v1/orders', { token, body, headers });
    await first.close();

    const second = await startStack(db.config, { backendInstance: backend });
    try {
      const b = await call<Order>(second.server.url, 'POST', '/api/v1/orders', { token, body, headers });
      expect(a.status).toBe(201);
      expect(b.status).toBe(201);
      expect(b.headers.get('idempotent-replayed')).toBe('true');
      expect(b.body).toEqual(a.body);
      const check = await openStorage(db.config);
      try {
        expect((await check.members.byId(member.id))?.points).toBe(88);
        const n = await check.db.kysely.selectFrom('orders').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
        expect(Number(n.n)).toBe(1);
      } finally {
        await check.close();
      }
    } finally {
      await second.close();
    }
  });
}

describe('order idempotency across a restart (SQLite file)', () => restartSuite(sqliteDatabase));
describe.skipIf(PG_URL === undefined)('order idempotency across a restart (PostgreSQL)', () => restartSuite(() => postgresDatabase(PG_URL ?? '')));
