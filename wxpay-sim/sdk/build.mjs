#!/usr/bin/env node
// Builds the WeChat face SDK simulator: the machine's C compiler makes sdk/build/libwxpayface_sim.so
// (.dylib on macOS); where mingw-w64 is installed, also the Windows DLLs under the real DLL's name.
// Run by `npm run build -w wxpay-sim`; `node sdk/build.mjs --force` rebuilds even when up to date.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const sdk = dirname(fileURLToPath(import.meta.url));
const buildDir = join(sdk, 'build');
const force = process.argv.includes('--force');

const COMMON_SOURCES = [
  'exports.c', 'commands.c', 'camera.c', 'script.c', 'faces.c', 'authinfo.c',
  'sha256.c', 'base64.c', 'json.c', 'buf.c', 'response.c', 'files.c', 'env.c', 'session.c',
];
const WARNINGS = ['-std=c11', '-O2', '-Wall', '-Wextra', '-Werror'];

const targets = [
  {
    name: 'host',
    compiler: process.env.CC || 'cc',
    required: true,
    output: join(buildDir, process.platform === 'darwin' ? 'libwxpayface_sim.dylib' : 'libwxpayface_sim.so'),
    platformSource: 'platform_posix.c',
    // Hidden by default: only the two functions marked in include/wxpayface.h are exported.
    flags: [...WARNINGS, '-fPIC', '-shared', '-fvisibility=hidden', '-pthread'],
    libs: [],
  },
  ...[
    ['x86_64-w64-mingw32-gcc', 'win-x64'],
    ['i686-w64-mingw32-gcc', 'win-ia32'],
  ].map(([compiler, dir]) => ({
    name: dir,
    compiler,
    required: false,
    output: join(buildDir, dir, 'WxpayFaceSDK.dll'),
    platformSource: 'platform_win32.c',
    // Static runtime so the DLL needs nothing beside Windows' own; exports are the dllexport ones only.
    flags: [...WARNINGS, '-shared', '-static', '-static-libgcc', '-s', '-Wl,--no-insert-timestamp'],
    libs: ['-lbcrypt'],
  })),
];

function onPath(command) {
  if (command.includes('/')) return existsSync(command);
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, command)));
}

function newestInput() {
  const files = [
    fileURLToPath(import.meta.url),
    ...['src', 'include'].flatMap((d) => readdirSync(join(sdk, d)).map((f) => join(sdk, d, f))),
  ];
  return Math.max(...files.map((f) => statSync(f).mtimeMs));
}

function upToDate(output, since) {
  return !force && existsSync(output) && statSync(output).mtimeMs > since;
}

function build(target) {
  mkdirSync(dirname(target.output), { recursive: true });
  const sources = [...COMMON_SOURCES, target.platformSource].map((f) => join(sdk, 'src', f));
  // Link beside the output, then rename: a process that has the old library loaded keeps it intact,
  // and two builds at once never leave half a file.
  const partial = `${target.output}.${process.pid}.tmp`;
  const args = [...target.flags, '-o', partial, ...sources, ...target.libs];
  const run = spawnSync(target.compiler, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (run.error || run.status !== 0) rmSync(partial, { force: true });
  if (run.error) {
    const code = /** @type {NodeJS.ErrnoException} */ (run.error).code;
    throw new Error(
      code === 'ENOENT'
        ? `No C compiler: "${target.compiler}" is not installed. Install one (Debian: apt-get install gcc) or set CC.`
        : `Cannot run ${target.compiler}: ${run.error.message}`,
    );
  }
  if (run.status !== 0) throw new Error(`${target.compiler} failed (exit ${run.status ?? run.signal}) building ${target.output}`);
  renameSync(partial, target.output);
}

const since = newestInput();
try {
  for (const target of targets) {
    if (!target.required && !onPath(target.compiler)) {
      console.log(`wxpay-sim sdk: ${target.name}: skipped (${target.compiler} not installed)`);
      continue;
    }
    if (upToDate(target.output, since)) {
      console.log(`wxpay-sim sdk: ${target.name}: up to date (${target.output})`);
      continue;
    }
    build(target);
    console.log(`wxpay-sim sdk: ${target.name}: built ${target.output}`);
  }
} catch (error) {
  console.error(`wxpay-sim sdk: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
