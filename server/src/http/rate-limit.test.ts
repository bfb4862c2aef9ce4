import { randomBytes } from 'node:crypto';
import { requireService } from '@posface/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PAIR_LIMITS } from '../routes/pairing.js';
import { sqliteDatabase, type TestDatabase } from '../testing/databases.js';
import { startStack, type Stack } from '../testing/harness.js';
import { pairFrom } from '../testing/pair-client.js';

const REDIS_URL = requireService('TEST_REDIS_URL');

/** Attempt limits on POST /api/v1/pair, on real HTTP: per client IP, for the whole server, and shared through Redis. */

// Malformed codes: counted like any attempt, answered without the cost of hashing.
const attempt = (stack: Stack, from: string) => pairFrom(stack.server.url, { code: 'X' }, { from });

describe('pairing attempt limits (memory)', () => {
  let db: TestDatabase;
  let stack: Stack;
  // A fresh server per test: each starts with no attempts counted.
  beforeEach(async () => {
    db = sqliteDatabase();
    stack = await startStack(db.config);
  });
  afterEach(async () => {
    await stack.close();
    await db.drop();
  });

  it(`per client IP: attempt ${PAIR_LIMITS.perIp.max + 1} within a minute is 429 RATE_LIMITED; other IPs go on`, async () => {
    for (let i = 0; i < PAIR_LIMITS.perIp.max; i += 1) expect((await attempt(stack, '127.0.0.2')).status).toBe(400);
    const limited = await attempt(stack, '127.0.0.2');
    expect(limited.status).toBe(429);
    expect(limited.body.error).toMatchObject({ code: 'RATE_LIMITED' });
    expect(limited.body.error.message).toMatch(/^too many requests: at most 10 in this period; retry in \d+ s$/);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(50);
    expect(limited.body.error.details).toEqual({ limit: 10, retry_after_s: retryAfter });
    expect((await attempt(stack, '127.0.0.3')).status).toBe(400);
  });

  it(`for the whole server: attempt ${PAIR_LIMITS.global.max + 1} in 10 minutes is refused whatever the IP`, async () => {
    let sent = 0;
    for (let host = 4; sent < PAIR_LIMITS.global.max; host += 1) {
      for (let i = 0; i < PAIR_LIMITS.perIp.max && sent < PAIR_LIMITS.global.max; i += 1, sent += 1) {
        expect((await attempt(stack, `127.0.0.${host}`)).status).toBe(400);
      }
    }
    const limited = await attempt(stack, '127.0.0.99');
    expect(limited.status).toBe(429);
    expect(limited.body.error.details?.retry_after_s).toBeGreaterThan(9 * 60);
  });
});

describe.skipIf(REDIS_URL === undefined)('pairing attempt limits shared by two instances through Redis', () => {
  let db: TestDatabase;
  let a: Stack;
  let b: Stack;
  beforeAll(async () => {
    db = sqliteDatabase();
    const options = { config: { redisUrl: REDIS_URL ?? null }, deps: { redisPrefix: `posface-test:${randomBytes(4).toString('hex')}:` } };
    a = await startStack(db.config, options);
    b = await startStack(db.config, options);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await db.drop();
  });

  it('attempts on either instance count together', async () => {
    for (let i = 0; i < PAIR_LIMITS.perIp.max; i += 1) expect((await attempt(i % 2 === 0 ? a : b, '127.0.0.5')).status).toBe(400);
    expect((await attempt(a, '127.0.0.5')).status).toBe(429);
    expect((await attempt(b, '127.0.0.5')).status).toBe(429);
    expect((await attempt(b, '127.0.0.6')).status).toBe(400);
  });
});
