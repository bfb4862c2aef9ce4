import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeRawdata, SIM_DEFAULT_SERIAL } from '@posface/wxpay-sim';
import pg from 'pg';
import { DEFAULT_DATABASE_TIMEOUTS, type DatabaseConfig } from '../src/config.js';
import { openStorage, type Storage } from '../src/db/storage.js';
import { LoyaltyJob } from '../src/loyalty/loyalty-job.js';
import { runLoad } from './load.js';
import { bulkLoadMembers, lookupLatency, openidOf } from './members.js';
import { ms } from './stats.js';

/**
 * `npm run bench -w server` (builds the server, then runs this with tsx). Prints:
 *  1. member-by-openid latency p50/p99 with BENCH_MEMBERS (1,000,000) members, on SQLite and, when
 *     TEST_DATABASE_URL is set, on PostgreSQL (store level, and over HTTP for SQLite);
 *  2. the authinfo cached path's requests/s and p99 beside a bare Fastify route, same run, same load.
 * Env: BENCH_MEMBERS, BENCH_LOOKUPS (20000), BENCH_SECONDS (5), BENCH_CONNECTIONS (32).
 * The server runs as in production: its own process, request logging at BENCH_SERVER_LOG_LEVEL (info) to /dev/null.
 */

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 1_000_000);
const LOOKUPS = Number(process.env.BENCH_LOOKUPS ?? 20_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const SERVER_LOG_LEVEL = process.env.BENCH_SERVER_LOG_LEVEL ?? 'info';
const API_KEY = 'BenchKey0123456789abcdefghijklmn';
const HERE = dirname(fileURLToPath(import.meta.url));
const SIM_BACKEND = join(dirname(fileURLToPath(import.meta.resolve('@posface/wxpay-sim'))), '..', 'backend', 'main.js');

const line = (s: string) => process.stdout.write(`${s}\n`);
const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });

/** Starts a child that prints one JSON line on stdout, and returns that line. */
function startChild(args: string[], env: Record<string, string>, ready: RegExp): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child ${args.join(' ')} did not start:\n${out}`)), 20_000);
    child.on('exit', (code) => reject(new Error(`child ${args.join(' ')} exited with ${code}:\n${out}`)));
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout?.removeAllListeners('data');
        child.stdout?.resume();
        resolve({ child, match: m });
      }
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitHealthy(base: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const ok = await fetch(`${base}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`bench: the server at ${base} did not become healthy`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.removeAllListeners('exit');
    child.on('exit', () => resolve());
    child.kill('SIGTERM');
  });

/** The loyalty job's tier refresh over every member, and the longest the event loop waited meanwhile. */
async function tierRefresh(storage: Storage): Promise<{ ms: number; stallMs: number }> {
  const job = new LoyaltyJob(storage.db, storage.loyalty, { info: () => undefined, error: () => undefined });
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const started = performance.now();
  try {
    await job.refreshTiers(new Date());
    return { ms: performance.now() - started, stallMs: delay.max / 1e6 };
  } finally {
    delay.disable();
  }
}

