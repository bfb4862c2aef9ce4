import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The machine tools a test needs, read from `.ci/debian-packages` (the one list `.ci/run` installs).
 * Outside CI a test whose tool is missing is skipped with the package to install; under `CI=true` it
 * fails naming the package, because a CI run that skips proves nothing.
 */

const LIST = join(resolve(dirname(fileURLToPath(import.meta.url)), '../..'), '.ci', 'debian-packages');

interface Entry {
  pkg: string;
  file: string;
}

function readList(): Map<string, Entry> {
  const entries = new Map<string, Entry>();
  for (const line of readFileSync(LIST, 'utf8').split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const [tool, pkg, file] = trimmed.split(/\s+/);
    if (tool === undefined || pkg === undefined || file === undefined) throw new Error(`${LIST}: malformed line "${line}"`);
    entries.set(tool, { pkg, file });
  }
  return entries;
}

const entries = readList();

export type Tool = string;

/** True when the run is CI's (`CI=true`, as `.ci/run` and most CI systems set it). */
export function ciRun(): boolean {
  return process.env.CI === 'true' || process.env.CI === '1';
}

function entry(tool: Tool): Entry {
  const found = entries.get(tool);
  if (found === undefined) throw new Error(`Tool "${tool}" is not in .ci/debian-packages: add it there (with its package) first`);
  return found;
}

/** The file that shows `tool` is installed (its path, for tools that are commands). */
export function toolPath(tool: Tool): string {
  return entry(tool).file;
}

/**
 * Whether every tool is installed. Use it as `describe.runIf(requireTool('wine'))(…)`: under CI a
 * missing tool throws here, which fails the test file with the package to install.
 */
export function requireTool(...tools: Tool[]): boolean {
  const missing = tools.map(entry).filter((e) => !existsSync(e.file));
  if (missing.length === 0) return true;
  const packages = [...new Set(missing.map((e) => e.pkg))].join(' ');
  const message = `needs ${missing.map((e) => e.file).join(', ')}: apt-get install ${packages} (or run .ci/run, which installs .ci/debian-packages)`;
  if (ciRun()) throw new Error(`This test ${message}`);
  process.stderr.write(`skipped: a test ${message}\n`);
  return false;
}

/**
 * A service a suite needs, from its environment variable (`.ci/services.sh` sets them). Undefined
 * outside CI when unset (the suite skips); under CI a missing one throws.
 */
export function requireService(variable: 'TEST_DATABASE_URL' | 'TEST_REDIS_URL'): string | undefined {
  const value = process.env[variable];
  if (value !== undefined && value !== '') return value;
  if (ciRun()) throw new Error(`${variable} is not set: start the services with ". .ci/services.sh && start_services" (bash)`);
  return undefined;
}
