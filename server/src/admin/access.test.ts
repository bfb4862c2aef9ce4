import { ADMIN_SESSION_COOKIE, type StaffRole } from '@posface/protocol';
import type { AuditList, SessionInfo } from '@posface/protocol/admin-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from '../db/storage.js';
import { AdminClient } from '../testing/admin-client.js';
import { PG_URL, postgresDatabase, sqliteDatabase, type TestDatabase } from '../testing/databases.js';
import { call, startStack, type Stack } from '../testing/harness.js';
import { pairFrom } from '../testing/pair-client.js';
import { openBackOffice, type BackOffice } from './back-office.js';
import { LOGIN_LIMITS } from './session-routes.js';

/**
 * Who may do what in the back office, over real HTTP: argon2id logins and the session cookie, logout and
 * expiry (401), the role table (403), CSRF, a terminal's credentials refused, the audit log without secrets.
 */
const PASSWORD = 'correct horse battery';

function accessSuite(make: () => TestDatabase): void {
  let db: TestDatabase;
  let storage: Storage;
  let office: BackOffice;
  let stack: Stack;
  const as = async (role: StaffRole, name = `${role}-user`) => {
    if ((await office.staff.byUsername(name)) === null) await office.staff.create({ username: name, role, password: PASSWORD });
    const client = new AdminClient(stack.server.url);
    const res = await client.login(name, PASSWORD);
    expect(res.status, res.text).toBe(200);
    return client;
  };

  beforeAll(async () => {
    db = make();
    storage = await openStorage(db.config);
    office = openBackOffice(storage.db);
    stack = await startStack(db.config, { deps: { storage } });
  });
  afterAll(async () => {
    await stack?.close();
    await storage?.close();
    await db?.drop();
  });

  it('logs in with the password only, sets an HttpOnly Secure SameSite=Strict cookie for /api/admin, and says who and what', async () => {
    const stored = await storage.db.kysely.selectFrom('staff_users').select('password_hash').executeTakeFirst();
    expect(stored).toBeUndefined();
    await office.staff.create({ username: 'Boss', role: 'owner', password: PASSWORD });
    const hash = (await storage.db.kysely.selectFrom('staff_users').select('password_hash').where('username', '=', 'boss').executeTakeFirstOrThrow()).password_hash;
    expect(hash).toMatch(/^\$argon2id\$v=19\$/);

    const client = new AdminClient(stack.server.url);
    const wrong = await client.login('boss', 'not the password');
    expect(wrong.status).toBe(401);
    expect(client.setCookie).toBeNull();
    const unknown = await client.login('nobody', PASSWORD);
    expect(unknown.status).toBe(401);
    expect(unknown.text).toBe(wrong.text);

    const ok = await client.login('BOSS', PASSWORD);
    expect(ok.status).toBe(200);
    const attrs = (client.setCookie ?? '').split(';').map((a) => a.trim().toLowerCase());
    expect(attrs[0]).toMatch(new RegExp(`^${ADMIN_SESSION_COOKIE}=pfs_`));
    expect(attrs).toEqual(expect.arrayContaining(['path=/api/admin', 'httponly', 'secure', 'samesite=strict']));
    const me = await client.get<SessionInfo>('/session');
    expect(me.body.user).toMatchObject({ username: 'boss', role: 'owner', disabled: false });
    expect(me.body.permissions).toContain('staff.manage');
    expect(JSON.stringify(me.body)).not.toContain('argon2');
  });

  it('answers 401 after logout, after expiry, for a disabled account and after a password reset', async () => {
    const owner = await as('owner', 'owner-a');
    const loggedOut = await as('manager', 'm-logout');
    expect((await loggedOut.request('DELETE', '/session')).status).toBe(204);
    const after = await loggedOut.get('/products');
    expect(after.status).toBe(401);
    expect(after.body).toMatchObject({ error: { code: 'UNAUTHORIZED', details: { reason: 'unknown' } } });

    const expired = await as('manager', 'm-expired');
    await storage.db.kysely.updateTable('staff_sessions').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).execute();
    const gone = await expired.get('/products');
    expect(gone.status).toBe(401);
    expect(gone.body).toMatchObject({ error: { details: { reason: 'expired' } } });
    expect(gone.headers.get('set-cookie')).toMatch(new RegExp(`^${ADMIN_SESSION_COOKIE}=;`));
    expect((await owner.get('/session')).status).toBe(401);

    const boss = await as('owner', 'owner-b');
    const victim = await as('it', 'it-victim');
    expect((await victim.get('/terminals')).status).toBe(200);
    const user = await office.staff.byUsername('it-victim');
    expect((await boss.request('PATCH', `/staff/${user?.id}`, { body: { password: 'a brand new password' } })).status).toBe(200);
    expect((await victim.get('/terminals')).status).toBe(401);
    expect((await victim.login('it-victim', PASSWORD)).status).toBe(401);
    expect((await victim.login('it-victim', 'a brand new password')).status).toBe(200);
    expect((await boss.request('PATCH', `/staff/${user?.id}`, { body: { disabled: true } })).status).toBe(200);
    expect((await victim.get('/terminals')).status).toBe(401);
    expect((await victim.login('it-victim', 'a brand new password')).status).toBe(401);
  });

  it('follows the role table: a manager cannot manage staff or read the audit log, IT cannot touch members or prices', async () => {
    const manager = await as('manager');
    expect((await manager.get('/staff')).status).toBe(403);
    const create = await manager.request('POST', '/staff', { body: { username: 'sneaky', role: 'owner', password: PASSWORD } });
    expect(create.status).toBe(403);
    expect(create.body).toMatchObject({ error: { code: 'FORBIDDEN', details: { permission: 'staff.manage' } } });
    expect(await office.staff.byUsername('sneaky')).toBeNull();
    expect((await manager.get('/audit')).status).toBe(403);
    expect((await manager.get('/products')).status).toBe(200);
    expect((await manager.get('/terminals')).status).toBe(200);

    const it_ = await as('it');
    expect((await it_.get('/members')).status).toBe(403);
    expect((await it_.request('PATCH', '/members/x', { body: { level: 'gold' } })).status).toBe(403);
    expect((await it_.request('PATCH', '/products/x', { body: { price_fen: 1 } })).status).toBe(403);
    expect((await it_.get('/products')).status).toBe(200);
    expect((await it_.get('/api-keys')).status).toBe(200);
    expect((await manager.get('/api-keys')).status).toBe(403);
    expect((await it_.get<SessionInfo>('/session')).body.permissions).not.toContain('points.adjust');
  });

  it('lets the owner manage staff, keeps one active owner, and logs every change without the password', async () => {
    const owner = await as('owner', 'owner-c');
    const created = await owner.request<{ id: string }>('POST', '/staff', { body: { username: 'cashier.lead', role: 'manager', password: PASSWORD } });
    expect(created.status).toBe(201);
    expect((await owner.request('POST', '/staff', { body: { username: 'Cashier.Lead', role: 'it', password: PASSWORD } })).status).toBe(409);
    expect((await owner.request('POST', '/staff', { body: { username: 'x', role: 'it', password: 'short' } })).status).toBe(400);
    expect((await owner.request('PATCH', `/staff/${created.body.id}`, { body: { role: 'it' } })).status).toBe(200);
    const self = await office.staff.byUsername('owner-c');
    const demote = await owner.request('PATCH', `/staff/${self?.id}`, { body: { role: 'manager' } });
    expect(demote.status).toBe(409);

    const log = await owner.get<AuditList>('/audit?action=staff.update');
    expect(log.status).toBe(200);
    const entry = log.body.items.find((e) => e.target_id === created.body.id);
    expect(entry).toMatchObject({ actor: 'staff:owner-c', action: 'staff.update', summary: { username: 'cashier.lead', role: ['manager', 'it'] } });
    const all = await owner.get<AuditList>('/audit?per_page=100');
    expect(all.body.items.some((e) => e.action === 'staff.create' && e.target_id === created.body.id)).toBe(true);
    expect(JSON.stringify(all.body)).not.toContain(PASSWORD);
    expect(JSON.stringify(all.body)).not.toContain('a brand new password');
  });

  it('refuses a change without the CSRF header or the own Origin, and a cross-site login', async () => {
    const manager = await as('manager', 'm-csrf');
    const bare = await manager.request('PATCH', '/products/x', { headers: { 'x-posface-request': '' }, body: { price_fen: 1 } });
    expect(bare.status).toBe(403);
    expect(bare.body).toMatchObject({ error: { code: 'CSRF_REJECTED' } });
    const foreign = await call(stack.server.url, 'POST', '/api/admin/v1/session', { headers: { origin: 'https://evil.example' }, body: { username: 'm-csrf', password: PASSWORD } });
    expect(foreign.status).toBe(403);
    const own = await manager.request('DELETE', '/session', { headers: { 'x-posface-request': '', origin: stack.server.url } });
    expect(own.status).toBe(204);
  });

  it("never opens /api/admin to a terminal's bearer token or POS cookie", async () => {
    const { token } = await storage.terminals.add({ storeId: 'S1', storeName: 'Store', deviceId: 'TOKEN1' });
    const bearer = await call(stack.server.url, 'GET', '/api/admin/v1/products', { token });
    expect(bearer.status).toBe(401);
    const { pairing } = await storage.terminals.provision({ storeId: 'S1', deviceId: 'COOKIE1' });
    const paired = await pairFrom(stack.server.url, { code: pairing.code });
    const posCookie = (paired.cookie ?? '').split(';')[0] ?? '';
    expect(posCookie).toMatch(/^posface_session=/);
    const withCookie = await call(stack.server.url, 'GET', '/api/admin/v1/members', { headers: { cookie: posCookie, 'x-posface-request': '1' } });
    expect(withCookie.status).toBe(401);
    // The same secret under the admin cookie's name is no staff session either.
    const renamed = await call(stack.server.url, 'GET', '/api/admin/v1/members', { headers: { cookie: posCookie.replace('posface_session', ADMIN_SESSION_COOKIE) } });
    expect(renamed.status).toBe(401);
  });

  it(`limits login attempts per client address (${LOGIN_LIMITS.perIp.max} a minute), then 429 with Retry-After`, async () => {
    const client = new AdminClient(stack.server.url);
    const statuses: number[] = [];
    for (let i = 0; i < LOGIN_LIMITS.perIp.max + 2; i += 1) statuses.push((await client.login('boss', `wrong ${i}`)).status);
    expect(statuses.slice(0, LOGIN_LIMITS.perIp.max - 1).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    const refused = await client.login('boss', PASSWORD);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });
}

describe('back-office access on SQLite', () => accessSuite(sqliteDatabase));
describe.skipIf(PG_URL === undefined)('back-office access on PostgreSQL', () => accessSuite(() => postgresDatabase(PG_URL ?? '')));
