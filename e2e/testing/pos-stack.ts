import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ElementHandle, Page } from 'playwright-core';
import { startFakeWxpayBackend, type FakeBackend } from '@posface/wxpay-sim/backend';
import { formatPairingCode } from '@posface/protocol';
import type { Member, MemberLookup } from '@posface/protocol/api';
import { seed } from '@posface/demo';
import { loadConfig, openStorage, startServer, type RunningServer, type Storage } from '@posface/server';
import { REPO_ROOT } from './index.js';

/**
 * The POS's whole stack for browser tests: the real server (in-process, a fresh SQLite file, demo
 * seed) serving the built POS, talking to the fake WeChat backend over real HTTP.
 */

const WEB = join(REPO_ROOT, 'web');
const OUTPUT_DIR = join(REPO_ROOT, 'e2e', 'output');
const API_KEY = 'posface-e2e-merchant-api-key-32c';

export interface PosStack {
  /** http://127.0.0.1:PORT — an allowed origin for the development extension. */
  origin: string;
  /** The demo terminal (S001/D001) the POS pairs as. */
  terminalId: string;
  /** The server's own storage (to revoke the terminal, look at sessions, …). */
  storage: Storage;
  backend: FakeBackend;
  /** A fresh one-time pairing code for the demo terminal, as IT would read it out (ABCD-EFGH). */
  pairingCode(): Promise<string>;
  /** GET/POST the server's API as a script would, with a bearer token of the same terminal (to check what the POS did). */
  api<T>(path: string, init?: RequestInit): Promise<T>;
  /** The member with this openid, as the server answers it (an error when there is none). */
  member(openid: string): Promise<Member>;
  /** Stops the server (its port refuses connections from now on; its data stays): the till's "server down". */
  stopServer(): Promise<void>;
  /** Starts it again on the same port (the POS's origin), over the same data. */
  restartServer(): Promise<void>;
  close(): Promise<void>;
}

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((n) => newest(join(path, n))));
}

