import { randomUUID } from 'node:crypto';
import { requireTool } from '@posface/testing';
import type { ErrorBody, HealthStatus, Order } from '@posface/protocol/api';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PRODUCTS } from '@posface/demo';
import type { DatabaseConfig } from '../config.js';
import { PG_URL, postgresDatabase, type TestDatabase } from '../testing/databases.js';
import { call, startStack, type Stack } from '../testing/harness.js';
import { startPgCluster, type PgCluster } from '../testing/pg-cluster.js';
import { openStorage } from './storage.js';

/**
 * PostgreSQL that does not answer: a lock held for ever, a frozen server (SIGSTOP) and a stopped one, with
 * the timeouts shortened to one second. Requests get a fast 503 DATABASE_UNAVAILABLE, /readyz says so
 * within seconds, and once the database is back nothing was lost or booked twice.
 */

const TIMEOUTS = { connectMs: 1000, statementMs: 1000 };
const elapsed = async <T>(work: Promise<T>): Promise<[T, number]> => {
  const started = performance.now();
  const value = await work;
  return [value, performance.now() - started];
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function seed(config: DatabaseConfig): Promise<{ token: string; memberId: string }> {
  const s = await openStorage(config);
  try {
    for (const p of DEMO_PRODUCTS) await s.products.upsert(p);
    const member = await s.members.create({ openid: 'oOUTAGE', nickname: '停电' });
    const { token } = await s.terminals.add({ storeId: 'S001', storeName: '演示门店', deviceId: 'D001' });
    return { token, memberId: member.id };
  } finally {
    await s.close();
  }
}

describe.skipIf(PG_URL === undefined)('a lock held on the members table (shared server)', () => {
  let db: TestDatabase;
  let stack: Stack;
  let token: string;
  beforeAll(async () => {
    db = postgresDatabase(PG_URL ?? '');
    ({ token } = await seed(db.config));
    stack = await startStack({ ...db.config, timeouts: TIMEOUTS } as DatabaseConfig);
  });
  afterAll(async () => {
    await stack.close();
    await db.drop();
  });

  it('by-openid answers 503 DATABASE_UNAVAILABLE after the lock timeout, not after the lock', async () => {
    const locker = new pg.Client({ connectionString: PG_URL });
    await locker.connect();
    try {
      await locker.query(`SET search_path TO "${(db.config as { schema: string }).schema}"`);
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE members IN ACCESS EXCLUSIVE MODE');
      const [res, ms] = await elapsed(call<ErrorBody>(stack.server.url, 'GET', '/api/v1/members/by-openid/oOUTAGE', { token }));
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('DATABASE_UNAVAILABLE');
      expect(ms).toBeLessThan(TIMEOUTS.statementMs + 2000);
      // The database itself answers.
      expect((await call(stack.server.url, 'GET', '/readyz')).status).toBe(200);
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    expect((await call(stack.server.url, 'GET', '/api/v1/members/by-openid/oOUTAGE', { token })).status).toBe(200);
  });
});

describe.runIf(requireTool('postgresql'))('a PostgreSQL server of the test’s own, frozen and stopped', () => {
  let cluster: PgCluster;
  let stack: Stack;
  let token: string;
  let memberId: string;
  beforeAll(async () => {
    cluster = await startPgCluster();
    const config: DatabaseConfig = { kind: 'postgres', url: cluster.url, timeouts: TIMEOUTS };
    ({ token, memberId } = await seed(config));
    stack = await startStack(config);
  }, 60_000);
  afterAll(async () => {
    // The cluster first: a frozen one left behind (a failed test) must not outlive the run.
    cluster?.destroy();
    await stack?.close();
  });

  it('frozen (SIGSTOP): by-openid is a 503 and /readyz says "database unavailable" within seconds; both recover', { timeout: 30_000 }, async () => {
    expect((await call(stack.server.url, 'GET', '/api/v1/members/by-openid/oOUTAGE', { token })).status).toBe(200);
    cluster.freeze();
    try {
      const [lookup, lookupMs] = await elapsed(call<ErrorBody>(stack.server.url, 'GET', '/api/v1/members/by-openid/oOUTAGE', { token }));
      expect(lookup.status).toBe(503);
      expect(lookup.body.error.code).toBe('DATABASE_UNAVAILABLE');
      expect(lookupMs).toBeLessThan(TIMEOUTS.statementMs + TIMEOUTS.connectMs + 2000);
      const [ready, readyMs] = await elapsed(call<HealthStatus>(stack.server.url, 'GET', '/readyz'));
      expect(ready.status).toBe(503);
      expect(ready.body.checks).toMatchObject({ database: 'unavailable', cache: 'ok' });
      expect(readyMs).toBeLessThan(3000);
    } finally {
      cluster.thaw();
    }
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i += 1) {
      status = (await call(stack.server.url, 'GET', '/api/v1/members/by-openid/oOUTAGE', { token })).status;
      if (status !== 200) await sleep(200);
    }
    expect(status).toBe(200);
    expect((await call(stack.server.url, 'GET', '/readyz')).status).toBe(200);
  });

  it('stopped under load: answers are 503 (never 500), and after the restart every sale is booked once, points exact', { timeout: 60_000 }, async () => {
    const TILLS = 6;
    const SALES = 5;
    const statuses: number[] = [];
    // Each till sells, retrying each sale with its key until it is booked (as the POS does).
    const till = async () => {
      for (let sale = 0; sale < SALES; sale += 1) {
        const key = randomUUID();
        for (;;) {
          const res = await call<Order>(stack.server.url, 'POST', '/api/v1/orders', {
            token,
            headers: { 'idempotency-key': key },
            body: { member_id: memberId, lines: [{ product_id: 'P007', quantity: 1 }] },
          }).catch(() => ({ status: 0 }));
          statuses.push(res.status);
          if (res.status === 201) break;
          await sleep(100);
        }
      }
    };
    const load = Promise.all(Array.from({ length: TILLS }, till));
    await sleep(300);
    cluster.stop();
    await sleep(1500);
    cluster.start();
    await load;
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s !== 201 && s !== 503)).toEqual([]);
    const check = await openStorage({ kind: 'postgres', url: cluster.url });
    try {
      const n = await check.db.kysely.selectFrom('orders').select((eb) => eb.fn.countAll().as('n')).where('member_id', '=', memberId).executeTakeFirstOrThrow();
      expect(Number(n.n)).toBe(TILLS * SALES);
      expect((await check.members.byId(memberId))?.points).toBe(45 * TILLS * SALES);
    } finally {
      await check.close();
    }
  });
});
