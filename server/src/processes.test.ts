import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeWxpayBackend, type FakeBackend } from '@posface/wxpay-sim/backend';
import { tempDir, TEST_API_KEY } from './testing/harness.js';

/** The entry points as IT runs them: real processes (TypeScript run through tsx), real SQLite file. */

// Each process start costs seconds on a busy 2-core machine.
const SLOW = { timeout: 90_000 };

const SRC = fileURLToPath(new URL('.', import.meta.url));
const dir = tempDir();
const DATABASE_URL = `sqlite:${join(dir.path, 'pos.sqlite')}`;
let backend: FakeBackend;

function runCli(script: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(SRC, script), ...args], {
    env: { ...process.env, DATABASE_URL, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  backend = await startFakeWxpayBackend({ apiKey: TEST_API_KEY });
});
afterAll(async () => {
  await backend.close();
  dir.remove();
});

describe('npm run terminal', () => {
  it('adds with a pairing code (or --token), issues new codes and tokens, lists and revokes', SLOW, () => {
    const add = runCli('cli/terminal.ts', ['add', '--store-id', 'S001', '--store-name', '演示门店 Demo Store', '--device-id', 'D001', '--screen-index', '2', '--release-after-session', '--json']);
    expect(add.code, add.stderr).toBe(0);
    const out = JSON.parse(add.stdout) as { terminal_id: string; pairing_code: string; expires_at: string; terminal: { id: string; screen_index: string; release_after_session: boolean } };
    expect(out.pairing_code).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
    expect(Date.parse(out.expires_at) - Date.now()).toBeGreaterThan(9 * 60_000);
    expect(out.terminal_id).toBe(out.terminal.id);
    expect(out.terminal).toMatchObject({ screen_index: '2', release_after_session: true });
    const code = runCli('cli/terminal.ts', ['pair-code', '--device-id', 'D001']);
    expect(code.code, code.stderr).toBe(0);
    expect(code.stdout).toMatch(/Pairing code \(one use, valid until [0-9T:.-]+Z\); type it on the POS's pairing screen:\n[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}\n/);
    const token = JSON.parse(runCli('cli/terminal.ts', ['token', '--device-id', 'D001', '--store-id', 'S001', '--json']).stdout) as { token: string };
    expect(token.token).toMatch(/^pft_[A-Za-z0-9_-]{43}$/);
    const api = runCli('cli/terminal.ts', ['add', '--store-id', 'S001', '--store-name', '演示门店 Demo Store', '--device-id', 'API1', '--token', '--json']);
    expect((JSON.parse(api.stdout) as { token: string }).token).toMatch(/^pft_/);
    const list = runCli('cli/terminal.ts', ['list']);
    expect(list.stdout).toContain('S001 (演示门店 Demo Store)  device D001  active');
    expect(list.stdout).not.toContain(token.token);
    const again = runCli('cli/terminal.ts', ['add', '--store-id', 'S001', '--store-name', 'x', '--device-id', 'D001']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('CONFLICT: store S001 already has an active terminal for device D001');
    const revoke = runCli('cli/terminal.ts', ['revoke', '--id', out.terminal.id, '--json']);
    expect(JSON.parse(revoke.stdout)).toMatchObject({ revoked: [{ id: out.terminal.id }] });
    const revokedCode = runCli('cli/terminal.ts', ['pair-code', '--id', out.terminal.id]);
    expect(revokedCode.code).toBe(1);
    expect(revokedCode.stderr).toContain(`NOT_FOUND: no active terminal ${out.terminal.id}`);
    const bad = runCli('cli/terminal.ts', ['add', '--store-id', 'S001']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('add: missing --store-name, --device-id');
    expect(runCli('cli/terminal.ts', ['add', '--store-id', 'S1', '--store-name', 'x', '--device-id', 'D9', '--token-file', '/tmp/x']).stderr).toContain(
      '--token-file goes with "token" or "add --token"',
    );
  });
});

describe('npm run serve', () => {
  it('refuses a bad environment with one line per problem', SLOW, () => {
    const r = runCli('main.ts', [], { WXPAY_APPID: '', WXPAY_MCH_ID: '1900000001', WXPAY_API_KEY: 'tooshort', PORT: 'x' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('PORT: must be an integer');
    expect(r.stderr).toContain('WXPAY_APPID: required');
    expect(r.stderr).toContain('WXPAY_API_KEY: must be 32 printable ASCII characters, got 8 characters');
    expect(r.stderr).not.toContain('tooshort');
  });

  it('serves, then shuts down cleanly on SIGTERM', SLOW, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(SRC, 'main.ts')], {
      env: { ...process.env, DATABASE_URL, PORT: '0', WXPAY_APPID: 'wx0000000000000001', WXPAY_MCH_ID: '1900000001', WXPAY_API_KEY: TEST_API_KEY, WXPAY_AUTHINFO_URL: backend.url, WEB_DIST: 'none' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 20_000);
      child.stdout.on('data', () => {
        const m = /posface server ready on (http:\/\/[^"\s]+)/.exec(out);
        if (m?.[1]) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
    });
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' });
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(out).toContain('SIGTERM: finishing requests and closing');
    expect(out).not.toContain(TEST_API_KEY);
  });
});
