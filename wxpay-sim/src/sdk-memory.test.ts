// Responses are freed by wxpayReleaseResponse: resident memory stays flat over 100,000 calls, while the
// same calls without the release grow it (so the measurement can see a leak).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, callRaw, callWithoutRelease, request } from './testing/harness.js';
import { createSimEnv, userInfoFields, removeSimEnvs } from './testing/sim-env.js';

afterAll(removeSimEnvs);

const MiB = 1024 * 1024;
// Each response is about 1.1 KB, so a leak of every response over 100,000 calls would be ~110 MiB.
const NICKNAME = '会员'.repeat(180);

beforeAll(() => {
  const env = createSimEnv();
  env.setFaces(`oMEM_1\t${NICKNAME}\tuMEM_1\noMEM_2\t${NICKNAME}🍵\n`);
  call('initWxpayface');
});

function rssAfter(calls: number, fn: (i: number) => void): number {
  for (let i = 0; i < calls; i++) fn(i);
  return process.memoryUsage.rss();
}

describe('memory', () => {
  it('RSS stays flat over 100,000 calls that are released', { timeout: 120_000 }, () => {
    // One request per kind, encoded once; `now` stays within the ±5 min window for the length of the test.
    const encode = (req: Record<string, unknown>) => Buffer.from(JSON.stringify(req), 'utf8');
    const userInfo = encode(request('getWxpayfaceUserInfo', userInfoFields({ ask_unionid: '1' })));
    const rawdata = encode(request('getWxpayfaceRawdata'));
    const bad = encode(request('getWxpayfaceUserInfo', userInfoFields({ authinfo: 'forged' })));
    const work = (i: number) => {
      const answer = callRaw(i % 10 === 9 ? bad : i % 2 === 0 ? userInfo : rawdata);
      if (answer.code !== 0 || answer.afterRelease !== null) throw new Error(`call ${i} failed: ${answer.code}`);
    };
    const warm = rssAfter(20_000, work);
    const started = performance.now();
    const after = rssAfter(100_000, work);
    const seconds = (performance.now() - started) / 1000;
    const growth = (after - warm) / MiB;
    console.log(`sdk memory: 100,000 released calls in ${seconds.toFixed(1)} s (${Math.round(100_000 / seconds)} calls/s); RSS ${(warm / MiB).toFixed(1)} → ${(after / MiB).toFixed(1)} MiB (+${growth.toFixed(1)} MiB)`);
    expect(growth).toBeLessThan(8);
  });

  it('(control) the same calls without wxpayReleaseResponse grow RSS', { timeout: 60_000 }, () => {
    const userInfo = request('getWxpayfaceUserInfo', userInfoFields());
    const before = process.memoryUsage.rss();
    const after = rssAfter(20_000, () => callWithoutRelease(userInfo));
    const growth = (after - before) / MiB;
    console.log(`sdk memory control: 20,000 unreleased calls grew RSS by ${growth.toFixed(1)} MiB`);
    expect(growth).toBeGreaterThan(15);
  });
});
