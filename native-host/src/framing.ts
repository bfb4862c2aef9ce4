import type { Writable } from 'node:stream';
import { FaceError, MAX_INBOUND_FRAME_BYTES, MAX_OUTBOUND_FRAME_BYTES, type HostResponse } from '@posface/protocol';
import { guardStdout } from './stdout-guard.js';

/**
 * Chrome native messaging frames: a 4-byte little-endian length, then that many bytes of UTF-8 JSON.
 * This is the ONLY module that writes to stdout (the protocol channel): FrameWriter on the channel
 * openFrameChannel() opens, and writeCliText for the CLI subcommands.
 */

export const HEADER_BYTES = 4;

type FrameEvent = { kind: 'frame'; payload: Buffer } | { kind: 'oversize'; length: number };

/**
 * Cuts a byte stream into frames, whatever the chunking: a chunk may hold part of a header, several
 * frames, or a frame and the start of the next. A header announcing more than `maxBytes` ends the
 * stream (there is no way to find the next frame), reported once as `oversize`.
 */
export class FrameReader {
  private buffered: Buffer[] = [];
  private bufferedBytes = 0;
  private broken = false;

  constructor(readonly maxBytes: number = MAX_INBOUND_FRAME_BYTES) {}

  /** Bytes received that do not yet make a whole frame. */
  get pendingBytes(): number {
    return this.bufferedBytes;
  }

  push(chunk: Buffer): FrameEvent[] {
    if (this.broken) return [];
    this.buffered.push(chunk);
    this.bufferedBytes += chunk.length;
    const events: FrameEvent[] = [];
    while (this.bufferedBytes >= HEADER_BYTES) {
      const data = this.flatten();
      const length = data.readUInt32LE(0);
      if (length > this.maxBytes) {
        this.broken = true;
        this.buffered = [];
        this.bufferedBytes = 0;
        events.push({ kind: 'oversize', length });
        break;
      }
      if (data.length < HEADER_BYTES + length) break;
      // Copy: the payload outlives the chunk it came in.
      events.push({ kind: 'frame', payload: Buffer.from(data.subarray(HEADER_BYTES, HEADER_BYTES + length)) });
      const rest = data.subarray(HEADER_BYTES + length);
      this.buffered = rest.length > 0 ? [rest] : [];
      this.bufferedBytes = rest.length;
    }
    return events;
  }

  private flatten(): Buffer {
    if (this.buffered.length > 1) this.buffered = [Buffer.concat(this.buffered, this.bufferedBytes)];
    return this.buffered[0] as Buffer;
  }
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** A frame's payload as JSON; malformed UTF-8 or JSON is an INVALID_REQUEST saying which. */
export function parseFramePayload(payload: Buffer): unknown {
  let text: string;
  try {
    text = decoder.decode(payload);
  } catch (error) {
    throw new FaceError('INVALID_REQUEST', 'The message is not valid UTF-8', { cause: error });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new FaceError('INVALID_REQUEST', `The message is not valid JSON: ${reason}`, { cause: error });
  }
}

/** One frame holding `value` as UTF-8 JSON (requests in the CLI's probe and in tests). */
export function encodeFrame(value: unknown): Buffer {
  return frameOf(Buffer.from(JSON.stringify(value), 'utf8'));
}

function frameOf(body: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(HEADER_BYTES + body.length);
  frame.writeUInt32LE(body.length, 0);
  body.copy(frame, HEADER_BYTES);
  return frame;
}

/**
 * Encodes a response as one frame. One over the outbound limit (Chrome would drop the connection) is
 * replaced by a MESSAGE_TOO_LARGE error for the same id, so the caller still gets an answer.
 */
export function encodeResponse(response: HostResponse, maxBytes: number = MAX_OUTBOUND_FRAME_BYTES): { frame: Buffer; replaced: boolean } {
  let body = Buffer.from(JSON.stringify(response), 'utf8');
  let replaced = false;
  if (body.length > maxBytes) {
    const error = new FaceError('MESSAGE_TOO_LARGE', `The answer is ${body.length} bytes, over the ${maxBytes}-byte limit of native messaging`, {
      details: { bytes: body.length, limit: maxBytes },
    });
    body = Buffer.from(JSON.stringify({ id: response.id, ok: false, error: error.toJSON() } satisfies HostResponse), 'utf8');
    replaced = true;
  }
  return { frame: frameOf(body), replaced };
}

/** Writes response frames to a stream and can tell when everything written has been flushed. */
export class FrameWriter {
  private inFlight = 0;
  private idle: Array<() => void> = [];
  private failed: Error | null = null;

  constructor(
    private readonly out: Writable,
    private readonly maxBytes: number = MAX_OUTBOUND_FRAME_BYTES,
  ) {}

  /** Sends a response; returns true when it had to be replaced by MESSAGE_TOO_LARGE. */
  send(response: HostResponse): boolean {
    const { frame, replaced } = encodeResponse(response, this.maxBytes);
    if (this.failed) return replaced;
    this.inFlight += 1;
    this.out.write(frame, (error) => {
      if (error) this.failed = error;
      this.inFlight -= 1;
      if (this.inFlight === 0) for (const resolve of this.idle.splice(0)) resolve();
    });
    return replaced;
  }

  /** Resolves once every frame handed to send() has left the process (or the stream failed). */
  flushed(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }
}

/** Where the host's frames go, and whether native code's own prints were moved out of the way. */
export interface FrameChannel {
  writer: FrameWriter;
  stream: Writable;
  /** The stream's file descriptor. */
  fd: number;
  /** True when native prints (and stray console output) can no longer corrupt the frames. */
  guarded: boolean;
  /** What could not be redirected (the host logs it). */
  problems: string[];
}

/** Opens the protocol channel; call it before any SDK library is loaded (see stdout-guard.ts). */
export function openFrameChannel(): FrameChannel {
  const { stream, fd, guarded, problems } = guardStdout(() => process.stdout);
  return { writer: new FrameWriter(stream), stream, fd, guarded, problems };
}

/**
 * Text output of the CLI subcommands (install, uninstall, doctor, help). Those never run in host
 * mode; keeping the write here keeps "who writes stdout" answerable by looking at one file.
 */
export function writeCliText(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}
