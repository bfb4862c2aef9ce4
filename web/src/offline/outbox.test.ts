import { describe, expect, it } from 'vitest';
import { FaceError } from '@posface/protocol';
import type { CreateOrderRequest, Order } from '@posface/protocol/api';
import { openPosDb } from './db.js';
import { Outbox, refusedForGood, SYNCED_KEEP_MS, type NewSale } from './outbox.js';

let dbs = 0;
const fresh = () => `outbox-test-${(dbs += 1)}`;
const HERE = { store_id: 'S001', device_id: 'D001' };

function sale(key: string, extra: Partial<CreateOrderRequest> = {}): NewSale {
  return {
    key,
    request: { member_id: null, lines: [{ product_id: 'P001', quantity: 1 }], ...extra },
    terminal: HERE,
    local: { total_fen: 200, item_count: 1, customer: 'none', points_expected: 0 },
  };
}

/** A server that books each key once, and can be told to fail, or to book and lose its answer. */
function server() {
  const booked = new Map<string, Order>();
  const sent: { key: string; body: CreateOrderRequest }[] = [];
  const loseAnswer = new Set<string>();
  let failWith: ((key: string) => FaceError | null) | null = null;
  const post = async (body: CreateOrderRequest, key: string): Promise<Order> => {
    sent.push({ key, body });
    const error = failWith?.(key) ?? null;
    if (error) throw error;
    const order: Order = booked.get(key) ?? {
      id: `o-${key}`,
      member_id: null,
      lines: [],
      total_fen: 200,
      discount_fen: 0,
      points_earned: 0,
      member_points: null,
      tender: null,
      created_at: new Date().toISOString(),
      sold_at: body.sold_at ?? '',
    };
    booked.set(key, order);
    if (loseAnswer.delete(key)) throw new FaceError('NETWORK_ERROR', 'the answer was lost');
    return order;
  };
  return { post, booked, sent, loseAnswer, fail: (f: ((key: string) => FaceError | null) | null) => (failWith = f) };
}

