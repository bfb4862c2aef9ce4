import { afterEach, describe, expect, it, vi } from 'vitest';
import { HOST_PROTOCOL_VERSION, SDK_TIMEOUT_MS } from '@posface/protocol';
import { FakePort } from './testing/fake-port.js';
import { HostSession } from './host-session.js';
import { NativePort } from './native-port.js';

const hello = { protocol: HOST_PROTOCOL_VERSION, host: { name: 'h', version: '1' }, sdk: { loaded: true, path: '/s.so', arch: 'x64', error: null }, timeouts: SDK_TIMEOUT_MS };
const init = { cmd: 'initWxpayface', camera_rotation: 2 } as const;

/** A host that answers every request at once with SUCCESS (hello with a hello result). */
function setup() {
  const ports: FakePort[] = [];
  const native = new NativePort({
    connect: () => {
      const port = new FakePort();
      const post = port.postMessage.bind(port);
      port.postMessage = (message) => {
        post(message);
        const m = message as { id: string; method: string };
        queueMicrotask(() => port.answer({ id: m.id, ok: true, result: m.method === 'hello' ? hello : { return_code: 'SUCCESS', return_msg: 'OK' } }));
      };
      ports.push(port);
      return port;
    },
    lastError: () => 'Native host has exited.',
  });
  const sent = (port: FakePort) => port.sent.map((m) => (m.method === 'hello' ? 'hello' : (m.params as { cmd: string }).cmd));
  return { session: new HostSession(native), ports, sent };
}

/** A host the test answers by hand. */
function manual() {
  const ports: FakePort[] = [];
  const native = new NativePort({
    connect: () => {
      const port = new FakePort();
      ports.push(port);
      return port;
    },
    lastError: () => undefined,
  });
  return { native, ports };
}

afterEach(() => void vi.useRealTimers());

describe('HostSession', () => {
  it('greets each host once, then sends calls as they come', async () => {
    const { session, ports, sent } = setup();
    await session.call(init);
    await session.call({ cmd: 'getWxpayfaceRawdata' });
    expect(sent(ports[0]!)).toEqual(['hello', 'initWxpayface', 'getWxpayfaceRawdata']);
  });

  it('replays the last init (same fields) on a host that replaced a crashed one, once for concurrent calls', async () => {
    const { session, ports, sent } = setup();
    await session.call(init);
    ports[0]!.drop();
    await Promise.all([session.call({ cmd: 'getWxpayfaceRawdata' }), session.call({ cmd: 'getWxpayfaceRawdata' })]);
    expect(ports).toHaveLength(2);
    expect(sent(ports[1]!)).toEqual(['hello', 'initWxpayface', 'getWxpayfaceRawdata', 'getWxpayfaceRawdata']);
    expect(ports[1]!.sent[1]!.params).toEqual(init);
    await session.call({ cmd: 'getWxpayfaceRawdata' });
    expect(sent(ports[1]!).filter((c) => c === 'initWxpayface')).toHaveLength(1);
  });

  it('replays nothing after a release, nor before a stop or a release', async () => {
    const { session, ports, sent } = setup();
    await session.call(init);
    ports[0]!.drop();
    await session.call({ cmd: 'stopWxpayface' });
    expect(sent(ports[1]!)).toEqual(['hello', 'stopWxpayface']);
    await session.call({ cmd: 'releaseWxpayface' });
    expect(sent(ports[1]!)).toEqual(['hello', 'stopWxpayface', 'releaseWxpayface']);
    ports[1]!.drop();
    await session.call({ cmd: 'getWxpayfaceRawdata' });
    expect(sent(ports[2]!)).toEqual(['hello', 'getWxpayfaceRawdata']);
  });

  it('greets each fresh host once and waits the host timeout plus the extension slack', async () => {
    vi.useFakeTimers();
    const { native, ports } = manual();
    const session = new HostSession(native);
    const call = session.call({ cmd: 'getWxpayfaceRawdata' });
    await vi.advanceTimersByTimeAsync(0);
    expect(ports[0]!.sent.map((m) => m.method)).toEqual(['hello']);
    ports[0]!.answer({ id: ports[0]!.sent[0]!.id, ok: true, result: { ...hello, timeouts: { ...SDK_TIMEOUT_MS, getWxpayfaceRawdata: 500 } } });
    await vi.advanceTimersByTimeAsync(0);
    expect(ports[0]!.sent[1]).toMatchObject({ method: 'call', params: { cmd: 'getWxpayfaceRawdata' } });
    const failed = expect(call).rejects.toMatchObject({ code: 'TIMEOUT' });
    await vi.advanceTimersByTimeAsync(500 + 3000 - 10);
    expect(ports[0]!.disconnected).toBe(false);
    await vi.advanceTimersByTimeAsync(20);
    await failed;
  });

  it('refuses a host of another protocol with VERSION_MISMATCH and closes it', async () => {
    const { native, ports } = manual();
    const session = new HostSession(native);
    const call = session.call({ cmd: 'getWxpayfaceRawdata' });
    await Promise.resolve();
    ports[0]!.answer({ id: ports[0]!.sent[0]!.id, ok: true, result: { ...hello, protocol: HOST_PROTOCOL_VERSION + 1 } });
    await expect(call).rejects.toMatchObject({ code: 'VERSION_MISMATCH' });
    expect(ports[0]!.sent).toHaveLength(1);
    expect(ports[0]!.disconnected).toBe(true);
  });
});
