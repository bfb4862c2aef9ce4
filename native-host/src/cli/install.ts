import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { posix, win32 } from 'node:path';
import { FaceError, HOST_NAME } from '@posface/protocol';
import { parseArgs, single, usageError, type ParsedArgs } from './args.js';
import type { CliContext } from './context.js';
import { batLauncher, parseEnvPairs, posixLauncher } from './launcher.js';
import { BROWSERS, buildManifest, EXTENSION_ID, LEVELS, manifestTargets, type Browser, type Level, type ManifestTarget } from './manifest.js';
import { regAdd, regDelete, showCommand } from './registry.js';

/** `pos-face-host install|uninstall`: writes or removes the host manifest, its launcher and (Windows) the registry keys. */

const INSTALL_OPTIONS = { valued: ['browser', 'level', 'user-data-dir', 'extension-id', 'env', 'node'], flags: ['dry-run'] } as const;
const UNINSTALL_OPTIONS = { valued: ['browser', 'level', 'user-data-dir'], flags: ['dry-run'] } as const;

export function readBrowsers(parsed: ParsedArgs): Browser[] {
  const values = parsed.options.get('browser') ?? ['all'];
  const out = new Set<Browser>();
  for (const value of values.flatMap((v) => v.split(','))) {
    if (value === 'all') BROWSERS.forEach((b) => out.add(b));
    else if ((BROWSERS as readonly string[]).includes(value)) out.add(value as Browser);
    else throw usageError(`--browser ${JSON.stringify(value)}: expected ${BROWSERS.join(', ')} or all`);
  }
  return [...out];
}

export function readLevel(parsed: ParsedArgs): Level {
  const level = single(parsed, 'level', 'user') as string;
  if (!(LEVELS as readonly string[]).includes(level)) throw usageError(`--level ${JSON.stringify(level)}: expected user or system`);
  return level as Level;
}

function targetsFor(parsed: ParsedArgs, ctx: CliContext): ManifestTarget[] {
  const userDataDir = single(parsed, 'user-data-dir');
  const path = ctx.platform === 'win32' ? win32 : posix;
  if (userDataDir !== undefined && !path.isAbsolute(userDataDir)) throw usageError(`--user-data-dir must be an absolute path, got ${JSON.stringify(userDataDir)}`);
  return manifestTargets({
    browsers: readBrowsers(parsed),
    level: readLevel(parsed),
    ...(userDataDir === undefined ? {} : { userDataDir }),
    platform: ctx.platform,
    home: ctx.home,
    env: ctx.env,
  });
}

function describeTarget(target: ManifestTarget): string {
  return target.browser === null ? 'the given --user-data-dir' : `${target.browser} (${target.level})`;
}

function permissionAdvice(error: unknown, level: Level, platform: NodeJS.Platform): FaceError {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  if ((code === 'EACCES' || code === 'EPERM') && level === 'system') {
    return new FaceError('HOST_ERROR', `${message}: --level system needs ${platform === 'win32' ? 'an Administrator prompt' : 'root (sudo)'}`, { cause: error });
  }
  return new FaceError('HOST_ERROR', message, { cause: error });
}

