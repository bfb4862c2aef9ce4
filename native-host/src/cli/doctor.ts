import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { posix, win32 } from 'node:path';
import { answerTimeoutMs, FACE_SERVICE_ADVICE, FaceError, HOST_NAME, validateHelloResult, type HelloResult } from '@posface/protocol';
import { archMismatch, readLibraryKind } from '../sdk-arch.js';
import { probeServicePipe, SERVICE_PIPE, type PipeProbe } from '../service-pipe.js';
import { parseArgs, single } from './args.js';
import type { CliContext } from './context.js';
import { HostProbe } from './host-probe.js';
import { readBrowsers, readLevel } from './install.js';
import { LEVELS, manifestProblems, manifestTargets, type ManifestTarget } from './manifest.js';
import { parseRegQueryDefault, regQuery } from './registry.js';

/** `pos-face-host doctor`: checks an installation the way Chrome will use it and says what to fix. */

const DOCTOR_OPTIONS = { valued: ['browser', 'level', 'user-data-dir', 'extension-id', 'time-url'], flags: ['no-init', 'no-clock'] } as const;
const DEFAULT_TIME_URL = 'https://payapp.weixin.qq.com/';
/** The SDK and WeChat refuse a `now` more than 5 minutes off; warn well before. */
const CLOCK_WARN_S = 60;
const CLOCK_FAIL_S = 300;

type Mark = 'ok' | 'fail' | 'warn' | 'skip';
interface Line {
  mark: Mark;
  text: string;
  advice?: string;
}

const SYMBOL: Record<Mark, string> = { ok: '✓', fail: '✗', warn: '!', skip: '-' };

export class Report {
  readonly lines: Line[] = [];
  add(mark: Mark, text: string, advice?: string): void {
    this.lines.push(advice === undefined ? { mark, text } : { mark, text, advice });
  }
  get failed(): boolean {
    return this.lines.some((line) => line.mark === 'fail');
  }
  render(): string {
    const body = this.lines.map((l) => `${SYMBOL[l.mark]} ${l.text}${l.advice ? `\n    → ${l.advice}` : ''}`);
    const summary = this.failed ? '✗ Problems found: fix the lines marked ✗ above.' : '✓ The POS Face host looks ready.';
    return [`POS Face host doctor (${HOST_NAME})`, ...body, '', summary].join('\n');
  }
}

/** Checks one manifest location; returns the launcher path when the manifest is usable. */
function checkTarget(target: ManifestTarget, ctx: CliContext, report: Report, extensionId: string | undefined): string | null {
  const where = target.browser === null ? 'user-data-dir' : `${target.browser} (${target.level})`;
  const path = ctx.platform === 'win32' ? win32 : posix;
  if (target.registryKey !== null) {
    const result = ctx.run(regQuery(target.registryKey));
    const value = result.status === 0 ? parseRegQueryDefault(result.stdout) : null;
    if (value === null) {
      report.add('skip', `${where}: not registered (${target.registryKey})`);
      return null;
    }
    if (path.normalize(value).toLowerCase() !== path.normalize(target.manifestPath).toLowerCase() && !existsSync(value)) {
      report.add('fail', `${where}: ${target.registryKey} points at ${value}, which does not exist`, `run pos-face-host install --browser ${target.browser} --level ${target.level} --extension-id <id>`);
      return null;
    }
    target = { ...target, manifestPath: value };
  }
  if (!existsSync(target.manifestPath)) {
    report.add('skip', `${where}: no manifest at ${target.manifestPath}`);
    return null;
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(target.manifestPath, 'utf8'));
  } catch (error) {
    report.add('fail', `${where}: ${target.manifestPath} is not valid JSON (${error instanceof Error ? error.message : String(error)})`, 'reinstall: pos-face-host install …');
    return null;
  }
  const problems = manifestProblems(manifest, (p) => path.isAbsolute(p));
  if (problems.length > 0) {
    report.add('fail', `${where}: manifest ${target.manifestPath} is invalid: ${problems.join('; ')}`, 'reinstall: pos-face-host install …');
    return null;
  }
  const m = manifest as { path: string; allowed_origins: string[] };
  if (extensionId !== undefined && !m.allowed_origins.includes(`chrome-extension://${extensionId}/`)) {
    report.add('fail', `${where}: manifest does not allow chrome-extension://${extensionId}/ (it allows ${m.allowed_origins.join(', ')})`, `reinstall with --extension-id ${extensionId}`);
    return null;
  }
  report.add('ok', `${where}: manifest ${target.manifestPath} is valid (allows ${m.allowed_origins.join(', ')})`);
  if (!existsSync(m.path)) {
    report.add('fail', `${where}: the launcher ${m.path} does not exist`, 'reinstall: pos-face-host install …');
    return null;
  }
  if (ctx.platform !== 'win32') {
    try {
      accessSync(m.path, constants.X_OK);
    } catch (error) {
      report.add('fail', `${where}: the launcher ${m.path} is not executable (${(error as { code?: string }).code ?? String(error)})`, `chmod 755 ${m.path}`);
      return null;
    }
  }
  report.add('ok', `${where}: launcher ${m.path} is executable`);
  return m.path;
}

