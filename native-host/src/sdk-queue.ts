import { answerTimeoutMs, FaceError, type SdkCommand } from '@posface/protocol';

/**
 * One SDK call at a time. koffi runs async calls in parallel on worker threads, and the vendor's SDK
 * is not documented as re-entrant, so calls wait here in order. Rules:
 * - `stopWxpayface` goes straight through: its job is to interrupt the face step that holds the queue.
 * - A second `getWxpayfaceUserInfo` while one is running or queued is answered BUSY at once, whichever
 *   tab sent it: a double click must not open the camera twice, and the cashier sees the first one
 *   anyway. This is the one place that rule is enforced (the extension only knows which tab may stop
 *   the step).
 * - Each call has a budget (its timeout) counted from arrival, so outer layers, which wait the same
 *   budget plus slack, always hear first from the host. A call still queued when it runs out is
 *   answered TIMEOUT and dropped (the SDK never saw it).
 * - A call that is still inside the SDK when its budget runs out is answered TIMEOUT. If it is still
 *   there a full budget after it started, the SDK thread is stuck and cannot be cancelled: the queue
 *   answers everything pending with BUSY, refuses new work, and reports `onStuck` (the host exits and
 *   the extension starts a fresh one).
 * - A call run on the main thread (sdk-watchdog.ts) blocks these timers too: its watchdog answers it.
 */

interface SdkQueueOptions {
  timeouts: Record<SdkCommand, number>;
  /** Calls allowed to wait (beyond this: BUSY). */
  maxQueued?: number;
  onStuck: (cmd: SdkCommand, runningMs: number) => void;
  /** Reports a call that finished after its caller had been answered TIMEOUT. */
  onLateAnswer?: (cmd: SdkCommand, runningMs: number) => void;
  now?: () => number;
}

interface Task {
  cmd: SdkCommand;
  run: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: FaceError) => void;
  submittedAt: number;
  startedAt: number | null;
  answered: boolean;
  /** Its budget's end; once that has passed while it runs, the check that the SDK is stuck. */
  timer: NodeJS.Timeout | null;
}

const DEFAULT_MAX_QUEUED = 128;

/** The answer to a call that ran out of its budget, waiting in the queue or inside the SDK. */
export function sdkTimeoutError(cmd: SdkCommand, budgetMs: number, stage: 'queued' | 'running'): FaceError {
  return new FaceError(
    'TIMEOUT',
    stage === 'queued' ? `${cmd} waited ${budgetMs} ms behind other SDK calls without starting` : `The SDK did not answer ${cmd} within ${budgetMs} ms`,
    { details: { cmd, timeoutMs: budgetMs, stage } },
  );
}

export class SdkQueue {
  private readonly waiting: Task[] = [];
  private running: Task | null = null;
  private readonly bypassing = new Set<Task>();
  private stuck: { cmd: SdkCommand } | null = null;
  private readonly maxQueued: number;
  private readonly now: () => number;

  constructor(private readonly options: SdkQueueOptions) {
    this.maxQueued = options.maxQueued ?? DEFAULT_MAX_QUEUED;
    this.now = options.now ?? Date.now;
  }

  /** Calls not yet answered (waiting, running, or stop calls in flight). */
  get pending(): number {
    const all = [...this.waiting, ...this.bypassing, ...(this.running ? [this.running] : [])];
    return all.filter((task) => !task.answered).length;
  }

  /** The command inside the SDK right now (not counting stop calls). */
  get active(): SdkCommand | null {
    return this.running?.cmd ?? null;
  }

  get isStuck(): boolean {
    return this.stuck !== null;
  }

  submit<T>(cmd: SdkCommand, run: () => Promise<T>): Promise<T> {
    if (this.stuck) return Promise.reject(this.restartingError());
    if (cmd === 'getWxpayfaceUserInfo' && (this.running?.cmd === cmd || this.waiting.some((task) => task.cmd === cmd))) {
      return Promise.reject(new FaceError('BUSY', 'A face recognition is already in progress: wait for it to finish or stop it first', { details: { cmd } }));
    }
    if (cmd !== 'stopWxpayface' && this.waiting.length >= this.maxQueued) {
      return Promise.reject(new FaceError('BUSY', `${this.waiting.length} SDK calls are already waiting: retry later`, { details: { cmd } }));
    }
    return new Promise<T>((resolve, reject) => {
      const task: Task = {
        cmd,
        run,
        resolve: resolve as (value: unknown) => void,
        reject,
        submittedAt: this.now(),
        startedAt: null,
        answered: false,
        timer: null,
      };
      task.timer = setTimeout(() => this.budgetSpent(task), this.budget(cmd));
      if (cmd === 'stopWxpayface') {
        this.bypassing.add(task);
        this.start(task);
      } else {
        this.waiting.push(task);
        this.pump();
      }
    });
  }

  /** The host's budget for a command (its configured timeout). */
  private budget(cmd: SdkCommand): number {
    return answerTimeoutMs('host', cmd, this.options.timeouts);
  }

  private restartingError(): FaceError {
    const cmd = this.stuck?.cmd ?? 'unknown';
    return new FaceError('BUSY', `The SDK is stuck in ${cmd} and the host is restarting: retry in a moment`, { details: { stuck: cmd } });
  }

  private pump(): void {
    if (this.running || this.stuck) return;
    const next = this.waiting.shift();
    if (!next) return;
    this.running = next;
    this.start(next);
  }

  private start(task: Task): void {
    task.startedAt = this.now();
    let promise: Promise<unknown>;
    try {
      promise = task.run();
    } catch (error) {
      promise = Promise.reject(error);
    }
    promise.then(
      (value) => this.settle(task, () => task.resolve(value)),
      (error: unknown) => this.settle(task, () => task.reject(FaceError.wrap(error, 'HOST_ERROR'))),
    );
  }

  private settle(task: Task, answer: () => void): void {
    if (task.timer !== null) clearTimeout(task.timer);
    if (task.answered) {
      this.options.onLateAnswer?.(task.cmd, this.now() - (task.startedAt ?? task.submittedAt));
    } else {
      task.answered = true;
      answer();
    }
    if (this.bypassing.delete(task)) return;
    if (this.running === task) {
      this.running = null;
      this.pump();
    }
  }

  private budgetSpent(task: Task): void {
    task.timer = null;
    if (task.answered) return;
    const budget = this.budget(task.cmd);
    const startedAt = task.startedAt;
    const queued = startedAt === null;
    if (queued) {
      const index = this.waiting.indexOf(task);
      if (index >= 0) this.waiting.splice(index, 1);
    } else {
      // A full budget inside the SDK, whatever the time spent waiting: only then is the SDK stuck.
      task.timer = setTimeout(() => this.stuckCheck(task), Math.max(0, startedAt + budget - this.now()));
    }
    task.answered = true;
    task.reject(sdkTimeoutError(task.cmd, budget, queued ? 'queued' : 'running'));
  }

  private stuckCheck(task: Task): void {
    task.timer = null;
    if (this.stuck) return;
    if (this.running !== task && !this.bypassing.has(task)) return;
    this.stuck = { cmd: task.cmd };
    const error = this.restartingError();
    const others = [...this.waiting.splice(0), ...this.bypassing, ...(this.running && this.running !== task ? [this.running] : [])];
    for (const other of others) {
      if (other === task || other.answered) continue;
      if (other.timer !== null) clearTimeout(other.timer);
      other.answered = true;
      other.reject(error);
    }
    this.options.onStuck(task.cmd, this.now() - (task.startedAt ?? task.submittedAt));
  }
}
