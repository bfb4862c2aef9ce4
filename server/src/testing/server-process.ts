import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_API_KEY } from './harness.js';

/**
 * The server as IT runs it (`npm run serve`: the built dist/main.js), a real process configured by its
 * environment. Its "ready" line is an info-level log line, so LOG_LEVEL must leave info on. The build is
 * `npm test`'s first step; a missing or stale one is refused rather than tested.
 */
export interface ServerProcess {
  url: string;
  pid: number;
  child: ChildProcess;
  /** Sends `signal` and waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const SRC = fileURLToPath(new URL('..', import.meta.url));
const MAIN = join(SRC, '..', 'dist', 'main.js');

function requireBuild(): void {
  const stale = !existsSync(MAIN) || statSync(MAIN).mtimeMs < statSync(join(SRC, 'main.ts')).mtimeMs;
  if (stale) throw new Error(`${MAIN} is missing or older than src/main.ts: build first (npx tsc -b server, or npm test)`);
}

export async function spawnServer(env: Record<string, string>, options: { fdLimit?: number } = {}): Promise<ServerProcess> {
  requireBuild();
  const child = spawn(process.execPath, [MAIN], {
    cwd: SRC,
    env: {
      ...process.env,
      PORT: '0',
      WXPAY_APPID: 'wx0000000000000001',
      WXPAY_MCH_ID: '1900000001',
      WXPAY_API_KEY: TEST_API_KEY,
      WEB_DIST: 'none',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000);
    child.stdout?.on('data', () => {
      const m = /posface server ready on (http:\/\/[^"\s]+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        // From here on its log is not kept (a long run would pile it up).
        child.stdout?.removeAllListeners('data');
        child.stdout?.resume();
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}):\n${out}`));
    });
  });
  if (options.fdLimit !== undefined) {
    // Once started (loading the modules opens many files at once): from now on it has `fdLimit` descriptors.
    execFileSync('prlimit', [`--pid=${child.pid}`, `--nofile=${options.fdLimit}:${options.fdLimit}`]);
  }
  return {
    url,
    pid: child.pid ?? 0,
    child,
    kill: async (signal = 'SIGKILL') => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exit = new Promise((resolve) => child.once('exit', resolve));
      child.kill(signal);
      await exit;
    },
  };
}
