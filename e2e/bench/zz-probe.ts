import type { Page } from 'playwright-core';
import { FACE_PAGE_PATH, faceTestFiles, launchFaceBrowser, startStaticServer, type FaceBrowser, type HostSetup } from '../testing/index.js';
const what = process.env.WHAT ?? 'hello';
const server = await startStaticServer(await faceTestFiles());
const browsers: FaceBrowser[] = []; const pages: Page[] = [];
for (const host of ['echo', 'ok'] as HostSetup[]) { const b = await launchFaceBrowser({ host }); browsers.push(b); pages.push(await b.open(server.origin + FACE_PAGE_PATH)); }
const run = (page: Page, n: number) => page.evaluate(async ([n, what]) => { const face = (window as any).face; if (!face.inited) { await face.detect(); await face.init(); face.inited = true; } const s: number[] = []; for (let i = 0; i < n; i++) { const t = performance.now(); if (what === 'hello') await face.hello(); else await face.rawdata(); s.push(performance.now() - t); } return s; }, [n, what] as const);
const res: number[][] = [[], []];
for (const p of pages) await run(p, 100);
for (let r = 0; r < 20; r++) for (const i of r % 2 ? [1, 0] : [0, 1]) res[i]!.push(...(await run(pages[i]!, 50)));
const med = (a: number[]) => { const s = [...a].sort((x, y) => x - y); return [s[Math.floor(s.length * 0.5)]!, s[Math.floor(s.length * 0.9)]!, s[Math.floor(s.length * 0.99)]!].map((v) => v.toFixed(2)).join(' '); };
console.log(what, 'echo', med(res[0]!), ' real', med(res[1]!));
for (const b of browsers) await b.close(); await server.close();
