import { FaceError, type SdkCommand } from '@posface/protocol';
import { Dispatcher } from './dispatcher.js';
import { EXIT, hardExit } from './exit.js';
import { FrameReader } from './framing.js';
import { errorFields } from './log.js';
import { buildSdkRequest, SdkClient } from './sdk-client.js';
import { SdkQueue } from './sdk-queue.js';
import { SdkWatchdog } from './sdk-watchdog.js';
import { startHost, type StartedHost } from './startup.js';
import { HOST_VERSION } from './version.js';

/** How long a best-effort stop of a stuck face step may take before the host leaves anyway. */
const STUCK_STOP_GRACE_MS = 1000;

/**
 * Runs the native messaging host on stdin/stdout until Chrome closes the port (stdin ends), the
 * inbound stream breaks, or the SDK gets stuck. Every request received is answered before it exits.
 */
export function runHost(args: readonly string[]): void {
  new Host(startHost(args)).serve();
}

/** One host process: reads frames, answers them through the dispatcher, and decides how to leave. */
class Host {
  private readonly queue: SdkQueue;
  private readonly client: SdkClient | null;
  private readonly dispatcher: Dispatcher;
  private readonly reader = new FrameReader();
  private closing = false;
  private exiting = false;
  private watchdogStarted = false;

  constructor(private readonly started: StartedHost) {
    const { config, log, channel, sdk } = started;
    this.queue = new SdkQueue({
      timeouts: config.timeouts,
      onStuck: (cmd, runningMs) => void this.stuck(cmd, runningMs),
      onLateAnswer: (cmd, runningMs) => log.warn('sdk answered after its timeout; answer dropped', { cmd, runningMs }),
    });
    this.client = sdk.library ? new SdkClient(sdk.library, this.queue, log, { timeouts: config.timeouts, initWaitMs: config.initWaitMs }) : null;
    this.dispatcher = new Dispatcher({
      version: HOST_VERSION,
      sdk,
      client: this.client,
      timeouts: config.timeouts,
      log,
      send: (response) => {
        if (channel.writer.send(response)) log.warn('answer over the outbound limit replaced by MESSAGE_TOO_LARGE', { id: response.id });
      },
    });
  }

  /** Reading: every frame on stdin goes to the dispatcher; the end of stdin or of stdout ends the host. */
  serve(): void {
    const { log, channel } = this.started;
    process.stdin.on('data', (chunk: Buffer) => this.read(chunk));
    process.stdin.on('end', () => {
      if (this.reader.pendingBytes > 0) log.warn('stdin ended inside a frame', { bytes: this.reader.pendingBytes });
      void this.close(EXIT.OK, 'stdin ended');
    });
    process.stdin.on('error', (error) => {
      log.error('stdin error', errorFields(error));
      void this.close(EXIT.OK, 'stdin error');
    });
    channel.stream.on('error', (error: Error) => {
      // Chrome went away mid-write: nobody can read answers any more.
      log.error('stdout error', errorFields(error));
      void this.leave(EXIT.OK, 'stdout closed', true);
    });
    const fatal = (kind: string) => (error: unknown) => {
      log.error(kind, errorFields(error));
      log.flush();
      process.stderr.write(`pos-face-host: ${kind}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      hardExit(EXIT.INTERNAL);
    };
    process.on('uncaughtException', fatal('uncaught exception'));
    process.on('unhandledRejection', fatal('unhandled rejection'));
  }

  private read(chunk: Buffer): void {
    if (this.closing) return;
    for (const event of this.reader.push(chunk)) {
      if (event.kind === 'frame') this.dispatcher.handleFrame(event.payload);
      else this.tooLarge(event.length);
    }
    if (!this.watchdogStarted) {
      // After the first answer (hello): a thread costs a few milliseconds to start, and nothing that can wait goes before hello.
      this.watchdogStarted = true;
      setImmediate(() => this.startWatchdog());
    }
  }

  /** The SDK's hot call moves to the main thread once a watchdog guards it (sdk-watchdog.ts). */
  private startWatchdog(): void {
    const { config, log, channel } = this.started;
    const client = this.client;
    if (client === null || this.closing) return;
    const failed = (error: unknown): void => {
      log.error('sdk watchdog failed: every SDK call runs on worker threads', errorFields(error));
      client.guardWith(null);
    };
    try {
      const watchdog = new SdkWatchdog({ frameFd: channel.fd, pendingFrameBytes: () => channel.stream.writableLength, logFile: log.file, timeouts: config.timeouts });
      watchdog.onError(failed);
      client.guardWith(watchdog);
    } catch (error) {
      failed(error);
    }
  }

  /** A length header over the limit: the stream cannot be resynchronised, so say so and restart. */
  private tooLarge(length: number): void {
    const { log, channel } = this.started;
    const limit = this.reader.maxBytes;
    log.error('inbound frame over the limit: the stream cannot be resynchronised', { length });
    channel.writer.send({
      id: null,
      ok: false,
      error: new FaceError('MESSAGE_TOO_LARGE', `A message of ${length} bytes is over the host's ${limit}-byte limit; the host restarts`, {
        details: { bytes: length, limit },
      }).toJSON(),
    });
    void this.close(EXIT.BAD_STREAM, 'inbound frame over the limit');
  }

  /** Closing: stops reading, stops a face step nobody waits for any more, answers what is pending, exits. */
  private async close(code: number, why: string): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    const { log } = this.started;
    process.stdin.pause();
    log.info('closing', { why, pending: this.dispatcher.pending });
    const stop = this.client?.stopFaceStep();
    if (stop) {
      log.info('stopping the face step in progress');
      // The vendor's SDK may not know stopWxpayface: a refusal is logged, never an unhandled rejection.
      stop.then(
        () => log.info('face step stopped'),
        (error: unknown) => log.warn('stopping the face step failed', errorFields(error)),
      );
    }
    await this.dispatcher.idle();
    await this.leave(code, why, false);
  }

  /**
   * Stuck handling: a thread blocked inside the SDK cannot be cancelled. The queue has answered
   * everything pending; the host asks the SDK to close its camera window (a truly stuck SDK ignores
   * that too) and exits hard, and the extension starts a fresh host.
   */
  private async stuck(cmd: SdkCommand, runningMs: number): Promise<void> {
    const { log, sdk } = this.started;
    log.error('sdk stuck: exiting after answering everything pending', { cmd, runningMs });
    if (cmd === 'getWxpayfaceUserInfo' && sdk.library) {
      const stop = sdk.library.call(buildSdkRequest({ cmd: 'stopWxpayface' })).then(
        () => undefined,
        (error: unknown) => log.warn('stop after a stuck face step failed', errorFields(error)),
      );
      await Promise.race([stop, new Promise((resolve) => setTimeout(resolve, STUCK_STOP_GRACE_MS))]);
    }
    await this.dispatcher.idle();
    await this.leave(EXIT.SDK_STUCK, `sdk stuck in ${cmd}`, true);
  }

  private async leave(code: number, why: string, hard: boolean): Promise<void> {
    if (this.exiting) return;
    this.exiting = true;
    await this.started.channel.writer.flushed();
    this.started.log.info('host exit', { code, why });
    this.started.log.flush();
    // A thread still inside the SDK would keep process.exit() waiting forever.
    if (hard || this.queue.active !== null) hardExit(code);
    process.exit(code);
  }
}
