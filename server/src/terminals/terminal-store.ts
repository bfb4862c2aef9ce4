import { randomUUID } from 'node:crypto';
import { FaceError } from '@posface/protocol';
import type { CompiledQuery } from 'kysely';
import { hashPairingCode, newPairingCode, PAIRING_CODE_TTL_MS } from '../auth/pairing-code.js';
import { hashToken, newToken } from '../auth/tokens.js';
import { isUniqueViolation, type Db } from '../db/connect.js';

export interface Terminal {
  id: string;
  store_id: string;
  store_name: string;
  device_id: string;
  ask_unionid: '0' | '1';
  screen_index: string;
  release_after_session: boolean;
  created_at: string;
  revoked_at: string | null;
}

/** A terminals row joined with its store's name. */
export interface TerminalRow {
  id: string;
  store_id: string;
  store_name: string;
  device_id: string;
  ask_unionid: string;
  screen_index: string;
  release_after_session: number;
  created_at: string;
  revoked_at: string | null;
}

export interface NewTerminal {
  storeId: string;
  /** Creates the store, or renames it; without it the store must exist already. */
  storeName?: string;
  deviceId: string;
  askUnionid?: boolean;
  screenIndex?: string;
  releaseAfterSession?: boolean;
}

/** One active terminal: by id, or by device id (and store id when several stores use that device id). */
export type TerminalSelector = { id: string } | { deviceId: string; storeId?: string };

/** A one-time pairing code as shown to IT (ABCD-EFGH is how the CLI prints it). */
export interface IssuedPairingCode {
  code: string;
  expires_at: string;
}

/** token_hash of a terminal without a bearer token: no sha256 hex starts like this. */
const NO_TOKEN = 'none:';

const ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

/** Checks what IT typed, with a message per field (WeChat's limits: store_id, device_id ≤ 32, store_name ≤ 128). */
export function checkNewTerminal(t: NewTerminal): string[] {
  const problems: string[] = [];
  if (!ID_PATTERN.test(t.storeId)) problems.push('store id: 1 to 32 letters, digits, "_" or "-"');
  if (!ID_PATTERN.test(t.deviceId)) problems.push('device id: 1 to 32 letters, digits, "_" or "-"');
  if (t.storeName !== undefined) {
    const nameLength = [...t.storeName].length;
    if (nameLength < 1 || nameLength > 128) problems.push('store name: 1 to 128 characters');
    if (t.storeName.includes(']]>')) problems.push('store name: must not contain "]]>"');
  }
  if (t.screenIndex !== undefined && !/^[1-9]$/.test(t.screenIndex)) problems.push('screen index: a number from 1 to 9');
  return problems;
}

export class TerminalStore {
  // Runs on every API request: the query is built once and only its parameters change.
  private readonly byTokenQuery: CompiledQuery<TerminalRow>;

  constructor(private readonly db: Db) {
    this.byTokenQuery = this.base().where('terminals.token_hash', '=', '').where('terminals.revoked_at', 'is', null).limit(1).compile();
  }

  /** A terminal for an API client or script: it authenticates with a bearer token, shown once. */
  async add(input: NewTerminal, now = new Date()): Promise<{ terminal: Terminal; token: string }> {
    const token = newToken();
    return { terminal: await this.insert(input, () => hashToken(token), now), token };
  }

  /**
   * A terminal for a till: the POS pairs with the one-time code and then holds a session cookie. The back
   * office's POST /api/admin/v1/terminals {store_id, device_id} is this call (without a store name).
   */
  async provision(input: NewTerminal, now = new Date()): Promise<{ terminal: Terminal; pairing: IssuedPairingCode }> {
    const terminal = await this.insert(input, (id) => `${NO_TOKEN}${id}`, now);
    return { terminal, pairing: await this.newPairingCode(terminal.id, now) };
  }

  /** A new pairing code for an active terminal (re-pairing a till); the terminal's previous code stops working. */
  async issuePairingCode(selector: TerminalSelector, now = new Date()): Promise<{ terminal: Terminal; pairing: IssuedPairingCode }> {
    const terminal = await this.findActive(selector);
    return { terminal, pairing: await this.newPairingCode(terminal.id, now) };
  }

  /** A new bearer token for an active terminal; its previous token stops working. */
  async issueToken(selector: TerminalSelector): Promise<{ terminal: Terminal; token: string }> {
    const terminal = await this.findActive(selector);
    const token = newToken();
    await this.db.kysely.updateTable('terminals').set({ token_hash: hashToken(token) }).where('id', '=', terminal.id).execute();
    return { terminal, token };
  }

