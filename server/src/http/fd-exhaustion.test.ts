import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage } from '../db/storage.js';
import { call, tempDir, TEST_API_KEY } from '../testing/harness.js';
import { slowClients, type SlowAttack } from '../testing/slow-clients.js';

/**
 * The server as a real process with few file descriptors (ulimit -n 256), flooded with idle connections
 * from two other loopback hosts: the connection caps keep descriptors free, so the till (127.0.0.1) is
 * still answered. Without them every descriptor goes to the flood and the till's connections are dropped.
 */

const SRC = fileURLToPath(new URL('..', import.meta.url));
const FD_LIMIT = 256;
const dir = tempDir();
const DATABASE_URL = `sqlite:${join(dir.path, 'pos.sqlite')}`;
let token: string;
let child: ChildProcess;
let url: string;

beforeAll(async () => {
  const s = await openStorage({ kind: 'sqlite', path: join(dir.path, 'pos.sqlite') });
  token = (await s.terminals.add({ storeId: 'S001', storeName: '演示门店', deviceId: 'D001' })).token;
  await s.close();
  child = spawn('bash', ['-c', `ulimit -n ${FD_LIMIT} && exec "$0" --import tsx main.ts`, process.execPath], {
    cwd: SRC,
    env: {
      ...process.env,
      DATABASE_URL,
      PORT: '0',
      WXPAY_APPID: 'wx0000000000000001',
      WXPAY_MCH_ID: '1900000001',
      WXPAY_API_KEY: TEST_API_KEY,
      WEB_DIST: 'none',
      LOG_LEVEL: 'info',
      HTTP_MAX_CONNECTIONS: '200',
      HTTP_MAX_CONNECTIONS_PER_IP: '80',
      // Long, so only the caps (not the timeouts) protect the server during the test.
      HTTP_HEADERS_TIMEOUT_MS: '120000',
      HTTP_REQUEST_TIMEOUT_MS: '120000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000);
    const look = () => {
      const m = /posface server ready on (http:\/\/[^"\s]+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', look);
    child.on('exit', (code) => reject(new Error(`server exited (${code}):\n${out}`)));
  });
}, 90_000);

afterAll(async () => {
  if (child.exitCode === null) {
    const exit = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exit;
  }
  dir.remove();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const openFds = () => readdirSync(`/proc/${child.pid}/fd`).length;

describe('file descriptors under a connection flood', () => {
  it(`600 idle connections against a ${FD_LIMIT}-descriptor server: the till is still answered`, { timeout: 60_000 }, async () => {
    const port = Number(new URL(url).port);
    const attacks: SlowAttack[] = ['127.0.0.2', '127.0.0.3'].map((localAddress) =>
      // Headers never completed: each connection would be held for the whole (long) headers timeout.
      slowClients({ port, count: 300, localAddress, head: 'GET /healthz HTTP/1.1\r\n', bodyLength: 0, byteEveryMs: 1000 }),
    );
    try {
      await sleep(2000);
      const statuses: number[] = [];
      for (let i = 0; i < 20; i += 1) {
        const res = await call(url, 'GET', '/api/v1/terminal', { token }).catch(() => ({ status: 0 }));
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
