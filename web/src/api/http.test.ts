// @vitest-environment node
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_PREFIX, FaceError, IDEMPOTENCY_KEY_HEADER, POS_REQUEST_HEADER, shortHash } from '@posface/protocol';
import type { Member, Order } from '@posface/protocol/api';
import { HttpClient } from './http.js';
import { PosApi } from './pos-api.js';

/** Real HTTP on loopback: what the client sends and how it reads every kind of answer. */
let server: Server;
let base: string;
const seen: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = [];
type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;
let handler: Handler = (_req, res) => res.end('{}');

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

async function caught(p: Promise<unknown>): Promise<FaceError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(FaceError);
    return e as FaceError;
  }
  throw new Error('expected a rejection');
}

describe('HttpClient', () => {
  it('sends the POS request header (no credential of its own), the query and a JSON body', async () => {
    handler = (_req, res) => json(res, 200, { items: [] });
    const http = new HttpClient({ baseUrl: base });
    await http.post('/x', { a: 1 }, 'MemberList', { query: { q: '牛奶', limit: 5, none: undefined } });
    const last = seen.at(-1)!;
    expect(last.method).toBe('POST');
    expect(last.url).toBe('/x?q=%E7%89%9B%E5%A5%B6&limit=5');
    expect(last.headers.authorization).toBeUndefined();
    expect(last.headers[POS_REQUEST_HEADER]).toBe('1');
    expect(last.headers['content-type']).toBe('application/json');
    expect(JSON.parse(last.body)).toEqual({ a: 1 });
  });

  it("turns the server's { error } body into the same FaceError", async () => {
    handler = (_req, res) =>
      json(res, 502, { error: { code: 'UPSTREAM_ERROR', message: 'WeChat said no', returnCode: 'FAIL', returnMsg: '签名错误' } });
    const http = new HttpClient({ baseUrl: base });
    const err = await caught(http.get('/y', 'MemberList'));
    expect(err.code).toBe('UPSTREAM_ERROR');
    expect(err.returnMsg).toBe('签名错误');
  });

  it('maps a status without a usable body to a code and says what failed', async () => {
    handler = (_req, res) => {
      res.writeHead(401, { 'content-type': 'text/html' });
      res.end('<h1>nope</h1>');
    };
    const err = await caught(new HttpClient({ baseUrl: base }).get('/z', 'MemberList'));
    expect(err.code).toBe('UNAUTHORIZED');
    expect(err.message).toContain('HTTP 401');
  });

  it('tells onUnauthorized of a refused session (revoked mid-shift), not of a refused pairing code', async () => {
    const told: FaceError[] = [];
    const http = new HttpClient({ baseUrl: base, onUnauthorized: (e) => told.push(e) });
    handler = (_req, res) => json(res, 401, { error: { code: 'PAIRING_CODE_INVALID', message: 'used', details: { reason: 'used' } } });
    expect((await caught(http.post('/pair', { code: 'ABCDEFGH' }, 'MemberList'))).code).toBe('PAIRING_CODE_INVALID');
    expect(told).toEqual([]);
    handler = (_req, res) => json(res, 401, { error: { code: 'UNAUTHORIZED', message: 'revoked', details: { reason: 'revoked' } } });
    const err = await caught(http.get('/api/v1/products', 'MemberList'));
    expect(told).toEqual([err]);
    expect(err.details).toEqual({ reason: 'revoked' });
  });

  it('is NETWORK_ERROR when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const down: FaceError[] = [];
    const err = await caught(new HttpClient({ baseUrl: `http://127.0.0.1:${port}`, onUnreachable: (e) => down.push(e) }).get('/a', 'MemberList'));
    expect(err.code).toBe('NETWORK_ERROR');
    expect(down).toEqual([err]);
  });

  it("tells the reachability hooks of each request: any answer is reachable, a proxy's bare 502/503/504 is not", async () => {
    const heard: string[] = [];
    const http = new HttpClient({ baseUrl: base, onReachable: () => heard.push('up'), onUnreachable: (e) => heard.push(`down:${e.code}`) });
    handler = (_req, res) => json(res, 200, { items: [] });
    await http.get('/ok', 'MemberList');
    // This server's own 503 (its database) and 422 are answers: the server is there.
    handler = (_req, res) => json(res, 503, { error: { code: 'DATABASE_UNAVAILABLE', message: 'db down' } });
    expect((await caught(http.get('/db', 'MemberList'))).code).toBe('DATABASE_UNAVAILABLE');
    for (const status of [502, 503, 504]) {
      handler = (_req, res) => {
        res.writeHead(status, { 'content-type': 'text/html' });
        res.end('<html>Bad Gateway (nginx)</html>');
      };
      const err = await caught(http.get('/proxy', 'MemberList'));
      expect(err.code).toBe('NETWORK_ERROR');
      expect(err.details).toEqual({ status });
    }
    expect(heard).toEqual(['up', 'up', 'down:NETWORK_ERROR', 'down:NETWORK_ERROR', 'down:NETWORK_ERROR']);
  });

  it('is TIMEOUT when the server does not answer in time', async () => {
    handler = (_req, res) => setTimeout(() => json(res, 200, {}), 500);
    const err = await caught(new HttpClient({ baseUrl: base, timeoutMs: 100 }).get('/slow', 'MemberList'));
    expect(err.code).toBe('TIMEOUT');
  });
});

