import { execFileSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startFakeWxpayBackend, type FakeBackend } from '@posface/wxpay-sim/backend';
import { loadConfig, openStorage, startServer, type RunningServer, type Storage } from '@posface/server';
import { CHROMIUM_PATH, REPO_ROOT } from './index.js';

/**
 * The back office's stack for browser tests: the real server (in-process, a fresh SQLite file and nothing
 * in it: a fresh install) serving the built admin app at /admin/, and a plain headless Chromium (the back
 * office needs no extension). The first owner is made with the real CLI, as the README says.
 */

const ADMIN = join(REPO_ROOT, 'admin');
export const OUTPUT_DIR = join(REPO_ROOT, 'e2e', 'output');
const API_KEY = 'posface-e2e-merchant-api-key-32c';

export interface AdminStack {
  origin: string;
  dbUrl: string;
  storage: Storage;
  browser: Browser;
  close(): Promise<void>;
}

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((n) => newest(join(path, n))));
}

/** Builds admin/dist when missing or older than its sources (vite). */
export function ensureAdminBuilt(): void {
  const index = join(ADMIN, 'dist', 'index.html');
  const sources = Math.max(newest(join(ADMIN, 'src')), newest(join(ADMIN, 'index.html')), newest(join(REPO_ROOT, 'protocol', 'src')));
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  const vite = join(dirname(createRequire(join(ADMIN, 'package.json')).resolve('vite/package.json')), 'bin', 'vite.js');
  // vitest sets NODE_ENV=test, which would give Vue's development build: test what ships.
  execFileSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: ADMIN, env: { ...process.env, NODE_ENV: 'production' }, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** `npm run -w server admin -- …` as a process (through tsx: the sources, no build needed), stdin piped. */
export function adminCli(dbUrl: string, args: string[], stdin = ''): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'server', 'src', 'cli', 'admin.ts'), ...args], {
      cwd: join(REPO_ROOT, 'server'),
      env: { ...process.env, DATABASE_URL: dbUrl },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out }));
    child.stdin.end(stdin);
  });
}

export async function startAdminStack(): Promise<AdminStack> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`e2e needs ${CHROMIUM_PATH}: apt-get install chromium (or run .ci/run)`);
  ensureAdminBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'posface-admin-e2e-'));
  const dbUrl = `sqlite:${join(dir, 'pos.sqlite')}`;
  const storage = await openStorage({ kind: 'sqlite', path: join(dir, 'pos.sqlite') });
  let backend: FakeBackend | null = null;
  let server: RunningServer | null = null;
  try {
    backend = await startFakeWxpayBackend({ apiKey: API_KEY, port: 0 });
    server = await startServer(
      loadConfig({
        HOST: '127.0.0.1',
        PORT: '0',
        DATABASE_URL: dbUrl,
        WXPAY_APPID: 'wxe2e00000000demo',
        WXPAY_MCH_ID: '1900000109',
        WXPAY_API_KEY: API_KEY,
        WXPAY_AUTHINFO_URL: backend.url,
        WEB_DIST: 'none',
        ADMIN_DIST: join(ADMIN, 'dist'),
        LOG_LEVEL: 'warn',
      }),
      { storage },
    );
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
    const running = server;
    const fake = backend;
    return {
      origin: server.url,
      dbUrl,
      storage,
      browser,
      close: async () => {
        await browser.close();
        await running.close();
        await fake.close();
        await storage.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await server?.close();
    await backend?.close();
    await storage.close();
    throw error;
  }
}

/** An Element Plus text field by its data-test (ElInput puts it on the <input>, ElInputNumber on its root). */
export const field = (name: string) => `input[data-test=${name}], [data-test=${name}] input`;

/** Logs in on the admin app's login screen, as staff do. */
export async function login(page: Page, origin: string, username: string, password: string): Promise<void> {
  await page.goto(`${origin}/admin/`);
  await page.waitForSelector('[data-test=login-form]');
  await page.fill(field('username'), username);
  await page.fill(field('password'), password);
  await page.click('[data-test=login-submit]');
  await page.waitForSelector('[data-test=whoami]');
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  await page.screenshot({ path: join(OUTPUT_DIR, `admin-${name}.png`), fullPage: true });
}
