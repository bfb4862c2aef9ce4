import { randomUUID } from 'node:crypto';
import { FaceError, isStaffRole, type StaffRole } from '@posface/protocol';
import type { StaffUser } from '@posface/protocol/admin-api';
import type { Kysely } from 'kysely';
import { hashToken, newSessionSecret } from '../auth/tokens.js';
import { isUniqueViolation, type Db } from '../db/connect.js';
import type { Database, StaffUsersTable } from '../db/schema.js';
import { checkPassword, hashPassword } from './passwords.js';

/** A back-office session slides: it ends after this long without a request (a working day). */
export const STAFF_SESSION_IDLE_MS = 8 * 3_600_000;
/** last_seen_at is written at most this often, and the cookie re-sent with the new lifetime. */
export const STAFF_SESSION_TOUCH_MS = 5 * 60_000;

export interface StaffSession {
  id: string;
  user: StaffUser;
  expiresAt: Date;
  extended: boolean;
}

export type Executor = Kysely<Database>;

export function toStaffUser(row: StaffUsersTable): StaffUser {
  return {
    id: row.id,
    username: row.username,
    role: isStaffRole(row.role) ? row.role : 'it',
    disabled: row.disabled_at !== null,
    created_at: row.created_at,
    last_login_at: row.last_login_at,
  };
}

/** Staff accounts and their sessions. Usernames are stored lower case and compared so. */
export class StaffStore {
  constructor(private readonly db: Db) {}

  async create(input: { username: string; role: StaffRole; password: string }, trx: Executor = this.db.kysely, now = new Date()): Promise<StaffUser> {
    const at = now.toISOString();
    const row: StaffUsersTable = {
      id: randomUUID(),
      username: input.username.toLowerCase(),
      password_hash: await hashPassword(input.password),
      role: input.role,
      created_at: at,
      password_changed_at: at,
      last_login_at: null,
      disabled_at: null,
    };
    try {
      await trx.insertInto('staff_users').values(row).execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw new FaceError('CONFLICT', `the username "${row.username}" is taken`, { cause: error, details: { field: 'body.username' } });
      throw error;
    }
    return toStaffUser(row);
  }

  async list(): Promise<StaffUser[]> {
    const rows = await this.db.kysely.selectFrom('staff_users').selectAll().orderBy('username').execute();
    return rows.map(toStaffUser);
  }

  async get(id: string, trx: Executor = this.db.kysely): Promise<StaffUser | null> {
    const row = await trx.selectFrom('staff_users').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toStaffUser(row) : null;
  }

  async byUsername(username: string): Promise<StaffUser | null> {
    const row = await this.db.kysely.selectFrom('staff_users').selectAll().where('username', '=', username.toLowerCase()).executeTakeFirst();
    return row ? toStaffUser(row) : null;
  }

  /**
   * Changes role, enabled state or password. Refuses to leave the store without an active owner; a new
   * password or a disabled account ends the user's sessions.
   */
  async update(id: string, change: { role?: StaffRole; disabled?: boolean; password?: string }, trx: Executor, now = new Date()): Promise<{ before: StaffUser; after: StaffUser }> {
    const before = await this.get(id, trx);
    if (before === null) throw new FaceError('NOT_FOUND', `no staff account ${id}`);
    const losesOwner = before.role === 'owner' && !before.disabled && ((change.role !== undefined && change.role !== 'owner') || change.disabled === true);
    if (losesOwner) {
      const owners = await trx.selectFrom('staff_users').select('id').where('role', '=', 'owner').where('disabled_at', 'is', null).execute();
      if (owners.length <= 1) throw new FaceError('CONFLICT', 'this is the only active owner: make another owner first');
    }
    const at = now.toISOString();
    const set: Partial<StaffUsersTable> = {};
    if (change.role !== undefined) set.role = change.role;
    if (change.disabled !== undefined) set.disabled_at = change.disabled ? (before.disabled ? undefined : at) : null;
    if (change.password !== undefined) {
      set.password_hash = await hashPassword(change.password);
      set.password_changed_at = at;
    }
    if (Object.values(set).some((v) => v !== undefined)) await trx.updateTable('staff_users').set(set).where('id', '=', id).execute();
    if (change.password !== undefined || change.disabled === true) await trx.deleteFrom('staff_sessions').where('user_id', '=', id).execute();
    const after = await this.get(id, trx);
    if (after === null) throw new FaceError('INTERNAL_ERROR', 'staff account vanished during an update');
    return { before, after };
  }

