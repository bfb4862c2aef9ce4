import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../exit.js';
import { HOST_BIN } from '../paths.js';
import { ensureHostBuilt, removeTempDirs, tempDir } from '../testing/harness.js';

// IT's first try at a command is `--help`: it must answer with that command's options, never run it.
beforeAll(() => ensureHostBuilt());
afterAll(() => removeTempDirs());

function cli(args: string[]) {
  return spawnSync(HOST_BIN, args, { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: tempDir() } });
}

describe('per-command help', () => {
  it.each([
    [['install', '--help'], '--extension-id ID'],
    [['install', '-h'], '--env KEY=VALUE'],
    [['uninstall', '--help'], 'Removes what install wrote'],
    [['doctor', '--help'], '--no-clock'],
    [['help', 'doctor'], '--time-url URL'],
  ])('%j prints the command usage and exits 0', (args, expected) => {
    const out = cli(args);
    expect(out.status, out.stderr).toBe(EXIT.OK);
    expect(out.stdout).toContain(expected);
    expect(out.stdout).toContain(`pos-face-host ${args[0] === 'help' ? args[1] : args[0]}`);
    expect(out.stderr).toBe('');
  });

  it('help wins over the other options: install --help with no extension id writes nothing', () => {
    const profile = tempDir('posface-profile-');
    const out = cli(['install', '--user-data-dir', profile, '--help']);
    expect(out.status).toBe(EXIT.OK);
    expect(out.stdout).toContain('pos-face-host install --extension-id ID [options]');
    expect(readdirSync(profile, { recursive: true })).toEqual([]);
  });

  it('an unknown option still fails, naming it, with the usage', () => {
    const out = cli(['doctor', '--frobnicate']);
    expect(out.status).toBe(EXIT.USAGE);
    expect(out.stderr).toContain('unknown option --frobnicate');
  });

  it('help with no command, or an unknown one, prints the overview', () => {
    for (const args of [['help'], ['help', 'nonsense'], ['--help']]) {
      const out = cli(args);
      expect(out.status).toBe(EXIT.OK);
      expect(out.stdout).toContain('IT commands:');
    }
  });
});
