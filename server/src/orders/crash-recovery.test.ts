import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Order } from '@posface/protocol/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PRODUCTS } from '@posface/demo';
import { openStorage } from '../db/storage.js';
import { call, tempDir } from '../testing/harness.js';
import { spawnServer, type ServerProcess } from '../testing/server-process.js';

/**
 * The server process killed (SIGKILL) 40 times while tills are selling; each till retries a sale with its
 * Idempotency-Key until it is booked, as the POS does. Afterwards every sale is booked exactly once and
 * the member's points are exact.
 */

const KILLS = 40;
const TILLS = 4;
const dir = tempDir();
const database = { kind: 'sqlite' as const, path: join(dir.path, 'pos.sqlite') };
const env = { DATABASE_URL: `sqlite:${database.path}`, LOG_LEVEL: 'info' };
let token: string;
let memberId: string;

beforeAll(async () => {
  const s = await openStorage(database);
  for (const p of DEMO_PRODUCTS) await s.products.upsert(p);
  memberId = (await s.members.create({ nickname: '断电' })).id;
  token = (await s.terminals.add({ storeId: 'S001', storeName: '演示门店', deviceId: 'D001' })).token;
  await s.close();
});
afterAll(() => dir.remove());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe(`${KILLS} server kills mid-order`, () => {
  it('no sale lost or booked twice, points exact', { timeout: 600_000 }, async () => {
    let server: ServerProcess | null = null;
    let booked = 0;
    let stopping = false;
    // A till: one sale after another, each retried with its key until the server books it.
    const till = async () => {
      while (!stopping) {
        const key = randomUUID();
        for (;;) {
          const url = server?.url;
          const res = url === undefined ? null : await call<Order>(url, 'POST', '/api/v1/orders', {
            token,
            headers: { 'idempotency-key': key },
            body: { member_id: memberId, lines: [{ product_id: 'P007', quantity: 1 }] },
          }).catch(() => null);
          if (res !== null && res.status === 201) {
            booked += 1;
            break;
          }
          if (res !== null) throw new Error(`unexpected HTTP ${res.status}: ${res.text}`);
          await sleep(20);
        }
      }
    };
    const tills = Array.from({ length: TILLS }, till);
    for (let kill = 0; kill < KILLS; kill += 1) {
      server = await spawnServer(env);
      // Each life books at least one sale (however loaded the machine), then dies at a random moment
      // with requests in flight.
      const before = booked;
      for (let waited = 0; booked === before && waited < 30_000; waited += 10) await sleep(10);
      await sleep(Math.random() * 150);
      await server.kill('SIGKILL');
    }
    server = await spawnServer(env);
    stopping = true;
    await Promise.all(tills);
    await server.kill('SIGTERM');

    const check = await openStorage(database);
    try {
      const n = await check.db.kysely.selectFrom('orders').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      expect(booked).toBeGreaterThanOrEqual(KILLS);
      expect(Number(n.n)).toBe(booked);
      expect((await check.members.byId(memberId))?.points).toBe(45 * booked);
    } finally {
      await check.close();
    }
  });
});
