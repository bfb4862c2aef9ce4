import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { FaceError } from '@posface/protocol';
import type { LoyaltyRules } from '@posface/protocol/api';
import { services } from '../services.js';
import { useStatusStore } from './status.js';

/**
 * The merchant's loyalty rules as the server last answered them (GET /api/v1/loyalty/rules). The cart
 * prices with them through protocol's priceOrder, so the till shows what the server charges. Null until
 * they arrive: redemption stays off then (it is never offline), and prices fall back to protocol's defaults
 * (the server prices the order again, with its rules, either way).
 */
export const useLoyaltyStore = defineStore('loyalty', () => {
  const rules = shallowRef<LoyaltyRules | null>(null);
  const error = ref<FaceError | null>(null);
  let inFlight: Promise<void> | null = null;

  /** Fetches the rules (one request at a time); a failure keeps the last rules known and records why. */
  function load(): Promise<void> {
    inFlight ??= (async () => {
      try {
        rules.value = await services().api.loyaltyRules();
        error.value = null;
      } catch (e) {
        error.value = FaceError.wrap(e, 'INTERNAL_ERROR');
        useStatusStore().record('loyalty', error.value);
      } finally {
        inFlight = null;
      }
    })();
    return inFlight;
  }

  return { rules, error, load };
});
