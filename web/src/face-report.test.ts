import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FaceError } from '@posface/protocol';
import type { TerminalReportRequest } from '@posface/protocol/api';
import { FaceReporter } from './face-report.js';

let sent: TerminalReportRequest[];
let fail: FaceError | null;
let problems: FaceError[];
const send = async (report: TerminalReportRequest) => {
  if (fail) throw fail;
  sent.push(structuredClone(report));
  return { accepted: report.face_events?.length ?? 0, duplicates: 0 };
};

beforeEach(() => {
  vi.useFakeTimers();
  sent = [];
  fail = null;
  problems = [];
});
afterEach(() => void vi.useRealTimers());

const reporter = (options = {}) => new FaceReporter(send, { delayMs: 1_000, retryMs: 30_000, onProblem: (e) => problems.push(e), ...options });

describe('FaceReporter', () => {
  it('batches the outcomes of a busy till into one report, with the versions once, and only the failure keeps its code', async () => {
    const r = reporter();
    r.versions({ extension: '0.1.0', host: '0.1.0' });
    r.record('member_found');
    r.record('failed', 'NETWORK_ERROR');
    r.record('cancelled', 'USER_CANCEL');
    expect(sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.versions).toEqual({ extension: '0.1.0', host: '0.1.0' });
    expect(sent[0]?.face_events?.map((e) => [e.outcome, e.error_code])).toEqual([['member_found', undefined], ['failed', 'NETWORK_ERROR'], ['cancelled', undefined]]);
    const ids = sent[0]?.face_events?.map((e) => e.id) ?? [];
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9-]{8,64}$/);
    // The same versions again are not resent; new ones are.
    r.versions({ extension: '0.1.0', host: '0.1.0' });
    r.record('not_member');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sent[1]).toEqual({ face_events: [expect.objectContaining({ outcome: 'not_member' })] });
    r.versions({ extension: '0.1.0', host: '0.2.0' });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sent[2]).toEqual({ versions: { extension: '0.1.0', host: '0.2.0' } });
    expect(r.pending).toBe(0);
  });

  it('keeps every outcome while the server is down, says so, and sends them with the same ids later', async () => {
    const r = reporter();
    fail = new FaceError('NETWORK_ERROR', 'Cannot reach the server');
    r.record('member_found');
    r.record('enrolled');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sent).toEqual([]);
    expect(problems.map((p) => p.code)).toEqual(['NETWORK_ERROR']);
    expect(r.pending).toBe(2);
    r.record('cancelled'); // rides along with the retry
    await vi.advanceTimersByTimeAsync(29_000);
    expect(problems).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(problems).toHaveLength(2);
    fail = null;
    await vi.advanceTimersByTimeAsync(30_000);
    expect(sent.flatMap((s) => s.face_events ?? []).map((e) => e.outcome)).toEqual(['member_found', 'enrolled', 'cancelled']);
    expect(r.pending).toBe(0);
  });

  it('sends at most 100 events a report', async () => {
    const r = reporter();
    for (let i = 0; i < 250; i += 1) r.record('member_found');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sent.map((s) => s.face_events?.length)).toEqual([100, 100, 50]);
  });

  it('past its memory it drops the oldest and says how many (never silently)', async () => {
    const r = reporter({ maxKept: 3 });
    fail = new FaceError('NETWORK_ERROR', 'down');
    for (const outcome of ['member_found', 'not_member', 'enrolled', 'cancelled'] as const) r.record(outcome);
    expect(r.pending).toBe(3);
    expect(problems.map((p) => [p.code, p.message])).toEqual([['LIMIT_EXCEEDED', expect.stringContaining('1 face outcome(s) dropped')]]);
    fail = null;
    await r.flush();
    expect(sent[0]?.face_events?.map((e) => e.outcome)).toEqual(['not_member', 'enrolled', 'cancelled']);
  });

  it('a batch the server refuses is dropped (and said), so it does not block the next ones', async () => {
    const r = reporter();
    fail = new FaceError('INVALID_REQUEST', 'face_events/0/at: must be date-time');
    r.record('member_found');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(r.pending).toBe(0);
    expect(problems.map((p) => p.code)).toEqual(['INVALID_REQUEST']);
    fail = null;
    r.record('cancelled');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sent.map((s) => s.face_events?.map((e) => e.outcome))).toEqual([['cancelled']]);
  });

  it('paused while unpaired, sends what waited once active again', async () => {
    const r = reporter();
    r.setActive(false);
    r.record('member_found');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sent).toEqual([]);
    r.setActive(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toHaveLength(1);
  });
});
