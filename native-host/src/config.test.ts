import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SDK_TIMEOUT_MS } from '@posface/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from './testing/harness.js';
import { defaultLogDir, loadConfig, loadConfigOrDefaults, timeoutEnvName, WINDOWS_DEFAULT_SDK_PATH } from './config.js';

afterAll(() => removeTempDirs());

const dir = tempDir('posface-config-');
const none = join(dir, 'absent.json');
function file(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}

describe('loadConfig', () => {
  it('uses the defaults: no SDK path off Windows, the documented default on Windows', () => {
    const linux = loadConfig({ env: {}, platform: 'linux', defaultConfigPath: none });
    expect(linux).toMatchObject({ sdkPath: null, sdkPathSource: 'none', timeouts: SDK_TIMEOUT_MS, configFile: null });
    expect(loadConfig({ env: {}, platform: 'win32', defaultConfigPath: none })).toMatchObject({ sdkPath: WINDOWS_DEFAULT_SDK_PATH, sdkPathSource: 'default' });
  });

  it('takes POSFACE_SDK_PATH over the config file, and the file over the default', () => {
    const cfg = file('a.json', { sdkPath: 'sdk/WxpayFaceSDK.dll', timeouts: { getWxpayfaceUserInfo: 90_000 } });
    const fromFile = loadConfig({ env: { POSFACE_HOST_CONFIG: cfg }, platform: 'win32' });
    // Relative paths are relative to the config file.
    expect(fromFile).toMatchObject({ sdkPath: join(dir, 'sdk/WxpayFaceSDK.dll'), sdkPathSource: 'config', configFile: cfg });
    expect(fromFile.timeouts.getWxpayfaceUserInfo).toBe(90_000);
    expect(loadConfig({ env: { POSFACE_HOST_CONFIG: cfg, POSFACE_SDK_PATH: '/x.so' } })).toMatchObject({ sdkPath: '/x.so', sdkPathSource: 'env' });
  });

  it('reads per-command timeouts from the environment, over the file', () => {
    expect(timeoutEnvName('getWxpayfaceUserInfo')).toBe('POSFACE_TIMEOUT_GET_WXPAYFACE_USER_INFO_MS');
    const cfg = file('b.json', { timeouts: { getWxpayfaceUserInfo: 90_000 } });
    const config = loadConfig({ env: { POSFACE_HOST_CONFIG: cfg, POSFACE_TIMEOUT_GET_WXPAYFACE_USER_INFO_MS: '500', POSFACE_TIMEOUT_STOP_WXPAYFACE_MS: '1000' } });
    expect(config.timeouts).toEqual({ ...SDK_TIMEOUT_MS, getWxpayfaceUserInfo: 500, stopWxpayface: 1000 });
  });

  it.each([
    ['not JSON', '{', /is not valid JSON/],
    ['an unknown key', { sdkpath: 'x' }, /sdkpath is not a known setting/],
    ['an unknown command', { timeouts: { payWxpayface: 1000 } }, /timeouts\.payWxpayface is not a known setting/],
    ['a timeout too small', { timeouts: { initWxpayface: 5 } }, /timeouts\.initWxpayface must be a whole number of milliseconds from 50/],
    ['a bad log setting', { log: { files: 0 } }, /log\.files must be a whole number from 1 to 20/],
    ['an array', [], /must hold a JSON object/],
  ])('refuses a config file with %s, naming it', (_what, content, pattern) => {
    expect(() => loadConfig({ env: { POSFACE_HOST_CONFIG: file('bad.json', content) } })).toThrow(pattern);
  });

  it('reads how long to wait for an SDK that is still initialising: environment over file over 20 s; 0 turns it off', () => {
    expect(loadConfig({ env: {}, defaultConfigPath: none }).initWaitMs).toBe(20_000);
    const cfg = file('w.json', { initWaitMs: 5000 });
    expect(loadConfig({ env: { POSFACE_HOST_CONFIG: cfg } }).initWaitMs).toBe(5000);
    expect(loadConfig({ env: { POSFACE_HOST_CONFIG: cfg, POSFACE_INIT_WAIT_MS: '0' } }).initWaitMs).toBe(0);
    expect(() => loadConfig({ env: { POSFACE_INIT_WAIT_MS: '-1' }, defaultConfigPath: none })).toThrow(/POSFACE_INIT_WAIT_MS must be a whole number of milliseconds/);
    expect(() => loadConfig({ env: { POSFACE_HOST_CONFIG: file('w2.json', { initWaitMs: 'soon' }) } })).toThrow(/initWaitMs must be a whole number of milliseconds from 0/);
  });

  it('refuses a bad timeout in the environment and a POSFACE_HOST_CONFIG that does not exist', () => {
    expect(() => loadConfig({ env: { POSFACE_TIMEOUT_INIT_WXPAYFACE_MS: '10s' }, defaultConfigPath: none })).toThrow(/POSFACE_TIMEOUT_INIT_WXPAYFACE_MS must be a whole number/);
    expect(() => loadConfig({ env: { POSFACE_HOST_CONFIG: none } })).toThrow(/does not exist/);
  });

  it('falls back to the defaults plus the problem, keeping the log settings from the environment', () => {
    const { config, problem } = loadConfigOrDefaults({ env: { POSFACE_HOST_CONFIG: file('c.json', '{'), POSFACE_LOG_DIR: '/logs', POSFACE_LOG_STDERR: '1' } });
    expect(problem?.code).toBe('SDK_UNAVAILABLE');
    expect(config).toMatchObject({ sdkPath: null, log: { dir: '/logs', stderr: true } });
  });

  it('ranks what the MSI recorded below the environment and the config file, above the defaults', () => {
    const machine = { sdkPath: 'C:\\PosFace\\sdk\\WxpayFaceSDK.dll', logDir: 'C:\\ProgramData\\PosFace\\logs' };
    expect(loadConfig({ env: {}, platform: 'win32', defaultConfigPath: none, machine })).toMatchObject({ sdkPath: machine.sdkPath, sdkPathSource: 'machine', log: { dir: machine.logDir } });
    const cfg = file('m.json', { sdkPath: '/opt/sdk.dll', log: { dir: '/var/log/posface' } });
    expect(loadConfig({ env: { POSFACE_HOST_CONFIG: cfg }, platform: 'win32', machine })).toMatchObject({ sdkPath: '/opt/sdk.dll', sdkPathSource: 'config', log: { dir: '/var/log/posface' } });
    expect(loadConfig({ env: { POSFACE_SDK_PATH: '/x.dll', POSFACE_LOG_DIR: '/l' }, defaultConfigPath: none, machine })).toMatchObject({ sdkPathSource: 'env', log: { dir: '/l' } });
    // A broken config file still logs where the MSI said.
    expect(loadConfigOrDefaults({ env: { POSFACE_HOST_CONFIG: file('d.json', '{') }, machine }).config.log.dir).toBe(machine.logDir);
  });

  it('turns logging to stderr on by flag, env or file', () => {
    expect(loadConfig({ env: {}, argv: ['--log-stderr'], defaultConfigPath: none }).log.stderr).toBe(true);
    expect(loadConfig({ env: { POSFACE_LOG_STDERR: 'true' }, defaultConfigPath: none }).log.stderr).toBe(true);
    expect(loadConfig({ env: {}, defaultConfigPath: none }).log.stderr).toBe(false);
  });
});

describe('defaultLogDir', () => {
  it('is the local app-data folder of each OS', () => {
    expect(defaultLogDir({ LOCALAPPDATA: 'C:\\Users\\c\\AppData\\Local' }, 'win32', 'C:\\Users\\c')).toBe(join('C:\\Users\\c\\AppData\\Local', 'PosFace', 'logs'));
    expect(defaultLogDir({}, 'darwin', '/Users/c')).toBe('/Users/c/Library/Logs/PosFace');
    expect(defaultLogDir({}, 'linux', '/home/c')).toBe('/home/c/.local/state/posface/logs');
    expect(defaultLogDir({ XDG_STATE_HOME: '/state' }, 'linux', '/home/c')).toBe('/state/posface/logs');
  });
});
