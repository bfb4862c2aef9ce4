import { computed, ref, watch } from 'vue';
import { redemptionUnit, type FaceError } from '@posface/protocol';
import { useCartStore } from '../stores/cart.js';
import { useLoyaltyStore } from '../stores/loyalty.js';
import { useMemberStore } from '../stores/member.js';
import { useStatusStore } from '../stores/status.js';

/**
 * Why the redeem control cannot be used, or null when it can: no member; the server is unreachable or its
 * rules unknown (redemption is never offline: the server checks the balance under the member's lock); the
 * merchant turned redemption off; nothing to redeem (no points, or the cap on this order is 0); the sale was
 * sent already and its answer lost (only the same sale may be sent again, with the points it carried).
 */
export type RedeemBlock = 'no_member' | 'offline' | 'disabled' | 'none' | 'locked' | null;

/**
 * The tender step's points redemption: the points typed (empty = none), checked by protocol's rule through
 * the cart (steps, cap, balance) as they are typed; the cart prices the sale with them.
 */
export function useRedeem() {
  const cart = useCartStore();
  const loyalty = useLoyaltyStore();
  const member = useMemberStore();
  const status = useStatusStore();
  const text = ref(cart.redeemPoints > 0 ? String(cart.redeemPoints) : '');
  const problem = ref<FaceError | 'format' | null>(null);

  const block = computed<RedeemBlock>(() => {
    if (!member.current) return 'no_member';
    // First: a sale whose answer was lost (which also marks the server down) is sent again exactly as it was.
    if (cart.sentTender !== null) return 'locked';
    if (loyalty.rules === null || status.server.health === 'error') return 'offline';
    if (loyalty.rules.redeem_max_share_pct === 0) return 'disabled';
    return cart.maxRedeemPoints === 0 ? 'none' : null;
  });
  const step = computed(() => (loyalty.rules ? redemptionUnit(loyalty.rules) : null));
  /** N points = ¥1. */
  const perYuan = computed(() => loyalty.rules?.redeem_points_per_yuan ?? 0);

  function apply(value: string): void {
    // A sale whose answer was lost keeps the points it was sent with.
    if (cart.sentTender !== null) return;
    const trimmed = value.trim();
    if (trimmed === '') {
      problem.value = cart.setRedeemPoints(0);
      return;
    }
    if (!/^\d{1,15}$/.test(trimmed)) {
      problem.value = 'format';
      cart.setRedeemPoints(0);
      return;
    }
    problem.value = cart.setRedeemPoints(Number(trimmed));
    if (problem.value !== null) cart.setRedeemPoints(0);
  }

  // The typed points are checked again when the rules arrive or change (the cart dropped its redemption then).
  watch([text, () => JSON.stringify(loyalty.rules)], () => apply(text.value));
  // Offline (or another block) takes back a redemption chosen before: it must not be sent.
  watch(block, (b) => {
    if (b !== null && b !== 'locked' && cart.redeemPoints > 0) {
      cart.setRedeemPoints(0);
      text.value = '';
    }
  });

  function useMax(): void {
    text.value = String(cart.maxRedeemPoints);
  }

  return { text, problem, block, step, perYuan, useMax };
}
