/** The `reg.exe` command lines the Windows installer runs (built here so they can be tested anywhere). */

export interface Command {
  file: string;
  args: string[];
}

export function regAdd(key: string, manifestPath: string): Command {
  return { file: 'reg', args: ['add', key, '/ve', '/t', 'REG_SZ', '/d', manifestPath, '/f'] };
}

export function regDelete(key: string): Command {
  return { file: 'reg', args: ['delete', key, '/f'] };
}

export function regQuery(key: string): Command {
  return { file: 'reg', args: ['query', key, '/ve'] };
}

/** The default value printed by `reg query KEY /ve`, or null when the output holds none. */
export function parseRegQueryDefault(output: string): string | null {
  const match = /^\s*\(Default\)\s+REG_(?:EXPAND_)?SZ\s+(.*?)\s*$/im.exec(output) ?? /^\s*\S.*?\s+REG_(?:EXPAND_)?SZ\s+(.*?)\s*$/im.exec(output);
  return match?.[1] ?? null;
}

/** How a command line reads in a --dry-run listing. */
export function showCommand(command: Command): string {
  return [command.file, ...command.args.map((arg) => (/[\s"]/.test(arg) ? `"${arg.replace(/"/g, '\\"')}"` : arg))].join(' ');
}
