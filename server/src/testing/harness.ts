import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { startFakeWxpayBackend, type FakeBackend, type FakeBackendOptions } from '@posface/wxpay-sim/backend';
import type { AppDeps } from '../app.js';
import type { DatabaseConfig, ServerConfig } from '../config.js';
import { startServer, type RunningServer } from '../main.js';

/** Test-only helpers (not compiled into dist): a real fake backend, a real server, captured logs. */

export const TEST_API_KEY = 'TestKey0123456789abcdefghijklmno';
export const TEST_APPID = 'wxtest0000000001';
export const TEST_MCH_ID = '1900000042';
export const TEST_SERIAL = 'SIM-TERMINAL-0001';

export function tempDir(prefix = 'posface-server-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export function testConfig(database: DatabaseConfig, authinfoUrl: string, overrides: Partial<ServerConfig> = {}): ServerConfig {
  return {
    host: '127.0.0.1',
    port: 0,
    database,
    redisUrl: null,
    wxpay: {
      appid: TEST_APPID,
      mchId: TEST_MCH_ID,
      subAppid: null,
      subMchId: null,
      apiKey: TEST_API_KEY,
      signType: 'HMAC-SHA256',
      authinfoUrl,
      timeoutMs: 1000,
      retries: 2,
    },
    authinfoMarginS: 600,
    webDist: null,
    extensionDist: null,
    logLevel: 'trace',
    ...overrides,
  };
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
