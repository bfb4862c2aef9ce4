import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { ReleaseInfo } from '../src/release.js';
import { HOST_DIR, PACKAGE_DIR } from './runtime.js';

/**
 * The host as one CommonJS script, which is what a Node single executable runs. The workspace's protocol
 * comes from its sources (the "source" condition of its exports: no build needed); `koffi` is koffi-sea.ts,
 * which loads the koffi.node shipped beside the exe.
 */
export async function bundleHost(outfile: string, release: ReleaseInfo): Promise<void> {
  await build({
    entryPoints: [join(HOST_DIR, 'src', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    conditions: ['source'],
    alias: { koffi: join(PACKAGE_DIR, 'koffi-sea.ts') },
    define: { __POSFACE_RELEASE__: JSON.stringify(release) },
    // paths.ts reads import.meta.url only outside a release (RELEASE is null there).
    logOverride: { 'empty-import-meta': 'silent' },
    logLevel: 'warning',
    legalComments: 'none',
  });
  // The SEA's code cache cannot serve import() (Node's SEA docs): every module must be inside.
  if (/\bimport\(/.test(readFileSync(outfile, 'utf8'))) throw new Error(`${outfile} still holds a dynamic import()`);
}
