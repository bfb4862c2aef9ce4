import { randomUUID } from 'node:crypto';
import { FaceError, maskPhone } from '@posface/protocol';
import { MEMBER_LEVELS, type CreateMemberRequest, type Member, type MemberLevel } from '@posface/protocol/api';
import { isUniqueViolation, type Db } from '../db/connect.js';
import { safeInt } from '../db/integers.js';
import type { MembersTable } from '../db/schema.js';

/** What the till shows; the WeChat ids and the full phone number stay in the database. */
export function toMember(row: MembersTable): Member {
  return {
    id: row.id,
    nickname: row.nickname,
    phone: row.phone === null ? null : maskPhone(row.phone),
    level: (MEMBER_LEVELS as readonly string[]).includes(row.level) ? (row.level as MemberLevel) : 'standard',
    points: safeInt(row.points, 'members.points'),
  };
}

export class MemberStore {
  constructor(private readonly db: Db) {}

  async byId(id: string): Promise<Member | null> {
    const row = await this.db.kysely.selectFrom('members').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toMember(row) : null;
  }

  async byOpenid(openid: string): Promise<Member | null> {
    const row = await this.db.kysely.selectFrom('members').selectAll().where('openid', '=', openid).executeTakeFirst();
    return row ? toMember(row) : null;
  }

  async byPhone(phone: string, limit = 10): Promise<Member[]> {
    const rows = await this.db.kysely.selectFrom('members').selectAll().where('phone', '=', phone).orderBy('created_at').limit(limit).execute();
    return rows.map(toMember);
  }

  async create(input: CreateMemberRequest & { level?: MemberLevel; points?: number; id?: string }, now = new Date()): Promise<Member> {
    const row: MembersTable = {
      id: input.id ?? randomUUID(),
      openid: input.openid ?? null,
      sub_openid: input.sub_openid ?? null,
      unionid: input.unionid ?? null,
      nickname: input.nickname,
      phone: input.phone ?? null,
      level: input.level ?? 'standard',
      points: input.points ?? 0,
      created_at: now.toISOString(),
    };
    try {
      await this.db.kysely.insertInto('members').values(row).execute();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Which of the unique columns it was: the phone (one member per phone) or the openid (one per face).
      if (row.phone !== null && (await this.byPhone(row.phone, 1)).length > 0) throw phoneTaken(row.phone, error);
      throw new FaceError('CONFLICT', 'a member with this openid already exists', { cause: error, details: { field: 'openid', reason: 'openid_taken' } });
    }
    return toMember(row);
  }
}

/** 409 for a phone number another member has (the index members_phone_unique); the message masks it. */
export function phoneTaken(phone: string, cause?: unknown): FaceError {
  return new FaceError('CONFLICT', `the phone number ${maskPhone(phone)} already belongs to another member`, {
    cause,
    details: { field: 'phone', reason: 'phone_taken' },
  });
}
