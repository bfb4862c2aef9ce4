#!/usr/bin/env node
// `npm start`: the whole POS Face chain on this machine, with WeChat's side simulated.
// Builds what is stale, seeds an embedded SQLite in .demo/ (and a demo back-office owner), starts the fake WeChat backend and the
// server, registers the native host in a dedicated browser profile, pairs that profile with a one-time
// code (typed by a headless run of the browser: no secret in a URL or the history) and opens the POS.
// Without a display it prints the URL and the steps instead. Ctrl+C stops everything.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { browserArgs, DEVTOOLS_PORT, findBrowser, hasDisplay } from './demo/browser.mjs';
import { freePort, startChild, stopAll, tail, waitForHttp } from './demo/children.mjs';
import { pairBrowserProfile } from './demo/pair-browser.mjs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const DEMO = join(ROOT, '.demo');
const LOGS = join(DEMO, 'logs');
const PROFILE = join(DEMO, 'profile');
// Where older demos kept the terminal's bearer token (removed: the POS pairs by code now).
const OLD_TOKEN_FILE = join(DEMO, 'terminal-token');
const DB_PATH = join(DEMO, 'pos.sqlite');
const EXTENSION_DIR = join(ROOT, 'extension', 'dist');
const SIM_LIBRARY = join(ROOT, 'wxpay-sim', 'sdk', 'build', process.platform === 'win32' ? 'wxpayface_sim.dll' : process.platform === 'darwin' ? 'libwxpayface_sim.dylib' : 'libwxpayface_sim.so');
const FACES = join(ROOT, 'wxpay-sim', 'faces.tsv');
const skipBuild = process.argv.includes('--skip-build') || process.env.POSFACE_DEMO_SKIP_BUILD === '1';

// Demo-only merchant settings: the fake backend and the server share them; nothing real is reached.
const DEMO_WXPAY = {
  WXPAY_APPID: 'wxd0000000000demo',
  WXPAY_MCH_ID: '1900000109',
  WXPAY_API_KEY: 'posface-demo-merchant-api-key-32',
  WXPAY_SIGN_TYPE: 'HMAC-SHA256',
};

const step = (msg) => process.stdout.write(`\n▶ ${msg}\n`);
const info = (msg) => process.stdout.write(`  ${msg}\n`);
let stopping = false;

async function shutdown(code, why) {
  if (stopping) return;
  stopping = true;
  if (why) process.stdout.write(`\n■ ${why}\n`);
  const stopped = await stopAll();
  if (stopped.length > 0) info(`stopped: ${stopped.join(', ')}`);
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0, 'Ctrl+C: stopping the demo'));
process.on('SIGTERM', () => void shutdown(0, 'SIGTERM: stopping the demo'));

async function fail(message, logFile) {
  process.stderr.write(`\n✖ ${message}\n`);
  if (logFile) process.stderr.write(`--- last lines of ${logFile} ---\n${tail(logFile)}\n`);
  await shutdown(1);
}

function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = 0;
  for (const name of readdirSync(path)) if (name !== 'node_modules' && name !== 'dist' && name !== 'build') max = Math.max(max, newest(join(path, name)));
  return max;
}

/** Each output against the sources it is built from; any missing or older output means "build". */
function staleParts() {
  const parts = [
    ['protocol', 'protocol/dist/index.js', ['protocol/src']],
    ['simulator', 'wxpay-sim/sdk/build', ['wxpay-sim/sdk/src', 'wxpay-sim/sdk/include']],
    ['fake backend', 'wxpay-sim/dist/backend/main.js', ['wxpay-sim/backend', 'wxpay-sim/src']],
    ['native host', 'native-host/dist/main.js', ['native-host/src', 'protocol/src']],
    ['server', 'server/dist/main.js', ['server/src', 'protocol/src']],
    ['extension', 'extension/dist/manifest.json', ['extension/src', 'protocol/src']],
    ['POS', 'web/dist/index.html', ['web/src', 'web/index.html', 'protocol/src']],
    ['back office', 'admin/dist/index.html', ['admin/src', 'admin/index.html', 'protocol/src']],
  ];
  return parts
    .filter(([, out, srcs]) => {
      const built = existsSync(join(ROOT, out)) ? newest(join(ROOT, out)) : 0;
      return built === 0 || srcs.some((s) => newest(join(ROOT, s)) > built);
    })
    .map(([name]) => name);
}

