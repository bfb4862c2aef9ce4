#!/usr/bin/env node
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, buildSync, type BuildOptions } from 'esbuild';
import type { ReleaseInfo } from '../src/release.js';
import { HOST_DIR, PACKAGE_DIR } from './runtime.js';

/**
 * The host as one CommonJS script: one file to read and compile instead of a graph of modules, which
 * is most of a cold start. Two builds share it: the Windows release (a Node single executable runs
 * the script) and the host of a checkout (`npm run build -w native-host`: what bin/pos-face-host and
 * the launchers `pos-face-host install` writes run). The workspace's protocol comes from its sources
 * (the "source" condition of its exports); the CLI's modules are inside but run only for a CLI command.
 */
const COMMON: BuildOptions = {
  entryPoints: [join(HOST_DIR, 'src', 'main.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  conditions: ['source'],
  logLevel: 'warning',
  legalComments: 'none',
};

/** Where the checkout's host is built (paths.ts: HOST_ENTRY). */
export const CHECKOUT_BUNDLE = join(HOST_DIR, 'dist', 'pos-face-host.cjs');

/** The release: `koffi` is koffi-sea.ts, which loads the koffi.node shipped beside the exe. */
export async function bundleHost(outfile: string, release: ReleaseInfo): Promise<void> {
  await build({
    ...COMMON,
    outfile,
    target: 'node22',
    alias: { koffi: join(PACKAGE_DIR, 'koffi-sea.ts') },
    define: { __POSFACE_RELEASE__: JSON.stringify(release) },
    // paths.ts reads import.meta.url only outside a release (RELEASE is null there).
    logOverride: { 'empty-import-meta': 'silent' },
  });
  // The SEA's code cache cannot serve import() (Node's SEA docs): every module must be inside.
  if (/\bimport\(/.test(readFileSync(outfile, 'utf8'))) throw new Error(`${outfile} still holds a dynamic import()`);
}

/** The koffi.node koffi's loader picks on this machine (the checkout's host is built where it runs). */
function koffiNativeModule(): string {
  const require = createRequire(import.meta.url);
  require('koffi');
  const native = Object.keys(require.cache).find((path) => path.endsWith('.node') && path.includes('koffi'));
  if (native === undefined) throw new Error('koffi loaded without a koffi.node in the module cache');
  return native;
}

/** The checkout's host: koffi.node is loaded from node_modules by its path relative to the script. */
export function bundleCheckoutHost(outfile: string = CHECKOUT_BUNDLE): void {
  const result = buildSync({
    ...COMMON,
    write: false,
    outfile,
    target: 'node20',
    alias: { koffi: join(PACKAGE_DIR, 'koffi-native.ts') },
    define: {
      __KOFFI_NATIVE__: JSON.stringify(relative(dirname(outfile), koffiNativeModule())),
      // paths.ts finds the package folder beside its module: here, the script's own folder.
      'import.meta.dirname': '__dirname',
    },
  });
  // Whole or not at all: test workers build it at the same time, and hosts may be starting from it.
  mkdirSync(dirname(outfile), { recursive: true });
  const partial = `${outfile}.${process.pid}.partial`;
  writeFileSync(partial, result.outputFiles?.[0]?.contents ?? '');
  renameSync(partial, outfile);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) bundleCheckoutHost();