  /** The active account these credentials open, or null (unknown user, wrong password, disabled). */
  async authenticate(username: string, password: string): Promise<StaffUser | null> {
    const row = await this.db.kysely.selectFrom('staff_users').selectAll().where('username', '=', username.toLowerCase()).executeTakeFirst();
    const ok = await checkPassword(row?.password_hash ?? null, password);
    if (!ok || row === undefined || row.disabled_at !== null) return null;
    return toStaffUser(row);
  }

  async openSession(user: StaffUser, now = new Date()): Promise<{ session: StaffSession; secret: string }> {
    const secret = newSessionSecret();
    const id = randomUUID();
    const at = now.toISOString();
    const expiresAt = new Date(now.getTime() + STAFF_SESSION_IDLE_MS);
    await this.db.kysely.transaction().execute(async (trx) => {
      // Expired sessions of anyone go with each login, so the table never grows without bound.
      await trx.deleteFrom('staff_sessions').where('expires_at', '<=', at).execute();
      await trx.insertInto('staff_sessions').values({ id, secret_hash: hashToken(secret), user_id: user.id, created_at: at, last_seen_at: at, expires_at: expiresAt.toISOString() }).execute();
      await trx.updateTable('staff_users').set({ last_login_at: at }).where('id', '=', user.id).execute();
    });
    return { session: { id, user: { ...user, last_login_at: at }, expiresAt, extended: false }, secret };
  }

  /** The live session of this cookie secret (extended when last seen over STAFF_SESSION_TOUCH_MS ago), or why not. */
  async findSession(secret: string, now = new Date()): Promise<{ ok: true; session: StaffSession } | { ok: false; reason: 'unknown' | 'expired' | 'disabled' }> {
    const row = await this.db.kysely
      .selectFrom('staff_sessions')
      .innerJoin('staff_users', 'staff_users.id', 'staff_sessions.user_id')
      .selectAll('staff_users')
      .select(['staff_sessions.id as session_id', 'staff_sessions.last_seen_at', 'staff_sessions.expires_at', 'staff_sessions.created_at as session_created_at'])
      .where('staff_sessions.secret_hash', '=', hashToken(secret))
      .executeTakeFirst();
    if (row === undefined) return { ok: false, reason: 'unknown' };
    if (row.disabled_at !== null) return { ok: false, reason: 'disabled' };
    const at = now.toISOString();
    if (row.expires_at <= at || row.session_created_at < row.password_changed_at) return { ok: false, reason: 'expired' };
    const user = toStaffUser(row);
    if (now.getTime() - Date.parse(row.last_seen_at) < STAFF_SESSION_TOUCH_MS) {
      return { ok: true, session: { id: row.session_id, user, expiresAt: new Date(row.expires_at), extended: false } };
    }
    const expiresAt = new Date(now.getTime() + STAFF_SESSION_IDLE_MS);
    await this.db.kysely.updateTable('staff_sessions').set({ last_seen_at: at, expires_at: expiresAt.toISOString() }).where('id', '=', row.session_id).execute();
    return { ok: true, session: { id: row.session_id, user, expiresAt, extended: true } };
  }

  async endSession(id: string): Promise<void> {
    await this.db.kysely.deleteFrom('staff_sessions').where('id', '=', id).execute();
  }
}
