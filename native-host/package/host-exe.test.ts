import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOST_NAME, type HostResponse } from '@posface/protocol';
import { parseRawdata, SIM_DEFAULT_SERIAL } from '@posface/wxpay-sim';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { EXTENSION_ID, HostPool, ORIGIN, removeTempDirs, tempDir, userInfoParams, type Exit, type HostUnderTest } from '../src/testing/harness.js';
import { exportRegistry, regString } from '../src/testing/wine-registry.js';
import { simDll, startWineHost, type WineHostOptions } from '../src/testing/windows.js';
import { ARCHES, type Arch } from './runtime.js';
import { driveCPath, openWine, runWine, windowsPath } from './wine.js';

// The packaged pos-face-host.exe under wine, started as Chrome starts a host on Windows, with the
// simulator built as a DLL of the same bitness.
const env = inject('windows');
const pool = new HostPool();
afterEach(() => pool.cleanup());
afterAll(() => removeTempDirs());

const FACES = ['oSIM_W1\t王芳\tuSIM_W1', 'oSIM_W2\t李雷 🍵 emoji\tuSIM_W2'].join('\n');
const OTHER: Record<Arch, Arch> = { ia32: 'x64', x64: 'ia32' };
const HELLO_MS = 30_000;

function facesFile(): string {
  const file = join(tempDir('posface-win-faces-'), 'faces.tsv');
  writeFileSync(file, FACES);
  return file;
}

/** The frames in everything the host wrote to stdout, as raw header and body bytes. */
function rawFrames(chunks: readonly Buffer[]): Array<{ header: Buffer; body: Buffer }> {
  const all = Buffer.concat(chunks);
  const frames: Array<{ header: Buffer; body: Buffer }> = [];
  for (let at = 0; at < all.length; ) {
    const length = all.readUInt32LE(at);
    frames.push({ header: all.subarray(at, at + 4), body: all.subarray(at + 4, at + 4 + length) });
    at += 4 + length;
  }
  return frames;
}

/** A hello request of exactly `bytes` bytes, padded with CRLF (and a space) as JSON whitespace. */
function paddedHello(id: string, bytes: number): Buffer {
  const head = `{"id":${JSON.stringify(id)},`;
  const tail = '"method":"hello"}';
  const fill = bytes - head.length - tail.length;
  const body = Buffer.from(`${head}${'\r\n'.repeat(Math.floor(fill / 2))}${fill % 2 ? ' ' : ''}${tail}`, 'utf8');
  const header = Buffer.alloc(4);
  header.writeUInt32LE(body.length);
  expect(body.length).toBe(bytes);
  return Buffer.concat([header, body]);
}

/** The host's exit, or a failure after `ms` (a host that should have died must not hang the run). */
function exitWithin(host: HostUnderTest, ms: number): Promise<Exit> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`host still running after ${ms} ms; stderr: ${host.stderr}`)), ms);
  });
  return Promise.race([host.exited, late]).finally(() => clearTimeout(timer));
}

function start(arch: Arch, options: WineHostOptions = {}) {
  if (env === null) throw new Error('no windows test environment');
  return pool.track(startWineHost(env, arch, options));
}

