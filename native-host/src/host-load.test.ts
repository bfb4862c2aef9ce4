import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { encodeFrame } from './framing.js';
import { ensureHostBuilt, HostPool, requireSimLibrary, userInfoParams } from './testing/harness.js';

// Many requests: pipelining, ordering, and memory over hundreds of real SDK calls.
const pool = new HostPool();
beforeAll(() => {
  ensureHostBuilt();
  requireSimLibrary();
});
afterEach(() => pool.cleanup());

describe('load', () => {
  it('answers 50 pipelined requests, sent in one write, each exactly once and in order', async () => {
    const host = pool.start();
    expect((await host.call({ cmd: 'initWxpayface' })).ok).toBe(true);
    const ids = Array.from({ length: 50 }, (_, i) => `p-${i}`);
    const frames = ids.map((id, i) =>
      encodeFrame(i % 10 === 9 ? { id, method: 'hello' } : { id, method: 'call', params: { cmd: 'getWxpayfaceRawdata' } }),
    );
    host.write(Buffer.concat(frames));
    await Promise.all(ids.map((id) => host.waitForId(id)));
    const answered = host.responses.filter((r) => r.id?.startsWith('p-'));
    expect(answered).toHaveLength(50);
    expect(answered.every((r) => r.ok)).toBe(true);
    // SDK calls run one at a time in arrival order.
    const calls = answered.filter((r) => Number(r.id?.slice(2)) % 10 !== 9).map((r) => r.id);
    expect(calls).toEqual(ids.filter((_, i) => i % 10 !== 9));
    const rawdatas = answered.flatMap((r) => (r.ok && 'rawdata' in (r.result as object) ? [(r.result as { rawdata: string }).rawdata] : []));
    expect(new Set(rawdatas).size).toBe(45);
  });

  it('runs 200+ sequential calls without leaking (host RSS after warm-up vs after)', async () => {
    const host = pool.start();
    expect((await host.call({ cmd: 'initWxpayface' })).ok).toBe(true);
    const round = async (n: number) => {
      for (let i = 0; i < n; i += 1) {
        const response = await host.call(i % 2 === 0 ? { cmd: 'getWxpayfaceRawdata' } : userInfoParams({ ask_unionid: '1' }));
        if (!response.ok) throw new Error(JSON.stringify(response.error));
      }
    };
    await round(150);
    const warm = host.rssKb();
    await round(300);
    const after = host.rssKb();
    // A leak of the SDK's response (or of koffi's async stacks) would add up quickly over 300 calls.
    expect(after - warm).toBeLessThan(8 * 1024);
    process.stderr.write(`native-host RSS: ${warm} KiB after 150 warm-up calls, ${after} KiB after 300 more\n`);
  });
});
