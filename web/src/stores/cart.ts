import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import { FaceError, ORDER_LINES_MAX, ORDER_QUANTITY_MAX, priceOrder, unitPriceFen } from '@posface/protocol';
import type { Order, Product } from '@posface/protocol/api';
import { newIdempotencyKey } from '../idempotency-key.js';
import { services } from '../services.js';
import { useMemberStore } from './member.js';
import { useStatusStore } from './status.js';

export interface CartLine {
  product: Product;
  quantity: number;
  /** Bumped on each add, so the view can highlight the line just scanned. */
  touchedAt: number;
}

/** The sale in progress: lines, member pricing, and posting the order exactly once. */
export const useCartStore = defineStore('cart', () => {
  const member = useMemberStore();
  const lines = ref<CartLine[]>([]);
  const submitting = ref(false);
  const error = ref<FaceError | null>(null);
  const lastOrder = ref<Order | null>(null);
  /** One key per sale content: a retry after a lost answer reuses it, any change makes a new one. */
  const idempotencyKey = ref(newIdempotencyKey());

  const isMember = computed(() => member.current !== null);
  const pricing = computed(() => ({ member: isMember.value }));
  /** The order as the server will price it (the same rule, from protocol), and the number of items. */
  const summary = computed(() => ({
    ...priceOrder(lines.value, pricing.value),
    itemCount: lines.value.reduce((n, line) => n + line.quantity, 0),
  }));
  const isEmpty = computed(() => lines.value.length === 0);

  watch(
    () => [lines.value.map((l) => `${l.product.id}x${l.quantity}`).join(','), member.current?.id ?? ''],
    () => {
      idempotencyKey.value = newIdempotencyKey();
    },
    // Synchronously, so a change made just before "complete sale" can never reuse the old key.
    { flush: 'sync' },
  );

  function unitPrice(line: CartLine): number {
    return unitPriceFen(line.product, pricing.value);
  }

  function add(product: Product, quantity = 1): void {
    // The first scan after a receipt starts the next customer's sale.
    if (lastOrder.value) startNext();
    error.value = null;
    const existing = lines.value.find((l) => l.product.id === product.id);
    if (existing) {
      existing.quantity = Math.min(ORDER_QUANTITY_MAX, existing.quantity + quantity);
      existing.touchedAt = Date.now();
      return;
    }
    if (lines.value.length >= ORDER_LINES_MAX) {
      error.value = new FaceError('INVALID_REQUEST', `A sale holds at most ${ORDER_LINES_MAX} different products`);
      return;
    }
    lines.value.push({ product, quantity: Math.min(ORDER_QUANTITY_MAX, Math.max(1, quantity)), touchedAt: Date.now() });
  }

  function setQuantity(productId: string, quantity: number): void {
    const line = lines.value.find((l) => l.product.id === productId);
    if (!line) return;
    if (!Number.isFinite(quantity) || quantity < 1) {
      remove(productId);
      return;
    }
    line.quantity = Math.min(ORDER_QUANTITY_MAX, Math.floor(quantity));
  }

  function remove(productId: string): void {
    lines.value = lines.value.filter((l) => l.product.id !== productId);
  }

  function clear(): void {
    lines.value = [];
    error.value = null;
  }

  /** Posts the order; on success the receipt (points earned) stays on screen until the next scan. */
  async function completeSale(): Promise<Order | null> {
    if (submitting.value || lines.value.length === 0) return null;
    submitting.value = true;
    error.value = null;
    try {
      const order = await services().api.createOrder(
        {
          member_id: member.current?.id ?? null,
          lines: lines.value.map((l) => ({ product_id: l.product.id, quantity: l.quantity })),
        },
        idempotencyKey.value,
      );
      lastOrder.value = order;
      if (order.member_points !== null) member.setPoints(order.member_points);
      lines.value = [];
      return order;
    } catch (e) {
      error.value = FaceError.wrap(e, 'INTERNAL_ERROR');
      useStatusStore().setServerError(error.value);
      return null;
    } finally {
      submitting.value = false;
    }
  }

  /** "Next customer": the receipt goes away and the member with it. */
  function startNext(): void {
    lastOrder.value = null;
    lines.value = [];
    error.value = null;
    member.detach();
  }

  return {
    lines,
    submitting,
    error,
    lastOrder,
    idempotencyKey,
    isMember,
    summary,
    isEmpty,
    unitPrice,
    add,
    setQuantity,
    remove,
    clear,
    completeSale,
    startNext,
  };
});
