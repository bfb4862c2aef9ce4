import { randomUUID } from 'node:crypto';
import { FaceError } from '@posface/protocol';
import type { CompiledQuery } from 'kysely';
import { hashToken, newToken } from '../auth/tokens.js';
import type { Db } from '../db/connect.js';

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
interface TerminalRow {
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
  storeName: string;
  deviceId: string;
  askUnionid?: boolean;
  screenIndex?: string;
  releaseAfterSession?: boolean;
}

const ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

/** Checks what IT typed, with a message per field (WeChat's limits: store_id, device_id ≤ 32, store_name ≤ 128). */
export function checkNewTerminal(t: NewTerminal): string[] {
  const problems: string[] = [];
  if (!ID_PATTERN.test(t.storeId)) problems.push('store id: 1 to 32 letters, digits, "_" or "-"');
  if (!ID_PATTERN.test(t.deviceId)) problems.push('device id: 1 to 32 letters, digits, "_" or "-"');
  const nameLength = [...t.storeName].length;
  if (nameLength < 1 || nameLength > 128) problems.push('store name: 1 to 128 characters');
  if (t.storeName.includes(']]>')) problems.push('store name: must not contain "]]>"');
  if (t.screenIndex !== undefined && !/^[1-9]$/.test(t.screenIndex)) problems.push('screen index: a number from 1 to 9');
  return problems;
}

export class TerminalStore {
  // Runs on every API request: the query is built once and only its parameters change.
  private readonly byTokenQuery: CompiledQuery<TerminalRow>;

  constructor(private readonly db: Db) {
    this.byTokenQuery = this.base().where('terminals.token_hash', '=', '').where('terminals.revoked_at', 'is', null).limit(1).compile();
  }

  /** Creates the terminal (and its store, or renames it) and returns the token, which is not kept. */
  async add(input: NewTerminal, now = new Date()): Promise<{ terminal: Terminal; token: string }> {
    const problems = checkNewTerminal(input);
    if (problems.length > 0) throw new FaceError('INVALID_REQUEST', problems.join('; '), { details: { problems } });
    const token = newToken();
    const at = now.toISOString();
    const id = randomUUID();
    await this.db.kysely.transaction().execute(async (trx) => {
      await trx
        .insertInto('stores')
        .values({ id: input.storeId, name: input.storeName, created_at: at })
        .onConflict((oc) => oc.column('id').doUpdateSet({ name: input.storeName }))
        .execute();
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
          token_hash: hashToken(token),
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
    return { terminal, token };
  }

  private base() {
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

  private static toTerminal(row: TerminalRow): Terminal {
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

  /** Revokes by terminal id, or every active terminal of a device id; returns the revoked ones. */
  async revoke(selector: { id: string } | { deviceId: string; storeId?: string }, now = new Date()): Promise<Terminal[]> {
    let q = this.db.kysely.updateTable('terminals').set({ revoked_at: now.toISOString() }).where('revoked_at', 'is', null);
    if ('id' in selector) q = q.where('id', '=', selector.id);
    else {
      q = q.where('device_id', '=', selector.deviceId);
      if (selector.storeId !== undefined) q = q.where('store_id', '=', selector.storeId);
    }
    const ids = (await q.returning('id').execute()).map((r) => r.id);
    const out: Terminal[] = [];
    for (const id of ids) {
      const t = await this.get(id);
      if (t) out.push(t);
    }
    return out;
  }
}
