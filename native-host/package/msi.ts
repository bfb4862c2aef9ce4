import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildManifest, MANIFEST_FILE } from '../src/cli/manifest.js';
import { PACKAGE_DIR, type Arch } from './runtime.js';

/**
 * The MSI, with msitools' wixl from pos-face-host.wxs. wixl (0.101 in Debian 12) has no <Condition>
 * inside a Component, so the two optional components get theirs afterwards with msibuild.
 */

/** Filled by the MSI's WriteManifest action (msi-actions.c) with the installed paths and the id. */
export const MANIFEST_TOKENS = { hostPath: '@POSFACE_HOST_PATH@', extensionId: '@POSFACE_EXTENSION_ID@' } as const;

/**
 * The ExtensionInstallForcelist value the MSI writes. Chrome reads every numbered value of the list;
 * a high number keeps clear of lists numbered from 1 (by GPO or by hand).
 */
export const FORCELIST_VALUE = '100';

/** Public properties the MSI takes from msiexec's command line (also in a managed install). */
export const MSI_PROPERTIES = ['EXTENSION_ID', 'SDK_PATH', 'POS_ORIGINS', 'UPDATE_URL'] as const;

const MINGW: Record<Arch, string> = { ia32: 'i686-w64-mingw32-gcc', x64: 'x86_64-w64-mingw32-gcc' };

/** Writes the files the .wxs takes from the staging folder besides the exe and koffi.node. */
export function stageMsiInputs(arch: Arch, stage: string): void {
  execFileSync(MINGW[arch], [
    '-shared', '-static', '-s', '-O2', '-std=c11', '-Wall', '-Wextra', '-Werror', '-Wl,--kill-at', '-Wl,--no-insert-timestamp',
    '-o', join(stage, 'msi-actions.dll'), join(PACKAGE_DIR, 'msi-actions.c'), '-lmsi',
  ]);
  const manifest = buildManifest(MANIFEST_TOKENS.hostPath, [MANIFEST_TOKENS.extensionId]);
  writeFileSync(join(stage, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** MSI versions are major.minor.build, numbers only. */
export function msiVersion(version: string): string {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (!match || Number(match[1]) > 255 || Number(match[2]) > 255 || Number(match[3]) > 65535) {
    throw new Error(`version ${JSON.stringify(version)} cannot be an MSI version (major.minor.build, at most 255.255.65535)`);
  }
  return version;
}

/** Builds `out` from the staging folder (wixl wants the sources relative to where it runs). */
export function buildMsi(arch: Arch, stage: string, version: string, out: string): void {
  const x64 = arch === 'x64';
  execFileSync('wixl', [
    '-a', x64 ? 'x64' : 'x86',
    '-D', `Version=${msiVersion(version)}`,
    '-D', `Arch=${arch}`,
    '-D', `Win64=${x64 ? 'yes' : 'no'}`,
    '-D', `ProgramFiles=${x64 ? 'ProgramFiles64Folder' : 'ProgramFilesFolder'}`,
    '-D', `ForcelistValue=${FORCELIST_VALUE}`,
    '-o', out,
    join(PACKAGE_DIR, 'pos-face-host.wxs'),
  ], { cwd: stage, stdio: ['ignore', 'ignore', 'pipe'] });
  execFileSync('msibuild', [
    out,
    // "OR REMOVE": an uninstall must still see the component, or it would leave its keys behind.
    '-q', `UPDATE Component SET Condition='POS_ORIGINS_JSON OR REMOVE~="ALL"' WHERE Component='OriginsPolicy'`,
    '-q', `UPDATE Component SET Condition='UPDATE_URL OR REMOVE~="ALL"' WHERE Component='ForceInstall'`,
    '-q', `UPDATE Property SET Value='WIX_DOWNGRADE_DETECTED;WIX_UPGRADE_DETECTED;${MSI_PROPERTIES.join(';')}' WHERE Property='SecureCustomProperties'`,
  ]);
}
