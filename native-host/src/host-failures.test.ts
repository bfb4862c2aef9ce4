import { requireTool } from '@posface/testing';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SIM_ROOT } from '@posface/wxpay-sim';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from './exit.js';
import { ensureHostBuilt, HostPool, requireSimLibrary, removeTempDirs, tempDir, userInfoParams, type HostUnderTest } from './testing/harness.js';

// The SDK misbehaving or missing: the host reports it, answers everything, and never writes junk.
const pool = new HostPool();
beforeAll(() => {
  ensureHostBuilt();
  requireSimLibrary();
});
afterEach(() => pool.cleanup());
afterAll(() => removeTempDirs());

async function sdkStatus(host: HostUnderTest): Promise<{ loaded: boolean; path: string | null; error: string | null }> {
  const hello = await host.request('hello');
  if (!hello.ok) throw new Error('hello failed');
  return (hello.result as { sdk: { loaded: boolean; path: string | null; error: string | null } }).sdk;
}

async function expectUnavailable(host: HostUnderTest, pattern: RegExp): Promise<void> {
  const sdk = await sdkStatus(host);
  expect(sdk.loaded).toBe(false);
  expect(sdk.error).toMatch(pattern);
  const call = await host.call({ cmd: 'initWxpayface' });
  expect(call).toMatchObject({ ok: false, error: { code: 'SDK_UNAVAILABLE' } });
  expect(call.ok === false && call.error.message).toMatch(pattern);
  // Not a crash: the host keeps answering.
  expect((await host.request('hello')).ok).toBe(true);
}

describe('SDK_UNAVAILABLE, never a crash', () => {
  it('a missing DLL', async () => {
    const host = pool.start({ sdkPath: '/nonexistent/WxpayFaceSDK.dll' });
    await expectUnavailable(host, /does not exist.*POSFACE_SDK_PATH/);
  });

  it('a 32-bit library under a 64-bit Node names both and says which host to install', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'f.c'), 'int wxpayCallFaceService(void) { return 0; }\n');
    execFileSync('cc', ['-m32', '-shared', '-nostdlib', '-fPIC', '-o', join(dir, 'lib32.so'), join(dir, 'f.c')]);
    const host = pool.start({ sdkPath: join(dir, 'lib32.so') });
    await expectUnavailable(host, /32-bit \(ia32\) but this Node is 64-bit \(x64\): install the ia32 host/);
  });

  it.runIf(requireTool('mingw-ia32'))('a Windows DLL on this OS', async () => {
    const host = pool.start({ sdkPath: join(SIM_ROOT, 'sdk', 'build', 'win-ia32', 'WxpayFaceSDK.dll') });
    await expectUnavailable(host, /is a Windows DLL \(ia32\)/);
  });

  it('a file that is not a library', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'WxpayFaceSDK.dll'), 'not a library');
    const host = pool.start({ sdkPath: join(dir, 'WxpayFaceSDK.dll') });
    await expectUnavailable(host, /failed to load/);
  });

  it('a library without the SDK’s exports', async () => {
    const host = pool.start({ sdkPath: '/lib/x86_64-linux-gnu/libm.so.6' });
    await expectUnavailable(host, /does not export wxpayCallFaceService/);
  });

  it('a broken config file, naming the bad setting', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'host.json'), JSON.stringify({ timeouts: { getWxpayfaceUserInfo: 'soon' } }));
    const host = pool.start({ sdkPath: null, env: { POSFACE_HOST_CONFIG: join(dir, 'host.json') } });
    await expectUnavailable(host, /timeouts\.getWxpayfaceUserInfo must be a whole number of milliseconds/);
  });
});

