import { FaceError, MAX_INBOUND_FRAME_BYTES, validateHostResponse, type CallRequest, type HelloRequest } from '@posface/protocol';
import { hostErrorFromLastError } from './errors.js';
import { nativeFrameBytes } from './frame-size.js';

/** The part of chrome.runtime.Port this module uses (a fake one in unit tests). */
export interface PortLike {
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(listener: (message: unknown) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
}

interface NativePortDeps {
  /** chrome.runtime.connectNative bound to the host name. */
  connect: () => PortLike;
  /** chrome.runtime.lastError?.message, read inside onDisconnect. */
  lastError: () => string | undefined;
  /** Told when the host went away (for status and logs). */
  onExit?: (error: FaceError) => void;
}

/** A host request before the worker gives it its id. */
type HostRequestBody = Omit<HelloRequest, 'id'> | Omit<CallRequest, 'id'>;

interface Pending {
  resolve: (result: unknown) => void;
  reject: (error: FaceError) => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * One native port shared by every tab, opened on first use. Request ids are the worker's own (callers'
 * ids may collide across tabs). When the host exits every request in flight fails with the mapped
 * error and the next request opens a fresh port, which starts a fresh host.
 */
export class NativePort {
  private port: PortLike | null = null;
  private readonly pending = new Map<string, Pending>();
  private nextId = 1;
  /** Bumped each time a port is opened, so the caller can tell a fresh host from the same one. */
  generation = 0;

  constructor(private readonly deps: NativePortDeps) {}

  get connected(): boolean {
    return this.port !== null;
  }

  /**
   * Sends one request and resolves with the host's `result` or rejects with a FaceError. A request
   * over the host's inbound limit is refused here, MESSAGE_TOO_LARGE to its caller only: the host
   * would exit on it (a stream cannot be resynchronised) and take every other tab's request with it.
   */
  request(message: HostRequestBody, timeoutMs: number): Promise<unknown> {
    const id = `x-${this.nextId++}`;
    const frame = { ...message, id };
    const bytes = nativeFrameBytes(frame);
    if (bytes > MAX_INBOUND_FRAME_BYTES) {
      return Promise.reject(
        new FaceError('MESSAGE_TOO_LARGE', `The request for ${describe(message)} is ${bytes} bytes, over the native host's ${MAX_INBOUND_FRAME_BYTES}-byte limit`, {
          details: { bytes, limit: MAX_INBOUND_FRAME_BYTES },
        }),
      );
    }
    const port = this.open();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new FaceError('TIMEOUT', `The native host did not answer ${describe(message)} within ${timeoutMs} ms`));
        // A host that stops answering is wedged (a stuck SDK call cannot be cancelled): start over.
        this.reset(new FaceError('HOST_EXITED', 'The native host stopped answering and was restarted'));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      try {
        port.postMessage(frame);
      } catch (error) {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(FaceError.wrap(error, 'HOST_ERROR'));
      }
    });
  }

  /** Closes the port (Chrome then ends the host) and fails what is in flight with `error`. */
  reset(error: FaceError): void {
    const port = this.port;
    this.port = null;
    if (port) port.disconnect();
    this.failAll(error);
  }

  private open(): PortLike {
    if (this.port) return this.port;
    const port = this.deps.connect();
    this.port = port;
    this.generation += 1;
    port.onMessage.addListener((message) => this.onMessage(message));
    port.onDisconnect.addListener(() => {
      // lastError must be read inside the listener, or Chrome logs it as unchecked.
      const error = hostErrorFromLastError(this.deps.lastError());
      if (this.port !== port) return;
      this.port = null;
      this.failAll(error);
      this.deps.onExit?.(error);
    });
    return port;
  }

  /** The host's answers enter the extension here: checked once, then matched to their caller. */
  private onMessage(message: unknown): void {
    let response;
    try {
      response = validateHostResponse(message);
    } catch (error) {
      // A malformed frame cannot be matched to a caller; the callers' own timeouts answer them.
      console.warn('pos-face: malformed message from the native host', error);
      return;
    }
    if (response.id === null) {
      // The host could not read one of our frames (it answers with id null): nothing to match it to.
      console.warn('pos-face: native host error without id', response);
      return;
    }
    const entry = this.pending.get(response.id);
    if (!entry) return; // already timed out
    this.pending.delete(response.id);
    clearTimeout(entry.timer);
    if (response.ok) entry.resolve(response.result);
    else entry.reject(FaceError.fromJSON(response.error));
  }

  private failAll(error: FaceError): void {
    const entries = [...this.pending.values()];
    this.pending.clear();
    for (const entry of entries) {
      clearTimeout(entry.timer);
      entry.reject(error);
    }
  }
}

function describe(message: HostRequestBody): string {
  return message.method === 'call' ? message.params.cmd : message.method;
}
