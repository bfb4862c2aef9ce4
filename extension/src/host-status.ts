import { BRIDGE_CHANNEL, type BridgeStatus, type FaceError } from '@posface/protocol';

/** The part of chrome.runtime.Port this module uses (a fake one in unit tests). */
export interface StatusPort {
  postMessage(message: BridgeStatus): void;
}

/**
 * Tells every connected POS page, unasked, when the host process ended (the moment its native port
 * disconnects) and when a fresh host answered: the page's status bar changes at once instead of at the
 * next face request. The next request still starts a fresh host as before.
 */
export class HostStatusBroadcaster {
  private readonly ports = new Set<StatusPort>();
  /** The host generation a `connected` was sent for, so each fresh host is announced once. */
  private announced = 0;

  add(port: StatusPort): void {
    this.ports.add(port);
  }

  remove(port: StatusPort): void {
    this.ports.delete(port);
  }

  /** The native port disconnected: the host exited, or Chrome could not start it. */
  exited(error: FaceError): void {
    this.send({ channel: BRIDGE_CHANNEL, type: 'status', host: 'exited', error: error.toJSON() });
  }

  /** Host `generation` is running and greeted (it answered a request); each fresh host is announced once. */
  answered(generation: number, version: string | undefined): void {
    if (generation === this.announced || version === undefined) return;
    this.announced = generation;
    this.send({ channel: BRIDGE_CHANNEL, type: 'status', host: 'connected', version });
  }

  private send(message: BridgeStatus): void {
    for (const port of this.ports) {
      try {
        port.postMessage(message);
      } catch {
        // That page's port closed in the meantime: it is removed by its own onDisconnect.
      }
    }
  }
}
