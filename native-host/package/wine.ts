import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Running Windows programs under wine, headless, in a throwaway prefix. node.exe under wine cannot use
 * a Linux pipe as stdin, stdout or stderr (EBADF in libuv), so every wine program here writes to files.
 */

export interface Wine {
  prefix: string;
  env: NodeJS.ProcessEnv;
  /** True when this object made the prefix (and dispose() removes it). */
  owned: boolean;
}

export interface WineRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The Windows path (drive Z: maps to /) of a Linux path. */
export function windowsPath(linuxPath: string): string {
  return `Z:${linuxPath.replace(/\//g, '\\')}`;
}

/** The file on this machine behind a C:\\… path of the prefix. */
export function driveCPath(wine: Wine, windows: string): string {
  return join(wine.prefix, 'drive_c', ...windows.replace(/^C:\\/i, '').split('\\'));
}

export function wineEnv(prefix: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, WINEPREFIX: prefix, WINEDEBUG: '-all', ...extra };
  // Headless: no window may open, whatever display the calling shell has.
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  return env;
}

/** Runs a program under wine to completion, its stdout and stderr captured in files. */
export function runWine(wine: Wine, args: readonly string[], options: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<WineRun> {
  const dir = mkdtempSync(join(tmpdir(), 'posface-wine-run-'));
  const outFile = join(dir, 'stdout');
  const errFile = join(dir, 'stderr');
  const out = openSync(outFile, 'w');
  const err = openSync(errFile, 'w');
  return new Promise<WineRun>((resolve, reject) => {
    const child = spawn('wine', [...args], { cwd: options.cwd, env: { ...wine.env, ...options.env }, stdio: ['ignore', out, err] });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('exit', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout: readFileSync(outFile, 'utf8'), stderr: readFileSync(errFile, 'utf8') });
    });
  }).finally(() => {
    closeSync(out);
    closeSync(err);
    rmSync(dir, { recursive: true, force: true });
  });
}

/** Starts a program under wine in the background (output discarded); stop() ends it. */
export function startWine(wine: Wine, args: readonly string[]): { stop(): Promise<void> } {
  const child = spawn('wine', [...args], { env: wine.env, stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/**
 * A wine prefix: `prefix` (default WINEPREFIX) when it already is one, else a new one there or in a
 * temporary folder: `wineboot --init`, then Windows 10 (Node refuses wine's default version, "only
 * supported on Windows 8.1 … or higher").
 */
export async function openWine(prefix: string | undefined = process.env.WINEPREFIX): Promise<Wine> {
  if (prefix && existsSync(join(prefix, 'system.reg'))) return { prefix, env: wineEnv(prefix), owned: false };
  const made = prefix ?? mkdtempSync(join(tmpdir(), 'posface-wine-'));
  mkdirSync(made, { recursive: true });
  const wine: Wine = { prefix: made, env: wineEnv(made), owned: true };
  const boot = spawnSync('wineboot', ['--init'], { env: wine.env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (boot.status !== 0) throw new Error(`wineboot --init failed (${boot.status ?? boot.signal}): ${boot.stderr}`);
  const version = await runWine(wine, ['reg', 'add', 'HKCU\\Software\\Wine', '/v', 'Version', '/t', 'REG_SZ', '/d', 'win10', '/f']);
  if (version.status !== 0) throw new Error(`setting the wine prefix to Windows 10 failed: ${version.stderr}`);
  waitWineserver(wine);
  return wine;
}

/** Waits for every program of the prefix to end (and its registry to be written). */
export function waitWineserver(wine: Wine): void {
  spawnSync('wineserver', ['-w'], { env: wine.env, stdio: 'ignore' });
}

/** Ends every program of the prefix, waits for the wineserver, and removes a prefix this process made. */
export function disposeWine(wine: Wine): void {
  spawnSync('wineserver', ['-k'], { env: wine.env, stdio: 'ignore' });
  waitWineserver(wine);
  if (wine.owned) rmSync(wine.prefix, { recursive: true, force: true });
}
