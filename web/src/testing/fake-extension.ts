import { BRIDGE_CHANNEL, HOST_PROTOCOL_VERSION, SDK_TIMEOUT_MS, type FaceErrorData } from '@posface/protocol';
import type { FaceWindow } from '../face/face-client.js';

type Handler = (request: { id: string; method: string; params?: Record<string, unknown> }) =>
  | { result: unknown }
  | { error: FaceErrorData }
  | null; // null: never answer

export const ORIGIN = 'http://127.0.0.1:8080';

export const HELLO = {
  protocol: HOST_PROTOCOL_VERSION,
  host: { name: 'com.posface.wxpayface', version: '0.1.0' },
  sdk: { loaded: true, path: '/sim.so', arch: 'x64', error: null },
  timeouts: { ...SDK_TIMEOUT_MS },
  extension: { id: 'nfkeaanmkeknnoplahmcfjnkkklggdka', version: '0.1.0' },
};

/**
 * A fake window whose postMessage plays the content script: requests are answered by `handler`,
 * messages are delivered asynchronously with source = this window, like the real one.
 */
export class FakeExtensionWindow implements FaceWindow {
  location = { origin: ORIGIN };
  requests: Array<{ id: string; method: string; params?: Record<string, unknown> }> = [];
  /** false: no extension at all (nothing answers). */
  installed = true;
  private listeners = new Set<(event: MessageEvent) => void>();

  constructor(public handler: Handler = () => ({ result: HELLO })) {}

  addEventListener(_type: 'message', listener: (event: MessageEvent) => void): void {
    this.listeners.add(listener);
  }
  removeEventListener(_type: 'message', listener: (event: MessageEvent) => void): void {
    this.listeners.delete(listener);
  }
  get listenerCount(): number {
    return this.listeners.size;
  }

  postMessage(message: unknown, targetOrigin: string): void {
    if (targetOrigin !== this.location.origin) throw new Error(`posted to ${targetOrigin}`);
    this.deliver(message);
    const m = message as { type?: string; id: string; method: string; params?: Record<string, unknown> };
    if (m.type !== 'request' || !this.installed) return;
    this.requests.push({ id: m.id, method: m.method, ...(m.params ? { params: m.params } : {}) });
    const answer = this.handler(m);
    if (answer === null) return;
    this.deliver({ channel: BRIDGE_CHANNEL, type: 'response', id: m.id, ...('result' in answer ? { ok: true, result: answer.result } : { ok: false, error: answer.error }) });
  }

  /** Posts as the content script would (e.g. a `ready`), or as someone else with `source`/`origin`. */
  deliver(data: unknown, from: { source?: unknown; origin?: string } = {}): void {
    const event = { data, source: from.source ?? this, origin: from.origin ?? this.location.origin } as unknown as MessageEvent;
    setTimeout(() => {
      for (const l of [...this.listeners]) l(event);
    }, 0);
  }

  ready(version = '0.1.0'): void {
    this.deliver({ channel: BRIDGE_CHANNEL, type: 'ready', version });
  }
}
