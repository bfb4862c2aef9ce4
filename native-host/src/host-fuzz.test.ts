import { MAX_INBOUND_FRAME_BYTES, SDK_FIELDS, type HostResponse } from '@posface/protocol';
import { requireTool } from '@posface/testing';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { EXIT } from './exit.js';
import { HEADER_BYTES } from './framing.js';
import { fuzzPayload, Rng } from './testing/fuzz-frames.js';
import { ensureHostBuilt, HostUnderTest, removeTempDirs, tempDir } from './testing/harness.js';
import { buildRecordingSdk, readRecordedRequests, RECORDING_FILE_ENV } from './testing/recording-sdk.js';

// The real host over real stdio, fed seeded garbage and near-miss requests, with the recording SDK in
// place of the DLL. FUZZ_SEED=<n> replays a run; FUZZ_FRAMES=<n> changes its size.
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 32));
const FRAMES = Number(process.env.FUZZ_FRAMES ?? 20_000);
const SESSIONS = 4;
const BATCH = 250;
/** Time for one batch to be answered before the host counts as hung. */
const BATCH_TIMEOUT_MS = 20_000;

const canRun = requireTool('gcc');
let library = '';
beforeAll(() => {
  if (!canRun) return;
  ensureHostBuilt();
  library = buildRecordingSdk(tempDir('posface-recording-sdk-'));
});
afterAll(() => removeTempDirs());

const decoder = new TextDecoder('utf-8', { fatal: true });

/** The id the host must answer a payload with: the request's own id when one can be read, else null. */
function expectedId(payload: Buffer): string | null {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(payload));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, 'id')) return null;
  const id = (value as { id: unknown }).id;
  return typeof id === 'string' && id.length > 0 && id.length <= 64 ? id : null;
}

/**
 * What is wrong with a request the SDK received, judged against the SDK_FIELDS table alone (not
 * through the host's validator): a command outside the table, a field outside its command's set,
 * a value of the wrong type, over its limit or off its list, a required field missing.
 */
function problemWith(bytes: Buffer): string | null {
  let request: unknown;
  try {
    request = JSON.parse(decoder.decode(bytes));
  } catch (error) {
    return `not UTF-8 JSON (${String(error)})`;
  }
  if (typeof request !== 'object' || request === null || Array.isArray(request)) return 'not an object';
  const fields = request as Record<string, unknown>;
  const cmd = Object.hasOwn(fields, 'cmd') ? fields.cmd : undefined;
  if (typeof cmd !== 'string' || !Object.hasOwn(SDK_FIELDS, cmd)) return `cmd ${JSON.stringify(cmd)} is not a documented command`;
  const specs = SDK_FIELDS[cmd as keyof typeof SDK_FIELDS];
  if (fields.version !== '1') return `version is ${JSON.stringify(fields.version)}`;
  if (!Number.isInteger(fields.now) || Math.abs((fields.now as number) - Date.now() / 1000) > 3600) return `now is ${JSON.stringify(fields.now)}`;
  for (const key of Object.keys(fields)) {
    if (key === 'cmd' || key === 'version' || key === 'now') continue;
    if (!Object.hasOwn(specs, key)) return `${cmd} carries ${JSON.stringify(key.slice(0, 60))}, not one of its fields`;
    const spec = specs[key]!;
    const value = fields[key];
    if (spec.type === 'int') {
      if (!spec.oneOf.includes(value as number)) return `${key} = ${JSON.stringify(value)} is not one of ${spec.oneOf.join(', ')}`;
      continue;
    }
    if (typeof value !== 'string') return `${key} is a ${typeof value}, not a string`;
    if (spec.max === undefined && spec.oneOf === undefined) return `${key} has no limit in SDK_FIELDS`;
    if (spec.max !== undefined && value.length > spec.max) return `${key} is ${value.length} characters, over its limit of ${spec.max}`;
    if (spec.oneOf && !spec.oneOf.includes(value)) return `${key} = ${JSON.stringify(value.slice(0, 40))} is not one of its values`;
    if (spec.pattern && !spec.pattern.test(value)) return `${key} = ${JSON.stringify(value.slice(0, 40))} does not match ${spec.pattern.source}`;
  }
  for (const [key, spec] of Object.entries(specs)) {
    if (spec.required && !Object.hasOwn(fields, key)) return `${cmd} lacks its required ${key}`;
  }
  return null;
}

