import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { FaceError } from '@posface/protocol';
import type { CreateOrderRequest, Order } from '@posface/protocol/api';
import type { LocalSale, OutboxSale, SyncedSale } from '../offline/db.js';
import type { SyncReport } from '../offline/outbox.js';
import { services } from '../services.js';
import { useStatusStore } from './status.js';
import { useTerminalStore } from './terminal.js';

/** What became of a completed sale: booked by the server now, or queued in the outbox until it answers. */
export type SubmitResult = { status: 'booked'; order: Order } | { status: 'queued'; sale: OutboxSale };

/** One tab syncs at a time (two tabs of the POS would otherwise send the same sale at once: harmless, but noisy). */
const SYNC_LOCK = 'posface-outbox-sync';

/**
 * How a completed sale reaches the server: written to the outbox first (so nothing is lost whatever happens
 * next), then sent at once when the server answers, or later, oldest first, when it is back. Shows how many
 * sales wait, the ones the server refused for good (held for the cashier), and what synced sales became.
 */
export const useOutboxStore = defineStore('outbox', () => {
  const status = useStatusStore();
  const terminal = useTerminalStore();
  /** Not booked yet, oldest first: the waiting ones and the held ones. */
  const sales = shallowRef<OutboxSale[]>([]);
  const synced = shallowRef<SyncedSale[]>([]);
  const syncing = ref(false);

  const waiting = computed(() => sales.value.filter((s) => !s.held));
  const held = computed(() => sales.value.filter((s) => s.held));
  /** Synced sales whose server total is not what the till showed (a price changed while it was offline). */
  const differing = computed(() => synced.value.filter((s) => s.order.total_fen !== s.local.total_fen));

  async function load(): Promise<void> {
    const { outbox } = services().offline;
    [sales.value, synced.value] = await Promise.all([outbox.list(), outbox.synced()]);
  }

  function terminalTag(): OutboxSale['terminal'] {
    const info = terminal.info;
    if (!info) throw new FaceError('UNAUTHORIZED', 'This browser is not paired: a sale needs a terminal');
    return { store_id: info.store.id, device_id: info.device_id };
  }

  /**
   * The checkout's one call to complete a sale (`request` is whatever the checkout built; the outbox adds
   * `sold_at`). Booked now if the server answers; queued if it cannot be reached. A refusal for good (422,
   * 404…) while the cashier is still at the till is thrown, with the sale taken back out of the queue.
   */
  async function submit(request: CreateOrderRequest, key: string, local: LocalSale): Promise<SubmitResult> {
    if ((request.redeem_points ?? 0) > 0) {
      // Points are never redeemed offline (the server checks the balance as it books): such a sale is sent
      // now, and fails if the server cannot be reached, never queued. (The tender step offers no redemption
      // while offline; a retry after a lost answer is sent the same way.)
      return { status: 'booked', order: await services().api.createOrder(request, key) };
    }
    const sale = await services().offline.outbox.add({ key, request, terminal: terminalTag(), local });
    await load();
    const seq = sale.seq as number;
    if (status.offline) return { status: 'queued', sale };
    const report = await drain(seq);
    if (report?.refused?.seq === seq) throw report.refused.error;
    const order = report?.booked.find((b) => b.seq === seq)?.order ?? (await services().offline.outbox.syncedSale(seq))?.order;
    return order ? { status: 'booked', order } : { status: 'queued', sale };
  }

  let chain: Promise<unknown> = Promise.resolve();
  let next: Promise<SyncReport | null> | null = null;

  /**
   * One pass over the queue, after any pass already running (passes never overlap). Concurrent calls without
   * a live sale share the pass not yet started.
   */
  function drain(live: number | null = null): Promise<SyncReport | null> {
    if (live === null && next) return next;
    const run = chain.then(() => {
      if (live === null) next = null;
      return pass(live);
    });
    chain = run.catch(() => undefined);
    if (live === null) next = run;
    return run;
  }

  async function pass(live: number | null): Promise<SyncReport | null> {
    if (!terminal.info) return null;
    const tag = terminalTag();
    const { api, offline } = services();
    syncing.value = true;
    try {
      const run = () => offline.outbox.sync((request, key) => api.createOrder(request, key), tag, live);
      const report = await (globalThis.navigator?.locks ? navigator.locks.request(SYNC_LOCK, run) : run());
      for (const { order } of report.booked) {
        if (order.member_id !== null && order.member_points !== null) await offline.members.updatePoints(order.member_id, order.member_points);
      }
      if (report.stoppedBy) status.record('sync', report.stoppedBy);
      return report;
    } finally {
      syncing.value = false;
      await load();
    }
  }

  /** A held sale goes back into the queue and is sent again. */
  async function retry(seq: number): Promise<void> {
    await services().offline.outbox.release(seq);
    await load();
    await drain();
  }

  return { sales, synced, syncing, waiting, held, differing, load, submit, drain, retry };
});
