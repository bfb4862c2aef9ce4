import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FaceError } from '@posface/protocol';
import { setServices } from '../services.js';
import { fakeWorld, member, type FakeWorld } from '../testing/fakes.js';
import { useTerminalStore } from './terminal.js';

let world: FakeWorld;

beforeEach(() => {
  localStorage.clear();
  world = fakeWorld();
  setServices(world.services);
  setActivePinia(createPinia());
});

describe('terminal store', () => {
  it('at start forgets a token an older version left in localStorage, and asks the server who this is', async () => {
    localStorage.setItem('posface.terminal.token', 'pft_old-token');
    localStorage.setItem('posface.locale', 'en');
    const terminal = useTerminalStore();
    await terminal.load();
    expect(localStorage.getItem('posface.terminal.token')).toBeNull();
    expect(localStorage.getItem('posface.locale')).toBe('en');
    expect(terminal.state).toBe('unpaired');
    // Never paired: the form alone, no error.
    expect(terminal.error).toBeNull();
    world.api.session = true;
    await terminal.load();
    expect(terminal.paired).toBe(true);
  });

  it('pairs with the code as typed (lower case, dash, spaces) and stores nothing in the page', async () => {
    const terminal = useTerminalStore();
    await terminal.load();
    expect(await terminal.pair(' abcd-efgh ')).toBe(true);
    expect(world.api.pairCalls).toEqual(['ABCDEFGH']);
    expect(terminal.paired).toBe(true);
    expect(terminal.info?.device_id).toBe('D001');
    expect(localStorage.length).toBe(0);
  });

  it('refuses a malformed code without asking the server, and says what a code looks like', async () => {
    const terminal = useTerminalStore();
    expect(await terminal.pair('ABCD-EF01')).toBe(false);
    expect(world.api.pairCalls).toEqual([]);
    expect(terminal.error).toMatchObject({ code: 'INVALID_REQUEST', details: { reason: 'format' } });
    expect(terminal.error?.message).toContain('digits 2–9 and letters A–Z except I and O');
  });

  it("keeps the server's reason for a refused code", async () => {
    const terminal = useTerminalStore();
    expect(await terminal.pair('ZZZZZZZZ')).toBe(false);
    expect(terminal.state).toBe('unpaired');
    expect(terminal.error).toMatchObject({ code: 'PAIRING_CODE_INVALID', details: { reason: 'unknown' } });
  });

  it('notices a browser that did not keep the cookie (the next request comes without it)', async () => {
    world.api.dropsCookie = true;
    const terminal = useTerminalStore();
    expect(await terminal.pair('ABCDEFGH')).toBe(false);
    expect(terminal.error).toMatchObject({ code: 'UNAUTHORIZED', details: { reason: 'cookie_rejected' } });
  });

  it('a session ended mid-shift (revoked) unpairs with the reason; a server that is down is an error, not unpaired', async () => {
    world.api.session = true;
    const terminal = useTerminalStore();
    await terminal.load();
    terminal.sessionEnded(new FaceError('UNAUTHORIZED', 'revoked', { details: { reason: 'revoked' } }));
    expect(terminal.paired).toBe(false);
    expect(terminal.error?.details).toEqual({ reason: 'revoked' });
    world.api.failNext = new FaceError('NETWORK_ERROR', 'down');
    await terminal.load();
    expect(terminal.state).toBe('error');
    expect(terminal.error?.code).toBe('NETWORK_ERROR');
  });

  it('unpairs on the server; a failed unpair keeps the POS paired and says why', async () => {
    world.api.session = true;
    const terminal = useTerminalStore();
    await terminal.load();
    world.api.failNext = new FaceError('NETWORK_ERROR', 'down');
    expect(await terminal.unpair()).toBe(false);
    expect(terminal.paired).toBe(true);
    expect(world.api.session).toBe(true);
    expect(await terminal.unpair()).toBe(true);
    expect(world.api.session).toBe(false);
    expect(terminal.state).toBe('unpaired');
  });

  it('starts paired with the server unreachable if it was paired before; a 401 later unpairs and forgets whom it saw, not its sales', async () => {
    world.api.session = true;
    const first = useTerminalStore();
    await first.load();
    await vi.waitFor(async () => expect(await world.offline.terminal.get()).toEqual(first.info));
    await world.offline.members.remember('oWANG', member('m1', 'oWANG'));
    await world.offline.outbox.add({ key: 'k1', request: { lines: [{ product_id: 'a', quantity: 1 }] }, terminal: { store_id: 'S001', device_id: 'D001' }, local: { total_fen: 1, item_count: 1, customer: 'none', points_expected: 0 } });

    // A reload with the server down: the kept terminal opens the checkout.
    setActivePinia(createPinia());
    const reloaded = useTerminalStore();
    world.api.failNext = new FaceError('NETWORK_ERROR', 'down');
    await reloaded.load();
    expect(reloaded.paired).toBe(true);
    expect(reloaded.info?.device_id).toBe('D001');

    reloaded.sessionEnded(new FaceError('UNAUTHORIZED', 'revoked', { details: { reason: 'revoked' } }));
    expect(reloaded.paired).toBe(false);
    await vi.waitFor(async () => expect(await world.offline.terminal.get()).toBeUndefined());
    expect(await world.offline.members.recall('oWANG')).toBeNull();
    expect(await world.offline.outbox.list()).toHaveLength(1);
    // Never paired, offline: no kept terminal, so the pairing screen says the server is down.
    world.api.failNext = new FaceError('NETWORK_ERROR', 'down');
    await reloaded.load();
    expect(reloaded.state).toBe('error');
  });
});
