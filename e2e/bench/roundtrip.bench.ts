// Round trip page → extension → host → simulator (getWxpayfaceRawdata), p50/p95/p99 over 500 calls, beside
// a bare echo host (same framing, no SDK) measured in the same run. Timed inside the page with
// performance.now() around each FaceClient call, so Playwright's own overhead is not counted.
//   npm run bench -w e2e        (needs `npm run build` first: host, simulator, protocol)
import type { Page } from 'playwright-core';
import { FACE_PAGE_PATH, faceTestFiles, launchFaceBrowser, requireHostAndSimulator, startStaticServer, type HostSetup } from '../support/index.js';

const CALLS = Number(process.env.BENCH_CALLS ?? 500);
const WARMUP = 50;

interface Figures {
  coldHelloMs: number;
  samples: number[];
}

async function measure(page: Page, calls: number): Promise<Figures> {
  return page.evaluate(
    async ([n, warmup]) => {
      const face = (window as unknown as { face: { detect(): Promise<unknown>; init(): Promise<unknown>; rawdata(): Promise<string> } }).face;
      let t = performance.now();
      await face.detect();
      const coldHelloMs = performance.now() - t;
      await face.init();
      for (let i = 0; i < warmup; i++) await face.rawdata();
      const samples: number[] = [];
      for (let i = 0; i < n; i++) {
        t = performance.now();
        await face.rawdata();
        samples.push(performance.now() - t);
      }
      return { coldHelloMs, samples };
    },
    [calls, WARMUP] as const,
  );
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function summary(name: string, f: Figures): string {
  const s = [...f.samples].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  const cells = [pct(s, 50), pct(s, 95), pct(s, 99), mean, s.at(-1)!].map((v) => v.toFixed(2).padStart(7));
  return `${name.padEnd(26)} ${cells.join(' ')}   ${f.coldHelloMs.toFixed(0).padStart(6)} ms`;
}

requireHostAndSimulator();
const server = await startStaticServer(await faceTestFiles());
const results: Array<[string, Figures]> = [];
try {
  for (const [name, host] of [
    ['echo host (no SDK)', 'echo'],
    ['real host + simulator', 'ok'],
  ] as Array<[string, HostSetup]>) {
    const browser = await launchFaceBrowser({ host });
    try {
      const page = await browser.open(server.origin + FACE_PAGE_PATH);
      results.push([name, await measure(page, CALLS)]);
    } finally {
      await browser.close();
    }
  }
} finally {
  await server.close();
}
process.stdout.write(
  `getWxpayfaceRawdata round trip page → extension → host, ${CALLS} calls after ${WARMUP} warm-up (ms)\n` +
    `${''.padEnd(26)}     p50     p95     p99    mean     max   first hello (cold)\n` +
    results.map(([n, f]) => summary(n, f)).join('\n') +
    '\n',
);
