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

  it('runs 750 sequential calls without leaking (host RSS over two rounds after warm-up)', async () => {
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
    const middle = host.rssKb();
    await round(300);
    const after = host.rssKb();
    // A leak (the SDK's responses, koffi's 8 MiB async stacks) grows in every round; V8's heap settling after
    // the warm-up grows in one at most. So the smaller of the two rounds' growths must be small.
    expect(Math.min(middle - warm, after - middle)).toBeLessThan(8 * 1024);
    process.stderr.write(`native-host RSS: ${warm} KiB after 150 warm-up calls, ${middle} KiB after 300 more, ${after} KiB after another 300\n`);
  });
});
