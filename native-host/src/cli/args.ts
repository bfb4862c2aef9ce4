import { FaceError } from '@posface/protocol';

/** Parsed `--name value` / `--name=value` options; repeated options keep every value. */
export interface ParsedArgs {
  options: Map<string, string[]>;
  flags: Set<string>;
}

/**
 * Parses CLI options against what the command accepts. `valued` options take a value, `flags` do
 * not; anything else is an error naming the option, so a typo never silently does the wrong thing.
 */
export function parseArgs(args: readonly string[], spec: { valued: readonly string[]; flags: readonly string[] }): ParsedArgs {
  const options = new Map<string, string[]>();
  const flags = new Set<string>();
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    if (!arg.startsWith('--')) throw usageError(`unexpected argument ${JSON.stringify(arg)}`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (spec.flags.includes(name)) {
      if (eq >= 0) throw usageError(`--${name} takes no value`);
      flags.add(name);
      continue;
    }
    if (!spec.valued.includes(name)) {
      throw usageError(`unknown option --${name} (known: ${[...spec.valued, ...spec.flags].map((o) => `--${o}`).join(', ')})`);
    }
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      value = args[i + 1];
      i += 1;
    }
    if (value === undefined || value === '') throw usageError(`--${name} needs a value`);
    options.set(name, [...(options.get(name) ?? []), value]);
  }
  return { options, flags };
}

export function usageError(message: string): FaceError {
  return new FaceError('INVALID_REQUEST', message, { details: { usage: true } });
}

/** The single value of an option (the last one wins), or `fallback`. */
export function single(parsed: ParsedArgs, name: string, fallback?: string): string | undefined {
  const values = parsed.options.get(name);
  return values === undefined ? fallback : values[values.length - 1];
}