describe('an SDK without stopWxpayface (the vendor documents no such command)', () => {
  it('closing the port during a face step logs the failed stop and still exits 0 after answering', async () => {
    const dir = tempDir();
    // Answers stop with the SDK's "Unknown Cmd", and takes 800 ms over the face step.
    writeFileSync(
      join(dir, 'vendor.c'),
      `#include <stdlib.h>
#include <string.h>
#include <unistd.h>
static int answer(const char *json, char **out, unsigned int *size) {
  size_t n = strlen(json);
  *out = malloc(n);
  memcpy(*out, json, n);
  *size = (unsigned int)n;
  return 0;
}
int wxpayCallFaceService(const char *req, unsigned int len, char **out, unsigned int *size) {
  char buf[4096];
  size_t n = len < sizeof buf - 1 ? len : sizeof buf - 1;
  memcpy(buf, req, n);
  buf[n] = 0;
  if (strstr(buf, "stopWxpayface")) return answer("{\\"return_code\\":\\"PARAM_ERROR\\",\\"return_msg\\":\\"Unknown Cmd\\"}", out, size);
  if (strstr(buf, "getWxpayfaceUserInfo")) {
    usleep(800 * 1000);
    return answer("{\\"return_code\\":\\"SUCCESS\\",\\"return_msg\\":\\"ok\\",\\"openid\\":\\"o1\\"}", out, size);
  }
  return answer("{\\"return_code\\":\\"SUCCESS\\",\\"return_msg\\":\\"ok\\"}", out, size);
}
void wxpayReleaseResponse(char **p) { free(*p); *p = 0; }
`,
    );
    execFileSync('cc', ['-shared', '-fPIC', '-o', join(dir, 'libvendor.so'), join(dir, 'vendor.c')]);
    const host = pool.start({ sdkPath: join(dir, 'libvendor.so') });
    expect((await host.call({ cmd: 'initWxpayface' })).ok).toBe(true);
    host.send({ id: 'face', method: 'call', params: userInfoParams() });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const exit = await host.close();
    expect(exit).toEqual({ code: EXIT.OK, signal: null });
    expect(await host.waitForId('face')).toMatchObject({ ok: true });
    expect(await host.logText()).toMatch(/stopping the face step failed.*Unknown Cmd/);
    expect(await host.logText()).not.toMatch(/unhandled rejection/);
  });
});

