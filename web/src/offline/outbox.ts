import { FaceError, statusForCode } from '@posface/protocol';
import type { CreateOrderRequest, Order } from '@posface/protocol/api';
import type { LocalSale, OutboxSale, PosDb, SaleError, SyncedSale } from './db.js';

/** How long the cashier can look back at synced sales (and a server total that differed). */
export const SYNCED_KEEP_MS = 7 * 86_400_000;

/** POST /api/v1/orders with the sale's Idempotency-Key. */
export type PostOrder = (request: CreateOrderRequest, key: string) => Promise<Order>;

export interface NewSale {
  key: string;
  request: CreateOrderRequest;
  terminal: OutboxSale['terminal'];
  local: LocalSale;
}

/** What one pass over the queue did. */
export interface SyncReport {
  booked: { seq: number; order: Order }[];
  held: number[];
  /** The sale `live` when the server refused it for good: removed from the queue, handed back to the cashier. */
  refused: { seq: number; error: FaceError } | null;
  /** The transient failure that ended the pass (server unreachable, busy, session ended), if any. */
  stoppedBy: FaceError | null;
}

/**
 * A refusal that will not change by sending the same sale again: a 4xx other than 401 (the session; the
 * sale waits for pairing), 408 and 429 (try later). Unreachable, 5xx and 503 are transient.
 */
export function refusedForGood(error: FaceError): boolean {
  const status = statusForCode(error.code);
  return status >= 400 && status < 500 && status !== 401 && status !== 408 && status !== 429;
}

function saleError(error: FaceError): SaleError {
  return { code: error.code, message: error.message };
}

/**
 * Completed sales the server has not booked yet, in IndexedDB, sent oldest first. Each keeps its
 * Idempotency-Key from the moment it was sold, so however often it is sent — retries, reloads, a browser
 * closed and reopened, two tabs — the server books it once and credits its points once. A booked sale leaves
 * the queue together with its request (and any customer_openid in it) in one transaction; only the
 * server's answer is kept, for the cashier.
 */
export class Outbox {
  constructor(
    private readonly db: Promise<PosDb>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Queues a completed sale, stamped with when it was sold (`sold_at`: it may reach the server much later). */
  async add(sale: NewSale): Promise<OutboxSale> {
    const soldAt = this.now();
    const request = { ...sale.request, sold_at: new Date(soldAt).toISOString() };
    const entry: OutboxSale = { ...sale, request, soldAt, attempts: 0, lastError: null, held: false };
    const seq = await (await this.db).add('outbox', entry);
    return { ...entry, seq };
  }

  /** Every sale not booked yet, oldest first (the held ones included). */
  async list(): Promise<OutboxSale[]> {
    return (await this.db).getAll('outbox');
  }

  /** The server's answers for sales synced within SYNCED_KEEP_MS, newest first. */
  async synced(): Promise<SyncedSale[]> {
    return (await (await this.db).getAll('synced')).reverse();
  }

  /** The server's answer for this sale, once synced (by this tab or another). */
  async syncedSale(seq: number): Promise<SyncedSale | undefined> {
    return (await this.db).get('synced', seq);
  }

  /** A held sale goes back into the queue (the cashier fixed the cause, e.g. paired the right terminal). */
  async release(seq: number): Promise<void> {
    const db = await this.db;
    const sale = await db.get('outbox', seq);
    if (sale) await db.put('outbox', { ...sale, held: false });
  }

  /**
   * Sends the waiting sales oldest first, each until the server answers. A sale refused for good is held
   * aside and the queue goes on; a transient failure ends the pass (later sales wait behind it: FIFO).
   * `live`: the sale the cashier is completing right now, which is handed back if refused, not held.
   */
  async sync(post: PostOrder, terminal: OutboxSale['terminal'], live: number | null = null): Promise<SyncReport> {
    const report: SyncReport = { booked: [], held: [], refused: null, stoppedBy: null };
    for (const sale of await this.list()) {
      const seq = sale.seq as number;
      if (sale.held) continue;
      if (sale.terminal.store_id !== terminal.store_id || sale.terminal.device_id !== terminal.device_id) {
        const error = new FaceError('CONFLICT', `sold at ${sale.terminal.store_id}/${sale.terminal.device_id}, but this browser is paired as ${terminal.store_id}/${terminal.device_id} now`);
        await this.hold(sale, error);
        report.held.push(seq);
        continue;
      }
      let order: Order;
      try {
        order = await post(sale.request, sale.key);
      } catch (e) {
        const error = FaceError.wrap(e, 'INTERNAL_ERROR');
        if (!refusedForGood(error)) {
          await (await this.db).put('outbox', { ...sale, attempts: sale.attempts + 1, lastError: saleError(error) });
          report.stoppedBy = error;
          return report;
        }
        if (seq === live) {
          await (await this.db).delete('outbox', seq);
          report.refused = { seq, error };
        } else {
          await this.hold(sale, error);
          report.held.push(seq);
        }
        continue;
      }
      await this.booked(sale, order);
      report.booked.push({ seq, order });
    }
    return report;
  }

  /** Forgets synced answers older than SYNCED_KEEP_MS. */
  async prune(): Promise<void> {
    const tx = (await this.db).transaction('synced', 'readwrite');
    for await (const cursor of tx.store.index('syncedAt').iterate(IDBKeyRange.upperBound(this.now() - SYNCED_KEEP_MS, true))) await cursor.delete();
    await tx.done;
  }

  private async hold(sale: OutboxSale, error: FaceError): Promise<void> {
    await (await this.db).put('outbox', { ...sale, attempts: sale.attempts + 1, lastError: saleError(error), held: true });
  }

  /** Out of the queue and into the synced record in one transaction: a crash between them cannot lose or repeat it. */
  private async booked(sale: OutboxSale, order: Order): Promise<void> {
    const seq = sale.seq as number;
    const tx = (await this.db).transaction(['outbox', 'synced'], 'readwrite');
    const record: SyncedSale = { seq, key: sale.key, order, local: sale.local, soldAt: sale.soldAt, syncedAt: this.now() };
    await Promise.all([tx.objectStore('outbox').delete(seq), tx.objectStore('synced').put(record), tx.done]);
  }
}
