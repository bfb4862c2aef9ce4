import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOST_NAME } from '@posface/protocol';
import { ECHO_HOST, HOST_BIN, HOST_ENTRY } from './paths.js';

interface HostRegistration {
  /** The Chromium user-data-dir the manifest goes into (DIR/NativeMessagingHosts/). */
  profileDir: string;
  /** The extension ID written into allowed_origins (another ID gives HOST_FORBIDDEN). */
  allowedExtensionId: string;
  /** Environment baked into the launcher (POSFACE_SDK_PATH, WXPAYFACE_SIM_*, POSFACE_LOG_DIR, …). */
  env: Record<string, string>;
  /** The real host (default) or the bare echo host of the benchmarks. */
  program?: 'host' | 'echo';
}

export function manifestPath(profileDir: string): string {
  return join(profileDir, 'NativeMessagingHosts', `${HOST_NAME}.json`);
}

/**
 * Registers the host in a throwaway profile. The real host goes through its own installer
 * (`pos-face-host install --user-data-dir`), exactly as IT and the demo do; the echo host (and the real
 * one when POSFACE_E2E_OWN_MANIFEST=1) gets a manifest and launcher written here.
 */
export function registerHost(options: HostRegistration): void {
  const program = options.program ?? 'host';
  if (program === 'host' && existsSync(HOST_BIN) && process.env.POSFACE_E2E_OWN_MANIFEST !== '1') {
    const args = ['install', '--browser', 'chromium', '--user-data-dir', options.profileDir, '--extension-id', options.allowedExtensionId];
    for (const [key, value] of Object.entries(options.env)) args.push('--env', `${key}=${value}`);
    execFileSync(HOST_BIN, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    if (!existsSync(manifestPath(options.profileDir))) throw new Error(`pos-face-host install wrote no ${manifestPath(options.profileDir)}`);
    return;
  }
  const dir = join(options.profileDir, 'NativeMessagingHosts');
  mkdirSync(dir, { recursive: true });
  const launcher = join(dir, `${HOST_NAME}.sh`);
  const exports = Object.entries(options.env).map(([k, v]) => `export ${k}=${shellQuote(v)}\n`).join('');
  const entry = program === 'echo' ? ECHO_HOST : HOST_ENTRY;
  writeFileSync(launcher, `#!/bin/sh\n${exports}exec ${shellQuote(process.execPath)} ${shellQuote(entry)} "$@"\n`);
  chmodSync(launcher, 0o755);
  const manifest = {
    name: HOST_NAME,
    description: program === 'echo' ? 'POS Face echo host (benchmarks)' : 'POS Face native host',
    path: launcher,
    type: 'stdio',
    allowed_origins: [`chrome-extension://${options.allowedExtensionId}/`],
  };
  writeFileSync(manifestPath(options.profileDir), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Removes the registration (the next connection answers HOST_NOT_FOUND). */
export function unregisterHost(profileDir: string): void {
  rmSync(join(profileDir, 'NativeMessagingHosts'), { recursive: true, force: true });
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
