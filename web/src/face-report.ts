import { FACE_EVENTS_PER_REPORT_MAX, FaceError, type ErrorCode, type FaceOutcome } from '@posface/protocol';
import type { TerminalReportRequest, TerminalReportResponse } from '@posface/protocol/api';
import { newIdempotencyKey } from './idempotency-key.js';

type FaceEvent = NonNullable<TerminalReportRequest['face_events']>[number];
export type ReportedVersions = NonNullable<TerminalReportRequest['versions']>;

/** What the face store tells the report (the real FaceReporter, or a fake in tests). */
export interface FaceReportPort {
  /** One face step ended so. */
  record(outcome: FaceOutcome, errorCode?: ErrorCode): void;
  /** The versions the till runs (sent when they change). */
  versions(versions: ReportedVersions): void;
}

export interface FaceReporterOptions {
  /** Wait this long after an event before sending, so a busy till sends batches. Default 5 s. */
  delayMs?: number;
  /** After a failed send, try again this much later. Default 30 s. */
  retryMs?: number;
  /** Events kept while the server is unreachable; beyond it the oldest go, and `onProblem` says how many. Default 5,000. */
  maxKept?: number;
  /** A send that failed, or events dropped: for diagnostics (the till never waits on a report). */
  onProblem?: (error: FaceError) => void;
}

/** Refusals that sending the same batch again cannot fix: the batch is dropped, and `onProblem` says so. */
const REFUSED: ReadonlySet<ErrorCode> = new Set(['INVALID_REQUEST', 'MESSAGE_TOO_LARGE']);

/**
 * The till's face report to the back office (POST /api/v1/terminal/report): each face step's outcome,
 * never an openid, and the versions it runs. Best effort and never in the way: events wait in memory and go
 * in batches shortly after; while the server cannot be reached they stay and are sent later. Each event has
 * its own id, so a batch sent twice (an answer lost) counts once on the server.
 */
export class FaceReporter implements FaceReportPort {
  private readonly queue: FaceEvent[] = [];
  private pendingVersions: ReportedVersions | null = null;
  private sentVersions = '';
  private timer: ReturnType<typeof setTimeout> | null = null;
  private sending = false;
  private active = true;
  private readonly delayMs: number;
  private readonly retryMs: number;
  private readonly maxKept: number;

  constructor(
    private readonly send: (report: TerminalReportRequest) => Promise<TerminalReportResponse>,
    private readonly options: FaceReporterOptions = {},
  ) {
    this.delayMs = options.delayMs ?? 5_000;
    this.retryMs = options.retryMs ?? 30_000;
    this.maxKept = options.maxKept ?? 5_000;
  }

  /** Events not yet acknowledged by the server. */
  get pending(): number {
    return this.queue.length;
  }

  record(outcome: FaceOutcome, errorCode?: ErrorCode): void {
    const event: FaceEvent = { id: newIdempotencyKey(), at: new Date().toISOString(), outcome };
    if (outcome === 'failed' && errorCode !== undefined) event.error_code = errorCode;
    this.queue.push(event);
    const over = this.queue.length - this.maxKept;
    if (over > 0) {
      this.queue.splice(0, over);
      this.options.onProblem?.(new FaceError('LIMIT_EXCEEDED', `${over} face outcome(s) dropped from the report: the server was unreachable for ${this.maxKept} face steps`));
    }
    this.schedule(this.delayMs);
  }

  versions(versions: ReportedVersions): void {
    const key = JSON.stringify(versions);
    if (key === this.sentVersions || key === '{}') return;
    this.pendingVersions = versions;
    this.schedule(this.delayMs);
  }

  /** Paused (unpaired: a report would be refused) or active again (paired: what waits is sent). */
  setActive(active: boolean): void {
    this.active = active;
    if (active) this.schedule(0);
    else this.clearTimer();
  }

  /** Sends what waits, in batches, now. Resolves when done or after the first failure (then retried later). */
  async flush(): Promise<void> {
    this.clearTimer();
    if (this.sending || !this.active) return;
    this.sending = true;
    let retry = false;
    try {
      while (!retry && this.active && (this.queue.length > 0 || this.pendingVersions !== null)) retry = !(await this.sendBatch());
    } finally {
      this.sending = false;
    }
    if (retry) this.schedule(this.retryMs);
  }

  /** One report of what waits first; false when it should be sent again later. */
  private async sendBatch(): Promise<boolean> {
    const batch = this.queue.slice(0, FACE_EVENTS_PER_REPORT_MAX);
    const versions = this.pendingVersions;
    const report: TerminalReportRequest = {};
    if (versions !== null) report.versions = versions;
    if (batch.length > 0) report.face_events = batch;
    try {
      await this.send(report);
    } catch (e) {
      const error = FaceError.wrap(e, 'INTERNAL_ERROR');
      this.options.onProblem?.(error);
      // A refusal would come again for the same batch: drop it rather than block every later event.
      if (!REFUSED.has(error.code)) return false;
    }
    // By id: events may have been added (or the oldest dropped) while this was in flight.
    const sent = new Set(batch.map((e) => e.id));
    const left = this.queue.filter((e) => !sent.has(e.id));
    this.queue.splice(0, this.queue.length, ...left);
    if (versions !== null && this.pendingVersions === versions) {
      this.sentVersions = JSON.stringify(versions);
      this.pendingVersions = null;
    }
    return true;
  }

  stop(): void {
    this.active = false;
    this.clearTimer();
  }

  private schedule(ms: number): void {
    if (!this.active || this.sending) return;
    if (this.timer !== null && ms > 0) return; // a send is already due; the event rides along
    this.clearTimer();
    this.timer = setTimeout(() => void this.flush(), ms);
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
