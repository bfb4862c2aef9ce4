import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { FaceError, normalizePairingCode, PAIRING_CODE_RULE } from '@posface/protocol';
import type { TerminalInfo } from '@posface/protocol/api';
import { isUnreachable } from '../api/http.js';
import { services } from '../services.js';
import { forgetLegacyToken } from './legacy-token.js';
import { useStatusStore } from './status.js';

export type PairingState = 'unpaired' | 'checking' | 'paired' | 'error';

/** The reason a refused request gives (details.reason), if any. */
export function refusalReason(error: FaceError | null): string | null {
  const reason = error?.details?.reason;
  return typeof reason === 'string' ? reason : null;
}

/**
 * Terminal pairing. The credential is an HttpOnly session cookie the server sets when the cashier types
 * IT's one-time code: this store never sees it, and only learns whether it works from the server's
 * answers. `error` says why the POS is on the pairing screen (revoked, expired, a wrong code, …).
 * Whom the browser is paired as is kept (offline/terminal-cache.ts), so a till that starts while the server
 * is unreachable opens the checkout and sells; the server's first 401 still sends it to pairing.
 */
export const useTerminalStore = defineStore('terminal', () => {
  const info = ref<TerminalInfo | null>(null);
  const state = ref<PairingState>('checking');
  const error = ref<FaceError | null>(null);

  const paired = computed(() => state.value === 'paired' && info.value !== null);
  const face = computed(() => info.value?.face ?? null);

  /** Whom the cookie (if any) belongs to: at start, and after pairing to prove the browser kept it. */
  async function check(): Promise<FaceError | null> {
    try {
      await refresh();
      state.value = 'paired';
      error.value = null;
      return null;
    } catch (e) {
      const fe = FaceError.wrap(e, 'INTERNAL_ERROR');
      const kept = isUnreachable(fe) ? await services().offline.terminal.get().catch(keptDataFailed) : undefined;
      if (kept) {
        info.value = kept;
        state.value = 'paired';
        error.value = null;
        return null;
      }
      info.value = null;
      if (fe.code === 'UNAUTHORIZED') sessionEnded(fe);
      else {
        error.value = fe;
        state.value = 'error';
      }
      return fe;
    }
  }

  /** Asks the server again (the heartbeat, every half minute): the answer is kept; a 401 ends the session. */
  async function refresh(): Promise<void> {
    const answer = await services().api.terminal();
    info.value = answer;
    void services().offline.terminal.set(answer).catch(keptDataFailed);
  }

  /** The browser's storage failed: the till goes on online; diagnostics say why offline selling may not. */
  function keptDataFailed(e: unknown): void {
    useStatusStore().record('offline-data', FaceError.wrap(e, 'INTERNAL_ERROR'));
  }

  /** At start: drops what older versions kept in localStorage, then asks the server who this is. */
  async function load(): Promise<void> {
    forgetLegacyToken();
    state.value = 'checking';
    await check();
  }

  /** Redeems the code the cashier typed; true when the POS is paired and the cookie works. */
  async function pair(typed: string): Promise<boolean> {
    const code = normalizePairingCode(typed);
    if (code === null) {
      error.value = new FaceError('INVALID_REQUEST', `A pairing code has ${PAIRING_CODE_RULE}`, { details: { reason: 'format' } });
      return false;
    }
    state.value = 'checking';
    error.value = null;
    try {
      await services().api.pair(code);
    } catch (e) {
      error.value = FaceError.wrap(e, 'INTERNAL_ERROR');
      state.value = 'unpaired';
      return false;
    }
    // Paired, yet the next request came without the cookie: the browser refused to keep it.
    if (refusalReason(await check()) === 'missing') {
      error.value = new FaceError('UNAUTHORIZED', 'The browser did not keep the session cookie: open the POS over HTTPS', {
        details: { reason: 'cookie_rejected' },
      });
    }
    return paired.value;
  }

  /**
   * Any request refused as UNAUTHORIZED: the session is gone (revoked, expired, unpaired elsewhere).
   * The POS goes back to the pairing screen, which says why ('missing' is simply "not paired yet").
   */
  function sessionEnded(reason: FaceError): void {
    info.value = null;
    state.value = 'unpaired';
    error.value = refusalReason(reason) === 'missing' ? null : reason;
    void forget().catch(keptDataFailed);
  }

  /** Unpaired: whom this browser was, its authinfo and the members it saw go (its unsynced sales stay). */
  async function forget(): Promise<void> {
    const { terminal, members } = services().offline;
    await Promise.all([terminal.clear(), members.clear()]);
  }

  /** Ends this browser's session on the server; false (with `error`) when that failed. */
  async function unpair(): Promise<boolean> {
    try {
      await services().api.unpair();
    } catch (e) {
      const fe = FaceError.wrap(e, 'INTERNAL_ERROR');
      // Already ended on the server: nothing more to undo.
      if (fe.code !== 'UNAUTHORIZED') {
        error.value = fe;
        return false;
      }
    }
    info.value = null;
    error.value = null;
    state.value = 'unpaired';
    await forget().catch(keptDataFailed);
    return true;
  }

  return { info, state, error, paired, face, load, refresh, pair, sessionEnded, unpair };
});
