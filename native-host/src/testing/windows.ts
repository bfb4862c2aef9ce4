import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SIM_ROOT } from '@posface/wxpay-sim';
import type { ReleaseArtifacts } from '../../package/package.js';
import { cacheDir, type Arch } from '../../package/runtime.js';
import { windowsPath, wineEnv } from '../../package/wine.js';
import { HostUnderTest, ORIGIN, type HostOptions } from './harness.js';

/**
 * Test support for the Windows release under wine: what the `windows` project's global setup prepares
 * (windows-setup.ts) and how a test starts the packaged host the way Chrome does on Windows.
 */

export const WINDOWS_TOOLS = ['wine', 'wine32', 'wine64', 'wixl', 'msitools', 'mingw-ia32', 'mingw-x64'] as const;

interface WindowsBuild {
  arch: Arch;
  exe: string;
  msi: string;
  msiBytes: number;
}

export interface WindowsTestEnv {
  prefix: string;
  version: string;
  builds: Record<Arch, WindowsBuild>;
  /** The same host one version later (ia32 only): the MSI an upgrade installs. */
  upgrade: { version: string; msi: string };
  /** chrome-launcher.exe (chrome-launcher.c). */
  launcher: string;
  /** face-service.exe (face-service.c): holds WxpayFaceService's pipe while it runs. */
  faceService: string;
  /** noisy-sdk.c built per architecture. */
  noisySdk: Record<Arch, string>;
  /** How long the global setup took, per step (ms). */
  timings: Record<string, number>;
}

/** The builds of a release by architecture. */
export function buildsByArch(release: ReleaseArtifacts): Record<Arch, WindowsBuild> {
  const out: Partial<Record<Arch, WindowsBuild>> = {};
  for (const b of release.builds) out[b.arch] = { arch: b.arch, exe: b.exe, msi: b.msi, msiBytes: b.msiBytes };
  return out as Record<Arch, WindowsBuild>;
}

declare module 'vitest' {
  export interface ProvidedContext {
    windows: WindowsTestEnv | null;
  }
}

/** The simulator built as a Windows DLL (npm run build -w wxpay-sim, with mingw-w64 installed). */
export function simDll(arch: Arch): string {
  return join(SIM_ROOT, 'sdk', 'build', `win-${arch}`, 'WxpayFaceSDK.dll');
}

const MINGW: Record<Arch, string> = { ia32: 'i686-w64-mingw32-gcc', x64: 'x86_64-w64-mingw32-gcc' };

/** Compiles a test program or DLL (from this folder) with mingw, once per version of its source. */
export function mingw(arch: Arch, source: string, kind: 'exe' | 'dll'): string {
  const args = [...(kind === 'dll' ? ['-shared', '-static'] : ['-municode']), '-s', '-O2', '-Wall', '-Wextra', '-Werror'];
  const path = join(import.meta.dirname, source);
  const key = createHash('sha256').update(JSON.stringify([MINGW[arch], args])).update(readFileSync(path)).digest('hex').slice(0, 16);
  const out = join(cacheDir(), 'test-programs', `${source.replace(/\.c$/, '')}-${arch}-${key}.${kind}`);
  if (existsSync(out)) return out;
  mkdirSync(dirname(out), { recursive: true });
  execFileSync(MINGW[arch], [...args, '-o', `${out}.tmp`, path]);
  renameSync(`${out}.tmp`, out);
  return out;
}

export interface WineHostOptions extends HostOptions {
  /** Start the host through %COMSPEC% as Chrome does by default (else directly, the .exe policy). */
  viaCmd?: boolean;
  /** The host to start (a Windows path); default: the packaged exe of `arch`. */
  hostPath?: string;
  /** Arguments before Chrome's (e.g. the script a bare node.exe runs). */
  hostArgs?: string[];
}

/**
 * The packaged host under wine, started by chrome-launcher.exe over named pipes as Chrome would, with
 * Chrome's arguments; the harness talks to the launcher's stdin/stdout.
 */
export function startWineHost(env: Pick<WindowsTestEnv, 'prefix' | 'launcher' | 'builds'>, arch: Arch, options: WineHostOptions = {}): HostUnderTest {
  const host = options.hostPath ?? windowsPath(env.builds[arch].exe);
  return new HostUnderTest({
    sdkPath: simDll(arch),
    ...options,
    command: 'wine',
    args: [env.launcher, ...(options.viaCmd ? ['--via-cmd'] : []), host, ...(options.hostArgs ?? []), ORIGIN, '--parent-window=0'],
    env: { ...wineOnlyEnv(env.prefix), ...options.env },
    foreignPath: windowsPath,
  });
}

/** The wine variables a spawned wine program needs (the harness starts from an empty environment). */
function wineOnlyEnv(prefix: string): Record<string, string> {
  const all = wineEnv(prefix);
  return { WINEPREFIX: all.WINEPREFIX as string, WINEDEBUG: all.WINEDEBUG as string, USER: process.env.USER ?? 'root' };
}
