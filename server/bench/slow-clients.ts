import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { summarize, ms } from './stats.js';
import { openStorage } from '../src/db/storage.js';
import { DEMO_PRODUCTS } from '@posface/demo';
import { call, tempDir } from '../src/testing/harness.js';
import { spawnServer } from '../src/testing/server-process.js';
import { postHead, slowClients, type SlowAttack } from '../src/testing/slow-clients.js';

/**
 * `node --import tsx server/bench/slow-clients.ts`: the server as a process with its production limits,
 * attacked on loopback from 8 addresses (127.0.0.2–9) while one till (127.0.0.1) keeps working. Prints how
 * many attacking connections the server held, what became of them, and the till's latency.
 *   1. slow bodies: BENCH_SLOW (2000) authenticated POSTs sending one byte a second, for BENCH_SECONDS (25);
 *   2. flood: BENCH_FLOOD (10000) connections that never finish their headers.
 */

const SLOW = Number(process.env.BENCH_SLOW ?? 2000);
const FLOOD = Number(process.env.BENCH_FLOOD ?? 10_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 25);
const SOURCES = Array.from({ length: 8 }, (_, i) => `127.0.0.${i + 2}`);
const line = (s: string) => process.stdout.write(`${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const dir = tempDir();
const database = { kind: 'sqlite' as const, path: join(dir.path, 'pos.sqlite') };
const setup = await openStorage(database);
for (const p of DEMO_PRODUCTS) await setup.products.upsert(p);
const { token } = await setup.terminals.add({ storeId: 'S001', storeName: '演示门店', deviceId: 'D001' });
await setup.close();
const server = await spawnServer({ DATABASE_URL: `sqlite:${database.path}` });
const port = Number(new URL(server.url).port);
const fds = () => readdirSync(`/proc/${server.pid}/fd`).length;

/** Four tills' requests for `seconds`, while `watch` samples the attack. */
async function till(seconds: number, watch: () => void): Promise<{ latencies: number[]; failures: number }> {
  const latencies: number[] = [];
  let failures = 0;
  const end = Date.now() + seconds * 1000;
  const sampler = setInterval(watch, 250);
  await Promise.all(
    Array.from({ length: 4 }, async (_, i) => {
      while (Date.now() < end) {
        const started = performance.now();
        const path = i % 2 === 0 ? '/api/v1/terminal' : '/api/v1/products?barcode=6902538006100';
        const res = await call(server.url, 'GET', path, { token }).catch(() => null);
        if (res?.status === 200) latencies.push(performance.now() - started);
        else failures += 1;
        await sleep(20);
      }
    }),
  );
  clearInterval(sampler);
  return { latencies, failures };
}

function report(name: string, attacks: SlowAttack[], maxHeld: number, maxFds: number, t: { latencies: number[]; failures: number }): void {
  const clients = attacks.flatMap((a) => a.clients);
  const s = summarize(t.latencies);
  line(`${name}`);
  line(`  attacking connections: ${clients.length} opened, at most ${maxHeld} open at once as the attackers saw it, ${clients.filter((c) => c.closedAt !== null).length} closed by the server`);
  line(`  server file descriptors at most: ${maxFds} (what the server really held: its connections plus ~30)`);
  line(`  till: ${s.n} requests answered, ${t.failures} failed; p50 ${ms(s.p50)}, p99 ${ms(s.p99)}, max ${ms(s.max)}`);
}

try {
  line(`server ${server.url} (production limits), attackers from ${SOURCES[0]}–${SOURCES.at(-1)}`);
  const quiet = summarize((await till(3, () => undefined)).latencies);
  line(`quiet till: p50 ${ms(quiet.p50)}, p99 ${ms(quiet.p99)}`);

  let maxHeld = 0;
  let maxFds = 0;
  const per = Math.ceil(SLOW / SOURCES.length);
  const slow = SOURCES.map((localAddress) => slowClients({ port, count: per, localAddress, head: postHead('/api/v1/orders', 10_000, token), bodyLength: 10_000, byteEveryMs: 1000 }));
  const t1 = await till(SECONDS, () => {
    maxHeld = Math.max(maxHeld, slow.reduce((n, a) => n + a.open(), 0));
    maxFds = Math.max(maxFds, fds());
  });
  report(`1. ${per * SOURCES.length} slow bodies (1 byte/s) for ${SECONDS} s`, slow, maxHeld, maxFds, t1);
  line(`  longest-lived slow connection: ${(Math.max(...slow.map((a) => a.longestLifeMs())) / 1000).toFixed(1)} s`);
  for (const a of slow) a.stop();
  await sleep(1000);

  maxHeld = 0;
  maxFds = 0;
  const perFlood = Math.ceil(FLOOD / SOURCES.length);
  const flood = SOURCES.map((localAddress) => slowClients({ port, count: perFlood, localAddress, head: 'GET /healthz HTTP/1.1\r\n', bodyLength: 0, byteEveryMs: 5000 }));
  const t2 = await till(8, () => {
    maxHeld = Math.max(maxHeld, flood.reduce((n, a) => n + a.open(), 0));
    maxFds = Math.max(maxFds, fds());
  });
  report(`2. flood of ${perFlood * SOURCES.length} connections that never finish their headers (8 s)`, flood, maxHeld, maxFds, t2);
  for (const a of flood) a.stop();
} finally {
  await server.kill();
  dir.remove();
}
