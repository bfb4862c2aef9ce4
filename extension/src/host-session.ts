import {
  HELLO_TIMEOUT_MS,
  SDK_TIMEOUT_MS,
  TIMEOUT_SLACK_MS,
  FaceError,
  validateHelloResult,
  type HelloResult,
  type SdkCallParams,
} from '@posface/protocol';
import type { NativePort } from './native-port.js';

/**
 * The worker's view of the host: every fresh host is greeted with `hello` first (version check, and
 * the host's own timeouts, so the worker waits a little longer than the host does).
 */
export class HostSession {
  private greeted: { hello: HelloResult; generation: number } | null = null;
  private handshake: Promise<HelloResult> | null = null;

  constructor(private readonly port: NativePort) {}

  /** The last hello of the current host, if any (for status). */
  get lastHello(): HelloResult | null {
    return this.greeted?.hello ?? null;
  }

  /** A fresh hello (SDK status may have changed); a wrong protocol closes the port. */
  async hello(): Promise<HelloResult> {
    const raw = await this.port.request({ method: 'hello' }, HELLO_TIMEOUT_MS);
    const generation = this.port.generation;
    let hello: HelloResult;
    try {
      hello = validateHelloResult(raw);
    } catch (error) {
      const failure = FaceError.wrap(error);
      this.port.reset(failure);
      this.greeted = null;
      throw failure;
    }
    this.greeted = { hello, generation };
    return hello;
  }

  /** Makes sure the current host was greeted (once per host process). */
  ready(): Promise<HelloResult> {
    if (this.greeted && this.port.connected && this.greeted.generation === this.port.generation) {
      return Promise.resolve(this.greeted.hello);
    }
    this.handshake ??= this.hello().finally(() => {
      this.handshake = null;
    });
    return this.handshake;
  }

  /** The worker's timeout for a command: the host's, plus the extension's slack. */
  static timeoutFor(cmd: SdkCallParams['cmd'], hello: HelloResult | null): number {
    return (hello?.timeouts[cmd] ?? SDK_TIMEOUT_MS[cmd]) + TIMEOUT_SLACK_MS.extension;
  }

  async call(params: SdkCallParams): Promise<unknown> {
    const hello = await this.ready();
    return this.port.request({ method: 'call', params }, HostSession.timeoutFor(params.cmd, hello));
  }
}
