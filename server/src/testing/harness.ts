import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { startFakeWxpayBackend, type FakeBackend, type FakeBackendOptions } from '@posface/wxpay-sim/backend';
import type { AppDeps } from '../app.js';
import { loadConfig, type DatabaseConfig, type ServerConfig } from '../config.js';
import { startServer, type RunningServer } from '../main.js';

/** Test-only helpers (not compiled into dist): a real fake backend, a real server, captured logs. */

export const TEST_API_KEY = 'TestKey0123456789abcdefghijklmno';
export const TEST_APPID = 'wxtest0000000001';
export const TEST_MCH_ID = '1900000042';
export const TEST_SERIAL = 'SIM-TERMINAL-0001';

/** A TCP port free on loopback right now (for a service the test starts itself). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

export function tempDir(prefix = 'posface-server-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** The production defaults (from loadConfig), pointed at the fake backend and a test database. */
function testConfig(database: DatabaseConfig, authinfoUrl: string, overrides: Partial<ServerConfig> = {}): ServerConfig {
  const base = loadConfig({
    PORT: '0',
    WXPAY_APPID: TEST_APPID,
    WXPAY_MCH_ID: TEST_MCH_ID,
    WXPAY_API_KEY: TEST_API_KEY,
    WXPAY_SIGN_TYPE: 'HMAC-SHA256',
    WXPAY_AUTHINFO_URL: authinfoUrl,
    WXPAY_TIMEOUT_MS: '1000',
    WEB_DIST: 'none',
    EXTENSION_DIST: 'none',
    LOG_LEVEL: 'trace',
  });
  return { ...base, database, ...overrides };
}

/** Every log line the server wrote. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: (error?: Error | null) => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter((l) => l !== ''));
    done();
  }
  text(): string {
    return this.lines.join('\n');
  }
}

export interface Stack {
  backend: FakeBackend;
  server: RunningServer;
  config: ServerConfig;
  logs: LogCapture;
  close(): Promise<void>;
}

export async function startStack(
  database: DatabaseConfig,
  options: { backend?: Partial<FakeBackendOptions>; config?: Partial<ServerConfig>; deps?: AppDeps; backendInstance?: FakeBackend } = {},
): Promise<Stack> {
  const backend = options.backendInstance ?? (await startFakeWxpayBackend({ apiKey: TEST_API_KEY, ...options.backend }));
  const config = testConfig(database, backend.url, options.config);
  const logs = new LogCapture();
  const server = await startServer(config, { upstreamBackoffMs: 20, logStream: logs, ...options.deps });
  return {
    backend,
    server,
    config,
    logs,
    close: async () => {
      await server.close();
      if (options.backendInstance === undefined) await backend.close();
    },
  };
}

export interface CallResult<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** One real HTTP request with JSON in and out. */
export async function call<T = unknown>(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<CallResult<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await res.text();
  let body: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('json')) body = JSON.parse(text);
  return { status: res.status, headers: res.headers, body: body as T, text };
}
