import { spawn, type ChildProcess } from 'node:child_process';
import { FaceError, validateHostResponse, type HostResponse } from '@posface/protocol';
import { encodeFrame, FrameReader, parseFramePayload } from '../framing.js';

/**
 * Starts a host the way Chrome does (the manifest's `path`, the caller origin as argument, frames over
 * stdio) and talks to it. Used by `doctor`.
 */
export class HostProbe {
  private readonly child: ChildProcess;
  private readonly waiting = new Map<string, (response: HostResponse) => void>();
  private readonly reader = new FrameReader(Number.MAX_SAFE_INTEGER);
  private exited: string | null = null;
  private next = 1;
  stderr = '';

  constructor(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env) {
    // A .bat launcher only runs through cmd.exe (as Chrome starts it).
    const windowsBat = process.platform === 'win32' && /\.(bat|cmd)$/i.test(command);
    this.child = windowsBat
      ? spawn(process.env.ComSpec ?? 'cmd.exe', ['/d', '/s', '/c', `"${command}" ${args.join(' ')}`], { env, windowsVerbatimArguments: true, stdio: 'pipe' })
      : spawn(command, [...args], { env, stdio: 'pipe' });
    this.child.stdout?.on('data', (chunk: Buffer) => {
      for (const event of this.reader.push(chunk)) {
        if (event.kind !== 'frame') continue;
        let response: HostResponse;
        try {
          response = validateHostResponse(parseFramePayload(event.payload));
        } catch (error) {
          // A host that writes anything but valid frames to stdout is broken: report it, do not guess.
          this.exited = `wrote an invalid frame to stdout (${error instanceof Error ? error.message : String(error)})`;
          this.failAll();
          continue;
        }
        const resolve = response.id === null ? undefined : this.waiting.get(response.id);
        if (response.id !== null) this.waiting.delete(response.id);
        resolve?.(response);
      }
    });
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-4000);
    });
    // A host that dies early closes its stdin: a write then fails with EPIPE, reported through exit.
    this.child.stdin?.on('error', (error) => {
      this.stderr = `${this.stderr}\n(stdin: ${error.message})`.slice(-4000);
    });
    this.child.on('error', (error) => {
      this.exited = `could not start: ${error.message}`;
    });
    this.child.on('exit', (code, signal) => {
      this.exited = `exited (${signal ?? `code ${code}`})`;
      this.failAll();
    });
  }

  private failAll(): void {
    for (const [id, resolve] of this.waiting) {
      resolve({ id, ok: false, error: new FaceError('HOST_EXITED', `The host ${this.exited ?? 'exited'}${this.stderr ? `: ${this.stderr.trim()}` : ''}`).toJSON() });
    }
    this.waiting.clear();
  }

  request(method: 'hello' | 'call', params: Record<string, unknown> | undefined, timeoutMs: number): Promise<HostResponse> {
    const id = `doctor-${this.next++}`;
    return new Promise((resolve) => {
      if (this.exited) {
        resolve({ id, ok: false, error: new FaceError('HOST_EXITED', `The host ${this.exited}${this.stderr ? `: ${this.stderr.trim()}` : ''}`).toJSON() });
        return;
      }
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        resolve({ id, ok: false, error: new FaceError('TIMEOUT', `No answer to ${method} within ${timeoutMs} ms`).toJSON() });
      }, timeoutMs);
      this.waiting.set(id, (response) => {
        clearTimeout(timer);
        resolve(response);
      });
      this.child.stdin?.write(encodeFrame(params === undefined ? { id, method } : { id, method, params }));
    });
  }

  /** Closes stdin (as Chrome does) and waits for the exit, killing the host after `graceMs`. */
  close(graceMs = 3000): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        resolve();
        return;
      }
      const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
      this.child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      this.child.stdin?.end();
    });
  }
}
