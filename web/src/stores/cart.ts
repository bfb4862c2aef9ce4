import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import { FaceError, maxRedeemablePoints, ORDER_LINES_MAX, ORDER_QUANTITY_MAX, priceOrder, redemptionFen, redemptionUnit, unitPriceFen, type PricingContext, type Tender } from '@posface/protocol';
import type { CreateOrderRequest, Product } from '@posface/protocol/api';
import { newIdempotencyKey } from '../idempotency-key.js';
import type { LocalSale } from '../offline/db.js';
import { submitOrder } from '../sale/submit-order.js';
import { useLoyaltyStore } from './loyalty.js';
import { useMemberStore } from './member.js';
import type { SubmitResult } from './outbox.js';
import { useStatusStore } from './status.js';

export interface CartLine {
  product: Product;
  quantity: number;
  /** Bumped on each add (a counter: two scans in one millisecond stay in order), so the view can show the line just scanned. */
  touchedAt: number;
}

/** Failures after which the order may have been booked all the same (the answer, not the request, was lost). */
const OUTCOME_UNKNOWN: ReadonlySet<string> = new Set(['NETWORK_ERROR', 'TIMEOUT', 'INTERNAL_ERROR', 'DATABASE_UNAVAILABLE']);

/** The sale in progress: lines, member pricing, and the order it becomes (completed exactly once, through the outbox). */
export const useCartStore = defineStore('cart', () => {
  const member = useMemberStore();
  const loyalty = useLoyaltyStore();
  const lines = ref<CartLine[]>([]);
  const submitting = ref(false);
  const error = ref<FaceError | null>(null);
  let touches = 0;
  /** One key per sale content: a retry after a lost answer reuses it, any change makes a new one. */
  const idempotencyKey = ref(newIdempotencyKey());
  /**
   * The tender sent with this key whose answer never came (the server may have booked it): a retry must send
   * the same one (the server would refuse another under the same key), so the tender step offers only it.
   */
  const sentTender = ref<Tender | null>(null);
  /** Points the member redeems on this sale (0: none); only ever set to a redemption protocol's rule allows. */
  const redeemPoints = ref(0);

  const isMember = computed(() => member.current !== null);
  /** Who buys, at which tier, under which rules: what decides prices and points (the server's rule, from protocol). */
  const pricing = computed((): PricingContext => {
    const context: PricingContext = { member: isMember.value };
    if (member.current) context.level = member.current.tier?.level ?? member.current.level;
    if (loyalty.rules) context.rules = loyalty.rules;
    return context;
  });
  /** The order as the server will price it (the same rule, from protocol), and the number of items. */
  const summary = computed(() => ({
    ...priceOrder(lines.value, { ...pricing.value, redeemPoints: redeemPoints.value }),
    itemCount: lines.value.reduce((n, line) => n + line.quantity, 0),
  }));
  /** The goods at the prices that apply, before any points: what the redemption cap is a share of. */
  const goodsFen = computed(() => summary.value.totalFen + summary.value.redemptionFen);
  /**
   * The most points this sale can redeem: the rules' cap on this order, within the member's balance, in whole
   * steps; 0 without a member or rules.
   */
  const maxRedeemPoints = computed(() => {
    const rules = loyalty.rules;
    if (!member.current || rules === null) return 0;
    const { stepPoints } = redemptionUnit(rules);
    const balance = Math.floor(member.current.points / stepPoints) * stepPoints;
    return Math.min(balance, maxRedeemablePoints(goodsFen.value, rules));
  });
  const isEmpty = computed(() => lines.value.length === 0);
  /** The product id of the line scanned last. */
  const newest = computed(() => lines.value.reduce<CartLine | null>((a, l) => (a === null || l.touchedAt > a.touchedAt ? l : a), null)?.product.id ?? null);

  /** What the sale holds, as one string: a change of it is another sale. */
  const content = computed(() => lines.value.map((l) => `${l.product.id}x${l.quantity}`).join(','));
  // Another cart, member or rules: a redemption chosen for the old one may not fit, so it is chosen again —
  // except for a sale whose answer was lost, which is sent again exactly as it was (the server's rules decide).
  watch(
    () => [content.value, member.current?.id ?? ''],
    () => (redeemPoints.value = 0),
    { flush: 'sync' },
  );
  watch(
    () => JSON.stringify(loyalty.rules),
    () => void (sentTender.value === null && (redeemPoints.value = 0)),
    { flush: 'sync' },
  );
  watch(
    () => [content.value, member.current?.id ?? '', member.pendingCustomer?.openid ?? '', redeemPoints.value],
    () => {
      idempotencyKey.value = newIdempotencyKey();
      sentTender.value = null;
    },
    // Synchronously, so a change made just before "complete sale" can never reuse the old key.
    { flush: 'sync' },
  );

  /**
   * Redeems `points` on this sale when protocol's rule and the member's balance allow it; otherwise nothing
   * changes and the refusal is returned (REDEMPTION_NOT_ALLOWED with its reason, or POINTS_INSUFFICIENT).
   */
  function setRedeemPoints(points: number): FaceError | null {
    if (!Number.isSafeInteger(points) || points < 0) return new FaceError('INVALID_REQUEST', 'redeem_points: a whole number of points', { details: { field: 'redeem_points' } });
    if (points > 0 && member.current !== null && loyalty.rules === null) {
      return new FaceError('REDEMPTION_NOT_ALLOWED', 'redeem_points: the loyalty rules are not known (server unreachable)', { details: { reason: 'offline' } });
    }
    try {
      redemptionFen(points, goodsFen.value, { ...pricing.value, redeemPoints: points });
    } catch (e) {
      return FaceError.wrap(e, 'INTERNAL_ERROR');
    }
    const balance = member.current?.points ?? 0;
    if (points > balance) return new FaceError('POINTS_INSUFFICIENT', `redeem_points: the member has ${balance} points`, { details: { balance } });
    redeemPoints.value = points;
    return null;
  }

  function unitPrice(line: CartLine): number {
    return unitPriceFen(line.product, pricing.value);
  }

  function add(product: Product, quantity = 1): void {
    error.value = null;
    const existing = lines.value.find((l) => l.product.id === product.id);
    if (existing) {
      existing.quantity = Math.min(ORDER_QUANTITY_MAX, existing.quantity + quantity);
      existing.touchedAt = ++touches;
      return;
    }
    if (lines.value.length >= ORDER_LINES_MAX) {
      error.value = new FaceError('INVALID_REQUEST', `A sale holds at most ${ORDER_LINES_MAX} different products`);
      return;
    }
    lines.value.push({ product, quantity: Math.min(ORDER_QUANTITY_MAX, Math.max(1, quantity)), touchedAt: ++touches });
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
    redeemPoints.value = 0;
    error.value = null;
  }

  /**
   * The order this sale is: the member, the lines and how it is paid. The server prices it (the same rule). A
   * face the till could not recognise offline goes by its openid.
   */
  function orderRequest(tender: Tender): CreateOrderRequest {
    const pending = member.pendingCustomer;
    return {
      member_id: member.current?.id ?? null,
      ...(pending ? { customer_openid: pending.openid } : {}),
      lines: lines.value.map((l) => ({ product_id: l.product.id, quantity: l.quantity })),
      ...(redeemPoints.value > 0 ? { redeem_points: redeemPoints.value } : {}),
      tender,
    };
  }

  /** What the till showed, kept with the sale to compare with the server's answer. */
  function localSale(): LocalSale {
    const customer = member.current ? 'member' : member.pendingCustomer ? 'pending' : 'none';
    return { total_fen: summary.value.totalFen, item_count: summary.value.itemCount, customer, points_expected: summary.value.pointsEarned };
  }

  /**
   * Completes the sale once (the idempotency key makes a retry after a lost answer safe): booked now when the
   * server answers, kept in the outbox and synced later when it cannot be reached. Either way the cart is
   * empty after it; on a refusal the cart stays as it was.
   */
  async function completeSale(tender: Tender): Promise<SubmitResult | null> {
    if (submitting.value || lines.value.length === 0) return null;
    submitting.value = true;
    error.value = null;
    try {
      const result = await submitOrder(orderRequest(tender), idempotencyKey.value, localSale());
      clear();
      return result;
    } catch (e) {
      error.value = FaceError.wrap(e, 'INTERNAL_ERROR');
      if (OUTCOME_UNKNOWN.has(error.value.code)) sentTender.value = tender;
      useStatusStore().record('sale', error.value);
      return null;
    } finally {
      submitting.value = false;
    }
  }

  return {
    lines,
    submitting,
    error,
    idempotencyKey,
    sentTender,
    redeemPoints,
    isMember,
    summary,
    maxRedeemPoints,
    isEmpty,
    newest,
    unitPrice,
    add,
    setQuantity,
    remove,
    clear,
    setRedeemPoints,
    orderRequest,
    completeSale,
  };
});
