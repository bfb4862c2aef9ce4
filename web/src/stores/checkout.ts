import { defineStore } from 'pinia';
import { nextTick, ref, shallowRef } from 'vue';
import type { Tender } from '@posface/protocol';
import type { Member, Order } from '@posface/protocol/api';
import type { LocalSale } from '../offline/db.js';
import { rememberSale } from '../sale/recent-sales.js';
import { useCartStore } from './cart.js';
import { useFaceStore } from './face.js';
import { useMemberStore } from './member.js';
import { useTerminalStore } from './terminal.js';

/** A finished sale as its receipt shows it. */
export interface CompletedSale {
  order: Order;
  /** The member as of this sale (the balance after it), or null for a walk-in customer. */
  member: Member | null;
  store: { id: string; name: string } | null;
  deviceId: string | null;
}

/** A sale kept in the outbox, as its summary shows it. */
export type QueuedSale = LocalSale & { tender: Tender | null };

const AUTO_PRINT_KEY = 'posface.receipt.autoPrint';

export function savedAutoPrint(storage: Pick<Storage, 'getItem'> = localStorage): boolean {
  return storage.getItem(AUTO_PRINT_KEY) !== '0';
}

/**
 * Checkout: F9 → the tender step → the order is submitted → the receipt prints and the whole screen is
 * clean for the next customer (no member, no face result, no enrolment), with a short summary of the sale
 * just made (total, change, points) until the next customer starts. The last receipt can be printed again.
 */
export const useCheckoutStore = defineStore('checkout', () => {
  const cart = useCartStore();
  const member = useMemberStore();
  const terminal = useTerminalStore();

  /** The tender step is open (F9 was pressed). */
  const tendering = ref(false);
  /** The last finished sale: its receipt can be reprinted until the next sale replaces it. */
  const lastSale = shallowRef<CompletedSale | null>(null);
  /** The last sale, when it went to the outbox instead (the server could not be reached): what the till showed. */
  const lastQueued = shallowRef<QueuedSale | null>(null);
  /** The summary of the last sale is on screen (until the next scan, F2 or 下一位顾客). */
  const summaryShown = ref(false);
  /** Print the receipt as soon as a sale is done (Settings; on by default). */
  const autoPrint = ref(savedAutoPrint());

  /** F9: the tender step, for a cart with something in it. */
  function openTender(): void {
    if (cart.isEmpty || cart.submitting) return;
    summaryShown.value = false;
    tendering.value = true;
  }

  function cancelTender(): void {
    if (!cart.submitting) tendering.value = false;
  }

  /**
   * Submits the sale with this tender; on success the screen is made ready for the next customer. A sale the
   * server could not be reached for is kept in the outbox (`lastQueued`): its summary says so, and it has no
   * receipt from the server to print.
   */
  async function pay(tender: Tender): Promise<boolean> {
    const buyer = member.current;
    const result = await cart.completeSale(tender);
    if (result === null) return false;
    if (result.status === 'booked') {
      const { order } = result;
      rememberSale(order.id);
      lastSale.value = {
        order,
        member: buyer === null ? null : { ...buyer, points: order.member_points ?? buyer.points },
        store: terminal.info?.store ?? null,
        deviceId: terminal.info?.device_id ?? null,
      };
      lastQueued.value = null;
    } else {
      lastSale.value = null;
      lastQueued.value = { ...result.sale.local, tender: result.sale.request.tender ?? null };
    }
    tendering.value = false;
    summaryShown.value = true;
    // The next customer starts clean: no member, no face result or enrolment form from this one.
    member.detach();
    useFaceStore().dismiss();
    if (autoPrint.value && lastSale.value !== null) await print();
    return true;
  }

  /** The next customer (a scan, F2 or 下一位顾客): the last sale's summary goes; its receipt stays reprintable. */
  function startNext(): void {
    summaryShown.value = false;
  }

  /** Prints the last receipt (the print view is its own element: see ReceiptPrint.vue). */
  async function print(): Promise<void> {
    if (lastSale.value === null) return;
    await nextTick();
    window.print();
  }

  function setAutoPrint(on: boolean, storage: Pick<Storage, 'setItem'> = localStorage): void {
    autoPrint.value = on;
    storage.setItem(AUTO_PRINT_KEY, on ? '1' : '0');
  }

  return { tendering, lastSale, lastQueued, summaryShown, autoPrint, openTender, cancelTender, pay, startNext, print, setAutoPrint };
});
