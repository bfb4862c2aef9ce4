import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage } from '../db/storage.js';
import { call, tempDir } from '../testing/harness.js';
import { spawnServer, type ServerProcess } from '../testing/server-process.js';
import { slowClients, type SlowAttack } from '../testing/slow-clients.js';

/**
 * The server as a real process with few file descriptors (prlimit --nofile 256 once started), flooded with idle connections
 * from two other loopback hosts: the connection caps keep descriptors free, so the till (127.0.0.1) is
 * still answered. Without them every descriptor goes to the flood and the till's connections are dropped.
 */

const FD_LIMIT = 256;
const dir = tempDir();
let token: string;
let server: ServerProcess;

beforeAll(async () => {
  const s = await openStorage({ kind: 'sqlite', path: join(dir.path, 'pos.sqlite') });
  token = (await s.terminals.add({ storeId: 'S001', storeName: '演示门店', deviceId: 'D001' })).token;
  await s.close();
  server = await spawnServer(
    {
      DATABASE_URL: `sqlite:${join(dir.path, 'pos.sqlite')}`,
      HTTP_MAX_CONNECTIONS: '200',
      HTTP_MAX_CONNECTIONS_PER_IP: '80',
      // Long, so only the caps (not the timeouts) protect the server during the test.
      HTTP_HEADERS_TIMEOUT_MS: '120000',
      HTTP_REQUEST_TIMEOUT_MS: '120000',
    },
    { fdLimit: FD_LIMIT },
  );
}, 90_000);

afterAll(async () => {
  await server?.kill();
  dir.remove();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const openFds = () => readdirSync(`/proc/${server.pid}/fd`).length;

describe('file descriptors under a connection flood', () => {
  it(`600 idle connections against a ${FD_LIMIT}-descriptor server: the till is still answered`, { timeout: 60_000 }, async () => {
    const port = Number(new URL(server.url).port);
    const attacks: SlowAttack[] = ['127.0.0.2', '127.0.0.3'].map((localAddress) =>
      // Headers never completed: each connection would be held for the whole (long) headers timeout.
      slowClients({ port, count: 300, localAddress, head: 'GET /healthz HTTP/1.1\r\n', bodyLength: 0, byteEveryMs: 1000 }),
    );
    try {
      await sleep(2000);
      const statuses: number[] = [];
      for (let i = 0; i < 20; i += 1) {
        const res = await call(server.url, 'GET', '/api/v1/terminal', { token }).catch(() => ({ status: 0 }));
        statuses.push(res.status);
      }
      const held = attacks.reduce((n, a) => n + a.open(), 0);
      expect(held).toBeLessThanOrEqual(160);
      expect(openFds()).toBeLessThan(FD_LIMIT - 20);
      expect(statuses).toEqual(Array.from({ length: 20 }, () => 200));
    } finally {
      for (const a of attacks) a.stop();
    }
  });
});
