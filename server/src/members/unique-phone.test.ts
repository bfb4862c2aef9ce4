import type { ErrorBody, Member, MemberList } from '@posface/protocol/api';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackOffice } from '../admin/back-office.js';
import { openDatabase } from '../db/connect.js';
import { migrateToLatest } from '../db/migrations.js';
import { openStorage, type Storage } from '../db/storage.js';
import { AdminClient } from '../testing/admin-client.js';
import { PG_URL, postgresDatabase, sqliteDatabase, type TestDatabase } from '../testing/databases.js';
import { call, startStack, type Stack } from '../testing/harness.js';

/** One member per phone number: enrolment and the back office refuse a taken one; the migration settles old duplicates. */
function uniquePhoneSuite(make: () => TestDatabase): void {
  let db: TestDatabase;
  let storage: Storage;
  let stack: Stack;
  let token: string;

  beforeAll(async () => {
    db = make();
    storage = await openStorage(db.config);
    token = (await storage.terminals.add({ storeId: 'S001', storeName: '演示门店', deviceId: 'D001' })).token;
    stack = await startStack(db.config, { deps: { storage } });
  });
  afterAll(async () => {
    await stack.close();
    await storage.close();
    await db.drop();
  });

  const enrol = (body: unknown) => call<Member & ErrorBody>(stack.server.url, 'POST', '/api/v1/members', { token, body });

  it('enrolling with a phone another member has is 409 phone_taken, with the number masked, and creates nothing', async () => {
    expect((await enrol({ openid: 'o-phone-first', nickname: '先来', phone: '13811112222' })).status).toBe(201);
    const taken = await enrol({ openid: 'o-phone-second', nickname: '后到', phone: '13811112222' });
    expect(taken.status).toBe(409);
    expect(taken.body.error).toMatchObject({ code: 'CONFLICT', details: { field: 'phone', reason: 'phone_taken' } });
    expect(taken.body.error.message).toBe('the phone number 138****2222 already belongs to another member');
    expect(await storage.members.byOpenid('o-phone-second')).toBeNull();
    const lookup = await call<MemberList>(stack.server.url, 'GET', '/api/v1/members?phone=13811112222', { token });
    expect(lookup.body.items.map((m) => m.nickname)).toEqual(['先来']);
    // The same face again is the openid's conflict, told apart from the phone's.
    const again = await enrol({ openid: 'o-phone-first', nickname: '先来' });
    expect(again.body.error).toMatchObject({ code: 'CONFLICT', details: { reason: 'openid_taken' } });
  });

  it('two tills enrolling the same phone at the same moment: one is enrolled, the other told 409', async () => {
    const results = await Promise.all([
      enrol({ openid: 'o-race-a', nickname: '甲', phone: '13933334444' }),
      enrol({ openid: 'o-race-b', nickname: '乙', phone: '13933334444' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await storage.members.byPhone('13933334444')).toHaveLength(1);
  });

  it("the back office cannot give a member another member's phone (409), but may keep or clear their own", async () => {
    const { staff } = openBackOffice(storage.db);
    await staff.create({ username: 'manager', role: 'manager', password: 'correct horse battery' });
    const manager = new AdminClient(stack.server.url);
    expect((await manager.login('manager', 'correct horse battery')).status).toBe(200);
    const a = await storage.members.create({ nickname: 'A', phone: '13755556666' });
    const b = await storage.members.create({ nickname: 'B', phone: '13755557777' });
    const taken = await manager.request<ErrorBody>('PATCH', `/members/${b.id}`, { body: { phone: '13755556666' } });
    expect(taken.status).toBe(409);
    expect(taken.body.error).toMatchObject({ code: 'CONFLICT', details: { reason: 'phone_taken' } });
    expect((await storage.members.byId(b.id))?.phone).toBe('137****7777');
    expect((await manager.request('PATCH', `/members/${a.id}`, { body: { phone: '13755556666', level: 'gold' } })).status).toBe(200);
    expect((await manager.request('PATCH', `/members/${b.id}`, { body: { phone: null } })).status).toBe(200);
  });
}

describe('unique phones on SQLite', () => uniquePhoneSuite(sqliteDatabase));
describe.skipIf(PG_URL === undefined)('unique phones on PostgreSQL', () => uniquePhoneSuite(() => postgresDatabase(PG_URL ?? '')));

/** A database from before 0006 (made at 0004), with members sharing phones and an order: migrated, nothing but the duplicates' phones changes. */
function migrationSuite(make: () => TestDatabase): void {
  it('the first member to enrol with a phone keeps it; the others lose it, each with an audit row; old orders have no tender', async () => {
    const db = make();
    try {
      const old = await openDatabase(db.config, { migrate: false });
      await migrateToLatest(old.kysely as never, { schema: (db.config as { schema?: string }).schema, target: '0004_back_office' });
      const member = (id: string, phone: string | null, day: number) => ({
        id, openid: null, sub_openid: null, unionid: null, nickname: id, phone, level: 'standard', points: 0, created_at: `2025-01-0${day}T00:00:00.000Z`,
      });
      await old.kysely
        .insertInto('members')
        .values([member('M-late', '13800000001', 3), member('M-first', '13800000001', 1), member('M-middle', '13800000001', 2), member('M-alone', '13800000002', 1), member('M-none', null, 1), member('M-none2', null, 2)])
        .execute();
      await old.kysely.insertInto('stores').values({ id: 'S1', name: 'S', created_at: '2025-01-01T00:00:00.000Z' }).execute();
      await old.kysely
        .insertInto('terminals')
        .values({ id: 'T1', store_id: 'S1', device_id: 'D1', token_hash: 'none:T1', ask_unionid: '0', screen_index: '1', release_after_session: 0, created_at: '2025-01-01T00:00:00.000Z', revoked_at: null })
        .execute();
      // The row as 0004 knew it (no tender columns yet).
      await (old.kysely as never as Kysely<Record<string, Record<string, unknown>>>)
        .insertInto('orders')
        .values({ id: 'O-old', store_id: 'S1', terminal_id: 'T1', member_id: 'M-first', idempotency_key: null, request_hash: 'h', total_fen: 100, discount_fen: 0, points_earned: 1, member_points: 1, created_at: '2025-01-05T00:00:00.000Z' })
        .execute();
      await old.close();

      const s = await openStorage(db.config);
      try {
        const phones = await s.db.kysely.selectFrom('members').select(['id', 'phone']).orderBy('id').execute();
        expect(Object.fromEntries(phones.map((p) => [p.id, p.phone]))).toEqual({
          'M-alone': '13800000002', 'M-first': '13800000001', 'M-late': null, 'M-middle': null, 'M-none': null, 'M-none2': null,
        });
        const audit = await s.db.kysely.selectFrom('audit_log').selectAll().where('action', '=', 'members.phone_cleared').orderBy('target_id').execute();
        expect(audit.map((a) => [a.actor, a.target_type, a.target_id, JSON.parse(a.summary)])).toEqual([
          ['migration', 'member', 'M-late', { phone: ['13800000001', null], kept_by: 'M-first' }],
          ['migration', 'member', 'M-middle', { phone: ['13800000001', null], kept_by: 'M-first' }],
        ]);
        expect((await s.orders.get('O-old'))?.tender).toBeNull();
        // From now on the index holds it.
        await expect(s.members.create({ nickname: 'new', phone: '13800000001' })).rejects.toMatchObject({ code: 'CONFLICT', details: { reason: 'phone_taken' } });
      } finally {
        await s.close();
      }
    } finally {
      await db.drop();
    }
  });
}

describe('0006 on SQLite', () => migrationSuite(sqliteDatabase));
describe.skipIf(PG_URL === undefined)('0006 on PostgreSQL', () => migrationSuite(() => postgresDatabase(PG_URL ?? '')));
