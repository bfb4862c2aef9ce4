import { randomUUID } from 'node:crypto';
import { FaceError, higherLevel, isMemberLevel, maskPhone } from '@posface/protocol';
import type { CreateMemberRequest, Member, MemberLevel, MemberTier } from '@posface/protocol/api';
import type { Selectable } from 'kysely';
import type { Executor } from '../admin/staff-store.js';
import { isUniqueViolation, type Db } from '../db/connect.js';
import { safeInt } from '../db/integers.js';
import type { MembersTable } from '../db/schema.js';
import type { Loyalty } from '../loyalty/loyalty.js';

/** What the till shows; the WeChat ids and the full phone number stay in the database. */
export function toMember(row: Selectable<MembersTable>, tier?: MemberTier): Member {
  return {
    id: row.id,
    nickname: row.nickname,
    phone: row.phone === null ? null : maskPhone(row.phone),
    level: tier?.level ?? (isMemberLevel(row.level) ? row.level : 'standard'),
    points: safeInt(row.points, 'members.points'),
    ...(tier !== undefined ? { tier } : {}),
  };
}

/**
 * A member id as the till may hold it: a member merged into another is followed to the survivor (a merge
 * repoints earlier merges, so one step is enough). Undefined when there is no such member.
 */
export async function survivorRow(trx: Executor, id: string): Promise<Selectable<MembersTable> | undefined> {
  const row = await trx.selectFrom('members').selectAll().where('id', '=', id).executeTakeFirst();
  if (row?.merged_into == null) return row;
  return trx.selectFrom('members').selectAll().where('id', '=', row.merged_into).executeTakeFirst();
}

export class MemberStore {
  constructor(
    private readonly db: Db,
    private readonly loyalty: Loyalty,
  ) {}

  /** The member with their tier now (spend over the last 12 months, granted level). */
  private async withTier(row: Selectable<MembersTable> | undefined, now = new Date()): Promise<Member | null> {
    if (row === undefined) return null;
    const rules = await this.loyalty.settings.rules();
    return toMember(row, await this.loyalty.tiers.of(row, rules, now));
  }

  async byId(id: string): Promise<Member | null> {
    return this.withTier(await survivorRow(this.db.kysely, id));
  }

  /** A merged member's face finds the member it was merged into. */
  async byOpenid(openid: string): Promise<Member | null> {
    const row = await this.db.kysely.selectFrom('members').select('id').where('openid', '=', openid).executeTakeFirst();
    return row === undefined ? null : this.byId(row.id);
  }

  /** Open members only: a merged member's phone moved to the survivor, or was dropped. */
  async byPhone(phone: string, limit = 10): Promise<Member[]> {
    const rows = await this.db.kysely.selectFrom('members').selectAll().where('phone', '=', phone).where('closed_at', 'is', null).orderBy('created_at').limit(limit).execute();
    const out: Member[] = [];
    for (const row of rows) out.push((await this.withTier(row)) as Member);
    return out;
  }

  /**
   * Enrols a member. `level` (demo data, imports) is the level staff grant; `points` an opening balance,
   * written to the ledger as its first row.
   */
  async create(input: CreateMemberRequest & { level?: MemberLevel; points?: number; id?: string }, now = new Date()): Promise<Member> {
    const granted = input.level !== undefined && input.level !== 'standard' ? input.level : null;
    const row: Selectable<MembersTable> = {
      id: input.id ?? randomUUID(),
      openid: input.openid ?? null,
      sub_openid: input.sub_openid ?? null,
      unionid: input.unionid ?? null,
      nickname: input.nickname,
      phone: input.phone ?? null,
      level: higherLevel('standard', granted),
      level_granted: granted,
      points: 0,
      created_at: now.toISOString(),
      closed_at: null,
      merged_into: null,
    };
    try {
      await this.db.kysely.transaction().execute(async (trx) => {
        await trx.insertInto('members').values(row).execute();
        if ((input.points ?? 0) > 0) row.points = await this.loyalty.ledger.post(trx, row, [{ kind: 'opening', points: input.points ?? 0, reason: 'balance at enrolment' }], { now });
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Which of the unique columns it was: the phone (one member per phone) or the openid (one per face).
      if (row.phone !== null && (await this.byPhone(row.phone, 1)).length > 0) throw phoneTaken(row.phone, error);
      throw new FaceError('CONFLICT', 'a member with this openid already exists', { cause: error, details: { field: 'openid', reason: 'openid_taken' } });
    }
    return (await this.withTier(row, now)) as Member;
  }
}

/** 409 for a phone number another member has (the index members_phone_unique); the message masks it. */
export function phoneTaken(phone: string, cause?: unknown): FaceError {
  return new FaceError('CONFLICT', `the phone number ${maskPhone(phone)} already belongs to another member`, {
    cause,
    details: { field: 'phone', reason: 'phone_taken' },
  });
}