describe('SDK crash and hang', () => {
  it('an SDK crash takes the process down (Chrome reports HOST_EXITED) with stdout clean', async () => {
    const host = pool.start({ script: ['crash'] });
    expect((await host.call({ cmd: 'initWxpayface' })).ok).toBe(true);
    host.send({ id: 'face', method: 'call', params: userInfoParams() });
    const exit = await host.exited;
    expect(exit.signal).toBe('SIGABRT');
    expect(host.responses.map((r) => r.id)).toEqual([host.responses[0]?.id]);
  });

  it('a hung face step gets TIMEOUT, queued calls get BUSY, and the host exits', async () => {
    const host = pool.start({ script: ['hang'], env: { POSFACE_TIMEOUT_GET_WXPAYFACE_USER_INFO_MS: '600', POSFACE_TIMEOUT_GET_WXPAYFACE_RAWDATA_MS: '5000' } });
    expect((await host.call({ cmd: 'initWxpayface' })).ok).toBe(true);
    const started = Date.now();
    host.send({ id: 'face', method: 'call', params: userInfoParams() });
    host.send({ id: 'raw', method: 'call', params: { cmd: 'getWxpayfaceRawdata' } });
    const face = await host.waitForId('face', 5000);
    expect(face).toMatchObject({ ok: false, error: { code: 'TIMEOUT', details: { cmd: 'getWxpayfaceUserInfo', timeoutMs: 600, stage: 'running' } } });
    expect(await host.waitForId('raw', 5000)).toMatchObject({ ok: false, error: { code: 'BUSY' } });
    const exit = await host.exited;
    expect(exit).toEqual({ code: EXIT.SDK_STUCK, signal: null });
    // Answer at ~600 ms, exit after the 1 s best-effort stop: well before the default 60 s.
    expect(Date.now() - started).toBeLessThan(4000);
    expect(await host.logText()).toMatch(/sdk stuck/);
  });

  it('getWxpayfaceRawdata runs on the main thread: slow is answered, hung is answered TIMEOUT by the watchdog and the host ends', async () => {
    const budgetMs = 600;
    const slow = pool.start({ env: { WXPAYFACE_SIM_RAWDATA_MS: '300', POSFACE_TIMEOUT_GET_WXPAYFACE_RAWDATA_MS: String(budgetMs) } });
    expect((await slow.call({ cmd: 'initWxpayface' })).ok).toBe(true);
    expect(await slow.call({ cmd: 'getWxpayfaceRawdata' })).toMatchObject({ ok: true });

    const hung = pool.start({ env: { WXPAYFACE_SIM_RAWDATA_MS: '60000', POSFACE_TIMEOUT_GET_WXPAYFACE_RAWDATA_MS: String(budgetMs) } });
    expect((await hung.call({ cmd: 'initWxpayface' })).ok).toBe(true);
    const started = Date.now();
    hung.send({ id: 'raw', method: 'call', params: { cmd: 'getWxpayfaceRawdata' } });
    // Unread while the main thread is inside the SDK: the extension answers it when the host has gone.
    hung.send({ id: 'later', method: 'hello' });
    expect(await hung.waitForId('raw', 5000)).toMatchObject({
      ok: false,
      error: { code: 'TIMEOUT', details: { cmd: 'getWxpayfaceRawdata', timeoutMs: budgetMs, stage: 'running' } },
    });
    // Within the budget plus the watchdog's 250 ms look, far from the SDK's 60 s.
    expect(Date.now() - started).toBeLessThan(budgetMs + 2000);
    expect(await hung.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(hung.responses.map((r) => r.id)).not.toContain('later');
    expect(await hung.logText()).toMatch(/sdk stuck on the main thread.*"cmd":"getWxpayfaceRawdata","id":"raw","answer":"TIMEOUT"/);
  });

  it('a main-thread call that waited for an init longer than its budget still gets a full budget inside the SDK', async () => {
    // The service takes 2 s to come up; rawdata's budget is 1 s, and this call takes 400 ms, more than the watchdog's look.
    const host = pool.start({ env: { WXPAYFACE_SIM_INIT_MS: '2000', WXPAYFACE_SIM_RAWDATA_MS: '400', POSFACE_TIMEOUT_GET_WXPAYFACE_RAWDATA_MS: '1000' } });
    expect((await host.request('hello')).ok).toBe(true);
    host.send({ id: 'init', method: 'call', params: { cmd: 'initWxpayface' } });
    host.send({ id: 'raw', method: 'call', params: { cmd: 'getWxpayfaceRawdata' } });
    expect(await host.waitForId('init', 10_000)).toMatchObject({ ok: true });
    expect(await host.waitForId('raw', 10_000)).toMatchObject({ ok: true });
    expect(host.child.exitCode).toBeNull();
  });

  it('a call that waits past its budget behind a slow face step gets TIMEOUT without the host exiting', async () => {
    const host = pool.start({ script: ['slow 1500'], env: { POSFACE_TIMEOUT_GET_WXPAYFACE_RAWDATA_MS: '300' } });
    expect((await host.call({ cmd: 'initWxpayface' })).ok).toBe(true);
    host.send({ id: 'face', method: 'call', params: userInfoParams() });
    const raw = await host.call({ cmd: 'getWxpayfaceRawdata' });
    expect(raw).toMatchObject({ ok: false, error: { code: 'TIMEOUT', details: { stage: 'queued' } } });
    expect(await host.waitForId('face', 5000)).toMatchObject({ ok: true });
    expect((await host.call({ cmd: 'getWxpayfaceRawdata' })).ok).toBe(true);
    expect(host.child.exitCode).toBeNull();
  });
});
