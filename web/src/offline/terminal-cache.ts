import type { TerminalInfo } from '@posface/protocol/api';
import { deleteMeta, readMeta, writeMeta, type PosDb } from './db.js';

/**
 * Whom this browser is paired as (GET /api/v1/terminal's answer), so a till that starts while the server is
 * unreachable still opens the checkout. Not a credential: the session is an HttpOnly cookie the page never
 * sees, and the server alone decides whether it still works (a 401 sends the POS back to pairing and clears
 * this). It holds the store, the device and the face SDK's ids, none of them secret.
 */
export class TerminalCache {
  constructor(private readonly db: Promise<PosDb>) {}

  get(): Promise<TerminalInfo | undefined> {
    return readMeta(this.db, 'terminal');
  }

  set(info: TerminalInfo): Promise<void> {
    return writeMeta(this.db, 'terminal', info);
  }

  /** The session ended: the terminal and its kept authinfo go. */
  async clear(): Promise<void> {
    await Promise.all([deleteMeta(this.db, 'terminal'), deleteMeta(this.db, 'authinfo')]);
  }
}
