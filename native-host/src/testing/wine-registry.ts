import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runWine, windowsPath, type Wine } from '../../package/wine.js';

/**
 * Test support: registry subtrees of a wine prefix, read with `reg export` (one cmd.exe for all of them:
 * a wine process per key would cost a second each). Keys are named in the 64-bit view; the 32-bit
 * view is under Software\Wow6432Node.
 */

/** Key path (as exported, e.g. HKEY_LOCAL_MACHINE\Software\PosFace) → value name ('@' for the default) → data as exported. */
export type RegistryTree = Map<string, Map<string, string>>;

/** The subtrees of `keys` (absent keys give nothing). */
export async function exportRegistry(wine: Wine, keys: readonly string[]): Promise<RegistryTree> {
  const dir = mkdtempSync(join(tmpdir(), 'posface-reg-'));
  try {
    const files = keys.map((_, i) => join(dir, `${i}.reg`));
    const commands = keys.map((key, i) => `reg export ${key} ${windowsPath(files[i] as string)} /y /reg:64`);
    await runWine(wine, ['cmd', '/c', commands.join(' & ')]);
    const tree: RegistryTree = new Map();
    for (const file of files) {
      if (!existsSync(file)) continue;
      for (const [key, values] of parseRegExport(readFileSync(file).toString('utf16le'))) tree.set(key, values);
    }
    return tree;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function parseRegExport(text: string): RegistryTree {
  const tree: RegistryTree = new Map();
  let values: Map<string, string> | null = null;
  // Long data continues on the next line after a trailing backslash.
  const lines = text.replace(/^\uFEFF/, '').replace(/\\\r?\n\s*/g, '').split(/\r?\n/);
  for (const line of lines) {
    const key = /^\[(.*)\]$/.exec(line);
    if (key) {
      values = new Map();
      tree.set(key[1] as string, values);
      continue;
    }
    const value = /^(@|"(?:[^"\\]|\\.)*")=(.*)$/.exec(line);
    if (value && values) values.set(value[1] === '@' ? '@' : unescape(value[1] as string), value[2] as string);
  }
  return tree;
}

function unescape(quoted: string): string {
  return quoted.slice(1, -1).replace(/\\(.)/g, '$1');
}

/** A REG_SZ value's text, or undefined (key and value names compared without case, as Windows does). */
export function regString(tree: RegistryTree, key: string, name = '@'): string | undefined {
  for (const [path, values] of tree) {
    if (path.toLowerCase() !== key.toLowerCase()) continue;
    for (const [valueName, data] of values) {
      if (valueName.toLowerCase() === name.toLowerCase() && data.startsWith('"')) return unescape(data);
    }
  }
  return undefined;
}

/** The keys of the tree under `prefix` (itself included). */
export function keysUnder(tree: RegistryTree, prefix: string): string[] {
  const lower = prefix.toLowerCase();
  return [...tree.keys()].filter((k) => k.toLowerCase() === lower || k.toLowerCase().startsWith(`${lower}\\`));
}
