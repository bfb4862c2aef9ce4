import { randomUUID } from 'node:crypto';
import { FaceError, type PairingCodeRefusal, type SessionRefusal } from '@posface/protocol';
import type { CompiledQuery } from 'kysely';
import { hashPairingCode } from '../auth/pairing-code.js';
import { hashToken, newSessionSecret } from '../auth/tokens.js';
import type { Db } from '../db/connect.js';
import { TerminalStore, type Terminal, type TerminalRow } from './terminal-store.js';

/**
 * Browser sessions of paired terminals. A pairing code, redeemed once, becomes a session: a random
 * secret in an HttpOnly cookie, stored here as its sha256 beside the terminal id. A session slides: it
 * ends after SESSION_IDLE_MS without a request. One session per terminal: pairing again ends the last.
 */

export const SESSION_IDLE_MS = 30 * 86_400_000;
/** last_seen_at is written at most this often (not on every request), and the cookie re-sent with it. */
export const SESSION_TOUCH_MS = 3_600_000;

export interface TerminalSession {
  id: string;
  terminal: Terminal;
  expiresAt: Date;
  /** This request moved the expiry on: the cookie goes out again with the new lifetime. */
  extended: boolean;
}

export type SessionLookup = { ok: true; session: TerminalSession } | { ok: false; reason: Exclude<SessionRefusal, 'missing'> };

type SessionRow = TerminalRow & { session_id: string; last_seen_at: string; session_expires_at: string };

function pairingRefused(message: string, reason: PairingCodeRefusal): FaceError {
  return new FaceError('PAIRING_CODE_INVALID', message, { details: { reason } });
}

export class SessionStore {
  // Runs on every cookie request: the query is built once and only its parameters change.
  private readonly bySecretQuery: CompiledQuery<SessionRow>;

  constructor(
    private readonly db: Db,
    private readonly terminals: TerminalStore,
  ) {
    this.bySecretQuery = this.withSession().where('terminal_sessions.secret_hash', '=', '').limit(1).compile();
  }

  private withSession() {
    return this.terminals
      .base()
      .innerJoin('terminal_sessions', 'terminal_sessions.terminal_id', 'terminals.id')
      .select(['terminal_sessions.id as session_id', 'terminal_sessions.last_seen_at', 'terminal_sessions.expires_at as session_expires_at']);
  }

  /**
   * Redeems a (normalised) pairing code: marks it used, ends the terminal's previous session and opens
   * a new one. PAIRING_CODE_INVALID with details.reason unknown | expired | used otherwise.
   */
  async pair(code: string, now = new Date()): Promise<{ session: TerminalSession; secret: string }> {
    const codeHash = await hashPairingCode(code);
    const at = now.toISOString();
    const secret = newSessionSecret();
    const id = randomUUID();
    const expiresAt = new Date(now.getTime() + SESSION_IDLE_MS);
    const terminalId = await this.db.kysely.transaction().execute(async (trx) => {
      // One statement, so two tills typing the same code cannot both win.
      const redeemed = await trx
        .updateTable('terminal_pairing_codes')
        .set({ used_at: at })
        .where('code_hash', '=', codeHash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', at)
        .returning('terminal_id')
        .executeTakeFirst();
      if (redeemed === undefined) return null;
      await trx
        .deleteFrom('terminal_sessions')
        .where((eb) => eb.or([eb('terminal_id', '=', redeemed.terminal_id), eb('expires_at', '<=', at)]))
        .execute();
      await trx
        .insertInto('terminal_sessions')
        .values({ id, secret_hash: hashToken(secret), terminal_id: redeemed.terminal_id, created_at: at, last_seen_at: at, expires_at: expiresAt.toISOString() })
        .execute();
      return redeemed.terminal_id;
    });
    if (terminalId === null) throw await this.refusal(codeHash);
    // Revoking deletes a terminal's code, so a redeemed code belongs to an active terminal.
    const terminal = await this.terminals.get(terminalId);
    if (terminal === null || terminal.revoked_at !== null) throw pairingRefused('the terminal of this pairing code was revoked', 'unknown');
    return { session: { id, terminal, expiresAt, extended: false }, secret };
  }

  private async refusal(codeHash: string): Promise<FaceError> {
    const row = await this.db.kysely.selectFrom('terminal_pairing_codes').select(['used_at', 'expires_at']).where('code_hash', '=', codeHash).executeTakeFirst();
    if (row === undefined) {
      return pairingRefused('no such pairing code: check what was typed, or ask IT for a new code', 'unknown');
    }
    if (row.used_at !== null) {
      return pairingRefused(`this pairing code was already used (${row.used_at}): ask IT for a new one`, 'used');
    }
    return pairingRefused(`this pairing code expired at ${row.expires_at} (codes last 10 minutes): ask IT for a new one`, 'expired');
  }

  /** The session holding this cookie secret, extended when last seen over SESSION_TOUCH_MS ago. */
  async find(secret: string, now = new Date()): Promise<SessionLookup> {
    const { rows } = await this.db.kysely.executeQuery<SessionRow>({ ...this.bySecretQuery, parameters: [hashToken(secret), 1] });
    const row = rows[0];
    if (row === undefined) return { ok: false, reason: 'unknown' };
    if (row.revoked_at !== null) return { ok: false, reason: 'revoked' };
    const at = now.toISOString();
    if (row.session_expires_at <= at) return { ok: false, reason: 'expired' };
    const { session_id: id, last_seen_at: lastSeen, session_expires_at: expires, ...terminalRow } = row;
    const terminal = TerminalStore.toTerminal(terminalRow);
    if (now.getTime() - Date.parse(lastSeen) < SESSION_TOUCH_MS) return { ok: true, session: { id, terminal, expiresAt: new Date(expires), extended: false } };
    const expiresAt = new Date(now.getTime() + SESSION_IDLE_MS);
    await this.db.kysely.updateTable('terminal_sessions').set({ last_seen_at: at, expires_at: expiresAt.toISOString() }).where('id', '=', id).execute();
    return { ok: true, session: { id, terminal, expiresAt, extended: true } };
  }

  /** Ends one session (unpair); the terminal stays, and may pair again with a new code. */
  async end(id: string): Promise<void> {
    await this.db.kysely.deleteFrom('terminal_sessions').where('id', '=', id).execute();
  }
}