  private async insert(input: NewTerminal, tokenHash: (id: string) => string, now: Date): Promise<Terminal> {
    const problems = checkNewTerminal(input);
    if (problems.length > 0) throw new FaceError('INVALID_REQUEST', problems.join('; '), { details: { problems } });
    const at = now.toISOString();
    const id = randomUUID();
    await this.db.kysely.transaction().execute(async (trx) => {
      if (input.storeName !== undefined) {
        await trx
          .insertInto('stores')
          .values({ id: input.storeId, name: input.storeName, created_at: at })
          .onConflict((oc) => oc.column('id').doUpdateSet({ name: input.storeName ?? '' }))
          .execute();
      } else if ((await trx.selectFrom('stores').select('id').where('id', '=', input.storeId).executeTakeFirst()) === undefined) {
        throw new FaceError('NOT_FOUND', `no store ${input.storeId}: give its name to create it`);
      }
      const active = await trx
        .selectFrom('terminals')
        .select('id')
        .where('store_id', '=', input.storeId)
        .where('device_id', '=', input.deviceId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (active) {
        throw new FaceError('CONFLICT', `store ${input.storeId} already has an active terminal for device ${input.deviceId} (${active.id}); revoke it first`);
      }
      await trx
        .insertInto('terminals')
        .values({
          id,
          store_id: input.storeId,
          device_id: input.deviceId,
          token_hash: tokenHash(id),
          ask_unionid: input.askUnionid ? '1' : '0',
          screen_index: input.screenIndex ?? '1',
          release_after_session: input.releaseAfterSession ? 1 : 0,
          created_at: at,
          revoked_at: null,
        })
        .execute();
    });
    const terminal = await this.get(id);
    if (!terminal) throw new FaceError('INTERNAL_ERROR', 'terminal vanished after insert');
    return terminal;
  }

  /** Replaces the terminal's pairing code; only the scrypt hash is kept. */
  private async newPairingCode(terminalId: string, now: Date): Promise<IssuedPairingCode> {
    const expiresAt = new Date(now.getTime() + PAIRING_CODE_TTL_MS).toISOString();
    // A collision of two live codes (2^-40) is retried once with a fresh code.
    for (let attempt = 1; ; attempt += 1) {
      const code = newPairingCode();
      const codeHash = await hashPairingCode(code);
      try {
        await this.db.kysely.transaction().execute(async (trx) => {
          await trx.deleteFrom('terminal_pairing_codes').where('terminal_id', '=', terminalId).execute();
          await trx
            .insertInto('terminal_pairing_codes')
            .values({ terminal_id: terminalId, code_hash: codeHash, created_at: now.toISOString(), expires_at: expiresAt, used_at: null })
            .execute();
        });
        return { code, expires_at: expiresAt };
      } catch (error) {
        if (attempt >= 2 || !isUniqueViolation(error)) throw error;
      }
    }
  }

  /** The one active terminal the selector names; NOT_FOUND, or CONFLICT when a device id is ambiguous. */
  async findActive(selector: TerminalSelector): Promise<Terminal> {
    let q = this.base().where('terminals.revoked_at', 'is', null);
    if ('id' in selector) q = q.where('terminals.id', '=', selector.id);
    else {
      q = q.where('terminals.device_id', '=', selector.deviceId);
      if (selector.storeId !== undefined) q = q.where('terminals.store_id', '=', selector.storeId);
    }
    const rows = await q.execute();
    const [row, second] = rows;
    if (row === undefined) throw new FaceError('NOT_FOUND', `no active terminal ${'id' in selector ? selector.id : `for device ${selector.deviceId}`}`);
    if (second !== undefined) {
      throw new FaceError('CONFLICT', `device ${row.device_id} is active in stores ${rows.map((r) => r.store_id).join(', ')}: name the store`);
    }
    return TerminalStore.toTerminal(row);
  }

  /** Every terminal column and its store's name (the session store joins the same). */
  base() {
    return this.db.kysely
      .selectFrom('terminals')
      .innerJoin('stores', 'stores.id', 'terminals.store_id')
      .select([
        'terminals.id',
        'terminals.store_id',
        'stores.name as store_name',
        'terminals.device_id',
        'terminals.ask_unionid',
        'terminals.screen_index',
        'terminals.release_after_session',
        'terminals.created_at',
        'terminals.revoked_at',
      ]);
  }

  static toTerminal(row: TerminalRow): Terminal {
    return {
      ...row,
      ask_unionid: row.ask_unionid === '1' ? '1' : '0',
      release_after_session: Number(row.release_after_session) === 1,
    };
  }

  async get(id: string): Promise<Terminal | null> {
    const row = await this.base().where('terminals.id', '=', id).executeTakeFirst();
    return row ? TerminalStore.toTerminal(row) : null;
  }

  /** The active terminal holding this token, or null (unknown or revoked). */
  async findByToken(token: string): Promise<Terminal | null> {
    const { rows } = await this.db.kysely.executeQuery<TerminalRow>({ ...this.byTokenQuery, parameters: [hashToken(token), 1] });
    const row = rows[0];
    return row ? TerminalStore.toTerminal(row) : null;
  }

  async list(): Promise<Terminal[]> {
    const rows = await this.base().orderBy('terminals.store_id').orderBy('terminals.device_id').orderBy('terminals.created_at').execute();
    return rows.map((r) => TerminalStore.toTerminal(r));
  }

  /**
   * Revokes by terminal id, or every active terminal of a device id; returns the revoked ones. Its token,
   * pairing code and browser sessions stop working with the next request (every lookup checks revoked_at).
   */
  async revoke(selector: TerminalSelector, now = new Date()): Promise<Terminal[]> {
    let q = this.db.kysely.updateTable('terminals').set({ revoked_at: now.toISOString() }).where('revoked_at', 'is', null);
    if ('id' in selector) q = q.where('id', '=', selector.id);
    else {
      q = q.where('device_id', '=', selector.deviceId);
      if (selector.storeId !== undefined) q = q.where('store_id', '=', selector.storeId);
    }
    const ids = (await q.returning('id').execute()).map((r) => r.id);
    if (ids.length > 0) await this.db.kysely.deleteFrom('terminal_pairing_codes').where('terminal_id', 'in', ids).execute();
    const out: Terminal[] = [];
    for (const id of ids) {
      const t = await this.get(id);
      if (t) out.push(t);
    }
    return out;
  }
}
