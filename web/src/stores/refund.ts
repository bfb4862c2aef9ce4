import { defineStore } from 'pinia';
import { computed, nextTick, ref, shallowRef, watch } from 'vue';
import { FaceError, refundDelta, type RefundShare } from '@posface/protocol';
import type { OrderDetail, Refund, RefundRequest } from '@posface/protocol/api';
import { newIdempotencyKey } from '../idempotency-key.js';
import { parseReceiptNumber } from '../sale/receipt-number.js';
import { recentSaleByNumber } from '../sale/recent-sales.js';
import { services } from '../services.js';
import { useCheckoutStore } from './checkout.js';
import { useStatusStore } from './status.js';
import { useTerminalStore } from './terminal.js';

/** A finished refund as its receipt prints it. */
export interface CompletedRefund {
  refund: Refund;
  /** The refunded order's receipt number. */
  orderId: string;
  store: { id: string; name: string } | null;
  deviceId: string | null;
}

/**
 * A refund at the till: find an order (the last sale, a receipt number of this till's recent sales, or a
 * whole order id), choose the whole order or some of its lines, and refund it once — the Idempotency-Key
 * stays the same for a retry of the same refund (a lost answer never refunds twice) and changes with the
 * order or the lines chosen. The server decides the money and points (protocol's refund rule); the screen
 * previews them with the same rule.
 */
export const useRefundStore = defineStore('refund', () => {
  const detail = shallowRef<OrderDetail | null>(null);
  /** Quantity to refund per order line (index = line_no − 1). */
  const quantities = ref<number[]>([]);
  const busy = ref(false);
  const error = ref<FaceError | null>(null);
  const lastRefund = shallowRef<CompletedRefund | null>(null);
  const idempotencyKey = ref(newIdempotencyKey());

  const refundable = computed(() => {
    const left = (detail.value?.order.lines ?? []).map(() => 0);
    for (const r of detail.value?.refundable ?? []) if (r.line_no >= 1 && r.line_no <= left.length) left[r.line_no - 1] = r.quantity;
    return left;
  });
  const chosen = computed(() => quantities.value.flatMap((quantity, i) => (quantity > 0 ? [{ line_no: i + 1, quantity }] : [])));
  /** Everything still refundable is chosen: sent as a refund of the whole rest of the order. */
  const whole = computed(() => chosen.value.length > 0 && refundable.value.every((left, i) => quantities.value[i] === left));
  /** What this refund will give back, by protocol's rule (the server's answer is what prints). */
  const preview = computed((): (RefundShare & { goodsFen: number }) | null => {
    const d = detail.value;
    if (d === null || chosen.value.length === 0) return null;
    const order = d.order;
    const basis = {
      goodsFen: order.lines.reduce((sum, l) => sum + l.line_total_fen, 0),
      paidFen: order.total_fen,
      pointsEarned: order.points_earned,
      redeemedPoints: order.redeemed_points ?? 0,
    };
    const before = d.refunds.reduce((sum, r) => sum + r.goods_fen, 0);
    const goodsFen = chosen.value.reduce((sum, c) => sum + (order.lines[c.line_no - 1]?.unit_price_fen ?? 0) * c.quantity, 0);
    return { ...refundDelta(basis, before, goodsFen), goodsFen };
  });

  watch(
    () => `${detail.value?.order.id ?? ''}:${chosen.value.map((c) => `${c.line_no}x${c.quantity}`).join(',')}`,
    () => (idempotencyKey.value = newIdempotencyKey()),
    // Synchronously, so a change made just before "refund" can never reuse the old key.
    { flush: 'sync' },
  );

  function fail(e: unknown): void {
    error.value = FaceError.wrap(e, 'INTERNAL_ERROR');
    useStatusStore().record('refund', error.value);
  }

  /** The order id the cashier typed: a receipt number of a recent sale here, or a whole order id. */
  function orderIdOf(typed: string): string {
    const trimmed = typed.trim();
    if (trimmed === '') throw new FaceError('INVALID_REQUEST', 'Type the receipt number or the order id', { details: { field: 'order', reason: 'empty' } });
    const recent = recentSaleByNumber(trimmed);
    if (recent !== null) return recent;
    if (parseReceiptNumber(trimmed) !== null) {
      throw new FaceError('NOT_FOUND', `receipt ${trimmed}: not a recent sale of this till; type the whole order id`, { details: { field: 'order', reason: 'receipt_unknown' } });
    }
    return trimmed;
  }

  async function load(orderId: string): Promise<void> {
    detail.value = await services().api.order(orderId);
    quantities.value = detail.value.order.lines.map(() => 0);
  }

  /** Finds the order to refund; nothing is chosen yet. */
  async function find(typed: string): Promise<boolean> {
    if (busy.value) return false;
    busy.value = true;
    error.value = null;
    detail.value = null;
    try {
      await load(orderIdOf(typed));
      return true;
    } catch (e) {
      fail(e);
      return false;
    } finally {
      busy.value = false;
    }
  }

  function findLastSale(): Promise<boolean> {
    const last = useCheckoutStore().lastSale;
    return last === null ? Promise.resolve(false) : find(last.order.id);
  }

  function setQuantity(index: number, quantity: number): void {
    const left = refundable.value[index];
    if (left === undefined || !Number.isFinite(quantity)) return;
    quantities.value[index] = Math.max(0, Math.min(left, Math.floor(quantity)));
  }

  function chooseAll(): void {
    quantities.value = [...refundable.value];
  }

  /** Refunds what is chosen, once; the receipt prints. A failure keeps the choice and the key for a retry. */
  async function submit(): Promise<Refund | null> {
    const d = detail.value;
    if (busy.value || d === null || chosen.value.length === 0) return null;
    busy.value = true;
    error.value = null;
    const request: RefundRequest = whole.value ? {} : { lines: chosen.value };
    try {
      const refund = await services().api.refund(d.order.id, request, idempotencyKey.value);
      const terminal = useTerminalStore();
      lastRefund.value = { refund, orderId: d.order.id, store: terminal.info?.store ?? null, deviceId: terminal.info?.device_id ?? null };
      idempotencyKey.value = newIdempotencyKey();
      if (useCheckoutStore().autoPrint) await print();
      try {
        await load(d.order.id);
      } catch (e) {
        // The refund is done and printed; only the refreshed figures are missing.
        fail(e);
      }
      return refund;
    } catch (e) {
      fail(e);
      return null;
    } finally {
      busy.value = false;
    }
  }

  async function print(): Promise<void> {
    if (lastRefund.value === null) return;
    await nextTick();
    window.print();
  }

  /** Leaves the refund screen clean for the next one. */
  function reset(): void {
    detail.value = null;
    quantities.value = [];
    error.value = null;
  }

  return { detail, quantities, busy, error, lastRefund, idempotencyKey, refundable, chosen, whole, preview, find, findLastSale, setQuantity, chooseAll, submit, print, reset };
});
