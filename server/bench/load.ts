import { Agent, request } from 'node:http';
import { summarize } from './stats.js';

export interface LoadOptions {
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  durationMs: number;
  warmupMs?: number;
}

export interface LoadResult {
  requests: number;
  errors: number;
  rps: number;
  p50: number;
  p99: number;
}

/** A closed-loop load generator: `connections` keep-alive connections, each sending the next request on the answer. */
export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: o.connections });
  const url = new URL(o.url);
  const body = o.body === undefined ? undefined : Buffer.from(o.body, 'utf8');
  const headers = { ...o.headers, ...(body ? { 'content-type': 'application/json', 'content-length': String(body.length) } : {}) };
  const once = () =>
    new Promise<number>((resolve, reject) => {
      const req = request({ agent, host: url.hostname, port: url.port, path: url.pathname + url.search, method: o.method, headers }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });

  const loop = async (until: number, record: number[] | null, counters: { errors: number }) => {
    while (performance.now() < until) {
      const t0 = performance.now();
      const status = await once();
      if (status !== 200) counters.errors += 1;
      record?.push(performance.now() - t0);
    }
  };
  const workers = (until: number, record: number[] | null, counters: { errors: number }) =>
    Promise.all(Array.from({ length: o.connections }, () => loop(until, record, counters)));

  await workers(performance.now() + (o.warmupMs ?? 1000), null, { errors: 0 });
  const latencies: number[] = [];
  const counters = { errors: 0 };
  const start = performance.now();
  await workers(start + o.durationMs, latencies, counters);
  const elapsed = performance.now() - start;
  agent.destroy();
  const s = summarize(latencies);
  return { requests: s.n, errors: counters.errors, rps: (s.n / elapsed) * 1000, p50: s.p50, p99: s.p99 };
}
