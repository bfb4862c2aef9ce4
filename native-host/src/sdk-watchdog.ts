import { Worker } from 'node:worker_threads';
import { SDK_COMMANDS, type SdkCommand } from '@posface/protocol';
import { sdkTimeoutError } from './sdk-queue.js';

/**
 * Calls made on the main thread, guarded. getWxpayfaceRawdata starts every face step and takes the
 * SDK microseconds; handing it to a worker thread and back cost more than the call (docs/decisions.md,
 * "The hot SDK call runs on the main thread"). A call that hangs there stops the event loop, so no
 * JavaScript on that thread can answer it. This watchdog, a small thread of its own, can: once a
 * guarded call is past its deadline it writes the TIMEOUT answer straight to the frame channel, logs
 * why, and ends the process, as the host does after any stuck call (the SDK's thread cannot be
 * cancelled); the extension starts a fresh host.
 *
 * It is never woken per call: the main thread only writes to shared memory, and the watchdog looks
 * every `pollMs`, so a hung call is answered within its budget plus `pollMs` from its start. Log lines the main thread queued in the last 250 ms go with the process; the
 * watchdog's own line says what happened.
 */

interface WatchdogOptions {
  /** The file descriptor the frames go to. */
  frameFd: number;
  /** Bytes of earlier frames not yet written out (the watchdog must not write into the middle of one). */
  pendingFrameBytes: () => number;
  /** The log file; null: stderr. */
  logFile: string | null;
  timeouts: Record<SdkCommand, number>;
  pollMs?: number;
}

/** Shared memory: Int32 slots, then the deadline, then the request id's UTF-8 bytes. */
const SLOT = { state: 0, sleep: 1, cmd: 2, idBytes: 3, pendingBytes: 4 } as const;
/** One more than used: the deadline after them must be 8-byte aligned. */
const SLOTS = 6;
const DEADLINE_OFFSET = SLOTS * 4;
const ID_OFFSET = DEADLINE_OFFSET + 8;
/** Request ids are at most 64 characters (protocol/src/host.ts), so at most 256 UTF-8 bytes. */
const ID_MAX_BYTES = 256;
const IDLE = 0;
const FIRED = -1;
const DEFAULT_POLL_MS = 250;

/**
 * The watchdog thread (plain JavaScript: it is evaluated as is, also inside the Windows executable).
 * state: IDLE, the sequence number of the guarded call in progress, or FIRED. Firing is a
 * compare-and-swap from that call's number, so a call that returns at the same moment either wins
 * (and is answered normally) or finds FIRED (and waits for the end).
 */
const THREAD_SOURCE = `
const { workerData } = require('node:worker_threads');
const { appendFileSync, writeSync } = require('node:fs');
const { sab, frameFd, logFile, pollMs, cmds, errors } = workerData;
const slots = new Int32Array(sab, 0, ${SLOTS});
const deadline = new Float64Array(sab, ${DEADLINE_OFFSET}, 1);
const idBytes = new Uint8Array(sab, ${ID_OFFSET}, ${ID_MAX_BYTES});
for (;;) {
  Atomics.wait(slots, ${SLOT.sleep}, 0, pollMs);
  const call = Atomics.load(slots, ${SLOT.state});
  if (call <= 0 || performance.timeOrigin + performance.now() < deadline[0]) continue;
  if (Atomics.compareExchange(slots, ${SLOT.state}, call, ${FIRED}) !== call) continue;
  const cmd = cmds[Atomics.load(slots, ${SLOT.cmd})];
  const id = Buffer.from(idBytes.subarray(0, Atomics.load(slots, ${SLOT.idBytes}))).toString('utf8');
  // Half a frame still on its way out would be corrupted by this one: then the extension answers instead.
  let answer = Atomics.load(slots, ${SLOT.pendingBytes}) === 0 ? 'TIMEOUT' : 'left to the extension (a frame was half written)';
  if (answer === 'TIMEOUT') {
    const body = Buffer.from(JSON.stringify({ id, ok: false, error: errors[cmd] }), 'utf8');
    const frame = Buffer.alloc(4 + body.length);
    frame.writeUInt32LE(body.length, 0);
    body.copy(frame, 4);
    try { writeSync(frameFd, frame); } catch (error) { answer = 'not written: ' + error.message; }
  }
  const line = JSON.stringify({ time: new Date().toISOString(), level: 'error', pid: process.pid,
    msg: 'sdk stuck on the main thread: the watchdog answered and ends the host', cmd, id, answer }) + '\\n';
  try {
    appendFileSync(logFile ?? 2, line);
  } catch (error) {
    // Chrome may give the host no stderr at all: then the line goes nowhere, and the process still ends.
    try { writeSync(2, 'pos-face-host: ' + error.message + ': ' + line); } catch {}
  } finally {
    // The main thread is inside the SDK: only a signal ends the process (TerminateProcess on Windows).
    process.kill(process.pid, 'SIGKILL');
  }
}
`;

