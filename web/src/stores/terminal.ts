import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { FaceError } from '@posface/protocol';
import type { TerminalInfo } from '@posface/protocol/api';
import { services } from '../services.js';
import { clearToken, loadToken, saveToken } from './token-storage.js';

export type PairingState = 'unpaired' | 'checking' | 'paired' | 'error';

/** Terminal pairing: the IT-provisioned bearer token and what the server says this terminal is. */
export const useTerminalStore = defineStore('terminal', () => {
  const token = ref<string | null>(loadToken());
  const info = ref<TerminalInfo | null>(null);
  const state = ref<PairingState>(token.value ? 'checking' : 'unpaired');
  const error = ref<FaceError | null>(null);

  const paired = computed(() => state.value === 'paired' && info.value !== null);
  const face = computed(() => info.value?.face ?? null);

  /** Checks the token against the server, then keeps it. */
  async function pair(rawToken: string): Promise<boolean> {
    const candidate = rawToken.trim();
    if (candidate === '') {
      error.value = new FaceError('INVALID_REQUEST', 'The token is empty');
      state.value = 'error';
      return false;
    }
    state.value = 'checking';
    error.value = null;
    try {
      info.value = await services().api.terminal(candidate);
      saveToken(candidate);
      token.value = candidate;
      state.value = 'paired';
      return true;
    } catch (e) {
      error.value = FaceError.wrap(e, 'INTERNAL_ERROR');
      state.value = token.value ? 'error' : 'unpaired';
      return false;
    }
  }

  /** At start: a saved token is checked again (it may have been revoked). */
  async function load(): Promise<void> {
    if (!token.value) {
      state.value = 'unpaired';
      return;
    }
    state.value = 'checking';
    try {
      info.value = await services().api.terminal();
      state.value = 'paired';
      error.value = null;
    } catch (e) {
      error.value = FaceError.wrap(e, 'INTERNAL_ERROR');
      if (error.value.code === 'UNAUTHORIZED') {
        // Revoked or wrong: forget it so the cashier lands on the pairing screen with the reason.
        clearToken();
        token.value = null;
        info.value = null;
        state.value = 'unpaired';
      } else {
        state.value = 'error';
      }
    }
  }

  function unpair(): void {
    clearToken();
    token.value = null;
    info.value = null;
    error.value = null;
    state.value = 'unpaired';
  }

  return { token, info, state, error, paired, face, pair, load, unpair };
});
