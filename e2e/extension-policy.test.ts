import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HelloResult, UserInfoResult } from '@posface/protocol';
import { mintAuthinfo, SIM_DEFAULT_SERIAL } from '@posface/wxpay-sim';
import { extensionIdFromKey, publicKeyOfFile } from '../extension/extension-id.mjs';
import extensionPackage from '../extension/package.json' with { type: 'json' };
import { loadConfig, startServer, type RunningServer } from '@posface/server';
import {
  buildExtensionVariant,
  CHROMIUM_PATH,
  DEFAULT_FACES,
  FACE_PAGE_PATH,
  faceCall,
  faceTestFiles,
  registerHost,
  requireHostAndSimulator,
  SIM_LIBRARY,
} from './testing/index.js';

/**
 * IT's way of installing the extension, end to end: a managed Chromium policy
 * (ExtensionInstallForcelist "<id>;<server>/extension/update.xml") and nothing else. The real server
 * serves the build's update.xml and signed .crx from EXTENSION_DIST; Chromium (new headless) installs
 * the extension with no --load-extension, and a face lookup then goes through it to the real host and
 * the simulator.
 *
 * The policy folder is machine-wide, so this run's extension gets its own key (its own ID) and allows
 * only http://127.0.0.3:<port>: another Chromium started meanwhile may install it but never runs it on
 * the pages of other tests (127.0.0.1 / 127.0.0.2). The policy file is removed afterwards.
 */

const POLICY_DIR = '/etc/chromium/policies/managed';
const HOST = '127.0.0.3';
const merchant = { appid: 'wx2421b1c4370ec43b', mch_id: '10000100', store_id: 'S001' };

/** Writing the machine's policy needs root (CI runs as root); elsewhere the test is skipped, saying why. */
function canWritePolicy(): boolean {
  try {
    mkdirSync(POLICY_DIR, { recursive: true });
    return true;
  } catch (error) {
    const why = `needs to write ${POLICY_DIR} (run as root): ${(error as Error).message}`;
    if (process.env.CI === 'true') throw new Error(`extension-policy.test.ts ${why}`);
    process.stderr.write(`skipped: extension-policy.test.ts ${why}\n`);
    return false;
  }
}

/** Polls `read` (async) until `done`; fails after `timeoutMs` with the last value. */
async function poll<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, resolve);
  });
  return `http://${HOST}:${(server.address() as AddressInfo).port}`;
}

interface InstalledExtension {
  id: string;
  location: string;
  registry_status: string;
  version: string;
}

/** What chrome://extensions-internals says about the installed extensions. */
async function installedExtensions(context: BrowserContext): Promise<InstalledExtension[]> {
  const page = await context.newPage();
  try {
    await page.goto('chrome://extensions-internals');
    return JSON.parse(await page.evaluate(() => document.body.innerText)) as InstalledExtension[];
  } finally {
    await page.close();
  }
}

