// The face path's round trip, page → extension → host → SDK (getWxpayfaceRawdata against the simulator),
// against its floor: the same page and extension in front of a bare echo host (same framing, no SDK).
// Both run side by side and take turns in blocks of calls, so both see the same machine load; timed
// inside the page with performance.now() around each FaceClient call (Playwright's overhead is not
// counted), on a cross-origin isolated page (5 µs clock resolution instead of 100 µs).
// Two regimes: paced, with an idle pause before each call as a till's calls come (one per customer),
// which the goal is judged on; and back to back, for reference. Back to back, the echo host answers
// before Chrome's threads have gone idle since sending the request, which no host doing any work can
// (docs/decisions.md, "The hot SDK call runs on the main thread").
//   npm run bench -w e2e        (needs `npm run build` first: host, simulator, extension)
//   BENCH_CALLS=2000 BENCH_BLOCK=50 BENCH_PAUSE_MS=5 npm run bench -w e2e
import type { Page } from 'playwright-core';
import { FACE_PAGE_PATH, faceTestFiles, launchFaceBrowser, requireHostAndSimulator, startStaticServer, type FaceBrowser, type HostSetup } from '../testing/index.js';

const CALLS = Number(process.env.BENCH_CALLS ?? 1000);
const BLOCK = Number(process.env.BENCH_BLOCK ?? 50);
const PAUSE_MS = Number(process.env.BENCH_PAUSE_MS ?? 5);
const WARMUP = 100;
const REGIMES = [
  { name: `paced, ${PAUSE_MS} ms idle before each call (the goal)`, pauseMs: PAUSE_MS },
  { name: 'back to back (for reference)', pauseMs: 0 },
];
/** Cross-origin isolation: performance.now() then has 5 µs resolution. */
const ISOLATED = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
/** The goal for the real chain at p50 and p99, as a multiple of the echo floor. */
const GOAL = 1.25;

type FaceApi = { detect(): Promise<unknown>; init(): Promise<unknown>; rawdata(): Promise<string> };

/** Greets the host (a cold start) and initialises; returns the first hello's time. */
function prepare(page: Page): Promise<number> {
  return page.evaluate(async (warmup) => {
    if (!crossOriginIsolated) throw new Error('the bench page is not cross-origin isolated: its clock would be 100 µs coarse');
    const face = (window as unknown as { face: FaceApi }).face;
    const started = performance.now();
    await face.detect();
    const coldHelloMs = performance.now() - started;
    await face.init();
    for (let i = 0; i < warmup; i++) await face.rawdata();
    return coldHelloMs;
  }, WARMUP);
}

function block(page: Page, calls: number, pauseMs: number): Promise<number[]> {
  return page.evaluate(async ([n, pause]) => {
    const face = (window as unknown as { face: FaceApi }).face;
    const samples: number[] = [];
    for (let i = 0; i < n; i++) {
      if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
      const started = performance.now();
      await face.rawdata();
      samples.push(performance.now() - started);
    }
    return samples;
  }, [calls, pauseMs] as const);
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

type Stats = { p50: number; p95: number; p99: number; mean: number; max: number };

function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: pct(s, 50), p95: pct(s, 95), p99: pct(s, 99), mean: s.reduce((a, b) => a + b, 0) / s.length, max: s.at(-1)! };
}

requireHostAndSimulator();
const files = await faceTestFiles();
for (const file of Object.values(files)) file.headers = ISOLATED;
const server = await startStaticServer(files);
const HOSTS: Array<{ name: string; setup: HostSetup }> = [
  { name: 'echo host (the floor)', setup: 'echo' },
  { name: 'real host + simulator', setup: 'ok' },
];
const coldHelloMs: number[] = [];
/** samples[regime][host] */
const samples = REGIMES.map(() => HOSTS.map((): number[] => []));
const browsers: FaceBrowser[] = [];
try {
  const pages: Page[] = [];
  for (const { setup } of HOSTS) {
    const browser = await launchFaceBrowser({ host: setup });
    browsers.push(browser);
    pages.push(await browser.open(server.origin + FACE_PAGE_PATH));
  }
  for (const page of pages) coldHelloMs.push(await prepare(page));
  for (const [r, regime] of REGIMES.entries()) {
    const rows = samples[r]!;
    for (let round = 0; rows[1]!.length < CALLS; round++) {
      const n = Math.min(BLOCK, CALLS - rows[1]!.length);
      // Alternate who goes first, so neither always follows the other.
      for (const i of round % 2 === 0 ? [0, 1] : [1, 0]) rows[i]!.push(...(await block(pages[i]!, n, regime.pauseMs)));
    }
  }
} finally {
  for (const browser of browsers) await browser.close();
  await server.close();
}

const cells = (s: Stats) => [s.p50, s.p95, s.p99, s.mean, s.max].map((v) => v.toFixed(2).padStart(7)).join(' ');
// Compared as printed (two decimals): 3.50 / 2.80 is ×1.25, within the goal.
const verdict = (ratio: number, judged: boolean) => `×${ratio.toFixed(2)}${!judged || Number(ratio.toFixed(2)) <= GOAL ? '' : ` (over the ×${GOAL} goal)`}`;
let out = `Face path round trip, page → extension → host → SDK: getWxpayfaceRawdata, ${CALLS} calls each after ${WARMUP} warm-up,\n` +
  `in alternating blocks of ${BLOCK} (ms; first hello, a cold start: echo ${coldHelloMs[0]!.toFixed(0)} ms, real ${coldHelloMs[1]!.toFixed(0)} ms)\n`;
for (const [r, regime] of REGIMES.entries()) {
  const [floor, real] = samples[r]!.map(stats) as [Stats, Stats];
  const judged = r === 0;
  out +=
    `${regime.name}\n${''.padEnd(26)}     p50     p95     p99    mean     max\n` +
    HOSTS.map(({ name }, i) => `${name.padEnd(26)} ${cells(i === 0 ? floor : real)}`).join('\n') +
    `\nreal host / echo floor:    p50 ${verdict(real.p50 / floor.p50, judged)}, p99 ${verdict(real.p99 / floor.p99, judged)}${judged ? ` (goal ≤ ×${GOAL} at both)` : ''}\n`;
}
process.stdout.write(out);