function frameOf(payload: Buffer): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt32LE(payload.length, 0);
  return Buffer.concat([header, payload]);
}

/** How a session's stream ends: cleanly, inside a header, inside a body, or with a header over the limit. */
const ENDINGS = ['end', 'cut-header', 'cut-body', 'oversize'] as const;
type Ending = (typeof ENDINGS)[number];

interface SessionReport {
  frames: number;
  sdkRequests: number;
  /** Answers by outcome: "ok" or the error code. */
  outcomes: Map<string, number>;
  problems: string[];
}

async function fuzzSession(rng: Rng, frames: number, ending: Ending): Promise<SessionReport> {
  const dir = tempDir('posface-fuzz-');
  const recording = join(dir, 'requests.bin');
  const host = new HostUnderTest({ sdkPath: library, env: { [RECORDING_FILE_ENV]: recording } });
  const problems: string[] = [];
  try {
    const expectIds = new Map<string, number>();
    let expectNull = 0;
    let sent = 0;
    while (sent < frames) {
      const count = Math.min(BATCH, frames - sent);
      const batch: Buffer[] = [];
      for (let i = 0; i < count; i += 1) {
        const payload = fuzzPayload(rng, MAX_INBOUND_FRAME_BYTES);
        const id = expectedId(payload);
        if (id === null) expectNull += 1;
        else tally(expectIds, id);
        batch.push(frameOf(payload));
      }
      sent += count;
      // Written in chunks of any size: a chunk may end inside a header or hold several frames.
      const bytes = Buffer.concat(batch);
      for (let at = 0; at < bytes.length; ) {
        const size = rng.chance(0.2) ? rng.range(1, 7) : rng.range(1, 16_384);
        host.write(bytes.subarray(at, at + size));
        at += size;
      }
      // One answer per frame: a batch is done when they all came back.
      await waitForCount(host, sent, `after ${sent} frames`);
    }

    let wantExit: number = EXIT.OK;
    if (ending === 'cut-header') host.write(Buffer.from([0x10, 0x00].slice(0, rng.range(1, 2))));
    if (ending === 'cut-body') host.write(frameOf(Buffer.from('{"id":"cut","method":"hello"}')).subarray(0, HEADER_BYTES + rng.range(0, 20)));
    if (ending === 'oversize') {
      // The 70,000-character "constructor" from the issue: over the limit, so the stream is lost.
      host.write(frameOf(Buffer.from(JSON.stringify({ id: 'big', method: 'call', params: { cmd: 'getWxpayfaceRawdata', constructor: 'c'.repeat(70_000) } }))));
      expectNull += 1;
      wantExit = EXIT.BAD_STREAM;
    } else {
      host.child.stdin.end();
    }
    const exit = await withTimeout(host.exited, BATCH_TIMEOUT_MS, `the host did not exit after the stream ended (${ending})`);
    expect(exit, `exit after "${ending}"; stderr: ${host.stderr}`).toEqual({ code: wantExit, signal: null });

    // Every frame answered exactly once, and nothing but frames on stdout.
    expect(host.assertStdoutIsFramesOnly()).toBe(host.responses.length);
    const nullAnswers = host.responses.filter((r) => r.id === null);
    expect(nullAnswers.length, 'answers without an id').toBe(expectNull);
    const byId = countIds(host.responses);
    for (const [id, times] of expectIds) if (byId.get(id) !== times) problems.push(`${id} answered ${byId.get(id) ?? 0} times, expected ${times}`);
    for (const id of byId.keys()) if (id !== null && !expectIds.has(id)) problems.push(`answer to ${id}, which was never asked`);
    if (ending === 'oversize') expect(nullAnswers.at(-1)).toMatchObject({ ok: false, error: { code: 'MESSAGE_TOO_LARGE' } });

    // Nothing the SDK received is outside its command's documented fields and limits.
    const requests = readRecordedRequests(recording);
    for (const [index, request] of requests.entries()) {
      const problem = problemWith(request);
      if (problem) problems.push(`SDK request ${index}: ${problem}: ${request.toString('utf8').slice(0, 200)}`);
    }
    // Each SDK answer (SUCCESS) reached exactly one caller; no caller got one the SDK did not give.
    const sdkAnswers = host.responses.filter((r) => r.ok && (r.result as { return_code?: unknown }).return_code === 'SUCCESS').length;
    expect(sdkAnswers, 'SUCCESS answers vs requests the SDK received').toBe(requests.length);
    const outcomes = new Map<string, number>();
    for (const r of host.responses) tally(outcomes, r.ok ? 'ok' : r.error.code);
    return { frames, sdkRequests: requests.length, outcomes, problems };
  } finally {
    await host.dispose();
  }
}