export function runInstall(args: readonly string[], ctx: CliContext): number {
  const parsed = parseArgs(args, INSTALL_OPTIONS);
  const ids = (parsed.options.get('extension-id') ?? []).flatMap((v) => v.split(','));
  if (ids.length === 0) throw usageError('--extension-id is required (the 32-letter id shown in chrome://extensions)');
  for (const id of ids) if (!EXTENSION_ID.test(id)) throw usageError(`--extension-id ${JSON.stringify(id)}: an extension id is 32 letters from a to p`);
  const env = parseEnvPairs(parsed.options.get('env') ?? []);
  const node = single(parsed, 'node', ctx.nodePath) as string;
  const dryRun = parsed.flags.has('dry-run');
  const targets = targetsFor(parsed, ctx);
  const level = readLevel(parsed);
  if (!dryRun && ctx.entry !== null && !existsSync(ctx.entry)) {
    throw new FaceError('HOST_ERROR', `${ctx.entry} does not exist: build the host first (npx tsc -b native-host, or npm run build)`);
  }
  // The Windows release's exe is the host itself: the manifest names it, unless --env needs a launcher.
  const direct = ctx.entry === null && env.length === 0 && node === ctx.nodePath;
  const spec = { node, entry: ctx.entry, env };
  const launcher = ctx.platform === 'win32' ? batLauncher(spec) : posixLauncher(spec);
  const written = new Set<string>();
  const say = (line: string): void => ctx.print(dryRun ? `[dry run] ${line}` : line);

  for (const target of targets) {
    if (!written.has(target.manifestPath)) {
      written.add(target.manifestPath);
      const manifest = `${JSON.stringify(buildManifest(direct ? node : target.launcherPath, ids), null, 2)}\n`;
      if (!direct) say(`write ${target.launcherPath}`);
      say(`write ${target.manifestPath}`);
      if (dryRun) {
        if (!direct) ctx.print(launcher.replace(/^/gm, '    '));
        ctx.print(manifest.replace(/^/gm, '    '));
      } else {
        try {
          mkdirSync(target.dir, { recursive: true });
          if (!direct) {
            writeFileSync(target.launcherPath, launcher, { mode: 0o755 });
            // writeFileSync keeps an existing file's mode: make sure Chrome can execute it.
            if (ctx.platform !== 'win32') chmodSync(target.launcherPath, 0o755);
          }
          writeFileSync(target.manifestPath, manifest);
        } catch (error) {
          throw permissionAdvice(error, level, ctx.platform);
        }
      }
    }
    if (target.registryKey !== null) {
      const command = regAdd(target.registryKey, target.manifestPath);
      say(showCommand(command));
      if (!dryRun) {
        const result = ctx.run(command);
        if (result.status !== 0) {
          throw new FaceError('HOST_ERROR', `${showCommand(command)} failed: ${(result.stderr || result.stdout).trim()}${level === 'system' ? ' (HKLM needs an Administrator prompt)' : ''}`);
        }
      }
    }
    ctx.print(`${dryRun ? '[dry run] ' : ''}✓ ${HOST_NAME} registered for ${describeTarget(target)}`);
  }
  if (ctx.platform === 'win32' && targets.some((t) => t.browser === null)) {
    ctx.print('note: Chrome on Windows finds hosts through the registry only; --user-data-dir files are for tests on Linux/macOS.');
  }
  return 0;
}

/** True when the file at `path` is a manifest for our host (never delete someone else's file). */
function isOurManifest(path: string): boolean {
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { name?: unknown }).name === HOST_NAME;
  } catch {
    // Unreadable or not JSON: not provably ours, so leave it alone.
    return false;
  }
}

export function runUninstall(args: readonly string[], ctx: CliContext): number {
  const parsed = parseArgs(args, UNINSTALL_OPTIONS);
  const dryRun = parsed.flags.has('dry-run');
  const targets = targetsFor(parsed, ctx);
  const level = readLevel(parsed);
  const say = (line: string): void => ctx.print(dryRun ? `[dry run] ${line}` : line);
  const removed = new Set<string>();
  for (const target of targets) {
    if (target.registryKey !== null) {
      const command = regDelete(target.registryKey);
      say(showCommand(command));
      if (!dryRun) {
        const result = ctx.run(command);
        if (result.status !== 0 && !/unable to find|not find/i.test(result.stderr + result.stdout)) {
          throw new FaceError('HOST_ERROR', `${showCommand(command)} failed: ${(result.stderr || result.stdout).trim()}`);
        }
      }
    }
    if (removed.has(target.manifestPath)) continue;
    removed.add(target.manifestPath);
    for (const file of [target.manifestPath, target.launcherPath]) {
      if (!existsSync(file)) {
        ctx.print(`- ${file} is not there`);
        continue;
      }
      if (file === target.manifestPath && !isOurManifest(file)) {
        ctx.print(`! ${file} is not a ${HOST_NAME} manifest: left alone`);
        continue;
      }
      say(`remove ${file}`);
      if (!dryRun) {
        try {
          rmSync(file);
        } catch (error) {
          throw permissionAdvice(error, level, ctx.platform);
        }
      }
    }
  }
  ctx.print(`${dryRun ? '[dry run] ' : ''}✓ ${HOST_NAME} unregistered`);
  return 0;
}
