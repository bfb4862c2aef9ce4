import { closeSync, existsSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { redact } from './redact.js';

type LogLevel = 'debug' | 'info' | 'warn' | 'error';

interface LogOptions {
  /** Folder of the rotating file; null for no file. */
  dir: string | null;
  stderr: boolean;
  maxBytes: number;
  files: number;
}

export const LOG_FILE_NAME = 'pos-face-host.log';
/** How long a logged line may wait to be written with the ones after it. */
export const FLUSH_MS = 250;

interface Entry {
  time: number;
  level: LogLevel;
  msg: string;
  fields: Record<string, unknown> | undefined;
}

/**
 * JSON-lines log to a rotating file (and stderr on request). Never stdout: that is the protocol
 * channel. Fields pass through redact(), so an openid, nickname or authinfo is only ever a short hash.
 * Lines are written together, synchronously, at most FLUSH_MS after the first of them, and by flush(),
 * which the host calls before it exits, hard exits included. Measured on the face path: writing each
 * SDK call's line right after its answer slowed the page's round trip by about a tenth; batched, the
 * writes stay off the path. Fields are read when the line is written: pass values, not objects that
 * change afterwards.
 */
export class Logger {
  readonly file: string | null;
  private fd: number | null = null;
  private size = 0;
  private queued: Entry[] = [];

  constructor(private options: LogOptions) {
    this.file = null;
    if (options.dir !== null) {
      try {
        mkdirSync(options.dir, { recursive: true });
        this.file = join(options.dir, LOG_FILE_NAME);
        this.open();
      } catch (error) {
        this.file = null;
        process.stderr.write(`pos-face-host: cannot write logs to ${options.dir} (${String(error)}); logging to stderr\n`);
        this.options = { ...options, stderr: true };
      }
    }
  }

  debug(msg: string, fields?: Record<string, unknown>): void {
    this.queue('debug', msg, fields);
  }
  info(msg: string, fields?: Record<string, unknown>): void {
    this.queue('info', msg, fields);
  }
  warn(msg: string, fields?: Record<string, unknown>): void {
    this.queue('warn', msg, fields);
  }
  error(msg: string, fields?: Record<string, unknown>): void {
    this.queue('error', msg, fields);
  }

  /** Writes every line logged so far. */
  flush(): void {
    const entries = this.queued;
    this.queued = [];
    for (const entry of entries) this.write(entry);
  }

  private queue(level: LogLevel, msg: string, fields?: Record<string, unknown>): void {
    if (this.queued.length === 0) setTimeout(() => this.flush(), FLUSH_MS).unref();
    this.queued.push({ time: Date.now(), level, msg, fields });
  }

  private write({ time, level, msg, fields }: Entry): void {
    const entry = { time: new Date(time).toISOString(), level, pid: process.pid, msg, ...(fields ? (redact(fields) as object) : {}) };
    const line = `${JSON.stringify(entry)}\n`;
    if (this.options.stderr) process.stderr.write(line);
    if (this.file === null) return;
    try {
      const bytes = Buffer.byteLength(line);
      if (this.size > 0 && this.size + bytes > this.options.maxBytes) this.rotate();
      writeSync(this.fd ?? this.open(), line);
      this.size += bytes;
    } catch (error) {
      // A full disk must not take the till down: say so on stderr (Chrome's log) and carry on.
      process.stderr.write(`pos-face-host: log write failed (${String(error)}): ${line}`);
    }
  }

  private open(): number {
    const fd = openSync(this.file as string, 'a');
    this.fd = fd;
    this.size = fstatSync(fd).size;
    return fd;
  }

  /** pos-face-host.log → .1 → .2 …; the oldest beyond `files` is dropped. */
  private rotate(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    const file = this.file as string;
    const last = `${file}.${this.options.files - 1}`;
    if (this.options.files <= 1) {
      rmSync(file, { force: true });
    } else {
      rmSync(last, { force: true });
      for (let i = this.options.files - 2; i >= 1; i -= 1) {
        if (existsSync(`${file}.${i}`)) renameSync(`${file}.${i}`, `${file}.${i + 1}`);
      }
      if (existsSync(file)) renameSync(file, `${file}.1`);
    }
    this.size = 0;
  }
}

/** Serialises an error for a log line (message, code and stack, never the cause's payload). */
export function errorFields(error: unknown): Record<string, unknown> {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { error: error.message, ...(code === undefined ? {} : { code }), stack: error.stack };
  }
  return { error: String(error) };
}
