import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SIM_LIBRARY_PATH } from '@posface/wxpay-sim';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HOST_BIN } from '../paths.js';
import { ensureHostBuilt, EXTENSION_ID, HostPool, removeTempDirs, tempDir } from '../testing/harness.js';
import type { CliContext } from './context.js';
import { runInstall, runUninstall } from './install.js';
import type { Command } from './registry.js';

// The real CLI writing into a throwaway profile, exactly as the e2e tests and the demo use it.
const pool = new HostPool();
beforeAll(() => ensureHostBuilt());
afterEach(() => pool.cleanup());
afterAll(() => removeTempDirs());

function cli(args: string[], env: Record<string, string> = {}) {
  return spawnSync(HOST_BIN, args, { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: tempDir(), ...env } });
}

describe('install / uninstall --user-data-dir', () => {
  it('writes the manifest and an executable launcher that starts the host with the baked environment', async () => {
    const profile = tempDir('posface-profile-');
    const logs = join(profile, 'logs');
    const out = cli(['install', '--browser', 'chromium', '--user-data-dir', profile, '--extension-id', EXTENSION_ID, '--env', `POSFACE_SDK_PATH=${SIM_LIBRARY_PATH}`, '--env', `POSFACE_LOG_DIR=${logs}`]);
    expect(out.status, out.stderr).toBe(0);
    const dir = join(profile, 'NativeMessagingHosts');
    const manifest = JSON.parse(readFileSync(join(dir, 'com.posface.wxpayface.json'), 'utf8'));
    expect(manifest).toEqual({
      name: 'com.posface.wxpayface',
      description: expect.any(String),
      path: join(dir, 'com.posface.wxpayface.sh'),
      type: 'stdio',
      allowed_origins: [`chrome-extension://${EXTENSION_ID}/`],
    });
    expect(statSync(manifest.path).mode & 0o111).toBe(0o111);
    expect(out.stdout).toMatch(/✓ com\.posface\.wxpayface registered/);

    // Start it as Chrome would: the manifest's path, the origin as argument, an environment without our variables.
    const host = pool.start({ command: manifest.path, sdkPath: null, env: { POSFACE_LOG_DIR: '' } });
    const hello = await host.request('hello');
    expect(hello).toMatchObject({ ok: true, result: { sdk: { loaded: true, path: SIM_LIBRARY_PATH } } });
    expect(existsSync(join(logs, 'pos-face-host.log'))).toBe(true);
    await host.close();

    const removed = cli(['uninstall', '--user-data-dir', profile]);
    expect(removed.status, removed.stderr).toBe(0);
    expect(existsSync(join(dir, 'com.posface.wxpayface.json'))).toBe(false);
    expect(existsSync(join(dir, 'com.posface.wxpayface.sh'))).toBe(false);
    // Uninstalling again is not an error: there is nothing left to do.
    expect(cli(['uninstall', '--user-data-dir', profile]).status).toBe(0);
  });

  it('--dry-run prints the plan and writes nothing', () => {
    const profile = tempDir('posface-profile-');
    const out = cli(['install', '--user-data-dir', profile, '--extension-id', EXTENSION_ID, '--dry-run']);
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/\[dry run\] write .*com\.posface\.wxpayface\.json/);
    expect(existsSync(join(profile, 'NativeMessagingHosts'))).toBe(false);
  });

  it('installs for every browser in the user’s own folders by default', () => {
    const home = tempDir('posface-home-');
    const out = cli(['install', '--extension-id', EXTENSION_ID], { HOME: home });
    expect(out.status, out.stderr).toBe(0);
    for (const dir of ['google-chrome', 'chromium', 'microsoft-edge']) {
      expect(existsSync(join(home, '.config', dir, 'NativeMessagingHosts', 'com.posface.wxpayface.json'))).toBe(true);
    }
    expect(cli(['uninstall', '--browser', 'edge'], { HOME: home }).status).toBe(0);
    expect(existsSync(join(home, '.config', 'microsoft-edge', 'NativeMessagingHosts', 'com.posface.wxpayface.json'))).toBe(false);
    expect(existsSync(join(home, '.config', 'chromium', 'NativeMessagingHosts', 'com.posface.wxpayface.json'))).toBe(true);
  });

  it.each([
    [['install'], /--extension-id is required/],
    [['install', '--extension-id', 'ABC'], /32 letters from a to p/],
    [['install', '--extension-id', EXTENSION_ID, '--browser', 'firefox'], /--browser "firefox"/],
    [['install', '--extension-id', EXTENSION_ID, '--level', 'machine'], /--level "machine"/],
    [['install', '--extension-id', EXTENSION_ID, '--user-data-dir', 'relative'], /absolute path/],
    [['install', '--extension-id', EXTENSION_ID, '--env', 'NOPE'], /KEY=VALUE/],
    [['install', '--extension-id', EXTENSION_ID, '--colour'], /unknown option --colour/],
  ])('refuses %j with a usage error', (args, pattern) => {
    const out = cli(args);
    expect(out.status).toBe(64);
    expect(out.stderr).toMatch(pattern);
    expect(out.stdout).toBe('');
  });

  it('leaves a manifest that is not ours alone', () => {
    const profile = tempDir('posface-profile-');
    execFileSync('mkdir', ['-p', join(profile, 'NativeMessagingHosts')]);
    writeFileSync(join(profile, 'NativeMessagingHosts', 'com.posface.wxpayface.json'), '{"name":"someone.else"}');
    const out = cli(['uninstall', '--user-data-dir', profile]);
    expect(out.stdout).toMatch(/not a com\.posface\.wxpayface manifest: left alone/);
    expect(existsSync(join(profile, 'NativeMessagingHosts', 'com.posface.wxpayface.json'))).toBe(true);
  });
});

