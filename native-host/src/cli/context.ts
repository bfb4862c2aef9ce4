import { spawnSync } from 'node:child_process';
import { homedir } from 'node:os';
import { writeCliText } from '../framing.js';
import { HOST_ENTRY } from '../paths.js';
import { probeServicePipe, type PipeProbe } from '../service-pipe.js';
import type { Command } from './registry.js';

/** What the CLI commands touch outside their arguments, so tests can run them against a fake OS. */
export interface CliContext {
  platform: NodeJS.Platform;
  home: string;
  env: Readonly<Record<string, string | undefined>>;
  /** The Node executable launchers run by default (this one; in the Windows release, the host's exe). */
  nodePath: string;
  /** The host's compiled entry point; null when `nodePath` is the host itself (the Windows release). */
  entry: string | null;
  print: (text: string) => void;
  run: (command: Command) => { status: number | null; stdout: string; stderr: string };
  /** Whether WxpayFaceService's pipe exists (Windows); absent: the real check. */
  probeServicePipe?: () => PipeProbe;
}

export function realContext(): CliContext {
  return {
    platform: process.platform,
    home: homedir(),
    env: process.env,
    nodePath: process.execPath,
    entry: HOST_ENTRY,
    print: writeCliText,
    probeServicePipe: () => probeServicePipe(),
    run: (command) => {
      const result = spawnSync(command.file, command.args, { encoding: 'utf8', windowsHide: true });
      if (result.error) return { status: null, stdout: '', stderr: result.error.message };
      return { status: result.status, stdout: result.stdout, stderr: result.stderr };
    },
  };
}