async function main() {
  process.stdout.write('POS Face demo — WeChat Pay face member lookup, with WeChat simulated on this machine.\n');
  mkdirSync(LOGS, { recursive: true });

  step('Build');
  const stale = skipBuild ? [] : staleParts();
  if (stale.length === 0) info(skipBuild ? 'skipped (--skip-build)' : 'everything is up to date');
  else {
    info(`out of date: ${stale.join(', ')} → npm run build (the first time takes a minute or two)`);
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const build = spawnSync(npm, ['run', 'build'], { cwd: ROOT, stdio: 'inherit', shell: process.platform === 'win32' });
    if (build.status !== 0) return fail(`npm run build failed (exit ${build.status}); fix the error above and run npm start again`);
  }
  for (const [what, path] of [
    ['the SDK simulator', SIM_LIBRARY],
    ['the extension', join(EXTENSION_DIR, 'manifest.json')],
    ['the POS', join(ROOT, 'web', 'dist', 'index.html')],
  ]) {
    if (!existsSync(path)) return fail(`${what} is missing after the build: ${path}`);
  }

  step('Seed the embedded database');
  const dbEnv = { ...process.env, DATABASE_URL: `sqlite:${DB_PATH}` };
  let seeded;
  try {
    // The demo workspace's seed (TypeScript, run by tsx) over the built server's package exports.
    const out = execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'demo', 'src', 'seed-cli.ts'), '--json'], {
      cwd: ROOT,
      env: dbEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    seeded = JSON.parse(out.toString('utf8'));
  } catch (error) {
    return fail(`seeding failed: ${error.stderr?.toString() || error.message}`);
  }
  rmSync(OLD_TOKEN_FILE, { force: true });
  info(`${DB_PATH} (store S001, terminal D001, members for faces 1–4; faces 5–6 are not members yet)`);
  // The back office's demo owner (demo only): a fresh password each run, printed once below.
  const admin = (args, input) => execFileSync(process.execPath, [join(ROOT, 'server', 'dist', 'cli', 'admin.js'), ...args], { cwd: ROOT, env: dbEnv, input, stdio: ['pipe', 'pipe', 'pipe'] });
  const demoOwner = { username: 'demo-owner', password: `demo-${randomBytes(6).toString('hex')}` };
  try {
    const known = JSON.parse(admin(['list-users', '--json']).toString('utf8')).items.some((u) => u.username === demoOwner.username);
    admin(known ? ['reset-password', '--username', demoOwner.username] : ['add-user', '--username', demoOwner.username, '--role', 'owner'], `${demoOwner.password}\n`);
  } catch (error) {
    return fail(`creating the demo back-office owner failed: ${error.stderr?.toString() || error.message}`);
  }

  step('Start the fake WeChat Pay backend');
  let backendUrl = null;
  const backendLog = join(LOGS, 'wxpay-backend.log');
  const backend = startChild('fake WeChat backend', process.execPath, [join(ROOT, 'wxpay-sim', 'dist', 'backend', 'main.js')], {
    cwd: ROOT,
    env: { WXPAY_API_KEY: DEMO_WXPAY.WXPAY_API_KEY, WXPAY_SIM_PORT: '0' },
    logFile: backendLog,
    // Its one stdout line is `{"url": …, "port": …}`; anything else is in the log file.
    onLine: (line) => {
      if (backendUrl || !line.startsWith('{')) return;
      try {
        backendUrl = JSON.parse(line).url ?? null;
      } catch (error) {
        process.stderr.write(`  the fake backend printed an unreadable line (${error.message}): ${line.slice(0, 200)}\n`);
      }
    },
  });
  const deadline = Date.now() + 15_000;
  while (!backendUrl && !backend.exited && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (!backendUrl) return fail('the fake WeChat backend did not start', backendLog);
  info(backendUrl);

  step('Start the merchant server');
  const port = await freePort(Number(process.env.POSFACE_DEMO_PORT) || 8080);
  const serverLog = join(LOGS, 'server.log');
  const server = startChild('server', process.execPath, [join(ROOT, 'server', 'dist', 'main.js')], {
    cwd: ROOT,
    env: { ...DEMO_WXPAY, DATABASE_URL: `sqlite:${DB_PATH}`, WXPAY_AUTHINFO_URL: backendUrl, HOST: '127.0.0.1', PORT: String(port) },
    logFile: serverLog,
  });
  const base = `http://127.0.0.1:${port}`;
  if (port === 0) return fail('no free port near 8080 for the server (set POSFACE_DEMO_PORT)');
  if (!(await waitForHttp(`${base}/`, server))) return fail(`the server did not start on ${base} (${server.lastProbeError ?? 'it exited'})`, serverLog);
  info(`${base} (logs: ${serverLog})`);
  info(`Back office: ${base}/admin/  (demo owner: ${demoOwner.username} / ${demoOwner.password}; demo only, a new password each run)`);
  // Either service dying later ends the demo with its reason, rather than a POS that silently fails.
  backend.done.then(() => void (!stopping && fail('the fake WeChat backend stopped', backendLog)));
  server.done.then(() => void (!stopping && fail('the server stopped', serverLog)));

  step('Register the native host in the demo browser profile');
  const { EXTENSION_ID } = await import(new URL('../extension/extension-id.mjs', import.meta.url).href);
  const browser = findBrowser();
  const hostArgs = [
    join(ROOT, 'native-host', 'bin', 'pos-face-host'),
    'install',
    '--browser', browser?.kind ?? 'chromium',
    '--user-data-dir', PROFILE,
    '--extension-id', EXTENSION_ID,
    '--env', `POSFACE_SDK_PATH=${SIM_LIBRARY}`,
    '--env', `WXPAYFACE_SIM_FACES=${FACES}`,
    '--env', `POSFACE_LOG_DIR=${LOGS}`,
  ];
  try {
    execFileSync(process.execPath, hostArgs, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    return fail(`the host installer failed: ${error.stderr?.toString() || error.message}`);
  }
  info(`profile ${PROFILE}, extension ${EXTENSION_ID}, SDK = simulator`);

  const url = `${base}/`;
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  // Typed into the POS by a headless run of the demo browser (see demo/pair-browser.mjs).
  let pairedProfile = false;
  if (browser) {
    step('Pair the demo browser profile (one-time code, typed on the POS pairing screen)');
    try {
      info(await pairBrowserProfile({ browserPath: browser.path, profileDir: PROFILE, base, code: seeded.pairing_code, asRoot }));
      pairedProfile = true;
    } catch (error) {
      info(`could not pair it automatically (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  // Only an unused code is worth showing; a fresh one: npm run terminal -w server -- pair-code --device-id D001.
  const codeHint = pairedProfile ? null : `Pairing code (valid until ${seeded.expires_at}, one use): ${seeded.pairing_code}`;
  if (!browser || !hasDisplay()) {
    step(browser ? 'No display: not opening a browser' : 'No Chromium, Chrome or Edge found: not opening a browser');
    info(`POS:   ${url}`);
    if (codeHint) info(codeHint);
    const command = (headless) =>
      `${browser?.path ?? 'chromium'} ${browserArgs({ profileDir: PROFILE, extensionDir: EXTENSION_DIR, url: `'${url}'`, asRoot, headless }).join(' ')}`;
    info('Steps (the browser must run on this machine: the extension talks to the host and the simulator here):');
    info(`  1. In another terminal, start the browser headless with the demo profile (the host is registered in it):`);
    info(`     ${command(true)}`);
    info(`  2. Drive it from a desktop: ssh -L ${DEVTOOLS_PORT}:127.0.0.1:${DEVTOOLS_PORT} <this machine>, open chrome://inspect in Chrome,`);
    info(`     add localhost:${DEVTOOLS_PORT} under "Configure…", then "inspect" the page "POS Face": its screencast takes clicks and keys.`);
    info(`     (With a display, e.g. ssh -X or xvfb-run, open a window instead: ${command(false)})`);
    info(`  3. ${pairedProfile ? 'The profile is paired already.' : 'Type the pairing code above on the POS pairing screen.'}`);
    info(`     (A new code: DATABASE_URL=sqlite:${DB_PATH} npm run terminal -w server -- pair-code --device-id D001)`);
    info(`  4. Scan: type 6901234567892 + Enter in the search field; F2 looks at the simulated camera`);
    info(`     (faces 1–4 of wxpay-sim/faces.tsv are members, 5–6 are not); Esc cancels; F9 completes the sale.`);
    info('Ctrl+C stops the server and the fake backend.');
    return;
  }

  step(`Open ${browser.kind} (${browser.path})`);
  const browserLog = join(LOGS, 'browser.log');
  const chrome = startChild(browser.kind, browser.path, browserArgs({ profileDir: PROFILE, extensionDir: EXTENSION_DIR, url, asRoot }), {
    cwd: ROOT,
    logFile: browserLog,
  });
  info(`POS ${url} — ${pairedProfile ? 'paired as D001' : codeHint}; F2 looks at the simulated camera, Esc cancels, F9 completes the sale.`);
  if (browser.kind === 'chrome') info('If the extension is not loaded (Chrome policy), load it unpacked from extension/dist at chrome://extensions.');
  info('Ctrl+C (or closing the browser) stops everything.');
  chrome.done.then(({ code }) => void shutdown(0, `the browser closed (exit ${code})`));
}

main().catch((error) => void fail(error instanceof Error ? (error.stack ?? error.message) : String(error)));
