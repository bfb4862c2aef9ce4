import type { ErrorBody, TerminalInfo } from '@posface/protocol/api';
import { makeRawdata } from '@posface/wxpay-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from '../db/storage.js';
import { PG_URL, postgresDatabase, sqliteDatabase, type TestDatabase } from '../testing/databases.js';
import { call, startStack, TEST_SERIAL, type Stack } from '../testing/harness.js';
import { pairFrom } from '../testing/pair-client.js';

/**
 * The POS's credential over real HTTP: pairing code → HttpOnly session cookie, CSRF check on changes,
 * revocation at once, bearer tokens untouched. Each pairing comes from its own loopback address
 * (127.0.0.N), as tills would, so the per-IP attempt limit (rate-limit.test.ts) stays out of the way.
 */

/** `posface_session=…` of a Set-Cookie line, ready for a Cookie header. */
const cookiePair = (setCookie: string | null) => (setCookie ?? '').split(';')[0] ?? '';

function pairingSuite(make: () => TestDatabase): void {
  let db: TestDatabase;
  let storage: Storage;
  let stack: Stack;
  let seq = 0;
  const secrets: string[] = [];
  const codes: string[] = [];

  const till = async () => {
    const issued = await storage.terminals.provision({ storeId: 'S001', storeName: '演示门店 Demo Store', deviceId: `H${(seq += 1)}` });
    codes.push(issued.pairing.code);
    return issued;
  };
  const pairedTill = async () => {
    const issued = await till();
    const res = await pairFrom(stack.server.url, { code: issued.pairing.code });
    expect(res.status, res.text).toBe(200);
    const cookie = cookiePair(res.cookie);
    secrets.push(cookie.split('=')[1] ?? '');
    return { ...issued, cookie };
  };
  const get = <T>(path: string, cookie: string, headers: Record<string, string> = {}) => call<T>(stack.server.url, 'GET', path, { headers: { cookie, ...headers } });
  const authinfo = (headers: Record<string, string>, token?: string) =>
    call<ErrorBody>(stack.server.url, 'POST', '/api/v1/face/authinfo', { body: { rawdata: makeRawdata(TEST_SERIAL) }, headers, ...(token !== undefined ? { token } : {}) });

  beforeAll(async () => {
    db = make();
    storage = await openStorage(db.config);
    stack = await startStack(db.config, { deps: { storage } });
  });
  afterAll(async () => {
    await stack.close();
    await storage.close();
    await db.drop();
  });

  it('a typed code sets an HttpOnly, Secure, SameSite=Strict cookie on /api that opens the API', async () => {
    const issued = await till();
    const [a, b] = [issued.pairing.code.slice(0, 4), issued.pairing.code.slice(4)];
    // As a cashier types it: lower case, with the dash and a stray space.
    const res = await pairFrom(stack.server.url, { code: ` ${a.toLowerCase()}-${b} ` });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ store: { id: 'S001', name: '演示门店 Demo Store' }, device_id: issued.terminal.device_id });
    expect(Date.parse(res.body.session_expires_at) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect(res.cookie).toMatch(/^posface_session=pfs_[A-Za-z0-9_-]{43}; Max-Age=2592000; Path=\/api; HttpOnly; Secure; SameSite=Strict$/);
    expect(res.text).not.toContain(cookiePair(res.cookie).split('=')[1]);
    secrets.push(cookiePair(res.cookie).split('=')[1] ?? '');
    const info = await get<TerminalInfo>('/api/v1/terminal', cookiePair(res.cookie));
    expect(info.status).toBe(200);
    expect(info.body.device_id).toBe(issued.terminal.device_id);
  });

  it('a code works once; unknown, used, expired and malformed codes are told apart', async () => {
    const issued = await till();
    expect((await pairFrom(stack.server.url, { code: issued.pairing.code })).status).toBe(200);
    const used = await pairFrom(stack.server.url, { code: issued.pairing.code });
    expect(used.status).toBe(401);
    expect(used.body.error).toMatchObject({ code: 'PAIRING_CODE_INVALID', details: { reason: 'used' } });
    expect(used.cookie).toBeNull();
    const unknown = await pairFrom(stack.server.url, { code: 'ZZZZ-ZZZZ' });
    expect(unknown.body.error).toMatchObject({ code: 'PAIRING_CODE_INVALID', details: { reason: 'unknown' } });
    const old = await storage.terminals.provision({ storeId: 'S001', deviceId: `H${(seq += 1)}` }, new Date(Date.now() - 11 * 60_000));
    const expired = await pairFrom(stack.server.url, { code: old.pairing.code });
    expect(expired.body.error).toMatchObject({ code: 'PAIRING_CODE_INVALID', details: { reason: 'expired' } });
    expect(expired.body.error.message).toContain('ask IT for a new one');
    for (const code of ['ABC', 'ABCD-EFG1', 'ABCDEFGHJ', 'ÄBCDEFGH']) {
      const bad = await pairFrom(stack.server.url, { code });
      expect(bad.status, code).toBe(400);
      expect(bad.body.error.message).toBe('body.code: a pairing code has 8 characters: digits 2–9 and letters A–Z except I and O');
    }
    expect((await pairFrom(stack.server.url, { code: issued.pairing.code, terminal: 'x' })).body.error.message).toBe('body.terminal: is not a known field');
  });

  it('revoking the terminal ends its cookie at the next request and clears it', async () => {
    const t = await pairedTill();
    expect((await get('/api/v1/terminal', t.cookie)).status).toBe(200);
    await storage.terminals.revoke({ id: t.terminal.id });
    const res = await get<ErrorBody>('/api/v1/terminal', t.cookie);
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: 'UNAUTHORIZED', details: { reason: 'revoked' } });
    expect(res.headers.get('set-cookie')).toMatch(/^posface_session=; Max-Age=0; Path=\/api; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Strict$/);
  });

  it('changes made with the cookie need the POS header or this origin; bearer tokens need neither', async () => {
    const t = await pairedTill();
    const noHeader = await authinfo({ cookie: t.cookie });
    expect(noHeader.status).toBe(403);
    expect(noHeader.body.error).toMatchObject({ code: 'CSRF_REJECTED' });
    expect(noHeader.body.error.message).toContain('"X-PosFace-Request: 1"');
    expect((await authinfo({ cookie: t.cookie, origin: 'http://evil.example' })).status).toBe(403);
    expect((await authinfo({ cookie: t.cookie, 'x-posface-request': 'yes' })).status).toBe(403);
    expect((await authinfo({ cookie: t.cookie, origin: stack.server.url })).status).toBe(200);
    expect((await authinfo({ cookie: t.cookie, 'x-posface-request': '1' })).status).toBe(200);
    // Reads are fine without it.
    expect((await get('/api/v1/terminal', t.cookie)).status).toBe(200);
    // No ambient credential with a bearer token, so no check.
    const { token } = await storage.terminals.issueToken({ id: t.terminal.id });
    expect((await authinfo({}, token)).status).toBe(200);
    // Pairing sets a credential: a foreign page may not pair this browser to its own terminal either.
    const other = await till();
    const foreign = await pairFrom(stack.server.url, { code: other.pairing.code }, { headers: { 'x-posface-request': '', origin: 'http://evil.example' } });
    expect(foreign.status).toBe(403);
    expect(foreign.cookie).toBeNull();
  });

  it('DELETE /session unpairs this browser; pairing again elsewhere ends the old session', async () => {
    const t = await pairedTill();
    const again = await pairFrom(stack.server.url, { code: (await storage.terminals.issuePairingCode({ id: t.terminal.id })).pairing.code });
    const second = cookiePair(again.cookie);
    secrets.push(second.split('=')[1] ?? '');
    expect((await get<ErrorBody>('/api/v1/terminal', t.cookie)).body.error).toMatchObject({ code: 'UNAUTHORIZED', details: { reason: 'unknown' } });
    const bye = await call(stack.server.url, 'DELETE', '/api/v1/session', { headers: { cookie: second, 'x-posface-request': '1' } });
    expect(bye.status).toBe(204);
    expect(bye.headers.get('set-cookie')).toContain('posface_session=; Max-Age=0');
    expect((await get<ErrorBody>('/api/v1/terminal', second)).body.error.details).toEqual({ reason: 'unknown' });
    expect((await get('/api/v1/terminal', '')).status).toBe(401);
    const { token } = await storage.terminals.issueToken({ id: t.terminal.id });
    const bearer = await call<ErrorBody>(stack.server.url, 'DELETE', '/api/v1/session', { token });
    expect(bearer.status).toBe(400);
    expect(bearer.body.error.message).toContain('a bearer token has no session');
  });

  it('the session slides: used after an hour it is extended and the cookie re-sent; idle 30 days it ends', async () => {
    const t = await pairedTill();
    const sessions = () => storage.db.kysely.selectFrom('terminal_sessions').selectAll().where('terminal_id', '=', t.terminal.id);
    const quiet = await get('/api/v1/terminal', t.cookie);
    expect(quiet.headers.get('set-cookie')).toBeNull();
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000).toISOString();
    await storage.db.kysely.updateTable('terminal_sessions').set({ last_seen_at: twoHoursAgo }).where('terminal_id', '=', t.terminal.id).execute();
    const touched = await get('/api/v1/terminal', t.cookie);
    expect(touched.headers.get('set-cookie')).toMatch(/^posface_session=pfs_[^;]+; Max-Age=259\d{4}; Path=\/api; HttpOnly; Secure; SameSite=Strict$/);
    expect((await sessions().executeTakeFirstOrThrow()).last_seen_at > twoHoursAgo).toBe(true);
    await storage.db.kysely.updateTable('terminal_sessions').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('terminal_id', '=', t.terminal.id).execute();
    expect((await get<ErrorBody>('/api/v1/terminal', t.cookie)).body.error.details).toEqual({ reason: 'expired' });
  });

  it('without cookie or token the API says how to get one; a bearer token wins over a cookie', async () => {
    const none = await get<ErrorBody>('/api/v1/terminal', '');
    expect(none.body.error).toMatchObject({ code: 'UNAUTHORIZED', details: { reason: 'missing' } });
    expect(none.body.error.message).toContain('pair this browser with a pairing code');
    const t = await pairedTill();
    const bad = await get<ErrorBody>('/api/v1/terminal', t.cookie, { authorization: 'Bearer pft_wrong' });
    expect(bad.body.error.message).toBe('unknown or revoked terminal token');
  });

  it('neither codes nor session secrets reach a log line or a response body', () => {
    const logs = stack.logs.text();
    expect(logs).toContain('terminal paired');
    for (const secret of secrets) expect(logs).not.toContain(secret);
    for (const code of codes) expect(logs).not.toContain(code);
  });
}

describe('terminal pairing over HTTP (SQLite)', () => pairingSuite(sqliteDatabase));
describe.skipIf(PG_URL === undefined)('terminal pairing over HTTP (PostgreSQL)', () => pairingSuite(() => postgresDatabase(PG_URL ?? '')));
