import { FaceError, type SdkCommand } from '@posface/protocol';
import { loadConfigOrDefaults } from './config.js';
import { Dispatcher } from './dispatcher.js';
import { EXIT, hardExit } from './exit.js';
import { FrameReader, openFrameChannel } from './framing.js';
import { errorFields, Logger } from './log.js';
import { buildSdkRequest, SdkClient } from './sdk-client.js';
import { loadSdk } from './sdk-loader.js';
import { SdkQueue } from './sdk-queue.js';
import { HOST_VERSION } from './version.js';

/** How long a best-effort stop of a stuck face step may take before the host leaves anyway. */
const STUCK_STOP_GRACE_MS = 1000;

/** What Chrome passes: the caller's origin first, and `--parent-window=<hwnd>` on Windows. */
export function readChromeArgs(args: readonly string[]): { origin: string | null; parentWindow: string | null } {
  const origin = args.find((arg) => arg.startsWith('chrome-extension://')) ?? null;
  const parent = args.find((arg) => arg.startsWith('--parent-window='));
  return { origin, parentWindow: parent ? parent.slice('--parent-window='.length) : null };
}

/**
 * Runs the native messaging host on stdin/stdout until Chrome closes the port (stdin ends), the
 * inbound stream breaks, or the SDK gets stuck. Every request received is answered before it exits.
 */
export function runHost(args: readonly string[]): void {
  const { config, problem } = loadConfigOrDefaults({ argv: args });
  const log = new Logger(config.log);
  const chrome = readChromeArgs(args);
  log.info('host start', {
    // Since the process started (Node's own start-up and loading this script): for judging cold starts.
    startupMs: Math.round(performance.now()),
    version: HOST_VERSION,
    node: process.version,
    arch: process.arch,
    origin: chrome.origin,
    parentWindow: chrome.parentWindow,
    configFile: config.configFile,
    sdkPath: config.sdkPath,
    sdkPathSource: config.sdkPathSource,
    timeouts: config.timeouts,
  });

  // Before the SDK loads: a DLL may print as soon as it is loaded.
  const loading = performance.now();
  const channel = openFrameChannel();
  const writer = channel.writer;
  if (!channel.guarded) log.warn('stdout not fully guarded against native prints', { problems: channel.problems });
  const sdk = loadSdk(config, problem);
  if (sdk.status.loaded) log.info('sdk loaded', { path: sdk.status.path, ms: Math.round(performance.now() - loading) });
  else log.error('sdk unavailable', { path: sdk.status.path, reason: sdk.status.error });

  let exiting = false;
  let closing = false;

  const leave = async (code: number, why: string, hard: boolean): Promise<void> => {
    if (exiting) return;
    exiting = true;
    await writer.flushed();
    log.info('host exit', { code, why });
    // A thread still inside the SDK would keep process.exit() waiting forever.
    if (hard || queue.active !== null) hardExit(code);
    process.exit(code);
  };

  const queue = new SdkQueue({
    timeouts: config.timeouts,
    onStuck: (cmd: SdkCommand, runningMs: number) => {
      log.error('sdk stuck: exiting after answering everything pending', { cmd, runningMs });
      void stuckExit(cmd);
    },
    onLateAnswer: (cmd, runningMs) => log.warn('sdk answered after its timeout; answer dropped', { cmd, runningMs }),
  });
  const client = sdk.library ? new SdkClient(sdk.library, queue, log, { timeouts: config.timeouts, initWaitMs: config.initWaitMs }) : null;
  const dispatcher = new Dispatcher({
    version: HOST_VERSION,
    sdk,
    client,
    timeouts: config.timeouts,
    log,
    send: (response) => {
      if (writer.send(response)) log.warn('answer over the outbound limit replaced by MESSAGE_TOO_LARGE', { id: response.id });
    },
  });

  const stuckExit = async (cmd: SdkCommand): Promise<void> => {
    if (cmd === 'getWxpayfaceUserInfo' && sdk.library) {
      // Ask the SDK to close its camera window; a truly stuck SDK will ignore this too.
      const stop = sdk.library.call(buildSdkRequest({ cmd: 'stopWxpayface' })).then(
        () => undefined,
        (error: unknown) => log.warn('stop after a stuck face step failed', errorFields(error)),
      );
      await Promise.race([stop, new Promise((resolve) => setTimeout(resolve, STUCK_STOP_GRACE_MS))]);
    }
    await dispatcher.idle();
    await leave(EXIT.SDK_STUCK, `sdk stuck in ${cmd}`, true);
  };

  /** Stops reading, closes a face step nobody waits for any more, answers what is pending, exits. */
  const close = async (code: number, why: string): Promise<void> => {
    if (closing) return;
    closing = true;
    process.stdin.pause();
    log.info('closing', { why, pending: dispatcher.pending });
    const stop = client?.stopFaceStep();
    if (stop) {
      log.info('stopping the face step in progress');
      // The vendor's SDK may not know stopWxpayface: a refusal is logged, never an unhandled rejection.
      stop.then(
        () => log.info('face step stopped'),
        (error: unknown) => log.warn('stopping the face step failed', errorFields(error)),
      );
    }
    await dispatcher.idle();
    await leave(code, why, false);
  };

  const reader = new FrameReader();
  process.stdin.on('data', (chunk: Buffer) => {
    if (closing) return;
    for (const event of reader.push(chunk)) {
      if (event.kind === 'frame') {
        dispatcher.handleFrame(event.payload);
        continue;
      }
      log.error('inbound frame over the limit: the stream cannot be resynchronised', { length: event.length });
      writer.send({
        id: null,
        ok: false,
        error: new FaceError('MESSAGE_TOO_LARGE', `A message of ${event.length} bytes is over the host's ${reader.maxBytes}-byte limit; the host restarts`, {
          details: { bytes: event.length, limit: reader.maxBytes },
        }).toJSON(),
      });
      void close(EXIT.BAD_STREAM, 'inbound frame over the limit');
    }
  });
  process.stdin.on('end', () => {
    if (reader.pendingBytes > 0) log.warn('stdin ended inside a frame', { bytes: reader.pendingBytes });
    void close(EXIT.OK, 'stdin ended');
  });
  process.stdin.on('error', (error) => {
    log.error('stdin error', errorFields(error));
    void close(EXIT.OK, 'stdin error');
  });
  channel.stream.on('error', (error) => {
    // Chrome went away mid-write: nobody can read answers any more.
    log.error('stdout error', errorFields(error));
    void leave(EXIT.OK, 'stdout closed', true);
  });

  const fatal = (kind: string) => (error: unknown) => {
    log.error(kind, errorFields(error));
    process.stderr.write(`pos-face-host: ${kind}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    hardExit(EXIT.INTERNAL);
  };
  process.on('uncaughtException', fatal('uncaught exception'));
  process.on('unhandledRejection', fatal('unhandled rejection'));
}