async function checkHost(command: string, args: string[], report: Report, init: boolean): Promise<void> {
  const probe = new HostProbe(command, args);
  try {
    const started = performance.now();
    const hello = await probe.request('hello', undefined, 15_000);
    const helloMs = Math.round(performance.now() - started);
    if (!hello.ok) {
      report.add('fail', `the host does not answer hello: ${hello.error.code} ${hello.error.message}`, 'look at the host log (see native-host/README.md, "Logs")');
      return;
    }
    let result: HelloResult;
    try {
      result = validateHelloResult(hello.result);
    } catch (error) {
      const fe = FaceError.wrap(error);
      report.add('fail', `the host's hello answer is not usable: ${fe.code} ${fe.message}`, 'update the host and the extension to the same release');
      return;
    }
    report.add('ok', `the host answers hello in ${helloMs} ms (host ${result.host.version}, protocol ${result.protocol}, Node ${result.sdk.arch})`);
    const sdk = result.sdk;
    if (sdk.path !== null && existsSync(sdk.path)) {
      let mismatch: string | null = null;
      let dllArch = 'unknown';
      try {
        const kind = readLibraryKind(sdk.path);
        dllArch = kind.arch;
        mismatch = archMismatch(kind, sdk.arch);
      } catch (error) {
        mismatch = `cannot read ${sdk.path}: ${error instanceof Error ? error.message : String(error)}`;
      }
      if (mismatch) report.add('fail', `Node ${sdk.arch} vs SDK DLL ${dllArch}: ${mismatch}`);
      else report.add('ok', `Node ${sdk.arch} matches the SDK DLL (${dllArch})`);
    }
    if (!sdk.loaded) {
      report.add('fail', `the SDK does not load: ${sdk.error ?? 'no reason given'}`);
      return;
    }
    report.add('ok', `the SDK loads from ${sdk.path}`);
    if (!init) {
      report.add('skip', 'initWxpayface not tried (--no-init)');
      return;
    }
    const initStart = performance.now();
    const answer = await probe.request('call', { cmd: 'initWxpayface' }, answerTimeoutMs('extension', 'initWxpayface', result.timeouts));
    const initMs = Math.round(performance.now() - initStart);
    if (answer.ok) report.add('ok', `initWxpayface answers SUCCESS in ${initMs} ms`);
    else {
      const advice = answer.error.code === 'FACE_SERVICE_DOWN' ? FACE_SERVICE_ADVICE : 'check that WxpayFaceService is running and the camera is connected';
      report.add('fail', `initWxpayface answers ${answer.error.code}: ${answer.error.message}`, advice);
    }
  } finally {
    await probe.close();
  }
}

