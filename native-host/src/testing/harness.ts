import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateHostResponse, type HostResponse } from '@posface/protocol';
import { DEFAULT_FACES_PATH, mintAuthinfo, SIM_DEFAULT_SERIAL, SIM_LIBRARY_PATH } from '@posface/wxpay-sim';
import { encodeFrame } from '../framing.js';
import { LOG_FILE_NAME } from '../log.js';
import { bundleCheckoutHost } from '../../package/bundle.js';
import { HOST_BIN } from '../paths.js';

/**
 * Test support: the real host process (bin/pos-face-host → dist/pos-face-host.cjs) with the simulator library,
 * spoken to over real stdio. Not part of the build.
 */

export const EXTENSION_ID = 'abcdefghijklmnopabcdefghijklmnop';
export const ORIGIN = `chrome-extension://${EXTENSION_ID}/`;
export const MERCHANT = { appid: 'wx2421b1c4370ec43b', mch_id: '10000100', store_id: 'S001' } as const;

let built = false;
/** Builds the host's one script from the sources once per test worker (the build replaces the file whole). */
export function ensureHostBuilt(): void {
  if (built) return;
  bundleCheckoutHost();
  built = true;
}

export function requireSimLibrary(): string {
  if (!existsSync(SIM_LIBRARY_PATH)) throw new Error(`${SIM_LIBRARY_PATH} is missing: run npm run build -w wxpay-sim`);
  return SIM_LIBRARY_PATH;
}

export function validAuthinfo(overrides: Partial<{ serial: string; appid: string; mch_id: string; store_id: string; expiresIn: number; now: number }> = {}): string {
  return mintAuthinfo({ serial: SIM_DEFAULT_SERIAL, ...MERCHANT, ...overrides }).authinfo;
}

export function userInfoParams(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { cmd: 'getWxpayfaceUserInfo', ...MERCHANT, face_authtype: 'FACEID-ONCE', authinfo: validAuthinfo(), ...extra };
}

/** The result of an ok response (throws with the error otherwise). */
export function okResult(response: HostResponse): Record<string, unknown> {
  if (!response.ok) throw new Error(`expected ok, got ${JSON.stringify(response.error)}`);
  return response.result as Record<string, unknown>;
}

export interface HostOptions {
  /** SDK library; null leaves POSFACE_SDK_PATH unset. Default: the simulator. */
  sdkPath?: string | null;
  /** Lines of WXPAYFACE_SIM_SCRIPT (written to a temp file). */
  script?: string[];
  delayMs?: number;
  facesPath?: string;
  env?: Record<string, string>;
  args?: string[];
  /** Run through this executable instead of bin/pos-face-host (e.g. an installed launcher). */
  command?: string;
  /** The host's log folder; null leaves POSFACE_LOG_DIR unset. Default: logs/ in the test's folder. */
  logDir?: string | null;
  /**
   * For a host that sees another file system (the Windows exe under wine): how a path of this machine
   * is written for it (sdk, faces, script and log paths in its environment). Its stderr then goes to
   * a file, since node.exe under wine cannot write to a Linux pipe.
   */
  foreignPath?: (path: string) => string;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running host and everything it wrote. */
export class HostUnderTest {
  readonly child: ChildProcessByStdio<Writable, Readable, Readable | null>;
  readonly dir: string;
  readonly scriptPath: string;
  readonly stdoutChunks: Buffer[] = [];
  readonly responses: HostResponse[] = [];
  private stderrText = '';
  private readonly stderrFile: string | null;
  readonly exited: Promise<Exit>;
  private buffered = Buffer.alloc(0);
  private readonly waiters: Array<{ match: (r: HostResponse) => boolean; resolve: (r: HostResponse) => void }> = [];
  private nextId = 1;

