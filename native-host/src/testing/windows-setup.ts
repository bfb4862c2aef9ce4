import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireTool } from '@posface/testing';
import type { TestProject } from 'vitest/node';
import { buildRelease } from '../../package/package.js';
import { ARCHES, type Arch } from '../../package/runtime.js';
import { disposeWine, openWine, type Wine } from '../../package/wine.js';
import { buildsByArch, mingw, simDll, WINDOWS_TOOLS, type WindowsTestEnv } from './windows.js';

/**
 * Global setup of the `windows` project, once per run: a throwaway wine prefix, the release (both
 * architectures, reused from the package cache when nothing changed), the same host one version later
 * for the upgrade test, and the test programs built with mingw. The teardown ends every wine program
 * and removes the prefix.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  if (!requireTool(...WINDOWS_TOOLS)) {
    project.provide('windows', null);
    return () => undefined;
  }
  for (const arch of ARCHES) {
    if (!existsSync(simDll(arch))) throw new Error(`${simDll(arch)} is missing: run npm run build -w wxpay-sim (with mingw-w64 installed)`);
  }
  const timings: Record<string, number> = {};
  const timed = async <T>(step: string, run: () => Promise<T> | T): Promise<T> => {
    const started = performance.now();
    try {
      return await run();
    } finally {
      timings[step] = Math.round(performance.now() - started);
    }
  };
  const scratch = mkdtempSync(join(tmpdir(), 'posface-windows-tests-'));
  let wine: Wine | null = null;
  try {
    wine = await timed('wine prefix', () => openWine(join(scratch, 'prefix')));
    const prefixWine = wine;
    const release = await timed('release', () => buildRelease({ wine: prefixWine, cache: true }));
    const [major, minor, patch] = release.version.split('.').map(Number) as [number, number, number];
    const upgradeVersion = `${major}.${minor}.${patch + 1}`;
    const upgrade = await timed('upgrade build', () => buildRelease({ wine: prefixWine, cache: true, arches: ['ia32'], version: upgradeVersion }));
    const programs = await timed('test programs', () => ({
      launcher: mingw('x64', 'chrome-launcher.c', 'exe'),
      faceService: mingw('ia32', 'face-service.c', 'exe'),
      noisySdk: Object.fromEntries(ARCHES.map((arch) => [arch, mingw(arch, 'noisy-sdk.c', 'dll')])) as Record<Arch, string>,
    }));
    const env: WindowsTestEnv = {
      prefix: wine.prefix,
      version: release.version,
      builds: buildsByArch(release),
      upgrade: { version: upgradeVersion, msi: (upgrade.builds[0] as { msi: string }).msi },
      ...programs,
      timings,
    };
    project.provide('windows', env);
    process.stderr.write(`windows setup: ${JSON.stringify(timings)} ms\n`);
  } catch (error) {
    if (wine) disposeWine(wine);
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
  return () => {
    if (wine) disposeWine(wine);
    rmSync(scratch, { recursive: true, force: true });
  };
}
