// The face path's round trip, page → extension → host → SDK (getWxpayfaceRawdata against the simulator),
// against its floor: the same page and extension in front of a bare echo host (same framing, no SDK).
// Both run side by side and take turns in blocks of calls, so both see the same machine load; timed
// inside the page with performance.now() around each FaceClient call (Playwright's overhead is not counted).
//   npm run bench -w e2e        (needs `npm run build` first: host, simulator, extension)
//   BENCH_CALLS=2000 BENCH_BLOCK=50 npm run bench -w e2e
import type { Page } from 'playwright-core';
import { FACE_PAGE_PATH, faceTestFiles, launchFaceBrowser, requireHostAndSimulator, startStaticServer, type FaceBrowser, type HostSetup } from '../testing/index.js';

const CALLS = Number(process.env.BENCH_CALLS ?? 1000);
const BLOCK = Number(process.env.BENCH_BLOCK ?? 50);
const WARMUP = 100;
/** The goal for the real chain at p50 and p99, as a multiple of the echo floor. */
const GOAL = 1.25;

type FaceApi = { detect(): Promise<unknown>; init(): Promise<unknown>; rawdata(): Promise<string> };

/** Greets the host (a cold start) and initialises; returns the first hello's time. */
function prepare(page: Page): Promise<number> {
  return page.evaluate(async (warmup) => {
    const face = (window as unknown as { face: FaceApi }).face;
    const started = performance.now();
    await face.detect();
    const coldHelloMs = performance.now() - started;
    await face.init();
    for (let i = 0; i < warmup; i++) await face.rawdata();
    return coldHelloMs;
  }, WARMUP);
}

function block(page: Page, calls: number): Promise<number[]> {
  return page.evaluate(async (n) => {
    const face = (window as unknown as { face: FaceApi }).face;
    const samples: number[] = [];
    for (let i = 0; i < n; i++) {
      const started = performance.now();
      await face.rawdata();
      samples.push(performance.now() - started);
    }
    return samples;
  }, calls);
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Row {
  name: string;
  coldHelloMs: number;
  samples: number[];
}

function stats(row: Row): { p50: number; p95: number; p99: number; mean: number; max: number } {
  const s = [...row.samples].sort((a, b) => a - b);
  return { p50: pct(s, 50), p95: pct(s, 95), p99: pct(s, 99), mean: s.reduce((a, b) => a + b, 0) / s.length, max: s.at(-1)! };
}

requireHostAndSimulator();
const server = await startStaticServer(await faceTestFiles());
const rows: Row[] = [
  { name: 'echo host (the floor)', coldHelloMs: 0, samples: [] },
  { name: 'real host + simulator', coldHelloMs: 0, samples: [] },
];
const browsers: FaceBrowser[] = [];
try {
  const pages: Page[] = [];
  for (const host of ['echo', 'ok'] as HostSetup[]) {
    const browser = await launchFaceBrowser({ host });
    browsers.push(browser);
    pages.push(await browser.open(server.origin + FACE_PAGE_PATH));
  }
  for (const [i, page] of pages.entries()) rows[i]!.coldHelloMs = await prepare(page);
  for (let round = 0; rows[1]!.samples.length < CALLS; round++) {
    const n = Math.min(BLOCK, CALLS - rows[1]!.samples.length);
    // Alternate who goes first, so neither always follows the other.
    for (const i of round % 2 === 0 ? [0, 1] : [1, 0]) rows[i]!.samples.push(...(await block(pages[i]!, n)));
  }
} finally {
  for (const browser of browsers) await browser.close();
  await server.close();
}

const [floor, real] = rows.map(stats) as [ReturnType<typeof stats>, ReturnType<typeof stats>];
const cells = (values: number[]) => values.map((v) => v.toFixed(2).padStart(7)).join(' ');
// Compared as printed (two decimals): 3.50 / 2.80 is ×1.25, within the goal.
const verdict = (ratio: number) => `×${ratio.toFixed(2)}${Number(ratio.toFixed(2)) <= GOAL ? '' : ` (over the ×${GOAL} goal)`}`;
process.stdout.write(
  `Face path round trip, page → extension → host → SDK: getWxpayfaceRawdata, ${CALLS} calls each after ${WARMUP} warm-up,\n` +
    `in alternating blocks of ${BLOCK} (ms)\n` +
    `${''.padEnd(26)}     p50     p95     p99    mean     max   first hello (cold)\n` +
    rows.map((row, i) => `${row.name.padEnd(26)} ${cells(Object.values(i === 0 ? floor : real))}   ${row.coldHelloMs.toFixed(0).padStart(6)} ms`).join('\n') +
    `\nreal host / echo floor:    p50 ${verdict(real.p50 / floor.p50)}, p99 ${verdict(real.p99 / floor.p99)} (goal ≤ ×${GOAL} at both)\n`,
);
