import {
  answerTimeoutMs,
  BRIDGE_CHANNEL,
  checkHostProtocol,
  FaceError,
  isOnBridgeChannel,
  validateBridgeReady,
  validateBridgeResponse,
  validateBridgeStatus,
  type BridgeRequest,
  type BridgeStatus,
  type HelloResult,
  type HostMethod,
  type InitParams,
  type SdkCommand,
  type SdkParamsFor,
  type SdkResult,
  type SdkResultBase,
  type UserInfoParams,
  type UserInfoResult,
} from '@posface/protocol';

/** The part of `window` the client uses (a fake one in unit tests). */
export interface FaceWindow {
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  postMessage(message: unknown, targetOrigin: string): void;
  location: { origin: string };
}

interface FaceClientOptions {
  window?: FaceWindow;
  /** How long detect() waits for a sign of the extension (its `ready`, or any answer). Default 1500 ms. */
  readyTimeoutMs?: number;
}

type InitRequest = Omit<InitParams, 'cmd'>;
/** getWxpayfaceUserInfo's fields without `cmd`; face_authtype defaults to FACEID-ONCE. */
type UserInfoRequest = Omit<UserInfoParams, 'cmd' | 'face_authtype'> & { face_authtype?: UserInfoParams['face_authtype'] };

interface Pending {
  resolve: (result: unknown) => void;
  reject: (error: FaceError) => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * The page's typed client of the extension bridge (window.postMessage; docs/protocols.md).
 * Every method resolves to a typed result or rejects with a FaceError carrying a shared code.
 * What crosses into the page is checked here once: the bridge envelope (anything on the page can post
 * on our channel), and the protocol version of a `hello`. The results themselves were checked where
 * they entered the chain: the SDK's answer by the host, the host's hello by the extension.
 */
export class FaceClient {
  private readonly win: FaceWindow;
  private readonly readyTimeoutMs: number;
  private readonly pending = new Map<string, Pending>();
  private readonly idPrefix = `pf${Math.random().toString(36).slice(2, 8)}`;
  private seq = 0;
  private seen = false;
  private seenWaiters: Array<() => void> = [];
  private disposed = false;
  private readonly statusListeners = new Set<(status: BridgeStatus) => void>();
  /** The extension's version from its `ready` message, when one arrived. */
  extensionVersion: string | null = null;
  /** The last successful hello (versions, SDK status, timeouts). */
  lastHello: HelloResult | null = null;

  constructor(options: FaceClientOptions = {}) {
    this.win = options.window ?? (window as FaceWindow);
    this.readyTimeoutMs = options.readyTimeoutMs ?? 1500;
    this.win.addEventListener('message', this.onMessage);
  }

  /** True once the extension has shown itself (ready, or any answer). */
  get extensionPresent(): boolean {
    return this.seen;
  }

  /**
   * Finds the extension and greets the host: resolves with hello, rejects EXTENSION_UNAVAILABLE when the
   * extension gives no sign within readyTimeoutMs, or with the host's error (HOST_NOT_FOUND, …).
   */
  async detect(): Promise<HelloResult> {
    const { id, promise } = this.send('hello', undefined, answerTimeoutMs('page', 'hello'));
    if (!this.seen && !(await this.waitSeen())) {
      this.settle(id, new FaceError('EXTENSION_UNAVAILABLE', 'The POS Face extension is not installed or not enabled for this page'));
    }
    return this.acceptHello(await promise);
  }

  /** Versions of extension and host, the SDK's status and the host's timeouts. */
  async hello(): Promise<HelloResult> {
    await this.ensurePresent();
    const { promise } = this.send('hello', undefined, answerTimeoutMs('page', 'hello'));
    return this.acceptHello(await promise);
  }

  init(params: InitRequest = {}): Promise<SdkResultBase> {
    return this.call('initWxpayface', { cmd: 'initWxpayface', ...params });
  }

  /** getWxpayfaceRawdata → the rawdata the server turns into an authinfo. */
  async rawdata(): Promise<string> {
    return (await this.call('getWxpayfaceRawdata', { cmd: 'getWxpayfaceRawdata' })).rawdata;
  }

