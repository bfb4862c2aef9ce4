#!/usr/bin/env node
// Benchmarks of the built host (npm run build -w native-host -w wxpay-sim) against its floor, a bare
// Node echo host (echo-host.cjs: the same framing, no SDK), measured in the same run:
//  - cold start: spawn → `hello` answered, N spawns each, interleaved; the host runs the way installed
//    launchers run it (node on dist/pos-face-host.cjs), with the simulator library loaded;
//  - getWxpayfaceRawdata round trip over stdio against the simulator, M sequential calls each, in
//    alternating blocks, with a pause before each call (a till calls now and then, never back to back).
// Usage: npm run bench -w native-host [-- --spawns 30 --calls 2000 --pause-ms 2]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { SIM_LIBRARY_PATH } from '@posface/wxpay-sim';

const here = dirname(fileURLToPath(import.meta.url));
const HOST = join(here, '..', 'dist', 'pos-face-host.cjs');
const ECHO = join(here, 'echo-host.cjs');
const ORIGIN = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop/';
const COLD_START_GOAL = 1.2;

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
const SPAWNS = option('spawns', 30);
const CALLS = option('calls', 2000);
const PAUSE_MS = option('pause-ms', 2);
const BLOCK = 100;

if (!existsSync(HOST)) throw new Error(`${HOST} is missing: npm run build -w native-host`);
if (!existsSync(SIM_LIBRARY_PATH)) throw new Error(`${SIM_LIBRARY_PATH} is missing: npm run build -w wxpay-sim`);

const logDir = mkdtempSync(join(tmpdir(), 'posface-bench-'));
const env = { ...process.env, POSFACE_SDK_PATH: SIM_LIBRARY_PATH, POSFACE_LOG_DIR: logDir, WXPAYFACE_SIM_DELAY_MS: '0' };
const hosts = [
  { name: 'bare Node echo host (the floor)', args: [ECHO, ORIGIN] },
  { name: 'pos-face-host + simulator', args: [HOST, ORIGIN] },
];

function frame(message) {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  const header = Buffer.alloc(4);
  header.writeUInt32LE(body.length);
  return Buffer.concat([header, body]);
}

/** A connection to a host process: request() resolves with the response of that id. */
function connect(args) {
  const child = spawn(process.execPath, args, { env, stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting = new Map();
  let buffered = Buffer.alloc(0);
  child.stdout.on('data', (chunk) => {
    buffered = Buffer.concat([buffered, chunk]);
    while (buffered.length >= 4) {
      const length = buffered.readUInt32LE(0);
      if (buffered.length < 4 + length) break;
      const response = JSON.parse(buffered.subarray(4, 4 + length).toString('utf8'));
      buffered = buffered.subarray(4 + length);
      waiting.get(response.id)?.(response);
      waiting.delete(response.id);
    }
  });
  let next = 0;
  return {
    request(method, params) {
      const id = `b${next++}`;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        child.stdin.write(frame(params ? { id, method, params } : { id, method }));
      });
    },
    close: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.stdin.end();
      }),
  };
}

async function coldStart(args) {
  const started = performance.now();
  const host = connect(args);
  const hello = await host.request('hello');
  const ms = performance.now() - started;
  if (!hello.ok) throw new Error(`hello failed: ${JSON.stringify(hello)}`);
  await host.close();
  return ms;
}

async function rawdataCalls(host, count, samples) {
  for (let i = 0; i < count; i += 1) {
    if (PAUSE_MS > 0) await sleep(PAUSE_MS);
    const started = performance.now();
    const response = await host.request('call', { cmd: 'getWxpayfaceRawdata' });
    samples.push(performance.now() - started);
    if (!response.ok) throw new Error(`rawdata failed: ${JSON.stringify(response)}`);
  }
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
const fmt = (ms) => `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] };
}
const ratio = (value, floor, goal) => `×${(value / floor).toFixed(2)}${goal === undefined ? '' : value / floor <= goal ? '' : ` (over the ×${goal} goal)`}`;

try {
  // Warm the file cache once for each, then interleave so both see the same machine load.
  for (const host of hosts) await coldStart(host.args);
  const starts = hosts.map(() => []);
  for (let i = 0; i < SPAWNS; i += 1) for (const [k, host] of hosts.entries()) starts[k].push(await coldStart(host.args));
  const [e, r] = starts.map(summary);
  console.log(`Host cold start, spawn → hello answered (${SPAWNS} spawns each, interleaved):`);
  for (const [k, host] of hosts.entries()) {
    const s = [e, r][k];
    console.log(`  ${host.name.padEnd(32)} median ${fmt(s.p50)}, p95 ${fmt(s.p95)}, max ${fmt(s.max)}`);
  }
  console.log(`  host / floor: median ${ratio(r.p50, e.p50, COLD_START_GOAL)} (+${fmt(r.p50 - e.p50)}), p95 ${ratio(r.p95, e.p95)} (goal ≤ ×${COLD_START_GOAL} at the median)`);

  const connections = hosts.map((host) => connect(host.args));
  for (const connection of connections) {
    const init = await connection.request('call', { cmd: 'initWxpayface' });
    if (!init.ok) throw new Error(`init failed: ${JSON.stringify(init)}`);
    await rawdataCalls(connection, 200, []);
  }
  const trips = hosts.map(() => []);
  for (let round = 0; trips[1].length < CALLS; round += 1) {
    const n = Math.min(BLOCK, CALLS - trips[1].length);
    for (const k of round % 2 === 0 ? [0, 1] : [1, 0]) await rawdataCalls(connections[k], n, trips[k]);
  }
  for (const connection of connections) await connection.close();
  const [te, tr] = trips.map(summary);
  console.log(`getWxpayfaceRawdata round trip over stdio (${CALLS} calls each after 200 warm-up, ${PAUSE_MS} ms apart, alternating blocks of ${BLOCK}):`);
  for (const [k, host] of hosts.entries()) {
    const s = [te, tr][k];
    console.log(`  ${host.name.padEnd(32)} p50 ${fmt(s.p50)}, p99 ${fmt(s.p99)}, max ${fmt(s.max)}`);
  }
  console.log(`  host / floor: p50 ${ratio(tr.p50, te.p50)} (+${fmt(tr.p50 - te.p50)}), p99 ${ratio(tr.p99, te.p99)} (the page's figure is e2e's bench)`);
} finally {
  rmSync(logDir, { recursive: true, force: true });
}
