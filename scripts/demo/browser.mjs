// Which browser the demo opens, and whether there is a display to open it on.
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const LINUX = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'microsoft-edge', 'microsoft-edge-stable'];
const MAC = [
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
];
function windowsCandidates(env) {
  const roots = [env.LOCALAPPDATA, env.PROGRAMFILES, env['PROGRAMFILES(X86)']].filter(Boolean);
  const rel = ['Chromium\\Application\\chrome.exe', 'Google\\Chrome\\Application\\chrome.exe', 'Microsoft\\Edge\\Application\\msedge.exe'];
  return roots.flatMap((root) => rel.map((r) => join(root, r)));
}

function onPath(name, env) {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

/** POSFACE_BROWSER wins; then Chromium, Chrome, Edge in that order. Returns { path, kind } or null. */
export function findBrowser(env = process.env, platform = process.platform) {
  if (env.POSFACE_BROWSER) return { path: env.POSFACE_BROWSER, kind: kindOf(env.POSFACE_BROWSER) };
  const found =
    platform === 'win32'
      ? windowsCandidates(env).find((p) => existsSync(p))
      : platform === 'darwin'
        ? MAC.find((p) => existsSync(p))
        : LINUX.map((n) => onPath(n, env)).find(Boolean);
  return found ? { path: found, kind: kindOf(found) } : null;
}

function kindOf(path) {
  const p = path.toLowerCase();
  if (p.includes('edge')) return 'edge';
  if (p.includes('chrome') && !p.includes('chromium')) return 'chrome';
  return 'chromium';
}

/** Linux without X11 or Wayland has nowhere to show a window (Windows and macOS always do). */
export function hasDisplay(env = process.env, platform = process.platform) {
  if (platform !== 'linux') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/** DevTools port of the headless browser the no-display steps start (loopback only: Chromium's default). */
export const DEVTOOLS_PORT = 9222;

/**
 * The browser's command line: a dedicated profile with the extension loaded, on the POS URL.
 * `headless`: no window (no display here); the POS is then driven through DevTools on DEVTOOLS_PORT.
 */
export function browserArgs({ profileDir, extensionDir, url, asRoot, headless = false }) {
  return [
    `--user-data-dir=${profileDir}`,
    `--disable-extensions-except=${extensionDir}`,
    `--load-extension=${extensionDir}`,
    // Google Chrome 137+ ignores --load-extension unless this feature is switched off.
    '--disable-features=DisableLoadExtensionCommandLineSwitch',
    '--no-first-run',
    '--no-default-browser-check',
    ...(asRoot ? ['--no-sandbox'] : []),
    ...(headless ? ['--headless=new', `--remote-debugging-port=${DEVTOOLS_PORT}`, url] : [`--app=${url}`]),
  ];
}