async function memberBench(name: string, config: DatabaseConfig, cleanup: () => Promise<void>): Promise<void> {
  const storage = await openStorage(config);
  try {
    const loadMs = await bulkLoadMembers(storage, MEMBERS);
    const s = await lookupLatency(storage, MEMBERS, LOOKUPS);
    line(`  ${name.padEnd(10)} bulk load ${fmt(MEMBERS)} members: ${(loadMs / 1000).toFixed(1)} s; by-openid (store) over ${fmt(s.n)} lookups: p50 ${ms(s.p50)}, p99 ${ms(s.p99)}, max ${ms(s.max)}`);
    const tiers = await tierRefresh(storage);
    line(`  ${''.padEnd(10)} loyalty job, every member's tier (as on first start or after a rules change): ${(tiers.ms / 1000).toFixed(1)} s, longest event-loop stall ${ms(tiers.stallMs)}`);
  } finally {
    await storage.close();
    await cleanup();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'posface-bench-'));
  const children: ChildProcess[] = [];
  try {
    line(`== member by openid (${fmt(MEMBERS)} members) ==`);
    const sqlitePath = join(dir, 'members.sqlite');
    await memberBench('SQLite', { kind: 'sqlite', path: sqlitePath }, async () => undefined);
    const pgUrl = process.env.TEST_DATABASE_URL;
    if (pgUrl === undefined) line('  PostgreSQL skipped: set TEST_DATABASE_URL (e.g. `. .ci/services.sh && start_services`)');
    else {
      const schema = `bench_${randomBytes(4).toString('hex')}`;
      // The server's 5 s statement timeout is for requests; loading a million rows in one statement takes longer.
      const timeouts = { ...DEFAULT_DATABASE_TIMEOUTS, statementMs: 600_000 };
      await memberBench('PostgreSQL', { kind: 'postgres', url: pgUrl, schema, timeouts }, async () => {
        const c = new pg.Client({ connectionString: pgUrl });
        await c.connect();
        await c.query(`drop schema "${schema}" cascade`);
        await c.end();
      });
    }

    // The same SQLite file, now behind the real server, for the HTTP figures.
    const storage = await openStorage({ kind: 'sqlite', path: sqlitePath });
    const { token } = await storage.terminals.add({ storeId: 'S001', storeName: '演示门店 Demo Store', deviceId: 'BENCH' });
    await storage.close();

    const backend = await startChild([SIM_BACKEND], { WXPAY_API_KEY: API_KEY, WXPAY_SIM_PORT: '0' }, /"url":"([^"]+)"/);
    children.push(backend.child);
    // A free port chosen here, and readiness by /healthz, so any server log level works.
    const port = await freePort();
    const serverChild = spawn(process.execPath, [join(HERE, '..', 'dist', 'main.js')], {
      env: {
        ...process.env,
        PORT: String(port),
        DATABASE_URL: `sqlite:${sqlitePath}`,
        WXPAY_APPID: 'wxbench000000001',
        WXPAY_MCH_ID: '1900000001',
        WXPAY_API_KEY: API_KEY,
        WXPAY_AUTHINFO_URL: backend.match[1] ?? '',
        WEB_DIST: 'none',
        LOG_LEVEL: SERVER_LOG_LEVEL,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(serverChild);
    const base = `http://127.0.0.1:${port}`;
    await waitHealthy(base);
    const auth = { authorization: `Bearer ${token}` };

    const http = await runLoad({ url: `${base}/api/v1/members/by-openid/${openidOf(123_457)}`, method: 'GET', headers: auth, connections: 1, durationMs: 2000, warmupMs: 500 });
    line(`  SQLite over HTTP (1 connection, sequential, with token check): p50 ${ms(http.p50)}, p99 ${ms(http.p99)}, ${fmt(http.rps)} req/s`);

    line(`== authinfo cached path vs bare Fastify (${CONNECTIONS} keep-alive connections, ${SECONDS} s each; each server in its own process; server log level ${SERVER_LOG_LEVEL}) ==`);
    const body = JSON.stringify({ rawdata: makeRawdata(SIM_DEFAULT_SERIAL) });
    const prime = await fetch(`${base}/api/v1/face/authinfo`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body });
    if (prime.status !== 200) throw new Error(`bench: priming the authinfo cache failed with HTTP ${prime.status}: ${await prime.text()}`);
    const bare = await startChild(['--import', 'tsx', join(HERE, 'bare.ts')], {}, /"port":(\d+)/);
    children.push(bare.child);
    const bareResult = await runLoad({ url: `http://127.0.0.1:${bare.match[1] ?? ''}/bare`, method: 'POST', body, connections: CONNECTIONS, durationMs: SECONDS * 1000 });
    const cached = await runLoad({ url: `${base}/api/v1/face/authinfo`, method: 'POST', headers: auth, body, connections: CONNECTIONS, durationMs: SECONDS * 1000 });
    const row = (name: string, r: typeof cached) =>
      line(`  ${name.padEnd(34)} ${fmt(r.rps).padStart(7)} req/s   p50 ${ms(r.p50).padStart(9)}   p99 ${ms(r.p99).padStart(9)}   (${fmt(r.requests)} requests, ${r.errors} non-200)`);
    row('bare Fastify route', bareResult);
    row('POST /api/v1/face/authinfo (cached)', cached);
    line(`  cached path = ${((cached.rps / bareResult.rps) * 100).toFixed(0)}% of the bare route's throughput`);
  } finally {
    await Promise.all(children.map(stop));
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