  /** The face step (blocks while the customer looks at the camera). */
  userInfo(params: UserInfoRequest): Promise<UserInfoResult> {
    return this.call('getWxpayfaceUserInfo', { face_authtype: 'FACEID-ONCE', ...params, cmd: 'getWxpayfaceUserInfo' });
  }

  release(): Promise<SdkResultBase> {
    return this.call('releaseWxpayface', { cmd: 'releaseWxpayface' });
  }

  /** Stops a face step in progress (it then rejects with USER_CANCEL). */
  cancel(): Promise<SdkResultBase> {
    return this.call('stopWxpayface', { cmd: 'stopWxpayface' });
  }

  /** The extension's unasked news about the host (it exited; a fresh one answered). Returns an unsubscribe. */
  onHostStatus(listener: (status: BridgeStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Stops listening; whatever is in flight rejects. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.win.removeEventListener('message', this.onMessage);
    for (const id of [...this.pending.keys()]) this.settle(id, new FaceError('EXTENSION_UNAVAILABLE', 'The face client was closed'));
  }

  private async call<C extends SdkCommand>(cmd: C, params: SdkParamsFor<C>): Promise<SdkResult<C>> {
    await this.ensurePresent();
    const { promise } = this.send('call', params, answerTimeoutMs('page', cmd, this.lastHello?.timeouts));
    return (await promise) as SdkResult<C>;
  }

  /** Before a first call: make sure something is listening, so a missing extension fails fast. */
  private async ensurePresent(): Promise<void> {
    if (this.seen) return;
    try {
      await this.detect();
    } catch (error) {
      // Any answer (even HOST_NOT_FOUND) proves the extension is there; let the call itself report.
      if (!this.seen) throw error;
    }
  }

  private acceptHello(result: unknown): HelloResult {
    checkHostProtocol(result);
    const hello = result as HelloResult;
    this.lastHello = hello;
    return hello;
  }

  private waitSeen(): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(this.seen), this.readyTimeoutMs);
      this.seenWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  private markSeen(): void {
    if (this.seen) return;
    this.seen = true;
    const waiters = this.seenWaiters;
    this.seenWaiters = [];
    for (const wake of waiters) wake();
  }

  private send(method: HostMethod, params: unknown, timeoutMs: number): { id: string; promise: Promise<unknown> } {
    const id = `${this.idPrefix}-${++this.seq}`;
    const promise = new Promise<unknown>((resolve, reject) => {
      if (this.disposed) {
        reject(new FaceError('EXTENSION_UNAVAILABLE', 'The face client was closed'));
        return;
      }
      const what = method === 'call' ? (params as { cmd: string }).cmd : method;
      const timer = setTimeout(
        () => this.settle(id, new FaceError('TIMEOUT', `No answer to ${what} within ${timeoutMs} ms`, { details: { timeoutMs } })),
        timeoutMs,
      );
      this.pending.set(id, { resolve, reject, timer });
    });
    const request: BridgeRequest = { channel: BRIDGE_CHANNEL, type: 'request', id, method };
    if (params !== undefined) request.params = params;
    this.win.postMessage(request, this.win.location.origin);
    return { id, promise };
  }

  private settle(id: string, outcome: FaceError | { result: unknown }): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    clearTimeout(entry.timer);
    if (outcome instanceof FaceError) entry.reject(outcome);
    else entry.resolve(outcome.result);
  }

  private readonly onMessage = (event: MessageEvent): void => {
    if (event.source !== (this.win as unknown) || event.origin !== this.win.location.origin) return;
    const data: unknown = event.data;
    if (!isOnBridgeChannel(data)) return;
    try {
      if (data.type === 'ready') {
        this.extensionVersion = validateBridgeReady(data).version;
        this.markSeen();
      } else if (data.type === 'response') {
        const response = validateBridgeResponse(data);
        if (!this.pending.has(response.id)) return; // another client's, or already timed out
        this.markSeen();
        this.settle(response.id, response.ok ? { result: response.result } : FaceError.fromJSON(response.error));
      } else if (data.type === 'status') {
        const status = validateBridgeStatus(data);
        this.markSeen();
        for (const listener of [...this.statusListeners]) listener(status);
      }
    } catch (error) {
      // Our own requests echo through here (type "request"); anything else malformed is ignored,
      // and the caller's timeout reports it.
      console.warn('pos-face: ignored a malformed bridge message', error);
    }
  };
}
