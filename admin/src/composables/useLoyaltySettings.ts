import { loyaltyRulesProblem } from '@posface/protocol';
import type { LoyaltySettings } from '@posface/protocol/admin-api';
import type { LoyaltyRules } from '@posface/protocol/api';
import { ref } from 'vue';
import { api } from '@/api/admin-client';
import { useErrorText } from './useErrorText';

/** The loyalty rules screen: the saved rules, and saving a new set (checked by protocol's rule first). */
export function useLoyaltySettings() {
  const errorText = useErrorText();
  const settings = ref<LoyaltySettings | null>(null);
  const error = ref<string | null>(null);
  const saving = ref(false);

  async function load(): Promise<void> {
    try {
      settings.value = await api().loyalty();
      error.value = null;
    } catch (e) {
      error.value = errorText(e);
    }
  }

  /** Saves the rules; true when saved. */
  async function save(rules: LoyaltyRules): Promise<boolean> {
    const problem = loyaltyRulesProblem(rules);
    if (problem !== null) {
      error.value = problem.message;
      return false;
    }
    saving.value = true;
    try {
      settings.value = await api().saveLoyalty(rules);
      error.value = null;
      return true;
    } catch (e) {
      error.value = errorText(e);
      return false;
    } finally {
      saving.value = false;
    }
  }

  return { settings, error, saving, load, save };
}
