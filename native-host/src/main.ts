import { FaceError } from '@posface/protocol';
import { EXIT } from './exit.js';
import { runHost } from './host.js';
import { HOST_VERSION } from './version.js';

/**
 * Entry point. Chrome runs the host with the caller origin as the first argument (and
 * `--parent-window=` on Windows); IT runs the same executable with a subcommand.
 */

const CLI_COMMANDS = new Set(['install', 'uninstall', 'doctor', 'help', '--help', '-h', '--version']);

function isHostArg(arg: string): boolean {
  return arg.startsWith('chrome-extension://') || arg.startsWith('--parent-window=') || arg === '--log-stderr';
}

async function runCli(command: string, rest: string[]): Promise<number> {
  // Loaded only here: host mode (every Chrome connection) should not pay for the CLI's modules.
  const { realContext } = await import('./cli/context.js');
  const ctx = realContext();
  if (command === '--version') {
    ctx.print(HOST_VERSION);
    return EXIT.OK;
  }
  const { USAGE, commandUsage } = await import('./cli/usage.js');
  if (command === 'help' || command === '--help' || command === '-h') {
    ctx.print(commandUsage(rest[0]) ?? USAGE);
    return EXIT.OK;
  }
  // `install --help`: help wins over whatever else was typed (the options are not run).
  if (rest.includes('--help') || rest.includes('-h')) {
    ctx.print(commandUsage(command) ?? USAGE);
    return EXIT.OK;
  }
  try {
    if (command === 'install') return (await import('./cli/install.js')).runInstall(rest, ctx);
    if (command === 'uninstall') return (await import('./cli/install.js')).runUninstall(rest, ctx);
    return await (await import('./cli/doctor.js')).runDoctor(rest, ctx);
  } catch (error) {
    const face = FaceError.wrap(error);
    process.stderr.write(`pos-face-host ${command}: ${face.message}\n`);
    if (face.details?.usage === true) process.stderr.write(`\n${USAGE}\n`);
    return face.details?.usage === true ? EXIT.USAGE : 1;
  }
}

function main(args: readonly string[]): void {
  const first = args[0];
  if (first !== undefined && CLI_COMMANDS.has(first)) {
    // No top-level await: the Windows release runs this file as one CommonJS script.
    void runCli(first, args.slice(1)).then((code) => {
      process.exitCode = code;
    });
  } else if (args.every(isHostArg)) {
    if (process.stdin.isTTY) {
      process.stderr.write('pos-face-host: this is a native messaging host; Chrome starts it. Try `pos-face-host help`.\n');
      process.exitCode = EXIT.USAGE;
    } else {
      runHost(args);
    }
  } else {
    process.stderr.write(`pos-face-host: unknown arguments ${JSON.stringify(args)}. Try \`pos-face-host help\`.\n`);
    process.exitCode = EXIT.USAGE;
  }
}

main(process.argv.slice(2));