describe('outbox', () => {
  it('stamps each sale with when it was sold, and sends the queue oldest first', async () => {
    let now = Date.UTC(2026, 3, 1, 8, 0, 0);
    const outbox = new Outbox(openPosDb(fresh()), () => now);
    for (const key of ['k-1', 'k-2', 'k-3']) {
      await outbox.add(sale(key));
      now += 60_000;
    }
    const s = server();
    const report = await outbox.sync(s.post, HERE);
    expect(s.sent.map((x) => x.key)).toEqual(['k-1', 'k-2', 'k-3']);
    expect(s.sent.map((x) => x.body.sold_at)).toEqual(['2026-04-01T08:00:00.000Z', '2026-04-01T08:01:00.000Z', '2026-04-01T08:02:00.000Z']);
    expect(report.booked.map((b) => b.order.id)).toEqual(['o-k-1', 'o-k-2', 'o-k-3']);
    expect(await outbox.list()).toEqual([]);
    expect((await outbox.synced()).map((r) => r.key)).toEqual(['k-3', 'k-2', 'k-1']);
  });

  it('stops at a sale the server cannot be reached for: the later ones wait behind it (FIFO)', async () => {
    const outbox = new Outbox(openPosDb(fresh()));
    await outbox.add(sale('k-1'));
    await outbox.add(sale('k-2'));
    const s = server();
    s.fail((key) => (key === 'k-1' ? new FaceError('NETWORK_ERROR', 'down') : null));
    const report = await outbox.sync(s.post, HERE);
    expect(report.stoppedBy?.code).toBe('NETWORK_ERROR');
    expect(s.sent.map((x) => x.key)).toEqual(['k-1']);
    expect((await outbox.list()).map((x) => [x.key, x.attempts, x.lastError?.code])).toEqual([
      ['k-1', 1, 'NETWORK_ERROR'],
      ['k-2', 0, undefined],
    ]);
    // 503, 429, 401 and a 500 are transient too.
    for (const code of ['DATABASE_UNAVAILABLE', 'RATE_LIMITED', 'UNAUTHORIZED', 'INTERNAL_ERROR', 'TIMEOUT'] as const) {
      expect(refusedForGood(new FaceError(code, 'x'))).toBe(false);
    }
  });

  it('holds a sale refused for good (never dropped) and goes on with the rest; a held sale can be sent again', async () => {
    const outbox = new Outbox(openPosDb(fresh()));
    await outbox.add(sale('k-1'));
    const bad = await outbox.add(sale('k-2'));
    await outbox.add(sale('k-3'));
    const s = server();
    s.fail((key) => (key === 'k-2' ? new FaceError('LIMIT_EXCEEDED', 'too old') : null));
    const report = await outbox.sync(s.post, HERE);
    expect(report.held).toEqual([bad.seq]);
    expect([...s.booked.keys()]).toEqual(['k-1', 'k-3']);
    const left = await outbox.list();
    expect(left).toHaveLength(1);
    expect(left[0]).toMatchObject({ key: 'k-2', held: true, lastError: { code: 'LIMIT_EXCEEDED', message: 'too old' } });
    // A second pass leaves it alone.
    await outbox.sync(s.post, HERE);
    expect(s.sent.filter((x) => x.key === 'k-2')).toHaveLength(1);
    s.fail(null);
    await outbox.release(bad.seq as number);
    await outbox.sync(s.post, HERE);
    expect(await outbox.list()).toEqual([]);
    expect(s.booked.size).toBe(3);
    for (const code of ['INVALID_REQUEST', 'NOT_FOUND', 'CONFLICT', 'LIMIT_EXCEEDED', 'MESSAGE_TOO_LARGE', 'FORBIDDEN'] as const) {
      expect(refusedForGood(new FaceError(code, 'x'))).toBe(true);
    }
  });

  it('hands the live sale back when refused for good (the cashier is still there), instead of holding it', async () => {
    const outbox = new Outbox(openPosDb(fresh()));
    const live = await outbox.add(sale('k-live'));
    const s = server();
    s.fail(() => new FaceError('LIMIT_EXCEEDED', 'too many lines'));
    const report = await outbox.sync(s.post, HERE, live.seq as number);
    expect(report.refused).toMatchObject({ seq: live.seq, error: { code: 'LIMIT_EXCEEDED' } });
    expect(await outbox.list()).toEqual([]);
  });

  it('a sale made as another terminal is held, not booked on this one', async () => {
    const outbox = new Outbox(openPosDb(fresh()));
    await outbox.add({ ...sale('k-other'), terminal: { store_id: 'S001', device_id: 'D009' } });
    const s = server();
    const report = await outbox.sync(s.post, HERE);
    expect(report.held).toHaveLength(1);
    expect(s.sent).toEqual([]);
    expect((await outbox.list())[0]?.lastError?.message).toContain('S001/D009');
  });

  it('survives the browser closing: a new connection finds the queue, and a sale booked before the close is not booked again', async () => {
    const name = fresh();
    const first = new Outbox(openPosDb(name));
    await first.add(sale('k-1'));
    await first.add(sale('k-2'));
    const s = server();
    // The server booked k-1 but its answer was lost (the browser closed while it travelled).
    s.loseAnswer.add('k-1');
    await first.sync(s.post, HERE);

    const reopened = new Outbox(openPosDb(name));
    expect((await reopened.list()).map((x) => x.key)).toEqual(['k-1', 'k-2']);
    await reopened.sync(s.post, HERE);
    expect(s.booked.size).toBe(2);
    expect(s.sent.map((x) => x.key)).toEqual(['k-1', 'k-1', 'k-2']);
    expect(await reopened.list()).toEqual([]);
  });

  it("drops a synced sale's request, and the customer_openid in it, with the queue entry", async () => {
    const name = fresh();
    const outbox = new Outbox(openPosDb(name));
    await outbox.add(sale('k-face', { member_id: null, customer_openid: 'oSECRET_FACE_0001' }));
    const s = server();
    await outbox.sync(s.post, HERE);
    expect(s.sent[0]?.body.customer_openid).toBe('oSECRET_FACE_0001');
    const db = await openPosDb(name);
    const everything = JSON.stringify([await db.getAll('outbox'), await db.getAll('synced'), await db.getAll('members'), await db.getAll('meta')]);
    expect(everything).not.toContain('oSECRET_FACE_0001');
  });

  it('forgets synced answers after SYNCED_KEEP_MS', async () => {
    let now = Date.UTC(2026, 3, 1);
    const outbox = new Outbox(openPosDb(fresh()), () => now);
    await outbox.add(sale('k-old'));
    await outbox.sync(server().post, HERE);
    now += SYNCED_KEEP_MS - 1000;
    await outbox.add(sale('k-new'));
    await outbox.sync(server().post, HERE);
    now += 2000;
    await outbox.prune();
    expect((await outbox.synced()).map((r) => r.key)).toEqual(['k-new']);
  });
});
