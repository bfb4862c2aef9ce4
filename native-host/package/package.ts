#!/usr/bin/env node
/**
 * Builds the Windows release of the host: `npm run package -w native-host [-- --arch ia32,x64]
 * [--version X.Y.Z] [--out DIR]`. For each architecture it writes DIR/win-<arch>/pos-face-host.exe
 * (a Node single executable) with koffi.node beside it, and DIR/pos-face-host-<version>-win-<arch>.msi.
 * Needs wine (wine32 for ia32), mingw-w64 and wixl/msitools; see docs/windows-release.md.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleHost } from './bundle.js';
import { buildMsi, stageMsiInputs } from './msi.js';
import { ARCHES, cacheDir, fetchRuntime, HOST_DIR, koffiPin, PACKAGE_DIR, type Arch } from './runtime.js';
import { makeSeaBlob, writeSeaExe } from './sea.js';
import { disposeWine, openWine, type Wine } from './wine.js';

export interface ReleaseOptions {
  arches?: readonly Arch[];
  /** Default: native-host/package.json's version. */
  version?: string;
  /** Default: native-host/release. */
  out?: string;
  /** A prefix to run node.exe in; default: WINEPREFIX, else a throwaway one. */
  wine?: Wine;
  /**
   * Keep the result in the package cache, under a key of every input (the bundle, the pinned runtimes,
   * this folder's sources), and reuse it when nothing changed (tests and benchmarks). Ignores `out`.
   */
  cache?: boolean;
}

export interface ReleaseArtifacts {
  version: string;
  builds: Array<{ arch: Arch; folder: string; exe: string; msi: string; exeBytes: number; msiBytes: number }>;
}

export const DEFAULT_RELEASE_DIR = join(HOST_DIR, 'release');

export function hostVersion(): string {
  return (JSON.parse(readFileSync(join(HOST_DIR, 'package.json'), 'utf8')) as { version: string }).version;
}

/** A digest of everything a release is made from, given the bundle. */
function releaseKey(bundle: string, version: string, arches: readonly Arch[]): string {
  const hash = createHash('sha256').update(JSON.stringify({ version, arches, koffi: arches.map(koffiPin) }));
  hash.update(readFileSync(bundle));
  for (const file of readdirSync(PACKAGE_DIR).sort()) {
    if (!file.endsWith('.test.ts')) hash.update(file).update(readFileSync(join(PACKAGE_DIR, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

/** Cached releases beyond the newest few go. */
function pruneCache(root: string, keep: number): void {
  const entries = readdirSync(root).map((name) => ({ name, at: statSync(join(root, name)).mtimeMs }));
  for (const old of entries.sort((a, b) => b.at - a.at).slice(keep)) rmSync(join(root, old.name), { recursive: true, force: true });
}

function artifacts(out: string, version: string, arches: readonly Arch[]): ReleaseArtifacts {
  return {
    version,
    builds: arches.map((arch) => {
      const folder = join(out, `win-${arch}`);
      const exe = join(folder, 'pos-face-host.exe');
      const msi = join(out, `pos-face-host-${version}-win-${arch}.msi`);
      return { arch, folder, exe, msi, exeBytes: statSync(exe).size, msiBytes: statSync(msi).size };
    }),
  };
}

export async function buildRelease(options: ReleaseOptions = {}): Promise<ReleaseArtifacts> {
  const version = options.version ?? hostVersion();
  const arches = options.arches ?? ARCHES;
  const work = mkdtempSync(join(tmpdir(), 'posface-package-'));
  let wine: Wine | null = options.wine ?? null;
  try {
    const bundle = join(work, 'pos-face-host.cjs');
    await bundleHost(bundle, { version });
    const cacheRoot = join(cacheDir(), 'releases');
    const out = options.cache ? join(cacheRoot, releaseKey(bundle, version, arches)) : resolve(options.out ?? DEFAULT_RELEASE_DIR);
    const complete = join(out, '.complete');
    if (options.cache && existsSync(complete)) return artifacts(out, version, arches);
    rmSync(complete, { force: true });
    wine ??= await openWine();
    for (const arch of arches) {
      const runtime = fetchRuntime(arch);
      const folder = join(out, `win-${arch}`);
      rmSync(folder, { recursive: true, force: true });
      mkdirSync(folder, { recursive: true });
      const exe = join(folder, 'pos-face-host.exe');
      writeSeaExe(runtime, await makeSeaBlob(wine, runtime, bundle), exe, version);
      copyFileSync(runtime.koffiNode, join(folder, 'koffi.node'));

      const stage = join(work, `msi-${arch}`);
      mkdirSync(stage);
      copyFileSync(exe, join(stage, 'pos-face-host.exe'));
      copyFileSync(runtime.koffiNode, join(stage, 'koffi.node'));
      stageMsiInputs(arch, stage);
      buildMsi(arch, stage, version, join(out, `pos-face-host-${version}-win-${arch}.msi`));
    }
    if (options.cache) {
      writeFileSync(complete, '');
      pruneCache(cacheRoot, 4);
    }
    return artifacts(out, version, arches);
  } finally {
    rmSync(work, { recursive: true, force: true });
    if (wine && !options.wine) disposeWine(wine);
  }
}

function readOptions(argv: readonly string[]): ReleaseOptions {
  const options: ReleaseOptions = {};
  for (let i = 0; i < argv.length; i += 1) {
    const [name, inline] = (argv[i] as string).split(/=(.*)/s, 2) as [string, string | undefined];
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`${name} needs a value`);
    if (name === '--arch') {
      const arches = value.split(',');
      for (const arch of arches) if (!(ARCHES as readonly string[]).includes(arch)) throw new Error(`--arch ${arch}: expected ${ARCHES.join(' or ')}`);
      options.arches = arches as Arch[];
    } else if (name === '--version') options.version = value;
    else if (name === '--out') options.out = value;
    else throw new Error(`unknown option ${name} (known: --arch, --version, --out)`);
  }
  return options;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const started = performance.now();
  try {
    const result = await buildRelease(readOptions(process.argv.slice(2)));
    for (const b of result.builds) {
      console.log(`win-${b.arch}: ${b.exe} (${(b.exeBytes / 2 ** 20).toFixed(1)} MiB), ${b.msi} (${(b.msiBytes / 2 ** 20).toFixed(1)} MiB)`);
    }
    console.log(`pos-face-host ${result.version}: built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    console.error(`package: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