describe.runIf(canWritePolicy())('extension installed by policy from the merchant server (no --load-extension)', () => {
  const root = mkdtempSync(join(tmpdir(), 'posface-policy-e2e-'));
  const policyFile = join(POLICY_DIR, `posface-e2e-${process.pid}-${randomBytes(4).toString('hex')}.json`);
  const scriptPath = join(root, 'sim-script.txt');
  let extensionId = '';
  let server: RunningServer;
  let pages: Server;
  let pagesOrigin = '';
  let context: BrowserContext;

  beforeAll(async () => {
    requireHostAndSimulator();
    const keyFile = join(root, 'signing.pem');
    writeFileSync(keyFile, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    extensionId = extensionIdFromKey(publicKeyOfFile(keyFile));

    // The POS page (the real FaceClient) on its own origin.
    const files = await faceTestFiles();
    pages = createServer((req, res) => {
      const file = files[new URL(req.url ?? '/', 'http://x').pathname];
      if (file) res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body);
      else res.writeHead(404).end();
    });
    pagesOrigin = await listen(pages);

    // The real server, publishing the extension folder.
    const extensionDist = join(root, 'extension');
    server = await startServer(
      loadConfig({
        HOST,
        PORT: '0',
        DATABASE_URL: `sqlite:${join(root, 'pos.sqlite')}`,
        WXPAY_APPID: 'wxe2e00000000demo',
        WXPAY_MCH_ID: '1900000109',
        WXPAY_API_KEY: 'posface-e2e-merchant-api-key-32c',
        WEB_DIST: 'none',
        EXTENSION_DIST: extensionDist,
        LOG_LEVEL: 'warn',
      }),
    );
    // Built as IT would: production, its own key, the server's URL in update.xml.
    buildExtensionVariant(extensionDist, { posOrigins: pagesOrigin, production: true, signingKey: keyFile, server: server.url });
    writeFileSync(policyFile, JSON.stringify({ ExtensionInstallForcelist: [`${extensionId};${server.url}/extension/update.xml`] }));

    const profileDir = join(root, 'profile');
    writeFileSync(scriptPath, 'face 2\n');
    copyFileSync(DEFAULT_FACES, join(root, 'faces.tsv'));
    registerHost({
      profileDir,
      allowedExtensionId: extensionId,
      env: {
        POSFACE_SDK_PATH: SIM_LIBRARY,
        POSFACE_LOG_DIR: join(root, 'logs'),
        WXPAYFACE_SIM_FACES: join(root, 'faces.tsv'),
        WXPAYFACE_SIM_SCRIPT: scriptPath,
        WXPAYFACE_SIM_DELAY_MS: '200',
      },
    });
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM_PATH,
      // Chromium's new headless, named explicitly: it reads the managed policy like a desktop Chrome.
      headless: false,
      // Playwright's defaults turn extensions and the extension updater (background networking) off.
      ignoreDefaultArgs: ['--disable-extensions', '--disable-background-networking'],
      args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync', '--disable-component-update', '--disable-quic'],
    });
  }, 120_000);

  afterAll(async () => {
    rmSync(policyFile, { force: true });
    await context?.close();
    await server?.close();
    await new Promise((resolve) => (pages ? pages.close(resolve) : resolve(undefined)));
    rmSync(root, { recursive: true, force: true });
  });

  it('Chromium downloads update.xml and the signed .crx from the server and installs the extension as a policy extension', async () => {
    const mine = await poll(
      async () => (await installedExtensions(context)).find((e) => e.id === extensionId),
      (found) => found !== undefined,
      90_000,
      `extension ${extensionId} in chrome://extensions-internals`,
    );
    expect(mine).toMatchObject({ location: 'EXTERNAL_POLICY_DOWNLOAD', registry_status: 'ENABLED', version: extensionPackage.version });
    const manifest = JSON.parse(readFileSync(join(root, 'extension', 'manifest.json'), 'utf8')) as { key: string };
    expect(extensionIdFromKey(manifest.key)).toBe(extensionId);
  }, 120_000);

  it('a face lookup goes through the policy-installed extension to the real host and the simulator', async () => {
    // The content script is injected into pages loaded after the install: reload until it answers.
    const page: Page = await context.newPage();
    const hello = await poll(
      async () => {
        await page.goto(pagesOrigin + FACE_PAGE_PATH);
        return faceCall<HelloResult>(page, 'detect');
      },
      (outcome) => outcome.ok,
      60_000,
      'the extension to answer the page',
    );
    expect(hello).toMatchObject({ ok: true, value: { extension: { id: extensionId, version: extensionPackage.version }, sdk: { loaded: true } } });
    expect(await faceCall(page, 'init')).toMatchObject({ ok: true });
    const user = await faceCall<UserInfoResult>(page, 'userInfo', { ...merchant, authinfo: mintAuthinfo({ serial: SIM_DEFAULT_SERIAL, ...merchant }).authinfo });
    expect(user).toMatchObject({ ok: true, value: { return_code: 'SUCCESS', openid: 'oSIM_0002_lilei' } });
    await page.close();
  }, 120_000);
});