describe('PosApi', () => {
  const api = () => new PosApi(new HttpClient({ baseUrl: base }));

  it('reads { member: null } by openid as "not a member", and never puts the openid in an error message', async () => {
    handler = (_req, res) => json(res, 200, { member: null });
    expect(await api().memberByOpenid('oSECRET_123')).toBeNull();
    expect(seen.at(-1)!.url).toBe(`${API_PREFIX}/members/by-openid/oSECRET_123`);
    handler = (_req, res) => json(res, 200, { member: MEMBER });
    expect(await api().memberByOpenid('oSECRET_123')).toEqual(MEMBER);
    // A 404 is no longer "not a member": it is an error (a server of another version, a proxy).
    handler = (_req, res) => json(res, 404, { error: { code: 'NOT_FOUND', message: 'no route' } });
    expect((await caught(api().memberByOpenid('oSECRET_123'))).code).toBe('NOT_FOUND');
    handler = (_req, res) => {
      res.writeHead(500);
      res.end();
    };
    const err = await caught(api().memberByOpenid('oSECRET_123'));
    expect(err.code).toBe('INTERNAL_ERROR');
    expect(err.message).not.toContain('oSECRET_123');
    // The same short hash as the host's and the server's logs.
    expect(err.message).toContain(`by-openid/${shortHash('oSECRET_123')}`);
  });

  it('pairs with the typed code and unpairs with DELETE /session (204, no body)', async () => {
    handler = (_req, res) => json(res, 200, { store: { id: 'S001', name: '演示门店' }, device_id: 'D001', session_expires_at: '2026-04-01T00:00:00.000Z' });
    expect((await api().pair('ABCD-EFGH')).device_id).toBe('D001');
    expect(seen.at(-1)).toMatchObject({ method: 'POST', url: `${API_PREFIX}/pair`, body: '{"code":"ABCD-EFGH"}' });
    handler = (_req, res) => {
      res.writeHead(204);
      res.end();
    };
    await expect(api().unpair()).resolves.toBeUndefined();
    expect(seen.at(-1)).toMatchObject({ method: 'DELETE', url: `${API_PREFIX}/session` });
    expect(seen.at(-1)!.headers[POS_REQUEST_HEADER]).toBe('1');
  });

  it('posts an order with the idempotency key header', async () => {
    handler = (_req, res) => json(res, 201, ORDER);
    await api().createOrder({ member_id: null, lines: [{ product_id: 'p', quantity: 1 }] }, 'k-123');
    expect(seen.at(-1)!.headers[IDEMPOTENCY_KEY_HEADER]).toBe('k-123');
    expect(seen.at(-1)!.url).toBe(`${API_PREFIX}/orders`);
  });
});

const MEMBER: Member = { id: 'M1', nickname: '王芳', phone: '138****5678', level: 'gold', points: 1280 };
const ORDER: Order = {
  id: 'o1',
  member_id: null,
  lines: [{ product_id: 'p', name: '水', quantity: 1, unit_price_fen: 200, line_total_fen: 200 }],
  total_fen: 200,
  discount_fen: 0,
  points_earned: 0,
  member_points: null,
  tender: { method: 'cash', received_fen: 500, change_fen: 300 },
  created_at: '2026-04-01T00:00:00.000Z',
  sold_at: '2026-04-01T00:00:00.000Z',
};

describe("the server's answers are checked where they enter", () => {
  const api = () => new PosApi(new HttpClient({ baseUrl: base }));

  it('a malformed answer is an INTERNAL_ERROR naming the field, not a value that breaks the till later', async () => {
    handler = (_req, res) => json(res, 200, { member: { ...MEMBER, points: '1280' } });
    const wrongType = await caught(api().memberByOpenid('oX'));
    expect(wrongType.code).toBe('INTERNAL_ERROR');
    expect(wrongType.message).toContain('/member/points');
    expect(wrongType.details).toMatchObject({ field: '/member/points', status: 200 });

    handler = (_req, res) => json(res, 201, { ...ORDER, total_fen: 2.5 });
    expect((await caught(api().createOrder({ lines: [{ product_id: 'p', quantity: 1 }] }, 'k-1'))).details).toMatchObject({ field: '/total_fen' });

    handler = (_req, res) => json(res, 200, { items: [{ id: 'p', name: 'x' }] });
    expect((await caught(api().searchProducts('x', 5))).message).toContain('/items/0');

    handler = (_req, res) => json(res, 200, {});
    expect((await caught(api().terminal())).code).toBe('INTERNAL_ERROR');
  });

  it('an answer with more fields than the POS knows still passes (a newer server may add some)', async () => {
    handler = (_req, res) => json(res, 200, { member: { ...MEMBER, tier_multiplier: 2 }, note: 'new' });
    expect(await api().memberByOpenid('oX')).toMatchObject(MEMBER);
  });
});
