import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpLimits } from '../config.js';
import { openStorage } from '../db/storage.js';
import { call, startStack, tempDir, type Stack } from '../testing/harness.js';
import { postHead, slowClients } from '../testing/slow-clients.js';

/**
 * Slow and numerous clients on loopback against the real server: the attackers connect from 127.0.0.2
 * (another host as the server sees it), the till from 127.0.0.1. Bounded: a few hundred connections,
 * timeouts shortened to seconds.
 */

const dir = tempDir();
const database = { kind: 'sqlite' as const, path: join(dir.path, 'pos.sqlite') };
let token: string;

const LIMITS: HttpLimits = {
  requestTimeoutMs: 1500,
  headersTimeoutMs: 1000,
  keepAliveTimeoutMs: 1000,
  connectionTimeoutMs: 30_000,
  maxConnections: 2000,
  maxConnectionsPerIp: 0,
};

async function withStack<T>(http: Partial<HttpLimits>, run: (stack: Stack) => Promise<T>): Promise<T> {
  const stack = await startStack(database, { config: { http: { ...LIMITS, ...http } } });
  try {
    return await run(stack);
  } finally {
    await stack.close();
  }
}

/** The till's requests while `during` runs: every answer's status and the slowest one. */
async function tillWhile(url: string, during: Promise<unknown>): Promise<{ statuses: number[]; slowestMs: number }> {
  const statuses: number[] = [];
  let slowestMs = 0;
  let done = false;
  void during.finally(() => (done = true));
  while (!done) {
    const started = performance.now();
    const res = await call(url, 'GET', '/api/v1/terminal', { token }).catch(() => ({ status: 0 }));
    slowestMs = Math.max(slowestMs, performance.now() - started);
    statuses.push(res.status);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { statuses, slowestMs };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves when `done()` holds, or after `maxMs` anyway. */
async function until(done: () => boolean, maxMs: number): Promise<void> {
  const deadline = Date.now() + maxMs;
  while (!done() && Date.now() < deadline) await sleep(100);
}

beforeAll(async () => {
  const s = await openStorage(database);
  token = (await s.terminals.add({ storeId: 'S001', storeName: '演示门店', deviceId: 'D001' })).token;
  await s.close();
});
afterAll(() => dir.remove());

describe('slow clients', () => {
  it('300 bodies sent one byte at a time are cut off at the request timeout while the till is served', async () => {
    await withStack({}, async (stack) => {
      const attack = slowClients({
        port: stack.server.port,
        count: 300,
        localAddress: '127.0.0.2',
        head: postHead('/api/v1/orders', 1000, token),
        bodyLength: 1000,
        byteEveryMs: 200,
      });
      try {
        // Until every slow client is gone (or far past the timeout: without one they would stay for ever).
        const till = await tillWhile(stack.server.url, until(() => attack.clients.every((c) => c.closedAt !== null), LIMITS.requestTimeoutMs + 8000));
        expect(attack.clients.filter((c) => c.connected)).toHaveLength(300);
        expect(attack.open()).toBe(0);
        // The timeout plus the checking interval, with room for a busy shared machine.
        expect(attack.longestLifeMs()).toBeLessThan(LIMITS.requestTimeoutMs + 6000);
        expect(attack.clients.every((c) => c.received.startsWith('HTTP/1.1 408'))).toBe(true);
        expect(till.statuses.length).toBeGreaterThan(10);
        expect(till.statuses.every((s) => s === 200)).toBe(true);
      } finally {
        attack.stop();
      }
    });
  });

  it.each([
    ['401 (no token)', postHead('/api/v1/orders', 1000), '401'],
    ['413 (body over the limit)', undefined, '413'],
  ])('an early %s closes the connection at once, not at the request timeout', async (_name, unauthorised, status) => {
    const head = unauthorised ?? postHead('/api/v1/orders', 1_000_000, token);
    // A long request timeout, so only the early close can end these connections quickly.
    await withStack({ requestTimeoutMs: 60_000, headersTimeoutMs: 60_000 }, async (stack) => {
      const attack = slowClients({ port: stack.server.port, count: 50, localAddress: '127.0.0.2', head, bodyLength: 1_000_000, byteEveryMs: 100 });
      try {
        await sleep(1000);
        expect(attack.clients.every((c) => c.received.startsWith(`HTTP/1.1 ${status}`))).toBe(true);
        expect(attack.open()).toBe(0);
      } finally {
        attack.stop();
      }
    });
  });

  it('one host cannot hold more than HTTP_MAX_CONNECTIONS_PER_IP connections; others are still served', async () => {
    await withStack({ maxConnectionsPerIp: 50, headersTimeoutMs: 60_000, requestTimeoutMs: 60_000 }, async (stack) => {
      // Headers never finished: each connection would otherwise be held for the whole headers timeout.
      const attack = slowClients({ port: stack.server.port, count: 300, localAddress: '127.0.0.2', head: 'GET /healthz HTTP/1.1\r\n', bodyLength: 0, byteEveryMs: 1000 });
      try {
        const till = await tillWhile(stack.server.url, sleep(1500));
        expect(attack.open()).toBe(50);
        const held = await new Promise<number>((resolve, reject) => stack.server.app.server.getConnections((e, n) => (e ? reject(e) : resolve(n))));
        expect(held).toBeLessThanOrEqual(52);
        expect(till.statuses.every((s) => s === 200)).toBe(true);
        const metrics = await stack.server.app.metrics.registry.getSingleMetricAsString('posface_http_connections_refused_total');
        expect(metrics).toContain('posface_http_connections_refused_total{reason="per_ip"} 250');
      } finally {
        attack.stop();
      }
    });
  });
});
