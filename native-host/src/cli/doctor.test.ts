import { requireTool } from '@posface/testing';
import { spawn } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DEFAULT_FACES_PATH, SIM_LIBRARY_PATH, SIM_ROOT } from '@posface/wxpay-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST_BIN } from '../paths.js';
import type { PipeProbe } from '../service-pipe.js';
import { checkServicePipe, Report } from './doctor.js';
import { ensureHostBuilt, EXTENSION_ID, requireSimLibrary, removeTempDirs, tempDir } from '../testing/harness.js';

// `doctor` against real installations in throwaway profiles: it spawns the host through the launcher.
let clockSkewS = 0;
let server: Server;
let timeUrl = '';
beforeAll(async () => {
  ensureHostBuilt();
  requireSimLibrary();
  server = createServer((_req, res) => {
    res.setHeader('Date', new Date(Date.now() - clockSkewS * 1000).toUTCString());
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  timeUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  removeTempDirs();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function run(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(HOST_BIN, args, { env: { PATH: process.env.PATH ?? '', HOME: tempDir() } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

async function installed(sdkPath: string, env: string[] = []): Promise<string> {
  const profile = tempDir('posface-doctor-');
  const out = await run([
    'install', '--user-data-dir', profile, '--extension-id', EXTENSION_ID,
    '--env', `POSFACE_SDK_PATH=${sdkPath}`, '--env', `POSFACE_LOG_DIR=${join(profile, 'logs')}`, '--env', `WXPAYFACE_SIM_FACES=${DEFAULT_FACES_PATH}`,
    ...env.flatMap((e) => ['--env', e]),
  ]);
  expect(out.status, out.stderr).toBe(0);
  return profile;
}

describe('doctor', () => {
  it('passes a good installation: manifest, launcher, arch, load, init, clock', async () => {
    clockSkewS = 0;
    const profile = await installed(SIM_LIBRARY_PATH);
    const out = await run(['doctor', '--user-data-dir', profile, '--extension-id', EXTENSION_ID, '--time-url', timeUrl]);
    expect(out.status, out.stdout + out.stderr).toBe(0);
    expect(out.stdout).toMatch(/✓ user-data-dir: manifest .* is valid/);
    expect(out.stdout).toMatch(/✓ user-data-dir: launcher .* is executable/);
    expect(out.stdout).toMatch(/✓ the host answers hello in \d+ ms/);
    expect(out.stdout).toMatch(new RegExp(`✓ Node ${process.arch} matches the SDK DLL \\(${process.arch}\\)`));
    expect(out.stdout).toMatch(/✓ the SDK loads from/);
    expect(out.stdout).toMatch(/✓ initWxpayface answers SUCCESS in \d+ ms/);
    expect(out.stdout).toMatch(/- WxpayFaceService not checked \(it runs on Windows only\)/);
    expect(out.stdout).toMatch(/✓ clock offset [+-]?\d+ s against/);
    expect(out.stdout).toMatch(/The POS Face host looks ready/);
  });

  it.runIf(requireTool('mingw-ia32'))('fails on a DLL of the wrong kind, with the reason', async () => {
    const profile = await installed(join(SIM_ROOT, 'sdk', 'build', 'win-ia32', 'WxpayFaceSDK.dll'));
    const out = await run(['doctor', '--user-data-dir', profile, '--no-clock']);
    expect(out.status).toBe(1);
    expect(out.stdout).toMatch(/✗ Node x64 vs SDK DLL ia32: The SDK library is a Windows DLL/);
    expect(out.stdout).toMatch(/✗ the SDK does not load/);
  });

  it('fails on a clock more than 5 minutes off and warns past a minute', async () => {
    const profile = await installed(SIM_LIBRARY_PATH);
    clockSkewS = 600;
    const off = await run(['doctor', '--user-data-dir', profile, '--no-init', '--time-url', timeUrl]);
    expect(off.status).toBe(1);
    expect(off.stdout).toMatch(/✗ clock offset \+(599|600|601) s/);
    expect(off.stdout).toMatch(/w32tm \/resync/);
    clockSkewS = -120;
    const drifting = await run(['doctor', '--user-data-dir', profile, '--no-init', '--time-url', timeUrl]);
    expect(drifting.status).toBe(0);
    expect(drifting.stdout).toMatch(/! clock offset -(119|120|121) s/);
  });

  it('fails on a missing manifest, a foreign extension id and a launcher that cannot run', async () => {
    const empty = tempDir('posface-doctor-');
    const none = await run(['doctor', '--user-data-dir', empty, '--no-clock', '--no-init']);
    expect(none.status).toBe(1);
    expect(none.stdout).toMatch(/✗ no usable host manifest found\n {4}→ run: pos-face-host install/);

    const profile = await installed(SIM_LIBRARY_PATH);
    const other = await run(['doctor', '--user-data-dir', profile, '--extension-id', 'p'.repeat(32), '--no-clock', '--no-init']);
    expect(other.stdout).toMatch(/does not allow chrome-extension:\/\/p{32}\//);

    chmodSync(join(profile, 'NativeMessagingHosts', 'com.posface.wxpayface.sh'), 0o644);
    const noexec = await run(['doctor', '--user-data-dir', profile, '--no-clock', '--no-init']);
    expect(noexec.status).toBe(1);
    expect(noexec.stdout).toMatch(/is not executable[^\n]*\n {4}→ chmod 755/);

    writeFileSync(join(profile, 'NativeMessagingHosts', 'com.posface.wxpayface.json'), '{"name":');
    const broken = await run(['doctor', '--user-data-dir', profile, '--no-clock', '--no-init']);
    expect(broken.stdout).toMatch(/is not valid JSON/);
  });

  it('fails with what to do when the SDK cannot reach WxpayFaceService', async () => {
    const profile = await installed(SIM_LIBRARY_PATH, ['WXPAYFACE_SIM_SERVICE_DOWN=1']);
    const out = await run(['doctor', '--user-data-dir', profile, '--no-clock']);
    expect(out.status).toBe(1);
    expect(out.stdout).toMatch(/✗ initWxpayface answers FACE_SERVICE_DOWN: initWxpayface: WxpayFaceService cannot be reached[^\n]*\n {4}→ start WxpayFaceService on this terminal/);
  });
});

describe('doctor: WxpayFaceService’s pipe on Windows (the probe injected; the real one is WaitNamedPipeW)', () => {
  const check = (state: PipeProbe['state'], platform: NodeJS.Platform = 'win32') => {
    const report = new Report();
    let asked = 0;
    checkServicePipe(platform, () => (asked++, state === 'unknown' ? { state, detail: 'cannot call WaitNamedPipeW: boom' } : { state }), report);
    return { text: report.render(), failed: report.failed, asked };
  };

  it('✗ with what to do when the pipe does not exist', () => {
    const missing = check('missing');
    expect(missing.failed).toBe(true);
    expect(missing.text).toContain('✗ WxpayFaceService is not running: \\\\.\\pipe\\wxpayface does not exist\n    → start WxpayFaceService on this terminal (IT: set it to start with Windows), then retry; then run pos-face-host doctor again');
  });

  it('✓ when the pipe is open or busy, ! when it cannot tell, and no check off Windows', () => {
    expect(check('present')).toMatchObject({ failed: false, text: expect.stringContaining('✓ WxpayFaceService is running (\\\\.\\pipe\\wxpayface is open)') });
    expect(check('busy')).toMatchObject({ failed: false, text: expect.stringContaining('all its instances are busy') });
    expect(check('unknown')).toMatchObject({ failed: false, text: expect.stringContaining('! WxpayFaceService not checked: cannot call WaitNamedPipeW: boom') });
    expect(check('missing', 'linux')).toMatchObject({ failed: false, asked: 0 });
  });
});
