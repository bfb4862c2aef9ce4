import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_INBOUND_FRAME_BYTES, type FaceError } from '@posface/protocol';
import { FakePort } from './testing/fake-port.js';
import { NativePort } from './native-port.js';

function setup() {
  const ports: FakePort[] = [];
  let lastError: string | undefined;
  const exits: FaceError[] = [];
  const native = new NativePort({
    connect: () => {
      const port = new FakePort();
      ports.push(port);
      return port;
    },
    lastError: () => lastError,
    onExit: (e) => exits.push(e),
  });
  return { native, ports, exits, setLastError: (t: string) => void (lastError = t) };
}

afterEach(() => void vi.useRealTimers());

describe('NativePort', () => {
  it('opens one port on first use, uses its own ids and routes answers back', async () => {
    const { native, ports } = setup();
    expect(ports).toHaveLength(0);
    const a = native.request({ method: 'hello' }, 1000);
    const b = native.request({ method: 'call', params: { cmd: 'getWxpayfaceRawdata' } }, 1000);
    expect(ports).toHaveLength(1);
    const [first, second] = ports[0]!.sent;
    expect(first!.id).not.toBe(second!.id);
    ports[0]!.answer({ id: second!.id, ok: false, error: { code: 'SDK_ERROR', message: 'boom', returnCode: 'ERROR' } });
    ports[0]!.answer({ id: first!.id, ok: true, result: { x: 1 } });
    await expect(a).resolves.toEqual({ x: 1 });
    await expect(b).rejects.toMatchObject({ code: 'SDK_ERROR', returnCode: 'ERROR' });
  });

  it('fails everything in flight with the mapped lastError when the host exits, then starts afresh', async () => {
    const { native, ports, exits, setLastError } = setup();
    const pending = [native.request({ method: 'hello' }, 1000), native.request({ method: 'hello' }, 1000)];
    setLastError('Native host has exited.');
    ports[0]!.drop();
    for (const p of pending) await expect(p).rejects.toMatchObject({ code: 'HOST_EXITED' });
    expect(exits.map((e) => e.code)).toEqual(['HOST_EXITED']);
    expect(native.connected).toBe(false);
    void native.request({ method: 'hello' }, 1000).catch(() => undefined);
    expect(ports).toHaveLength(2);
  });

  it('a missing host is HOST_NOT_FOUND', async () => {
    const { native, ports, setLastError } = setup();
    const p = native.request({ method: 'hello' }, 1000);
    setLastError('Specified native messaging host not found.');
    ports[0]!.drop();
    await expect(p).rejects.toMatchObject({ code: 'HOST_NOT_FOUND' });
  });

  it('times out a silent host with TIMEOUT and closes the port so the next request gets a fresh host', async () => {
    vi.useFakeTimers();
    const { native, ports } = setup();
    const slow = native.request({ method: 'hello' }, 100);
    const other = native.request({ method: 'hello' }, 10_000);
    const slowDone = expect(slow).rejects.toMatchObject({ code: 'TIMEOUT' });
    const otherDone = expect(other).rejects.toMatchObject({ code: 'HOST_EXITED' });
    await vi.advanceTimersByTimeAsync(150);
    await slowDone;
    await otherDone;
    expect(ports[0]!.disconnected).toBe(true);
    void native.request({ method: 'hello' }, 1000).catch(() => undefined);
    expect(ports).toHaveLength(2);
  });

  it('refuses a request over the host\'s inbound limit with MESSAGE_TOO_LARGE, sending nothing and sparing the others', async () => {
    const { native, ports } = setup();
    const other = native.request({ method: 'call', params: { cmd: 'getWxpayfaceRawdata' } }, 1000);
    const huge = { cmd: 'getWxpayfaceRawdata', constructor: 'c'.repeat(70_000) } as unknown as { cmd: 'getWxpayfaceRawdata' };
    await expect(native.request({ method: 'call', params: huge }, 1000)).rejects.toMatchObject({
      code: 'MESSAGE_TOO_LARGE',
      details: { limit: MAX_INBOUND_FRAME_BYTES },
    });
    // Bytes, not characters: 11,000 control characters are 66,000 bytes of JSON.
    const controls = { cmd: 'getWxpayfaceRawdata', x: '\u0001'.repeat(11_000) } as unknown as { cmd: 'getWxpayfaceRawdata' };
    await expect(native.request({ method: 'call', params: controls }, 1000)).rejects.toMatchObject({ code: 'MESSAGE_TOO_LARGE' });
    expect(ports).toHaveLength(1);
    expect(ports[0]!.sent.map((m) => m.params)).toEqual([{ cmd: 'getWxpayfaceRawdata' }]);
    expect(ports[0]!.disconnected).toBe(false);
    ports[0]!.answer({ id: ports[0]!.sent[0]!.id, ok: true, result: { return_code: 'SUCCESS' } });
    await expect(other).resolves.toEqual({ return_code: 'SUCCESS' });
  });
});