export class SdkWatchdog {
  private readonly slots: Int32Array;
  private readonly deadline: Float64Array;
  private readonly idBytes: Uint8Array;
  private readonly encoder = new TextEncoder();
  private readonly worker: Worker;
  private seq = 0;

  constructor(private readonly options: WatchdogOptions) {
    const sab = new SharedArrayBuffer(ID_OFFSET + ID_MAX_BYTES);
    this.slots = new Int32Array(sab, 0, SLOTS);
    this.deadline = new Float64Array(sab, DEADLINE_OFFSET, 1);
    this.idBytes = new Uint8Array(sab, ID_OFFSET, ID_MAX_BYTES);
    const errors = Object.fromEntries(SDK_COMMANDS.map((cmd) => [cmd, sdkTimeoutError(cmd, options.timeouts[cmd], 'running').toJSON()]));
    this.worker = new Worker(THREAD_SOURCE, {
      eval: true,
      workerData: { sab, frameFd: options.frameFd, logFile: options.logFile, pollMs: options.pollMs ?? DEFAULT_POLL_MS, cmds: SDK_COMMANDS, errors },
      // Its console is not the frame channel (it prints nothing anyway).
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 2 },
    });
    this.worker.unref();
  }

  /** Reports the watchdog thread failing (it then guards nothing; calls still run). */
  onError(listener: (error: Error) => void): void {
    this.worker.on('error', listener);
  }

  /**
   * Runs `call` on this thread, answered by the watchdog on behalf of request `requestId` if it is still
   * running after `cmd`'s budget: a full budget inside the SDK, as the queue judges a stuck call,
   * whatever the request spent waiting before. If that happened, this never returns: the process is
   * ending.
   */
  run<T>(requestId: string, cmd: SdkCommand, call: () => T): T {
    const seq = (this.seq = (this.seq % 0x7fff_ffff) + 1);
    const { written } = this.encoder.encodeInto(requestId, this.idBytes);
    Atomics.store(this.slots, SLOT.idBytes, written);
    Atomics.store(this.slots, SLOT.cmd, SDK_COMMANDS.indexOf(cmd));
    Atomics.store(this.slots, SLOT.pendingBytes, this.options.pendingFrameBytes());
    // Each thread's start time plus its monotonic clock: comparable across threads, and a later wall-clock step cannot fire it.
    this.deadline[0] = performance.timeOrigin + performance.now() + this.options.timeouts[cmd];
    Atomics.store(this.slots, SLOT.state, seq);
    try {
      return call();
    } finally {
      if (Atomics.compareExchange(this.slots, SLOT.state, seq, IDLE) !== seq) {
        // The watchdog answered this call and is ending the process: nothing more may be written.
        Atomics.wait(this.slots, SLOT.sleep, 0);
      }
    }
  }
}
