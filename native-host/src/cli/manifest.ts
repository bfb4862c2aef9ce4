import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';

const join = posix.join;
import { HOST_NAME } from '@posface/protocol';

/** Where each browser looks for the host manifest, per OS and level (user or machine-wide). */

export const BROWSERS = ['chrome', 'chromium', 'edge'] as const;
export type Browser = (typeof BROWSERS)[number];
export const LEVELS = ['user', 'system'] as const;
export type Level = (typeof LEVELS)[number];

export const MANIFEST_FILE = `${HOST_NAME}.json`;

export interface ManifestTarget {
  /** null for an explicit --user-data-dir (any Chromium-based browser started with it). */
  browser: Browser | null;
  level: Level;
  dir: string;
  manifestPath: string;
  launcherPath: string;
  /** Windows: the registry key whose default value must be the manifest's path. */
  registryKey: string | null;
}

interface TargetOptions {
  browsers: readonly Browser[];
  level: Level;
  userDataDir?: string;
  platform?: NodeJS.Platform;
  home?: string;
  env?: Readonly<Record<string, string | undefined>>;
}

const LINUX_DIRS: Record<Level, Record<Browser, (home: string) => string>> = {
  user: {
    chrome: (home) => join(home, '.config', 'google-chrome', 'NativeMessagingHosts'),
    chromium: (home) => join(home, '.config', 'chromium', 'NativeMessagingHosts'),
    edge: (home) => join(home, '.config', 'microsoft-edge', 'NativeMessagingHosts'),
  },
  system: {
    chrome: () => '/etc/opt/chrome/native-messaging-hosts',
    chromium: () => '/etc/chromium/native-messaging-hosts',
    edge: () => '/etc/opt/edge/native-messaging-hosts',
  },
};

const MAC_DIRS: Record<Level, Record<Browser, (home: string) => string>> = {
  user: {
    chrome: (home) => join(home, 'Library', 'Application Support', 'Google', 'Chrome', 'NativeMessagingHosts'),
    chromium: (home) => join(home, 'Library', 'Application Support', 'Chromium', 'NativeMessagingHosts'),
    edge: (home) => join(home, 'Library', 'Application Support', 'Microsoft Edge', 'NativeMessagingHosts'),
  },
  system: {
    chrome: () => '/Library/Google/Chrome/NativeMessagingHosts',
    chromium: () => '/Library/Application Support/Chromium/NativeMessagingHosts',
    edge: () => '/Library/Microsoft/Edge/NativeMessagingHosts',
  },
};

const WINDOWS_KEYS: Record<Browser, string> = {
  chrome: 'Software\\Google\\Chrome\\NativeMessagingHosts',
  chromium: 'Software\\Chromium\\NativeMessagingHosts',
  edge: 'Software\\Microsoft\\Edge\\NativeMessagingHosts',
};

function launcherName(platform: NodeJS.Platform): string {
  return platform === 'win32' ? `${HOST_NAME}.bat` : `${HOST_NAME}.sh`;
}

/** The manifest locations for these browsers and level on this OS (or the one given). */
export function manifestTargets(options: TargetOptions): ManifestTarget[] {
  const platform = options.platform ?? process.platform;
  const home = options.home ?? homedir();
  const env = options.env ?? process.env;
  const path = platform === 'win32' ? win32 : posix;
  const target = (browser: Browser | null, dir: string, registryKey: string | null): ManifestTarget => ({
    browser,
    level: options.level,
    dir,
    manifestPath: path.join(dir, MANIFEST_FILE),
    launcherPath: path.join(dir, launcherName(platform)),
    registryKey,
  });
  if (options.userDataDir !== undefined) return [target(null, path.join(options.userDataDir, 'NativeMessagingHosts'), null)];
  if (platform === 'win32') {
    // Windows finds the manifest through the registry, so one file serves every browser.
    const base =
      options.level === 'user'
        ? (env.LOCALAPPDATA ?? win32.join(home, 'AppData', 'Local'))
        : (env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData');
    const dir = win32.join(base, 'PosFace', 'NativeMessagingHosts');
    const hive = options.level === 'user' ? 'HKCU' : 'HKLM';
    return options.browsers.map((browser) => target(browser, dir, `${hive}\\${WINDOWS_KEYS[browser]}\\${HOST_NAME}`));
  }
  const table = platform === 'darwin' ? MAC_DIRS : LINUX_DIRS;
  return options.browsers.map((browser) => target(browser, table[options.level][browser](home), null));
}

interface HostManifest {
  name: string;
  description: string;
  path: string;
  type: 'stdio';
  allowed_origins: string[];
}

/** Chrome extension ids: 32 letters from a to p. */
export const EXTENSION_ID = /^[a-p]{32}$/;

export function buildManifest(launcherPath: string, extensionIds: readonly string[]): HostManifest {
  return {
    name: HOST_NAME,
    description: 'POS Face: recognises store members through the WeChat Pay face SDK',
    path: launcherPath,
    type: 'stdio',
    allowed_origins: extensionIds.map((id) => `chrome-extension://${id}/`),
  };
}

/** What is wrong with a manifest as Chrome would read it (empty when it is fine). */
export function manifestProblems(value: unknown, isAbsolutePath: (p: string) => boolean): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return ['is not a JSON object'];
  const m = value as Record<string, unknown>;
  const problems: string[] = [];
  if (m.name !== HOST_NAME) problems.push(`"name" is ${JSON.stringify(m.name)}, expected "${HOST_NAME}"`);
  if (m.type !== 'stdio') problems.push(`"type" is ${JSON.stringify(m.type)}, expected "stdio"`);
  if (typeof m.path !== 'string' || !isAbsolutePath(m.path)) problems.push(`"path" must be an absolute path, got ${JSON.stringify(m.path)}`);
  const origins = m.allowed_origins;
  if (!Array.isArray(origins) || origins.length === 0) problems.push('"allowed_origins" must list at least one chrome-extension://ID/');
  else {
    for (const origin of origins) {
      if (typeof origin !== 'string' || !/^chrome-extension:\/\/[a-p]{32}\/$/.test(origin)) {
        problems.push(`"allowed_origins" entry ${JSON.stringify(origin)} is not chrome-extension://<32 letters a-p>/`);
      }
    }
  }
  return problems;
}
