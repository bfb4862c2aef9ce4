import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FaceError } from '@posface/protocol';
import { setServices } from '../services.js';
import { fakeWorld, product, TERMINAL, type FakeWorld } from '../testing/fakes.js';
import { useOutboxStore } from '../stores/outbox.js';
import { useStatusStore } from '../stores/status.js';
import { useTerminalStore } from '../stores/terminal.js';
import { startOfflineUpkeep } from './upkeep.js';

let world: FakeWorld;
let stop: () => void = () => undefined;
const A = product('a', 200, 150, '6901234567892');
const B = product('b', 350, null, '6902538006100');

beforeEach(() => {
  world = fakeWorld();
  world.api.products.push(A, B);
  setServices(world.services);
  setActivePinia(createPinia());
  useTerminalStore().info = TERMINAL;
});
afterEach(() => stop());

const until = async (done: () => boolean | Promise<boolean>) => {
  for (let i = 0; i < 200 && !(await done()); i += 1) await new Promise((r) => setTimeout(r, 5));
  expect(await done()).toBe(true);
};

describe('offline upkeep', () => {
  it('sends the waiting sales, oldest first, the moment the server is seen back', async () => {
    const status = useStatusStore();
    const outbox = useOutboxStore();
    status.markUnreachable(new FaceError('NETWORK_ERROR', 'down'));
    const sale = (id: string) => ({ lines: [{ product_id: id, quantity: 1 }] });
    for (const [i, id] of ['a', 'b', 'a'].entries()) {
      await outbox.submit(sale(id), `key-${i}`, { total_fen: 0, item_count: 1, customer: 'none', points_expected: 0 });
    }
    stop = startOfflineUpkeep({ api: world.api, offline: world.services.offline, status, outbox });
    await new Promise((r) => setTimeout(r, 50));
    expect(world.api.orderRequests).toHaveLength(0);
    expect(outbox.waiting).toHaveLength(3);

    status.markReachable(3);
    await until(() => outbox.waiting.length === 0);
    expect(world.api.orderRequests.map((r) => r.key)).toEqual(['key-0', 'key-1', 'key-2']);
    expect(outbox.synced).toHaveLength(3);
  });

  it('keeps a copy of the catalogue while the server answers, and not while it is unreachable', async () => {
    const status = useStatusStore();
    status.markUnreachable(new FaceError('NETWORK_ERROR', 'down'));
    stop = startOfflineUpkeep({ api: world.api, offline: world.services.offline, status, outbox: useOutboxStore() });
    await new Promise((r) => setTimeout(r, 50));
    expect(await world.offline.catalogue.info()).toBeUndefined();
    status.markReachable(3);
    await until(async () => (await world.offline.catalogue.info())?.count === 2);
    expect(await world.offline.catalogue.byBarcode(B.barcode)).toEqual([B]);
  });
});
