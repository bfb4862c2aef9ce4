import type { TerminalInfo } from '@posface/protocol/api';
import type { HelloResult } from '@posface/protocol';
import type { RecordedError } from './stores/status.js';
import type { AuthinfoStateView } from './services.js';

/**
 * What "copy diagnostics" gives IT: versions, states and recent error codes. By construction it holds
 * no credential, no merchant key, no authinfo and no openid (nothing here is ever given one).
 */
export interface DiagnosticsInput {
  appVersion: string;
  userAgent: string;
  origin: string;
  terminal: TerminalInfo | null;
  hello: HelloResult | null;
  health: Record<string, string>;
  /** Sales in the outbox: waiting for the server, and held after a refusal. */
  sales: { waiting: number; held: number };
  authinfo: AuthinfoStateView;
  facePhase: string;
  errors: readonly RecordedError[];
}

export function buildDiagnostics(input: DiagnosticsInput, now = new Date()): string {
  const report = {
    generated_at: now.toISOString(),
    app: { version: input.appVersion, origin: input.origin, user_agent: input.userAgent },
    terminal: input.terminal
      ? {
          store_id: input.terminal.store.id,
          device_id: input.terminal.device_id,
          face: {
            appid: input.terminal.face.appid,
            mch_id: input.terminal.face.mch_id,
            store_id: input.terminal.face.store_id,
            screen_index: input.terminal.face.screen_index,
            release_after_session: input.terminal.face.release_after_session,
          },
        }
      : null,
    health: input.health,
    sales_not_synced: input.sales,
    extension: input.hello?.extension ?? null,
    host: input.hello ? { ...input.hello.host, protocol: input.hello.protocol } : null,
    sdk: input.hello?.sdk ?? null,
    authinfo: {
      status: input.authinfo.status,
      expires_at: input.authinfo.expiresAt === null ? null : new Date(input.authinfo.expiresAt).toISOString(),
    },
    face_phase: input.facePhase,
    recent_errors: input.errors,
  };
  return JSON.stringify(report, null, 2);
}
