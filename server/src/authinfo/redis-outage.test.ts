import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { requireTool } from '@posface/testing';
import type { HealthStatus } from '@posface/protocol/api';
import { makeRawdata } from '@posface/wxpay-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from '../db/storage.js';
import { call, freePort, startStack, tempDir, TEST_SERIAL, type Stack } from '../testing/harness.js';

/**
 * A Redis of the test's own, stopped while tills keep asking for authinfos and members: every request is
 * still answered (authinfo from this instance's memory cache, lookups without the shared limit), /readyz
 * says the cache is down, and once Redis is back the server uses it again.
 */

const dir = tempDir();
const database = { kind: 'sqlite' as const, path: join(dir.path, 'pos.sqlite') };
let redis: ChildProcess | null = null;
let port = 0;
let storage: Storage;
let stack: Stack;
const tokens: string[] = [];

async function startRedis(): Promise<void> {
  redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('redis-server did not start')), 10_000);
    redis?.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

async function stopRedis(): Promise<void> {
  const r = redis;
  redis = null;
  if (r === null || r.exitCode !== null) return;
  const exit = new Promise((resolve) => r.once('exit', resolve));
  r.kill('SIGKILL');
  await exit;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.runIf(requireTool('redis'))('Redis stopped under load', () => {
  beforeAll(async () => {
    port = await freePort();
    await startRedis();
    storage = await openStorage(database);
    for (let i = 0; i < 4; i += 1) tokens.push((await storage.terminals.add({ storeId: 'S001', storeName: '演示门店', deviceId: `D${i}` })).token);
    stack = await startStack(database, { deps: { storage }, config: { redisUrl: `redis://127.0.0.1:${port}` } });
  });
  afterAll(async () => {
    await stack?.close();
    await storage?.close();
    await stopRedis();
    dir.remove();
  });

  it('tills are answered throughout; /readyz reports the cache; the server goes back to Redis', { timeout: 60_000 }, async () => {
    const statuses: number[] = [];
    let running = true;
    const till = async (token: string, n: number) => {
      for (let i = 0; running; i += 1) {
        const res = await (i % 2 === 0
          ? call(stack.server.url, 'POST', '/api/v1/face/authinfo', { token, body: { rawdata: makeRawdata(TEST_SERIAL) } })
          : call(stack.server.url, 'GET', `/api/v1/members/by-openid/oTILL_${n}_${i}`, { token }));
        statuses.push(res.status);
        await sleep(100);
      }
    };
    const load = Promise.all(tokens.map((t, n) => till(t, n)));
    await sleep(1000);
    await stopRedis();
    await sleep(1000);
    const down = await call<HealthStatus>(stack.server.url, 'GET', '/readyz');
    expect(down.status).toBe(503);
    expect(down.body.checks).toMatchObject({ database: 'ok', cache: 'unavailable' });
    await sleep(6000);
    await startRedis();
    let ready = 0;
    for (let i = 0; i < 50 && ready !== 200; i += 1) {
      ready = (await call(stack.server.url, 'GET', '/readyz')).status;
      if (ready !== 200) await sleep(200);
    }
    running = false;
    await load;
    expect(ready).toBe(200);
    // Member lookups are 404 (no such member) or, within the per-terminal budget's window, 429.
    expect(statuses.length).toBeGreaterThan(40);
    expect(statuses.filter((s) => s !== 200 && s !== 404 && s !== 429)).toEqual([]);
  });
});