/** Builds web/dist when missing or older than its sources (vite: a few seconds). */
function ensureWebBuilt(): void {
  const index = join(WEB, 'dist', 'index.html');
  const sources = Math.max(newest(join(WEB, 'src')), newest(join(WEB, 'index.html')), newest(join(REPO_ROOT, 'protocol', 'src')));
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  // web's own vite (the one `npm run build -w web` uses): the root node_modules may hold another major.
  const vite = join(dirname(createRequire(join(WEB, 'package.json')).resolve('vite/package.json')), 'bin', 'vite.js');
  execFileSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: WEB,
    // vitest sets NODE_ENV=test, which would give Vue's development build: test what ships.
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

export async function startPosStack(): Promise<PosStack> {
  ensureWebBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'posface-pos-e2e-'));
  const dbPath = join(dir, 'pos.sqlite');
  const storage = await openStorage({ kind: 'sqlite', path: dbPath });
  let terminalId: string;
  let token: string;
  let backend: FakeBackend;
  try {
    terminalId = (await seed(storage)).terminal_id;
    token = (await storage.terminals.issueToken({ id: terminalId })).token;
    backend = await startFakeWxpayBackend({ apiKey: API_KEY, port: 0 });
  } catch (error) {
    await storage.close();
    throw error;
  }
  const config = (port: number) =>
    loadConfig({
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: `sqlite:${dbPath}`,
      WXPAY_APPID: 'wxe2e00000000demo',
      WXPAY_MCH_ID: '1900000109',
      WXPAY_API_KEY: API_KEY,
      WXPAY_AUTHINFO_URL: backend.url,
      WEB_DIST: join(WEB, 'dist'),
      LOG_LEVEL: 'warn',
    });
  let server: RunningServer | null;
  try {
    server = await startServer(config(0), { storage });
  } catch (error) {
    await backend.close();
    await storage.close();
    throw error;
  }
  const origin = server.url;
  const port = server.port;
  const api = async <T>(path: string, init: RequestInit = {}) => {
    const res = await fetch(`${origin}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
    });
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  return {
    origin,
    terminalId,
    storage,
    backend,
    pairingCode: async () => formatPairingCode((await storage.terminals.issuePairingCode({ id: terminalId })).pairing.code),
    api,
    member: async (openid) => {
      const { member } = await api<MemberLookup>(`/api/v1/members/by-openid/${encodeURIComponent(openid)}`);
      if (member === null) throw new Error(`no member with the openid ${openid}`);
      return member;
    },
    stopServer: async () => {
      await server?.close();
      server = null;
    },
    restartServer: async () => {
      server ??= await startServer(config(port), { storage });
    },
    close: async () => {
      await server?.close();
      await backend.close();
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Types a fresh pairing code on the POS's pairing screen, as the cashier does. */
export async function pairPos(page: Page, stack: PosStack): Promise<string> {
  const code = await stack.pairingCode();
  await page.click('[data-test=pair-code]');
  await page.keyboard.type(code, { delay: 10 });
  await page.click('[data-test=pair-submit]');
  return code;
}

/** Opens the POS at the till's 1366×768, pairing this browser first if it is not paired yet. */
export async function openPos(page: Page, stack: PosStack): Promise<void> {
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(`${stack.origin}/`);
  const first = await page.waitForSelector('[data-test=search], [data-test=pair-form]');
  if ((await first.getAttribute('data-test')) === 'pair-form') await pairPos(page, stack);
  await page.waitForSelector('[data-test=search]');
}

/** Waits until the face panel shows `phase`. */
export async function facePhase(page: Page, phase: string, timeout = 20_000): Promise<void> {
  await page.waitForSelector(`[data-test=face-panel][data-phase="${phase}"]`, { timeout });
}

/** Types a barcode like a scanner (digits + Enter) and waits for its cart line. */
/** Scans like a barcode scanner (digits + Enter) and waits until the cart counts one more of it. */
export async function scan(page: Page, barcode: string): Promise<void> {
  const qty = `[data-test=cart-line][data-barcode="${barcode}"] [data-test=qty]`;
  const before = Number((await page.$(qty)) ? await page.textContent(qty) : 0);
  await page.keyboard.type(barcode, { delay: 5 });
  await page.keyboard.press('Enter');
  await page.waitForFunction(
    ([selector, want]) => Number(document.querySelector(selector as string)?.textContent ?? 0) === want,
    [qty, before + 1] as const,
  );
}

export type TenderMethod = 'cash' | 'wechat_pay' | 'alipay' | 'bank_card';

/**
 * F9, then pays as the cashier does: cash with the amount received typed in yuan (empty: exactly the total),
 * or another method by name; Enter confirms. Waits for the sale's summary: the server's receipt, or (`queued`)
 * the note that the sale was kept for the server.
 */
export async function pay(page: Page, method: TenderMethod = 'cash', received = '', outcome: 'receipt' | 'queued' = 'receipt'): Promise<void> {
  await page.keyboard.press('F9');
  await page.waitForSelector('[data-test=tender-dialog]');
  if (method !== 'cash') await page.click(`[data-test=tender-method-${method}]`);
  else if (received !== '') await page.fill('[data-test=tender-received]', received);
  await page.keyboard.press('Enter');
  await page.waitForSelector(outcome === 'receipt' ? '[data-test=receipt]' : '[data-test=receipt-queued]');
}

/** Counts window.print() calls instead of printing (headless Chromium has no printer): read with printCount(). */
export async function countPrints(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __prints: number; print: () => void };
    w.__prints = 0;
    w.print = () => void (w.__prints += 1);
  });
}

export function printCount(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __prints: number }).__prints);
}

/** A screenshot of a main state (or of one element), as test output (e2e/output/ is not committed). */
export async function shot(page: Page, name: string, element?: ElementHandle): Promise<void> {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  await (element ?? page).screenshot({ path: join(OUTPUT_DIR, `pos-${name}.png`) });
}

/** The page never scrolls in the main flow at 1366×768. */
export async function pageScrolls(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollHeight > window.innerHeight || document.documentElement.scrollWidth > window.innerWidth);
}