describe.runIf(env !== null).each(ARCHES)('the packaged host (%s) under wine', (arch) => {
  it('answers hello, init, rawdata and a face step with a genuine authinfo, started through cmd.exe as Chrome does', async () => {
    const host = start(arch, { viaCmd: true, facesPath: facesFile() });
    expect(await host.request('hello', undefined, HELLO_MS)).toMatchObject({
      ok: true,
      result: { host: { version: env?.version }, sdk: { loaded: true, arch, path: windowsPath(simDll(arch)), error: null } },
    });
    expect(await host.call({ cmd: 'initWxpayface' })).toMatchObject({ ok: true, result: { return_code: 'SUCCESS' } });
    const raw = await host.call({ cmd: 'getWxpayfaceRawdata' });
    expect(raw.ok && parseRawdata((raw.result as { rawdata: string }).rawdata)).toMatchObject({ serial: SIM_DEFAULT_SERIAL });
    host.setScript(['face 2', 'cancel']);
    expect(await host.call(userInfoParams())).toMatchObject({ ok: true, result: { return_code: 'SUCCESS', openid: 'oSIM_W2', nickname: '李雷 🍵 emoji' } });
    expect(await host.call(userInfoParams())).toMatchObject({ ok: false, error: { code: 'USER_CANCEL' } });
    expect(await host.close()).toEqual({ code: 0, signal: null });
    // Chrome's --parent-window= argument reached the host (and was accepted).
    expect(await host.logText()).toContain('"parentWindow":"0"');
  });

  it('reports FACE_SERVICE_DOWN with the advice when WxpayFaceService is not running', async () => {
    const host = start(arch, { env: { WXPAYFACE_SIM_SERVICE_DOWN: '1' } });
    expect(await host.request('hello', undefined, HELLO_MS)).toMatchObject({ ok: true, result: { sdk: { loaded: true } } });
    const init = await host.call({ cmd: 'initWxpayface' });
    expect(init).toMatchObject({ ok: false, error: { code: 'FACE_SERVICE_DOWN', returnMsg: '刷脸服务未初始化' } });
    expect(init.ok ? '' : init.error.message).toMatch(/WxpayFaceService/);
    expect(await host.close()).toEqual({ code: 0, signal: null });
  });

  it('calls init again while the SDK answers "initialising", then serves the face step', async () => {
    const host = start(arch, { facesPath: facesFile(), env: { WXPAYFACE_SIM_INIT_MS: '1200' } });
    expect(await host.request('hello', undefined, HELLO_MS)).toMatchObject({ ok: true });
    expect(await host.call({ cmd: 'initWxpayface' }, 20_000)).toMatchObject({ ok: true, result: { return_code: 'SUCCESS' } });
    host.setScript(['face 1']);
    expect(await host.call(userInfoParams())).toMatchObject({ ok: true, result: { openid: 'oSIM_W1', nickname: '王芳' } });
    expect(await host.close()).toEqual({ code: 0, signal: null });
    expect(await host.logText()).toContain('sdk initialised after waiting');
  });

  it('keeps frames byte-exact: CR, LF and Ctrl-Z in length headers, CRLF inside the JSON', async () => {
    const host = start(arch);
    // Inbound: requests whose length headers hold 0x0A, 0x0D and 0x1A, with CRLF as JSON whitespace.
    const inbound = [0x0d0a, 0x1a0d, 0x0a1a];
    for (const [i, bytes] of inbound.entries()) host.write(paddedHello(`in-${i}`, bytes));
    for (const i of inbound.keys()) expect(await host.waitForId(`in-${i}`, HELLO_MS)).toMatchObject({ ok: true });
    // Outbound: an unknown method is echoed in the error, so its length sets the answer's length (the
    // id appears twice: the answer's and the error's details).
    const probe = await host.request('x');
    const base = Buffer.byteLength(JSON.stringify(probe)) - 2 * String(probe.id).length - 'x'.length;
    const outbound = [0x0a0d, 0x0d1a, 0x1a0a];
    const ids = outbound.map((bytes, i) => {
      const id = `o${i}`;
      host.send({ id, method: 'm'.repeat(bytes - base - 2 * id.length) });
      return id;
    });
    const answers: HostResponse[] = [];
    for (const id of ids) answers.push(await host.waitForId(id));
    expect(answers.every((a) => !a.ok && a.error.code === 'INVALID_REQUEST')).toBe(true);
    const frames = rawFrames(host.stdoutChunks);
    for (const bytes of outbound) {
      const frame = frames.find((f) => f.body.length === bytes);
      expect(frame, `an answer of ${bytes} bytes`).toBeDefined();
      expect([...(frame as { header: Buffer }).header]).toEqual([bytes & 0xff, bytes >> 8, 0, 0]);
    }
    // Nothing added or changed: every body is exactly the JSON the host serialised.
    for (const { body } of frames) expect(Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8'))))).toEqual(body);
    expect(host.assertStdoutIsFramesOnly()).toBe(inbound.length + 1 + outbound.length);
  });

  it('answers TIMEOUT for a hung face step, then exits with code 3', async () => {
    const host = start(arch, { script: ['hang'], env: { POSFACE_TIMEOUT_GET_WXPAYFACE_USER_INFO_MS: '1000' } });
    expect(await host.request('hello', undefined, HELLO_MS)).toMatchObject({ ok: true });
    expect(await host.call({ cmd: 'initWxpayface' })).toMatchObject({ ok: true });
    expect(await host.call(userInfoParams(), 15_000)).toMatchObject({ ok: false, error: { code: 'TIMEOUT' } });
    expect(await exitWithin(host, 20_000)).toEqual({ code: 3, signal: null });
    expect(await host.logText()).toContain('sdk stuck');
  });

  it('answers TIMEOUT from the watchdog thread for a hung getWxpayfaceRawdata (a main-thread call), then ends', async () => {
    const host = start(arch, { env: { WXPAYFACE_SIM_RAWDATA_MS: '60000', POSFACE_TIMEOUT_GET_WXPAYFACE_RAWDATA_MS: '1000' } });
    expect(await host.request('hello', undefined, HELLO_MS)).toMatchObject({ ok: true });
    expect(await host.call({ cmd: 'initWxpayface' })).toMatchObject({ ok: true });
    expect(await host.call({ cmd: 'getWxpayfaceRawdata' }, 15_000)).toMatchObject({ ok: false, error: { code: 'TIMEOUT', details: { stage: 'running' } } });
    // TerminateProcess, as libuv ends a process on SIGKILL: exit code 1.
    expect(await exitWithin(host, 20_000)).toEqual({ code: 1, signal: null });
    expect(await host.logText()).toMatch(/sdk stuck on the main thread.*"answer":"TIMEOUT"/);
  });

  it('dies with the SDK when it crashes, answering nothing more', async () => {
    const host = start(arch, { script: ['crash'] });
    expect(await host.request('hello', undefined, HELLO_MS)).toMatchObject({ ok: true });
    expect(await host.call({ cmd: 'initWxpayface' })).toMatchObject({ ok: true });
    const id = host.newId();
    host.send({ id, method: 'call', params: userInfoParams() });
    // abort() in the DLL ends the process with code 3.
    expect(await exitWithin(host, 20_000)).toEqual({ code: 3, signal: null });
    expect(host.responses.some((r) => r.id === id)).toBe(false);
  });

  it(`refuses a ${OTHER[arch]} DLL with a clear SDK_UNAVAILABLE`, async () => {
    const host = start(arch, { sdkPath: simDll(OTHER[arch]) });
    const hello = await host.request('hello', undefined, HELLO_MS);
    expect(hello).toMatchObject({ ok: true, result: { sdk: { loaded: false, arch } } });
    const reason = hello.ok ? (hello.result as { sdk: { error: string } }).sdk.error : '';
    expect(reason).toMatch(arch === 'ia32' ? /is 64-bit \(x64\) but this Node is 32-bit \(ia32\)/ : /is 32-bit \(ia32\) but this Node is 64-bit \(x64\)/);
    expect(await host.call({ cmd: 'initWxpayface' })).toMatchObject({ ok: false, error: { code: 'SDK_UNAVAILABLE', message: reason } });
    expect(await host.close()).toEqual({ code: 0, signal: null });
  });

  it('keeps frames intact when the DLL prints to stdout on load and on every call', async () => {
    const host = start(arch, { sdkPath: env?.noisySdk[arch] as string });
    expect(await host.request('hello', undefined, HELLO_MS)).toMatchObject({ ok: true, result: { sdk: { loaded: true } } });
    for (let i = 0; i < 3; i += 1) {
      expect(await host.call({ cmd: 'getWxpayfaceRawdata' })).toMatchObject({ ok: true, result: { rawdata: 'bm9pc3k=' } });
    }
    expect(await host.close()).toEqual({ code: 0, signal: null });
    expect(host.assertStdoutIsFramesOnly()).toBe(4);
    for (const way of ['printf', 'fd 1', 'WriteFile']) {
      expect(host.stderr).toContain(`noisy SDK ${way}: loaded`);
      expect(host.stderr).toMatch(new RegExp(`noisy SDK ${way}: call of \\d+ bytes`));
    }
  });
});

describe.runIf(env !== null)('pos-face-host.exe install, per user without the MSI', () => {
  it('registers itself for Chrome under HKCU, is launched from there, and unregisters', async () => {
    if (env === null) return;
    const wine = await openWine(env.prefix);
    const exe = windowsPath(env.builds.x64.exe);
    const key = `HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\${HOST_NAME}`;
    const install = await runWine(wine, [exe, 'install', '--browser', 'chrome', '--extension-id', EXTENSION_ID]);
    expect(install.status, install.stdout + install.stderr).toBe(0);
    const manifestPath = regString(await exportRegistry(wine, [key]), key.replace(/^HKCU/, 'HKEY_CURRENT_USER'));
    expect(manifestPath).toMatch(/^C:\\users\\[^\\]+\\AppData\\Local\\PosFace\\NativeMessagingHosts\\com\.posface\.wxpayface\.json$/i);
    const manifest = JSON.parse(readFileSync(driveCPath(wine, manifestPath as string), 'utf8')) as { path: string; allowed_origins: string[] };
    // No launcher in between: Chrome starts the exe itself.
    expect(manifest).toMatchObject({ path: exe, allowed_origins: [ORIGIN] });
    const host = start('x64', { viaCmd: true, hostPath: manifest.path });
    expect(await host.request('hello', undefined, HELLO_MS)).toMatchObject({ ok: true, result: { sdk: { loaded: true } } });
    expect(await host.close()).toEqual({ code: 0, signal: null });

    const uninstall = await runWine(wine, [exe, 'uninstall', '--browser', 'chrome']);
    expect(uninstall.status, uninstall.stdout + uninstall.stderr).toBe(0);
    expect(existsSync(driveCPath(wine, manifestPath as string))).toBe(false);
    expect((await exportRegistry(wine, [key])).size).toBe(0);
  });
});
