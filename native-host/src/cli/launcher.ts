import { usageError } from './args.js';

/**
 * The small launcher the manifest points at: it runs Node (an absolute path, since Chrome's PATH is not
 * the user's shell's) on the host's dist/main.js, with the environment IT chose baked in.
 */

interface LauncherSpec {
  node: string;
  /** null when `node` is the host's own executable (the Windows release). */
  entry: string | null;
  env: ReadonlyArray<readonly [string, string]>;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Parses `--env KEY=VALUE` values; a bad one is an error naming it. */
export function parseEnvPairs(values: readonly string[]): Array<[string, string]> {
  return values.map((pair) => {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    if (eq < 0 || !ENV_NAME.test(key)) {
      throw usageError(`--env ${JSON.stringify(pair)}: expected KEY=VALUE with KEY made of letters, digits and _`);
    }
    const value = pair.slice(eq + 1);
    if (/[\r\n\0]/.test(value)) throw usageError(`--env ${key}: the value must be a single line`);
    return [key, value];
  });
}

/** POSIX shell single quotes: nothing inside is special except the quote itself. */
function shQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function posixLauncher(spec: LauncherSpec): string {
  const lines = ['#!/bin/sh', '# Written by `pos-face-host install`: starts the POS Face native messaging host.'];
  for (const [key, value] of spec.env) lines.push(`${key}=${shQuote(value)}; export ${key}`);
  lines.push(`exec ${[spec.node, spec.entry].flatMap((p) => (p === null ? [] : [shQuote(p)])).join(' ')} "$@"`, '');
  return lines.join('\n');
}

/** cmd.exe: `set "K=V"` keeps spaces; `%` must be doubled; `"` cannot be expressed safely. */
function batValue(what: string, value: string): string {
  if (value.includes('"')) throw usageError(`${what} must not contain a double quote for a .bat launcher`);
  return value.replace(/%/g, '%%');
}

export function batLauncher(spec: LauncherSpec): string {
  // @echo off first: anything echoed would land on stdout, the protocol channel.
  const lines = ['@echo off', 'rem Written by `pos-face-host install`: starts the POS Face native messaging host.', 'setlocal'];
  for (const [key, value] of spec.env) lines.push(`set "${key}=${batValue(`--env ${key}`, value)}"`);
  const entry = spec.entry === null ? '' : ` "${batValue('the host path', spec.entry)}"`;
  lines.push(`"${batValue('the node path', spec.node)}"${entry} %*`, '');
  return lines.join('\r\n');
}
