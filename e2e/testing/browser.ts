import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { EXTENSION_ID } from '../../extension/extension-id.mjs';
import { ensureExtensionBuilt } from './build.js';
import { registerHost, unregisterHost } from './host-registration.js';
import { CHROMIUM_PATH, DEFAULT_FACES, EXTENSION_DIR, SIM_LIBRARY } from './paths.js';
import { hostPids, TAG_VAR } from './processes.js';

/**
 * How the native host is registered in the test profile:
 * - 'ok': the real host on the simulator library (default)
 * - 'missing': nothing registered (HOST_NOT_FOUND)
 * - 'wrong-origin': registered for another extension ID (HOST_FORBIDDEN)
 * - 'echo': the bare echo host of the benchmarks
 */
export type HostSetup = 'ok' | 'missing' | 'wrong-origin' | 'echo';

interface FaceBrowserOptions {
  host?: HostSetup;
  /** The simulator camera's script lines (`face N`, `cancel`, `crash`, `slow MS`, …); default none. */
  script?: string[];
  /** Contents of the faces file; default wxpay-sim/faces.tsv. */
  faces?: string;
  /** WXPAYFACE_SIM_DELAY_MS when no script line applies (default 200 here, to keep tests quick). */
  delayMs?: number;
  /** More environment for the host (e.g. POSFACE_TIMEOUT_GETWXPAYFACEUSERINFO_MS). */
  env?: Record<string, string>;
  /** Another unpacked extension build (see buildExtensionVariant); default extension/dist. */
  extensionDir?: string;
  /**
   * A directory of the caller's for the profile and logs, kept by close(): a browser launched again on it is
   * the same browser reopened (its IndexedDB, service workers, cookies). Default: a throwaway one.
   */
  keepIn?: string;
}

export interface FaceBrowser {
  context: BrowserContext;
  /** The user-data-dir; removed by close() unless it is kept (`keepIn`). */
  profileDir: string;
  extensionId: string;
  /** Marks the hosts this browser launched (see hostPids). */
  tag: string;
  /** POSFACE_LOG_DIR of the hosts this browser launched. */
  logDir: string;
  /** The lines those hosts logged so far (pos-face-host.log, parsed). */
  hostLog(): Array<Record<string, unknown>>;
  /** A new tab at `url`. */
  open(url: string): Promise<Page>;
  /** Replaces the simulator script (read line by line by each getWxpayfaceUserInfo). */
  setScript(lines: string[]): void;
  /** Script lines not consumed yet. */
  scriptLeft(): string[];
  setFaces(text: string): void;
  /** Re-registers the host differently (takes effect when the extension next starts a host). */
  setHost(setup: HostSetup): void;
  /** Host processes running for this browser right now. */
  hostPids(): number[];
  /** The extension's service worker (for looking inside; tests talk to it through pages). */
  serviceWorker(): Promise<Worker>;
  close(): Promise<void>;
}

/** Launches Debian's Chromium headless with the built extension and the host registered in its profile. */
export async function launchFaceBrowser(options: FaceBrowserOptions = {}): Promise<FaceBrowser> {
  if (!options.extensionDir) ensureExtensionBuilt();
  const extensionDir = options.extensionDir ?? EXTENSION_DIR;
  const root = options.keepIn ?? mkdtempSync(join(tmpdir(), 'posface-e2e-'));
  const profileDir = join(root, 'profile');
  const logDir = join(root, 'logs');
  const scriptPath = join(root, 'sim-script.txt');
  const facesPath = join(root, 'faces.tsv');
  const tag = root.slice(-12);
  writeFileSync(scriptPath, options.script?.length ? `${options.script.join('\n')}\n` : '');
  if (options.faces !== undefined) writeFileSync(facesPath, options.faces);
  else copyFileSync(DEFAULT_FACES, facesPath);

  const env: Record<string, string> = {
    [TAG_VAR]: tag,
    POSFACE_SDK_PATH: SIM_LIBRARY,
    POSFACE_LOG_DIR: logDir,
    WXPAYFACE_SIM_FACES: facesPath,
    WXPAYFACE_SIM_SCRIPT: scriptPath,
    WXPAYFACE_SIM_DELAY_MS: String(options.delayMs ?? 200),
    ...options.env,
  };
  const setHost = (setup: HostSetup): void => {
    unregisterHost(profileDir);
    if (setup === 'missing') return;
    registerHost({
      profileDir,
      env,
      allowedExtensionId: setup === 'wrong-origin' ? 'abcdefghijklmnopabcdefghijklmnop' : EXTENSION_ID,
      program: setup === 'echo' ? 'echo' : 'host',
    });
  };
  setHost(options.host ?? 'ok');

  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      '--no-sandbox', // the tests run as root
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
    ],
  });

  const serviceWorker = async (): Promise<Worker> => {
    const existing = context.serviceWorkers().find((w) => w.url().startsWith(`chrome-extension://${EXTENSION_ID}/`));
    return existing ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
  };
  await serviceWorker();

  return {
    context,
    profileDir,
    extensionId: EXTENSION_ID,
    tag,
    logDir,
    hostLog: () => {
      const file = join(logDir, 'pos-face-host.log');
      if (!existsSync(file)) return [];
      return readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    open: async (url) => {
      const page = await context.newPage();
      await page.goto(url);
      return page;
    },
    setScript: (lines) => writeFileSync(scriptPath, lines.length ? `${lines.join('\n')}\n` : ''),
    scriptLeft: () => readFileSync(scriptPath, 'utf8').split('\n').filter((l) => l.trim() !== ''),
    setFaces: (text) => writeFileSync(facesPath, text),
    setHost,
    hostPids: () => hostPids(tag),
    serviceWorker,
    close: async () => {
      await context.close();
      if (options.keepIn === undefined) rmSync(root, { recursive: true, force: true });
    },
  };
}
