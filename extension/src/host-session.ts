import { answerTimeoutMs, FaceError, validateHelloResult, type HelloResult, type InitParams, type SdkCallParams } from '@posface/protocol';
import type { NativePort } from './native-port.js';

/** A fresh host needs no init before these: they set, end or interrupt a session themselves. */
const NO_REPLAY: ReadonlySet<SdkCallParams['cmd']> = new Set(['initWxpayface', 'releaseWxpayface', 'stopWxpayface']);

/**
 * The worker's view of the host: every fresh host is greeted with `hello` first (its answer is checked
 * here, where it enters the extension: version and shape; and it gives the host's own timeouts, so the
 * worker waits a little longer than the host does). A host that was replaced (it crashed, or exited
 * after a stuck SDK call) gets the pages' last `initWxpayface` again before anything else, so the POS,
 * which initialises once at start, never sees "not initialised".
 */
export class HostSession {
  private greeted: { hello: HelloResult; generation: number } | null = null;
  private handshake: Promise<HelloResult> | null = null;
  /** The last initWxpayface that succeeded and was not released since, and the host it went to. */
  private init: { params: InitParams; generation: number } | null = null;
  private reinit: Promise<unknown> | null = null;

  constructor(private readonly port: NativePort) {}

  /** The last hello of the current host, if any (for status). */
  get lastHello(): HelloResult | null {
    return this.greeted?.hello ?? null;
  }

  /** A fresh hello (SDK status may have changed); a wrong protocol closes the port. */
  async hello(): Promise<HelloResult> {
    const raw = await this.port.request({ method: 'hello' }, answerTimeoutMs('extension', 'hello'));
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

  async call(params: SdkCallParams): Promise<unknown> {
    const hello = await this.ready();
    const generation = this.port.generation;
    if (this.init && this.init.generation !== generation && !NO_REPLAY.has(params.cmd)) {
      await this.replayInit(this.init.params, hello, generation);
    }
    const result = await this.port.request({ method: 'call', params }, answerTimeoutMs('extension', params.cmd, hello.timeouts));
    if (params.cmd === 'initWxpayface') this.init = { params, generation };
    if (params.cmd === 'releaseWxpayface') this.init = null;
    return result;
  }

  /** Concurrent callers on a fresh host share one replayed init. */
  private replayInit(params: InitParams, hello: HelloResult, generation: number): Promise<unknown> {
    this.reinit ??= this.port
      .request({ method: 'call', params }, answerTimeoutMs('extension', 'initWxpayface', hello.timeouts))
      .then(() => {
        if (this.init?.params === params) this.init = { params, generation };
      })
      .finally(() => {
        this.reinit = null;
      });
    return this.reinit;
  }
}
