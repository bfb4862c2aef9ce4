import { normalizePairingCode } from '@posface/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from '../db/storage.js';
import { PG_URL, postgresDatabase, sqliteDatabase, type TestDatabase } from '../testing/databases.js';
import { SESSION_IDLE_MS, SESSION_TOUCH_MS } from './session-store.js';

/** Pairing codes and sessions in the database, on every engine, with the clock passed in. */
function sessionSuite(make: () => TestDatabase): void {
  let db: TestDatabase;
  let s: Storage;
  let seq = 0;
  const T0 = new Date('2026-03-01T08:00:00.000Z');
  const at = (ms: number) => new Date(T0.getTime() + ms);
  const till = async (now = T0) => s.terminals.provision({ storeId: 'S001', storeName: '演示门店', deviceId: `P${(seq += 1)}` }, now);
  const code = (issued: { pairing: { code: string } }) => normalizePairingCode(issued.pairing.code) ?? '';

  beforeAll(async () => {
    db = make();
    s = await openStorage(db.config);
  });
  afterAll(async () => {
    await s.close();
    await db.drop();
  });

  it('a code is stored only as a hash, works once, and says why it no longer works', async () => {
    const issued = await till();
    expect(issued.pairing.expires_at).toBe(at(10 * 60_000).toISOString());
    const rows = await s.db.kysely.selectFrom('terminal_pairing_codes').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(issued.pairing.code);
    const { session, secret } = await s.sessions.pair(code(issued), at(60_000));
    expect(secret).toMatch(/^pfs_[A-Za-z0-9_-]{43}$/);
    expect(session.terminal.id).toBe(issued.terminal.id);
    expect(JSON.stringify(await s.db.kysely.selectFrom('terminal_sessions').selectAll().execute())).not.toContain(secret);
    await expect(s.sessions.pair(code(issued), at(61_000))).rejects.toMatchObject({ code: 'PAIRING_CODE_INVALID', details: { reason: 'used' } });
    await expect(s.sessions.pair('ABCDEFGH', at(61_000))).rejects.toMatchObject({ code: 'PAIRING_CODE_INVALID', details: { reason: 'unknown' } });
  });

  it('a code expires after 10 minutes; a new code replaces the last', async () => {
    const issued = await till();
    await expect(s.sessions.pair(code(issued), at(10 * 60_000))).rejects.toMatchObject({ details: { reason: 'expired' } });
    const first = await s.terminals.issuePairingCode({ id: issued.terminal.id }, at(11 * 60_000));
    const second = await s.terminals.issuePairingCode({ deviceId: issued.terminal.device_id, storeId: 'S001' }, at(12 * 60_000));
    await expect(s.sessions.pair(code(first), at(13 * 60_000))).rejects.toMatchObject({ details: { reason: 'unknown' } });
    expect((await s.sessions.pair(code(second), at(22 * 60_000 - 1))).session.terminal.id).toBe(issued.terminal.id);
  });

  it('two tills typing the same code at once: exactly one pairs', async () => {
    const issued = await till();
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => s.sessions.pair(code(issued), at(1000))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'PAIRING_CODE_INVALID', details: { reason: 'used' } });
  });

  it('a session slides: extended after an hour of use, over after 30 idle days', async () => {
    const issued = await till();
    const { secret } = await s.sessions.pair(code(issued), T0);
    const early = await s.sessions.find(secret, at(SESSION_TOUCH_MS - 1000));
    expect(early).toMatchObject({ ok: true, session: { extended: false, expiresAt: at(SESSION_IDLE_MS) } });
    const later = at(SESSION_IDLE_MS - 1000);
    expect(await s.sessions.find(secret, later)).toMatchObject({ ok: true, session: { extended: true, expiresAt: new Date(later.getTime() + SESSION_IDLE_MS) } });
    expect(await s.sessions.find(secret, new Date(later.getTime() + SESSION_IDLE_MS))).toEqual({ ok: false, reason: 'expired' });
  });

  it('pairing again ends the previous session; ending a session keeps the terminal', async () => {
    const issued = await till();
    const a = await s.sessions.pair(code(issued), T0);
    const b = await s.sessions.pair(code(await s.terminals.issuePairingCode({ id: issued.terminal.id }, T0)), at(1000));
    expect(await s.sessions.find(a.secret, at(2000))).toEqual({ ok: false, reason: 'unknown' });
    expect(await s.sessions.find(b.secret, at(2000))).toMatchObject({ ok: true });
    await s.sessions.end(b.session.id);
    expect(await s.sessions.find(b.secret, at(3000))).toEqual({ ok: false, reason: 'unknown' });
    expect((await s.terminals.get(issued.terminal.id))?.revoked_at).toBeNull();
  });

  it('revoking the terminal ends its session and its pending code at once', async () => {
    const issued = await till();
    const { secret } = await s.sessions.pair(code(issued), T0);
    const pending = await s.terminals.issuePairingCode({ id: issued.terminal.id }, T0);
    await s.terminals.revoke({ id: issued.terminal.id }, at(1000));
    expect(await s.sessions.find(secret, at(2000))).toEqual({ ok: false, reason: 'revoked' });
    await expect(s.sessions.pair(code(pending), at(2000))).rejects.toMatchObject({ details: { reason: 'unknown' } });
    await expect(s.terminals.issuePairingCode({ id: issued.terminal.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('the back office shape: provision by store id alone, for a store that exists', async () => {
    await expect(s.terminals.provision({ storeId: 'S404', deviceId: 'D1' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'no store S404: give its name to create it' });
    const { terminal, pairing } = await s.terminals.provision({ storeId: 'S001', deviceId: 'BACKOFFICE1' });
    expect(terminal).toMatchObject({ store_id: 'S001', store_name: '演示门店', device_id: 'BACKOFFICE1' });
    expect(normalizePairingCode(pairing.code)).toBe(pairing.code);
    // A till paired by code has no bearer token: nothing a token could hash to.
    const row = await s.db.kysely.selectFrom('terminals').select('token_hash').where('id', '=', terminal.id).executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(`none:${terminal.id}`);
  });
}

describe('pairing codes and sessions on SQLite', () => sessionSuite(sqliteDatabase));
describe.skipIf(PG_URL === undefined)('pairing codes and sessions on PostgreSQL', () => sessionSuite(() => postgresDatabase(PG_URL ?? '')));