describe('Windows installer (command lines only: reg.exe does not exist here)', () => {
  function windows(home: string) {
    const commands: Command[] = [];
    const printed: string[] = [];
    const ctx: CliContext = {
      platform: 'win32',
      home,
      env: { LOCALAPPDATA: `${home}\\Local`, ProgramData: `${home}\\ProgramData` },
      nodePath: 'C:\\Program Files\\nodejs\\node.exe',
      entry: 'C:\\PosFace\\host\\dist\\main.js',
      print: (text) => printed.push(text),
      run: (command) => {
        commands.push(command);
        return { status: 0, stdout: '', stderr: '' };
      },
    };
    return { ctx, commands, printed };
  }

  it('--dry-run lists the reg add lines for each browser and runs nothing', () => {
    const { ctx, commands, printed } = windows('C:\\Users\\c');
    expect(runInstall(['--extension-id', EXTENSION_ID, '--level', 'system', '--dry-run'], ctx)).toBe(0);
    expect(commands).toEqual([]);
    const regLines = printed.filter((line) => line.includes('reg add'));
    expect(regLines).toHaveLength(3);
    expect(regLines[0]).toBe(
      '[dry run] reg add HKLM\\Software\\Google\\Chrome\\NativeMessagingHosts\\com.posface.wxpayface /ve /t REG_SZ /d C:\\Users\\c\\ProgramData\\PosFace\\NativeMessagingHosts\\com.posface.wxpayface.json /f',
    );
    expect(printed.join('\n')).toMatch(/@echo off/);
  });

  it('registers the release exe itself, and runs it from a .bat only when --env needs one', () => {
    const { ctx, printed } = windows('C:\\Users\\c');
    const release: CliContext = { ...ctx, nodePath: 'C:\\Program Files\\PosFace\\pos-face-host.exe', entry: null };
    expect(runInstall(['--extension-id', EXTENSION_ID, '--browser', 'chrome', '--dry-run'], release)).toBe(0);
    expect(printed.join('\n')).toContain('"path": "C:\\\\Program Files\\\\PosFace\\\\pos-face-host.exe"');
    expect(printed.join('\n')).not.toMatch(/\.bat|@echo off/);
    printed.length = 0;
    expect(runInstall(['--extension-id', EXTENSION_ID, '--browser', 'chrome', '--env', 'POSFACE_LOG_STDERR=1', '--dry-run'], release)).toBe(0);
    expect(printed.join('\n')).toContain('"path": "C:\\\\Users\\\\c\\\\Local\\\\PosFace\\\\NativeMessagingHosts\\\\com.posface.wxpayface.bat"');
    expect(printed.join('\n')).toMatch(/^ {4}"C:\\Program Files\\PosFace\\pos-face-host\.exe" %\*\r?$/m);
  });

  it('runs reg delete for each browser on uninstall and tolerates a missing key', () => {
    const { ctx, commands } = windows('C:\\Users\\c');
    ctx.run = (command) => {
      commands.push(command);
      return { status: 1, stdout: '', stderr: 'ERROR: The system was unable to find the specified registry key or value.' };
    };
    expect(runUninstall(['--browser', 'chrome,edge'], ctx)).toBe(0);
    expect(commands.map((c) => c.args.slice(0, 2))).toEqual([
      ['delete', 'HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\com.posface.wxpayface'],
      ['delete', 'HKCU\\Software\\Microsoft\\Edge\\NativeMessagingHosts\\com.posface.wxpayface'],
    ]);
  });
});
