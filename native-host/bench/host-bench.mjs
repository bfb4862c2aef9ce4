#!/usr/bin/env node
// Benchmarks of the built host (npx tsc -b native-host; npm run build -w wxpay-sim):
//  - cold start: spawn → `hello` answered, real host vs a bare Node echo host, interleaved, N spawns each;
//  - getWxpayfaceRawdata round trip over stdio against the simulator library, M sequential calls.
// Usage: npm run bench -w native-host [-- --spawns 30 --calls 2000]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SIM_LIBRARY_PATH } from '@posface/wxpay-sim';

const here = dirname(fileURLToPath(import.meta.url));
const HOST = join(here, '..', 'bin', 'pos-face-host');
const ECHO = join(here, 'echo-host.mjs');
const ORIGIN = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop/';

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
const SPAWNS = option('spawns', 30);
const CALLS = option('calls', 2000);

if (!existsSync(join(here, '..', 'dist', 'main.js'))) throw new Error('build the host first: npx tsc -b native-host');
if (!existsSync(SIM_LIBRARY_PATH)) throw new Error(`${SIM_LIBRARY_PATH} is missing: npm run build -w wxpay-sim`);

const logDir = mkdtempSync(join(tmpdir(), 'posface-bench-'));
const env = { ...process.env, POSFACE_SDK_PATH: SIM_LIBRARY_PATH, POSFACE_LOG_DIR: logDir, WXPAYFACE_SIM_DELAY_MS: '0' };

function frame(message) {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  const header = Buffer.alloc(4);
  header.writeUInt32LE(body.length);
  return Buffer.concat([header, body]);
}

/** A connection to a host process: request() resolves with the response of that id. */
function connect(command, args) {
  const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'inherit'] });
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
    child,
    request(method, params) {
      const id = `b${next++}`;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        child.stdin.write(frame(params ? { id, method, params } : { id, method }));
      });
    },
    close: () => new Promise((resolve) => {
      child.once('exit', resolve);
      child.stdin.end();
    }),
  };
}

async function coldStart(command, args) {
  const started = performance.now();
  const host = connect(command, args);
  const hello = await host.request('hello');
  const ms = performance.now() - started;
  if (!hello.ok) throw new Error(`hello failed: ${JSON.stringify(hello)}`);
  await host.close();
  return ms;
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
const fmt = (ms) => `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] };
}

// Warm the file cache once for each, then interleave so both see the same machine load.
await coldStart(HOST, [ORIGIN]);
await coldStart(process.execPath, [ECHO, ORIGIN]);
const real = [];
const echo = [];
for (let i = 0; i < SPAWNS; i += 1) {
  real.push(await coldStart(HOST, [ORIGIN]));
  echo.push(await coldStart(process.execPath, [ECHO, ORIGIN]));
}
const r = summary(real);
const e = summary(echo);
console.log(`cold start, spawn → hello answered (${SPAWNS} spawns each, interleaved):`);
console.log(`  pos-face-host (koffi + simulator loaded): median ${fmt(r.p50)}, p95 ${fmt(r.p95)}, max ${fmt(r.max)}`);
console.log(`  bare Node echo host:                      median ${fmt(e.p50)}, p95 ${fmt(e.p95)}, max ${fmt(e.max)}`);
console.log(`  host's own cost over Node's start:        median +${fmt(r.p50 - e.p50)}, p95 +${fmt(r.p95 - e.p95)}`);

const host = connect(HOST, [ORIGIN]);
const init = await host.request('call', { cmd: 'initWxpayface' });
if (!init.ok) throw new Error(`init failed: ${JSON.stringify(init)}`);
for (let i = 0; i < 200; i += 1) await host.request('call', { cmd: 'getWxpayfaceRawdata' });
const trips = [];
for (let i = 0; i < CALLS; i += 1) {
  const started = performance.now();
  const response = await host.request('call', { cmd: 'getWxpayfaceRawdata' });
  trips.push(performance.now() - started);
  if (!response.ok) throw new Error(`rawdata failed: ${JSON.stringify(response)}`);
}
await host.close();
const t = summary(trips);
console.log(`getWxpayfaceRawdata round trip over stdio (${CALLS} sequential calls after 200 warm-up):`);
console.log(`  p50 ${fmt(t.p50)}, p99 ${fmt(t.p99)}, max ${fmt(t.max)}`);
rmSync(logDir, { recursive: true, force: true });
