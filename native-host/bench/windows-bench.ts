#!/usr/bin/env node
/**
 * The Windows release under wine (npm run bench:windows -w native-host [-- --spawns 15 --calls 1000 --arch ia32,x64]):
 *  - cold start, spawn → `hello` answered: the packaged pos-face-host.exe (simulator DLL loaded) against a
 *    bare node.exe running echo-host.cjs, both started by the Chrome-like launcher, interleaved;
 *  - getWxpayfaceRawdata round trip through the launcher's pipes, sequential calls after a warm-up.
 * Builds the release first (or reuses it from the package cache); wine starts in a throwaway prefix
 * unless WINEPREFIX names one. Figures under wine are for comparing builds, not a Windows terminal's.
 */
import { join } from 'node:path';
import { buildRelease } from '../package/package.js';
import { ARCHES, fetchRuntime, type Arch } from '../package/runtime.js';
import { disposeWine, openWine, windowsPath } from '../package/wine.js';
import type { HostUnderTest } from '../src/testing/harness.js';
import { buildsByArch, mingw, simDll, startWineHost } from '../src/testing/windows.js';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}
const SPAWNS = Number(option('spawns', '15'));
const CALLS = Number(option('calls', '1000'));
const arches = option('arch', ARCHES.join(',')).split(',') as Arch[];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}
function summary(values: number[]): { p50: number; p95: number; p99: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
}
const ms = (v: number): string => `${v.toFixed(v < 10 ? 2 : 0)} ms`;

async function coldStart(start: () => HostUnderTest): Promise<number> {
  const started = performance.now();
  const host = start();
  try {
    const hello = await host.request('hello', undefined, 60_000);
    if (!hello.ok) throw new Error(`hello failed: ${JSON.stringify(hello)}`);
    return performance.now() - started;
  } finally {
    await host.close();
    await host.dispose();
  }
}

const wine = await openWine();
try {
  const release = await buildRelease({ wine, cache: true, arches });
  const env = { prefix: wine.prefix, builds: buildsByArch(release), launcher: mingw('x64', 'chrome-launcher.c', 'exe') };
  const echo = windowsPath(join(import.meta.dirname, 'echo-host.cjs'));
  for (const arch of arches) {
    const nodeExe = windowsPath(fetchRuntime(arch).nodeExe);
    const real = (): HostUnderTest => startWineHost(env, arch, { sdkPath: simDll(arch) });
    const bare = (): HostUnderTest => startWineHost(env, arch, { sdkPath: null, hostPath: nodeExe, hostArgs: [echo] });
    // Warm the file cache once for each, then interleave so both see the same machine load.
    await coldStart(real);
    await coldStart(bare);
    const realMs: number[] = [];
    const bareMs: number[] = [];
    for (let i = 0; i < SPAWNS; i += 1) {
      realMs.push(await coldStart(real));
      bareMs.push(await coldStart(bare));
    }
    const r = summary(realMs);
    const b = summary(bareMs);
    console.log(`${arch}: cold start under wine, spawn → hello answered (${SPAWNS} spawns each, interleaved, through the launcher):`);
    console.log(`  pos-face-host.exe (SEA, code cache, simulator loaded): median ${ms(r.p50)}, p95 ${ms(r.p95)}`);
    console.log(`  bare node.exe echo host:                              median ${ms(b.p50)}, p95 ${ms(b.p95)}`);
    console.log(`  ratio:                                                median ×${(r.p50 / b.p50).toFixed(2)}, p95 ×${(r.p95 / b.p95).toFixed(2)}`);

    const host = real();
    try {
      const init = await host.call({ cmd: 'initWxpayface' }, 30_000);
      if (!init.ok) throw new Error(`init failed: ${JSON.stringify(init)}`);
      for (let i = 0; i < 100; i += 1) await host.call({ cmd: 'getWxpayfaceRawdata' });
      const trips: number[] = [];
      for (let i = 0; i < CALLS; i += 1) {
        const started = performance.now();
        const answer = await host.call({ cmd: 'getWxpayfaceRawdata' });
        trips.push(performance.now() - started);
        if (!answer.ok) throw new Error(`rawdata failed: ${JSON.stringify(answer)}`);
      }
      const t = summary(trips);
      console.log(`${arch}: getWxpayfaceRawdata round trip under wine (${CALLS} sequential calls after 100 warm-up): p50 ${ms(t.p50)}, p99 ${ms(t.p99)}`);
    } finally {
      await host.close();
      await host.dispose();
    }
  }
} finally {
  disposeWine(wine);
}