function tally<K>(counts: Map<K, number>, key: K, n = 1): void {
  counts.set(key, (counts.get(key) ?? 0) + n);
}

function countIds(responses: readonly HostResponse[]): Map<string | null, number> {
  const counts = new Map<string | null, number>();
  for (const r of responses) tally(counts, r.id);
  return counts;
}

async function waitForCount(host: HostUnderTest, want: number, when: string): Promise<void> {
  const deadline = Date.now() + BATCH_TIMEOUT_MS;
  while (host.responses.length < want) {
    if (host.child.exitCode !== null || host.child.signalCode !== null) {
      throw new Error(`the host exited (${host.child.exitCode ?? host.child.signalCode}) ${when} with ${host.responses.length}/${want} answers; stderr: ${host.stderr.slice(-2000)}`);
    }
    if (Date.now() > deadline) throw new Error(`the host hung ${when}: ${host.responses.length}/${want} answers after ${BATCH_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  if (host.responses.length > want) throw new Error(`${host.responses.length} answers ${when}, more than the ${want} frames sent`);
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe.runIf(canRun)('fuzzing the host over stdio', () => {
  it(`answers ${FRAMES} hostile frames exactly once each, and the SDK only ever sees documented fields within their limits`, { timeout: 180_000 }, async () => {
    onTestFailed(() => console.error(`host fuzz failed with seed ${SEED}: replay with FUZZ_SEED=${SEED}`));
    const rng = new Rng(SEED);
    const started = performance.now();
    const reports: SessionReport[] = [];
    for (let session = 0; session < SESSIONS; session += 1) {
      const frames = Math.floor(FRAMES / SESSIONS) + (session < FRAMES % SESSIONS ? 1 : 0);
      reports.push(await fuzzSession(rng, frames, ENDINGS[session % ENDINGS.length] as Ending));
    }
    const seconds = (performance.now() - started) / 1000;
    const frames = reports.reduce((n, r) => n + r.frames, 0);
    const sdkRequests = reports.reduce((n, r) => n + r.sdkRequests, 0);
    const outcomes = new Map<string, number>();
    for (const [outcome, n] of reports.flatMap((r) => [...r.outcomes])) tally(outcomes, outcome, n);
    console.log(
      `host fuzz: seed ${SEED}, ${frames} frames in ${SESSIONS} host processes, ${seconds.toFixed(1)} s; ${sdkRequests} reached the SDK; answers: ${[...outcomes].map(([k, n]) => `${k} ${n}`).join(', ')}`,
    );
    expect(reports.flatMap((r) => r.problems).slice(0, 20), `seed ${SEED}`).toEqual([]);
    expect(frames).toBe(FRAMES);
    // The run must exercise the SDK path, not only the refusals.
    expect(sdkRequests).toBeGreaterThan(FRAMES / 10);
  });
});
