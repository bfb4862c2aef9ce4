import {
  FaceError,
  HOST_NAME,
  HOST_PROTOCOL_VERSION,
  validateHostRequest,
  type CallRequest,
  type HelloResult,
  type HostResponse,
  type SdkCommand,
} from '@posface/protocol';
import { parseFramePayload } from './framing.js';
import type { Logger } from './log.js';
import type { SdkClient } from './sdk-client.js';
import { sdkUnavailableError, type SdkState } from './sdk-loader.js';

interface DispatcherDeps {
  version: string;
  sdk: SdkState;
  client: SdkClient | null;
  timeouts: Record<SdkCommand, number>;
  log: Logger;
  send: (response: HostResponse) => void;
}

/**
 * Turns request frames into responses: `hello` at once, `call` through the SDK client. Requests are
 * validated here, where they enter the host (the frames could be anything), and nowhere after. Every
 * frame gets exactly one answer, including frames that are not JSON (id null) or not a valid request
 * (its id when one could be read).
 */
export class Dispatcher {
  private inFlight = 0;
  private drained: Array<() => void> = [];

  constructor(private readonly deps: DispatcherDeps) {}

  /** Requests received and not yet answered. */
  get pending(): number {
    return this.inFlight;
  }

  /** Resolves when every request received so far has been answered. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.drained.push(resolve));
  }

  handleFrame(payload: Buffer): void {
    let request;
    try {
      request = validateHostRequest(parseFramePayload(payload));
    } catch (error) {
      const face = FaceError.wrap(error, 'INVALID_REQUEST');
      const rawId = face.details?.id;
      const id = typeof rawId === 'string' ? rawId : null;
      this.deps.log.warn('invalid request', { id, error: face.message, bytes: payload.length });
      this.deps.send({ id, ok: false, error: face.toJSON() });
      return;
    }
    if (request.method === 'hello') {
      this.deps.send({ id: request.id, ok: true, result: this.hello() });
      return;
    }
    this.inFlight += 1;
    this.call(request).then(
      (result) => this.answer({ id: request.id, ok: true, result }),
      (error: unknown) => this.answer({ id: request.id, ok: false, error: FaceError.wrap(error).toJSON() }),
    );
  }

  hello(): HelloResult {
    return {
      protocol: HOST_PROTOCOL_VERSION,
      host: { name: HOST_NAME, version: this.deps.version },
      sdk: this.deps.sdk.status,
      timeouts: this.deps.timeouts,
    };
  }

  private call(request: CallRequest): Promise<unknown> {
    const client = this.deps.client;
    if (client === null) return Promise.reject(sdkUnavailableError(this.deps.sdk.status));
    return client.call(request.params, request.id);
  }

  private answer(response: HostResponse): void {
    this.inFlight -= 1;
    if (!response.ok) this.deps.log.info('answered with error', { id: response.id, code: response.error.code });
    this.deps.send(response);
    if (this.inFlight === 0) for (const resolve of this.drained.splice(0)) resolve();
  }
}
