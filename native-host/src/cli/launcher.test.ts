import { execFileSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from '../testing/harness.js';
import { batLauncher, parseEnvPairs, posixLauncher } from './launcher.js';
import { parseRegQueryDefault, regAdd, regDelete, regQuery, showCommand } from './registry.js';

afterAll(() => removeTempDirs());

describe('parseEnvPairs', () => {
  it('splits at the first = and refuses bad names', () => {
    expect(parseEnvPairs(['A=1', 'B_2=x=y', 'C='])).toEqual([['A', '1'], ['B_2', 'x=y'], ['C', '']]);
    expect(() => parseEnvPairs(['NOVALUE'])).toThrow(/expected KEY=VALUE/);
    expect(() => parseEnvPairs(['1A=x'])).toThrow(/expected KEY=VALUE/);
    expect(() => parseEnvPairs(['A=two\nlines'])).toThrow(/single line/);
  });
});

describe('posixLauncher', () => {
  it('runs node on the entry with the baked environment and Chrome’s arguments, quoting everything', () => {
    const dir = tempDir('posface-launcher-');
    const entry = join(dir, "main's.mjs");
    writeFileSync(entry, 'process.stdout.write(JSON.stringify({ argv: process.argv.slice(2), a: process.env.A, b: process.env.B }))');
    const script = join(dir, 'launch.sh');
    writeFileSync(script, posixLauncher({ node: process.execPath, entry, env: [['A', "it's $HOME `x`"], ['B', 'plain']] }));
    chmodSync(script, 0o755);
    const out = JSON.parse(execFileSync(script, ['chrome-extension://x/', '--parent-window=0'], { encoding: 'utf8' }));
    expect(out).toEqual({ argv: ['chrome-extension://x/', '--parent-window=0'], a: "it's $HOME `x`", b: 'plain' });
  });
});

describe('batLauncher', () => {
  it('turns echo off first, sets the environment and passes the arguments on', () => {
    const bat = batLauncher({ node: 'C:\\Program Files\\nodejs\\node.exe', entry: 'C:\\PosFace\\host\\dist\\main.js', env: [['POSFACE_SDK_PATH', 'C:\\sdk\\100%\\WxpayFaceSDK.dll']] });
    expect(bat.split('\r\n')).toEqual([
      '@echo off',
      'rem Written by `pos-face-host install`: starts the POS Face native messaging host.',
      'setlocal',
      'set "POSFACE_SDK_PATH=C:\\sdk\\100%%\\WxpayFaceSDK.dll"',
      '"C:\\Program Files\\nodejs\\node.exe" "C:\\PosFace\\host\\dist\\main.js" %*',
      '',
    ]);
    expect(() => batLauncher({ node: 'node', entry: 'x', env: [['A', 'say "hi"']] })).toThrow(/double quote/);
  });
});

describe('reg.exe command lines', () => {
  const key = 'HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\com.posface.wxpayface';
  it('adds, deletes and queries the default value', () => {
    expect(regAdd(key, 'C:\\Users\\c\\AppData\\Local\\PosFace\\NativeMessagingHosts\\com.posface.wxpayface.json')).toEqual({
      file: 'reg',
      args: ['add', key, '/ve', '/t', 'REG_SZ', '/d', 'C:\\Users\\c\\AppData\\Local\\PosFace\\NativeMessagingHosts\\com.posface.wxpayface.json', '/f'],
    });
    expect(regDelete(key)).toEqual({ file: 'reg', args: ['delete', key, '/f'] });
    expect(regQuery(key)).toEqual({ file: 'reg', args: ['query', key, '/ve'] });
    expect(showCommand(regAdd(key, 'C:\\Program Files\\m.json'))).toBe(`reg add ${key} /ve /t REG_SZ /d "C:\\Program Files\\m.json" /f`);
  });

  it('reads the default value from reg query output', () => {
    const output = `\r\n${key}\r\n    (Default)    REG_SZ    C:\\ProgramData\\PosFace\\NativeMessagingHosts\\com.posface.wxpayface.json\r\n\r\n`;
    expect(parseRegQueryDefault(output)).toBe('C:\\ProgramData\\PosFace\\NativeMessagingHosts\\com.posface.wxpayface.json');
    expect(parseRegQueryDefault('ERROR: The system was unable to find the specified registry key or value.')).toBeNull();
  });
});