  constructor(options: HostOptions = {}) {
    this.dir = mkdtempSync(join(tmpdir(), 'posface-host-test-'));
    this.scriptPath = join(this.dir, 'script.txt');
    writeFileSync(this.scriptPath, options.script ? `${options.script.join('\n')}\n` : '');
    const path = options.foreignPath ?? ((p: string) => p);
    const logDir = options.logDir === undefined ? join(this.dir, 'logs') : options.logDir;
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: this.dir,
      ...(logDir === null ? {} : { POSFACE_LOG_DIR: path(logDir) }),
      // No config file from the checkout leaks into a test.
      POSFACE_HOST_CONFIG: '',
      WXPAYFACE_SIM_FACES: path(options.facesPath ?? DEFAULT_FACES_PATH),
      WXPAYFACE_SIM_SCRIPT: path(this.scriptPath),
      WXPAYFACE_SIM_DELAY_MS: String(options.delayMs ?? 0),
      ...options.env,
    };
    const sdkPath = options.sdkPath === undefined ? requireSimLibrary() : options.sdkPath;
    if (sdkPath !== null) env.POSFACE_SDK_PATH = path(sdkPath);
    this.stderrFile = options.foreignPath ? join(this.dir, 'stderr.txt') : null;
    const stderrFd = this.stderrFile === null ? null : openSync(this.stderrFile, 'w');
    this.child = spawn(options.command ?? HOST_BIN, options.args ?? [ORIGIN], { env, stdio: ['pipe', 'pipe', stderrFd ?? 'pipe'] }) as HostUnderTest['child'];
    if (stderrFd !== null) closeSync(stderrFd);
    this.child.stdout.on('data', (chunk: Buffer) => this.onStdout(chunk));
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderrText += chunk.toString('utf8');
    });
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  /** What the host wrote to stderr so far. */
  get stderr(): string {
    return this.stderrFile === null ? this.stderrText : readFileSync(this.stderrFile, 'utf8');
  }

  get pid(): number {
    return this.child.pid as number;
  }

  private onStdout(chunk: Buffer): void {
    this.stdoutChunks.push(chunk);
    this.buffered = Buffer.concat([this.buffered, chunk]);
    while (this.buffered.length >= 4) {
      const length = this.buffered.readUInt32LE(0);
      if (this.buffered.length < 4 + length) break;
      const response = validateHostResponse(JSON.parse(this.buffered.subarray(4, 4 + length).toString('utf8')));
      this.buffered = this.buffered.subarray(4 + length);
      this.responses.push(response);
      const index = this.waiters.findIndex((w) => w.match(response));
      if (index >= 0) this.waiters.splice(index, 1)[0]?.resolve(response);
    }
  }

  /** Writes raw bytes to the host's stdin. */
  write(bytes: Buffer): void {
    this.child.stdin.write(bytes);
  }

  send(message: unknown): void {
    this.write(encodeFrame(message));
  }

  /** The next response matching `match` (already received or still to come). */
  waitFor(match: (r: HostResponse) => boolean, timeoutMs = 10_000): Promise<HostResponse> {
    const seen = this.responses.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching response within ${timeoutMs} ms; stderr: ${this.stderr}`)), timeoutMs);
      this.waiters.push({
        match,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
      });
    });
  }

  waitForId(id: string | null, timeoutMs?: number): Promise<HostResponse> {
    return this.waitFor((r) => r.id === id, timeoutMs);
  }

  newId(): string {
    return `t-${this.nextId++}`;
  }

  request(method: string, params?: unknown, timeoutMs?: number): Promise<HostResponse> {
    const id = this.newId();
    this.send(params === undefined ? { id, method } : { id, method, params });
    return this.waitForId(id, timeoutMs);
  }

  call(params: Record<string, unknown>, timeoutMs?: number): Promise<HostResponse> {
    return this.request('call', params, timeoutMs);
  }

  /** Replaces the simulator's script (read at each face step). */
  setScript(lines: string[]): void {
    writeFileSync(this.scriptPath, lines.length > 0 ? `${lines.join('\n')}\n` : '');
  }

  /** Resident memory of the host process, in KiB (Linux). */
  rssKb(): number {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    if (!match) throw new Error('no VmRSS');
    return Number(match[1]);
  }

  /**
   * What the host logged, once it has exited (closing it first if it still runs): a running host
   * writes its lines in batches (log.ts), and the last batch when it leaves.
   */
  async logText(): Promise<string> {
    if (!this.child.stdin.writableEnded) this.child.stdin.end();
    await this.exited;
    const file = join(this.dir, 'logs', LOG_FILE_NAME);
    return existsSync(file) ? readFileSync(file, 'utf8') : '';
  }

  /**
   * Everything the host wrote to stdout, parsed as one stream: it must be whole, valid frames and
   * nothing else. Returns the number of frames.
   */
  assertStdoutIsFramesOnly(): number {
    const all = Buffer.concat(this.stdoutChunks);
    let offset = 0;
    let frames = 0;
    while (offset < all.length) {
      if (all.length - offset < 4) throw new Error(`stdout ends with ${all.length - offset} stray bytes`);
      const length = all.readUInt32LE(offset);
      if (length > 1024 * 1024) throw new Error(`stdout frame of ${length} bytes is over 1 MiB`);
      if (offset + 4 + length > all.length) throw new Error('stdout ends inside a frame');
      validateHostResponse(JSON.parse(all.subarray(offset + 4, offset + 4 + length).toString('utf8')));
      offset += 4 + length;
      frames += 1;
    }
    return frames;
  }

  /** Ends stdin like Chrome closing the port, and waits for the exit. */
  async close(): Promise<Exit> {
    this.child.stdin.end();
    return this.exited;
  }

  /** Kills the host if it still runs, and removes its temp folder. */
  async dispose(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Tracks hosts started by a test file so afterEach can check their stdout and clean up. */
export class HostPool {
  private readonly hosts: HostUnderTest[] = [];

  start(options?: HostOptions): HostUnderTest {
    return this.track(new HostUnderTest(options));
  }

  /** Adds a host started elsewhere (e.g. under wine). */
  track(host: HostUnderTest): HostUnderTest {
    this.hosts.push(host);
    return host;
  }

  /** Asserts stdout held only frames for every host, then disposes of them all. */
  async cleanup(): Promise<void> {
    const hosts = this.hosts.splice(0);
    try {
      for (const host of hosts) host.assertStdoutIsFramesOnly();
    } finally {
      await Promise.all(hosts.map((host) => host.dispose()));
    }
  }
}

const tempDirs: string[] = [];

/** A fresh temp folder, removed by removeTempDirs() (call it in afterAll). */
export function tempDir(prefix = 'posface-host-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