/** Windows: the vendor's WxpayFaceService must be running, or every SDK call fails. */
export function checkServicePipe(platform: NodeJS.Platform, probe: () => PipeProbe, report: Report): void {
  if (platform !== 'win32') {
    report.add('skip', 'WxpayFaceService not checked (it runs on Windows only)');
    return;
  }
  const found = probe();
  if (found.state === 'present') report.add('ok', `WxpayFaceService is running (${SERVICE_PIPE} is open)`);
  else if (found.state === 'busy') report.add('ok', `WxpayFaceService is running (${SERVICE_PIPE} exists; all its instances are busy right now)`);
  else if (found.state === 'missing') {
    report.add('fail', `WxpayFaceService is not running: ${SERVICE_PIPE} does not exist`, `${FACE_SERVICE_ADVICE}; then run pos-face-host doctor again`);
  } else report.add('warn', `WxpayFaceService not checked: ${found.detail ?? 'no reason given'}`);
}

/** The offset of this machine's clock from the Date header of `url`, in seconds (positive: we are ahead). */
function clockOffset(url: string, timeoutMs = 5000): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = (url.startsWith('https:') ? httpsRequest : httpRequest)(url, { method: 'HEAD', timeout: timeoutMs }, (response) => {
      response.resume();
      const date = response.headers.date;
      const at = Date.now();
      if (!date || Number.isNaN(Date.parse(date))) reject(new Error(`${url} answered without a usable Date header`));
      // The header has whole seconds: compare against the middle of that second.
      else resolve(Math.round((at - (Date.parse(date) + 500)) / 1000));
    });
    request.on('timeout', () => request.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end();
  });
}

async function checkClock(url: string, report: Report): Promise<void> {
  let offset: number;
  try {
    offset = await clockOffset(url);
  } catch (error) {
    report.add('warn', `clock offset not checked: ${error instanceof Error ? error.message : String(error)}`, 'pass --time-url with a server this terminal can reach (e.g. the merchant server)');
    return;
  }
  const text = `clock offset ${offset >= 0 ? '+' : ''}${offset} s against ${url}`;
  if (Math.abs(offset) > CLOCK_FAIL_S) report.add('fail', text, 'the SDK rejects requests whose time is off by more than 5 minutes: sync the clock (Windows: w32tm /resync)');
  else if (Math.abs(offset) > CLOCK_WARN_S) report.add('warn', text, 'sync the clock before it drifts past 5 minutes (Windows: w32tm /resync)');
  else report.add('ok', text);
}

export async function runDoctor(args: readonly string[], ctx: CliContext): Promise<number> {
  const parsed = parseArgs(args, DOCTOR_OPTIONS);
  const report = new Report();
  const userDataDir = single(parsed, 'user-data-dir');
  const extensionId = single(parsed, 'extension-id');
  const levels = parsed.options.has('level') ? [readLevel(parsed)] : [...LEVELS];
  const targets = levels.flatMap((level) =>
    manifestTargets({ browsers: readBrowsers(parsed), level, ...(userDataDir === undefined ? {} : { userDataDir }), platform: ctx.platform, home: ctx.home, env: ctx.env }),
  );
  const seen = new Set<string>();
  const launchers: string[] = [];
  for (const target of targets) {
    const key = `${target.manifestPath}|${target.registryKey ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const launcher = checkTarget(target, ctx, report, extensionId);
    if (launcher !== null) launchers.push(launcher);
  }
  const origin = `chrome-extension://${extensionId ?? 'a'.repeat(32)}/`;
  checkServicePipe(ctx.platform, ctx.probeServicePipe ?? probeServicePipe, report);
  if (launchers.length === 0) {
    report.add('fail', 'no usable host manifest found', 'run: pos-face-host install --browser chrome --extension-id <id>  (see native-host/README.md)');
    const direct = ctx.entry === null ? [] : [ctx.entry];
    report.add('warn', `checking the host directly instead: ${[ctx.nodePath, ...direct].join(' ')}`);
    await checkHost(ctx.nodePath, [...direct, origin], report, !parsed.flags.has('no-init'));
  } else {
    await checkHost(launchers[0] as string, [origin], report, !parsed.flags.has('no-init'));
  }
  if (parsed.flags.has('no-clock')) report.add('skip', 'clock offset not checked (--no-clock)');
  else await checkClock(single(parsed, 'time-url', DEFAULT_TIME_URL) as string, report);
  ctx.print(report.render());
  return report.failed ? 1 : 0;
}
