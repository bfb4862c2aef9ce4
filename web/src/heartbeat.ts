import { FaceError } from '@posface/protocol';
import type { PosApiPort } from './services.js';
import type { useStatusStore } from './stores/status.js';

const HEARTBEAT_MS = 30_000;

/** Keeps the status bar's "server" light honest between sales. Returns a stop function. */
export function startHeartbeat(api: PosApiPort, status: ReturnType<typeof useStatusStore>, everyMs = HEARTBEAT_MS): () => void {
  const beat = async () => {
    try {
      status.setServerOk(await api.ping());
    } catch (e) {
      status.setServerError(FaceError.wrap(e, 'INTERNAL_ERROR'));
    }
  };
  void beat();
  const timer = setInterval(() => void beat(), everyMs);
  return () => clearInterval(timer);
}
