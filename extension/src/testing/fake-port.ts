import type { PortLike } from '../native-port.js';

/** A fake native port: records what the worker sent and lets a test answer or disconnect. */
export class FakePort implements PortLike {
  sent: Array<Record<string, unknown>> = [];
  disconnected = false;
  private messageListeners: Array<(m: unknown) => void> = [];
  private disconnectListeners: Array<() => void> = [];
  onMessage = { addListener: (l: (m: unknown) => void) => void this.messageListeners.push(l) };
  onDisconnect = { addListener: (l: () => void) => void this.disconnectListeners.push(l) };
  postMessage(message: unknown): void {
    if (this.disconnected) throw new Error('Attempting to use a disconnected port object');
    this.sent.push(message as Record<string, unknown>);
  }
  disconnect(): void {
    this.disconnected = true;
  }
  answer(message: unknown): void {
    for (const l of this.messageListeners) l(message);
  }
  /** The host went away (lastError is read by the deps' lastError()). */
  drop(): void {
    this.disconnected = true;
    for (const l of this.disconnectListeners) l();
  }
}
