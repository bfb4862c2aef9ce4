import { randomBytes, randomUUID } from 'node:crypto';
import { API_KEY_SCOPES, FaceError, type ApiKeyScope } from '@posface/protocol';
import type { ApiKey } from '@posface/protocol/admin-api';
import { hashToken } from '../auth/tokens.js';
import type { Db } from '../db/connect.js';
import type { ApiKeysTable } from '../db/schema.js';
import type { Executor } from './staff-store.js';

/** Integration keys: `pfk_` + 256 random bits, shown once; stored as sha256 (enough for random keys). */
export const API_KEY_PREFIX = 'pfk_';
/** last_used_at is written at most this often per key. */
const TOUCH_MS = 60_000;

function toApiKey(row: ApiKeysTable): ApiKey {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes.split(',').filter((s): s is ApiKeyScope => (API_KEY_SCOPES as readonly string[]).includes(s)),
    created_by: row.created_by,
    created_at: row.created_at,
    last_used_at: row.last_used_at,
    revoked_at: row.revoked_at,
  };
}

export class ApiKeyStore {
  constructor(private readonly db: Db) {}

  async create(input: { name: string; scopes: readonly ApiKeyScope[]; createdBy: string }, trx: Executor, now = new Date()): Promise<{ apiKey: ApiKey; key: string }> {
    const key = API_KEY_PREFIX + randomBytes(32).toString('base64url');
    const row: ApiKeysTable = {
      id: randomUUID(),
      name: input.name,
      prefix: key.slice(0, 10),
      key_hash: hashToken(key),
      scopes: [...new Set(input.scopes)].join(','),
      created_by: input.createdBy,
      created_at: now.toISOString(),
      last_used_at: null,
      revoked_at: null,
    };
    await trx.insertInto('api_keys').values(row).execute();
    return { apiKey: toApiKey(row), key };
  }

  async list(): Promise<ApiKey[]> {
    const rows = await this.db.kysely.selectFrom('api_keys').selectAll().orderBy('created_at', 'desc').execute();
    return rows.map(toApiKey);
  }

  async revoke(id: string, trx: Executor, now = new Date()): Promise<ApiKey> {
    const row = await trx.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
    if (row === undefined) throw new FaceError('NOT_FOUND', `no API key ${id}`);
    if (row.revoked_at !== null) return toApiKey(row);
    const revokedAt = now.toISOString();
    await trx.updateTable('api_keys').set({ revoked_at: revokedAt }).where('id', '=', id).execute();
    return toApiKey({ ...row, revoked_at: revokedAt });
  }

  /** The active key this secret is, or null (unknown or revoked); notes its use. */
  async authenticate(key: string, now = new Date()): Promise<ApiKey | null> {
    const row = await this.db.kysely.selectFrom('api_keys').selectAll().where('key_hash', '=', hashToken(key)).where('revoked_at', 'is', null).executeTakeFirst();
    if (row === undefined) return null;
    if (row.last_used_at === null || now.getTime() - Date.parse(row.last_used_at) >= TOUCH_MS) {
      await this.db.kysely.updateTable('api_keys').set({ last_used_at: now.toISOString() }).where('id', '=', row.id).execute();
    }
    return toApiKey(row);
  }
}
