import { FaceError, SDK_TIMEOUT_MS, type SdkCommand } from '@posface/protocol';
import { describe, expect, it, vi } from 'vitest';
import { SdkQueue } from './sdk-queue.js';

// The queue's rules with a controllable fake SDK (the real one is covered by the host-*.test.ts files).
function deferred<T = string>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function makeQueue(timeouts: Partial<Record<SdkCommand, number>> = {}, maxQueued?: number) {
  const onStuck = vi.fn();
  const onLateAnswer = vi.fn();
  const queue = new SdkQueue({ timeouts: { ...SDK_TIMEOUT_MS, ...timeouts }, onStuck, onLateAnswer, ...(maxQueued === undefined ? {} : { maxQueued }) });
  return { queue, onStuck, onLateAnswer };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('SdkQueue', () => {
  it('runs calls one at a time in arrival order', async () => {
    const { queue } = makeQueue();
    const started: string[] = [];
    const a = deferred();
    const b = deferred();
    const pa = queue.submit('initWxpayface', () => (started.push('a'), a.promise));
    const pb = queue.submit('getWxpayfaceRawdata', () => (started.push('b'), b.promise));
    await settle();
    expect(started).toEqual(['a']);
    expect(queue.pending).toBe(2);
    a.resolve('A');
    expect(await pa).toBe('A');
    await settle();
    expect(started).toEqual(['a', 'b']);
    b.resolve('B');
    expect(await pb).toBe('B');
    expect(queue.pending).toBe(0);
  });

  it('lets stopWxpayface through while a face step holds the queue', async () => {
    const { queue } = makeQueue();
    const face = deferred();
    const pf = queue.submit('getWxpayfaceUserInfo', () => face.promise);
    const ps = queue.submit('stopWxpayface', async () => {
      face.reject(new FaceError('USER_CANCEL', 'cancelled'));
      return 'stopped';
    });
    expect(await ps).toBe('stopped');
    await expect(pf).rejects.toMatchObject({ code: 'USER_CANCEL' });
  });

  it('answers BUSY to a second face step, running or queued, and to a full queue', async () => {
    const { queue } = makeQueue({}, 1);
    const first = deferred();
    void queue.submit('getWxpayfaceUserInfo', () => first.promise);
    await expect(queue.submit('getWxpayfaceUserInfo', () => Promise.resolve('x'))).rejects.toMatchObject({ code: 'BUSY' });
    void queue.submit('getWxpayfaceRawdata', () => Promise.resolve('r'));
    await expect(queue.submit('releaseWxpayface', () => Promise.resolve('x'))).rejects.toMatchObject({ code: 'BUSY', message: /already waiting/ });
    first.resolve('done');
  });

  it('answers TIMEOUT to a call that never started and drops it', async () => {
    const { queue, onStuck } = makeQueue({ getWxpayfaceRawdata: 60 });
    const face = deferred();
    void queue.submit('getWxpayfaceUserInfo', () => face.promise);
    const run = vi.fn(() => Promise.resolve('never'));
    await expect(queue.submit('getWxpayfaceRawdata', run)).rejects.toMatchObject({ code: 'TIMEOUT', details: { stage: 'queued' } });
    face.resolve('ok');
    await settle();
    expect(run).not.toHaveBeenCalled();
    expect(onStuck).not.toHaveBeenCalled();
  });

  it('gives a started call its full budget inside the SDK before calling it stuck', async () => {
    const { queue, onStuck, onLateAnswer } = makeQueue({ getWxpayfaceUserInfo: 150, getWxpayfaceRawdata: 150 });
    const face = deferred();
    const raw = deferred();
    void queue.submit('getWxpayfaceUserInfo', () => face.promise);
    const pr = queue.submit('getWxpayfaceRawdata', () => raw.promise);
    await new Promise((resolve) => setTimeout(resolve, 100));
    face.resolve('late but fine');
    // rawdata starts at ~100 ms: its caller hears TIMEOUT at 150 ms, but the SDK is not stuck before ~250 ms.
    await expect(pr).rejects.toMatchObject({ code: 'TIMEOUT', details: { stage: 'running' } });
    raw.resolve('arrived at ~170 ms');
    await settle();
    expect(onStuck).not.toHaveBeenCalled();
    expect(onLateAnswer).toHaveBeenCalledWith('getWxpayfaceRawdata', expect.any(Number));
    expect(await queue.submit('releaseWxpayface', () => Promise.resolve('next'))).toBe('next');
  });

  it('declares the SDK stuck, answers everything pending with BUSY and refuses new work', async () => {
    const { queue, onStuck } = makeQueue({ getWxpayfaceUserInfo: 50 });
    const pf = queue.submit('getWxpayfaceUserInfo', () => new Promise<never>(() => undefined));
    const pr = queue.submit('getWxpayfaceRawdata', () => Promise.resolve('never'));
    await expect(pf).rejects.toMatchObject({ code: 'TIMEOUT', details: { stage: 'running', timeoutMs: 50 } });
    await expect(pr).rejects.toMatchObject({ code: 'BUSY', message: /stuck in getWxpayfaceUserInfo/ });
    expect(onStuck).toHaveBeenCalledWith('getWxpayfaceUserInfo', expect.any(Number));
    await expect(queue.submit('initWxpayface', () => Promise.resolve('x'))).rejects.toMatchObject({ code: 'BUSY' });
    expect(queue.pending).toBe(0);
  });

  it('wraps a thrown non-FaceError as HOST_ERROR and carries on', async () => {
    const { queue } = makeQueue();
    await expect(queue.submit('initWxpayface', () => Promise.reject(new Error('boom')))).rejects.toMatchObject({ code: 'HOST_ERROR', message: 'boom' });
    expect(await queue.submit('initWxpayface', () => Promise.resolve('ok'))).toBe('ok');
  });
});
