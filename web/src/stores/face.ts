import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { FaceError, type ErrorCode } from '@posface/protocol';
import { services, type AuthinfoSessionPort } from '../services.js';
import { useCartStore } from './cart.js';
import { useMemberStore, type EnrolCandidate } from './member.js';
import { HOST_CODES, useStatusStore } from './status.js';
import { useTerminalStore } from './terminal.js';

/**
 * The face lookup state machine:
 *   idle → preparing (detect, init, first authinfo) → ready | unavailable(code)
 *   ready --F2--> scanning (camera open) → recognising (member lookup) → found | not_member
 *   scanning --Esc / customer--> cancelled;  any step --error--> failed(code)
 * cancelled / failed / not_member / found go back to ready on dismiss or on the next F2.
 */
export type FacePhase =
  | 'idle'
  | 'preparing'
  | 'ready'
  | 'unavailable'
  | 'scanning'
  | 'recognising'
  | 'found'
  | 'not_member'
  | 'cancelled'
  | 'failed';

export const FACE_PHASES: readonly FacePhase[] = [
  'idle',
  'preparing',
  'ready',
  'unavailable',
  'scanning',
  'recognising',
  'found',
  'not_member',
  'cancelled',
  'failed',
];

const SETTLED: ReadonlySet<FacePhase> = new Set(['ready', 'found', 'not_member', 'cancelled', 'failed']);

export const useFaceStore = defineStore('face', () => {
  const terminal = useTerminalStore();
  const member = useMemberStore();
  const status = useStatusStore();

  const phase = ref<FacePhase>('idle');
  const error = shallowRef<FaceError | null>(null);
  /** A hint beside the phase: F2 before the first authinfo (the click path never waits on the network), or an SDK that cannot stop. */
  const notice = ref<'gettingReady' | 'cancelUnsupported' | null>(null);
  /** Esc was pressed during this face step (honoured even if the face comes back first). */
  const cancelling = ref(false);
  const candidate = ref<EnrolCandidate | null>(null);
  /** The SDK wants init again before the next session after a release. */
  let needsInit = true;
  let session: AuthinfoSessionPort | null = null;
  /** Bumped by each start(), so a late answer of an older session changes nothing. */
  let sessionSeq = 0;

  const available = computed(() => phase.value !== 'unavailable' && phase.value !== 'idle');
  const busy = computed(() => phase.value === 'scanning' || phase.value === 'recognising');
  /** Why the face button is disabled (unavailable only; "preparing" still accepts F2 to say so). */
  const unavailableCode = computed<ErrorCode | null>(() =>
    phase.value === 'unavailable' ? (error.value?.code ?? 'SDK_UNAVAILABLE') : null,
  );

  function onAuthinfoChange(): void {
    if (!session) return;
    status.setAuthinfo(session.state);
    if (phase.value === 'preparing' && session.current() !== null) {
      phase.value = 'ready';
      notice.value = null;
    }
  }

  /** At start (after pairing): find the extension, host and SDK, init once, prewarm authinfo. */
  async function prepare(): Promise<void> {
    if (busy.value) return;
    stopSession();
    phase.value = 'preparing';
    error.value = null;
    notice.value = null;
    const { face, api } = services();
    try {
      const hello = await face.detect();
      status.setHello(hello);
      if (!hello.sdk.loaded) {
        throw new FaceError('SDK_UNAVAILABLE', hello.sdk.error ?? 'The face SDK is not loaded', {
          details: { path: hello.sdk.path, arch: hello.sdk.arch },
        });
      }
      await face.init();
      needsInit = false;
    } catch (e) {
      const err = FaceError.wrap(e, 'HOST_ERROR');
      status.setFaceError(err);
      error.value = err;
      phase.value = 'unavailable';
      return;
    }
    session = services().createAuthinfoSession((rawdata, options) => api.authinfo(rawdata, options), onAuthinfoChange);
    phase.value = session.current() !== null ? 'ready' : 'preparing';
    // The session reports failures through its state (shown in the status bar) and keeps retrying.
    void Promise.resolve(session.start()).catch((e: unknown) => {
      status.record('authinfo', FaceError.wrap(e, 'INTERNAL_ERROR'));
    });
  }

  /** F2 / the big button. */
  async function start(): Promise<void> {
    if (busy.value || phase.value === 'unavailable' || phase.value === 'idle') return;
    const faceSettings = terminal.face;
    const authinfo = session?.current() ?? null;
    if (!session || !faceSettings || authinfo === null) {
      phase.value = 'preparing';
      notice.value = 'gettingReady';
      return;
    }
    const cart = useCartStore();
    if (cart.lastOrder) cart.startNext();
    const seq = ++sessionSeq;
    const { face } = services();
    phase.value = 'scanning';
    error.value = null;
    notice.value = null;
    candidate.value = null;
    cancelling.value = false;
    let userInfo;
    try {
      if (needsInit) {
        await face.init();
        needsInit = false;
      }
      userInfo = await session.withAuthinfo((fresh) =>
        face.userInfo({
          appid: faceSettings.appid,
          mch_id: faceSettings.mch_id,
          ...(faceSettings.sub_appid ? { sub_appid: faceSettings.sub_appid } : {}),
          ...(faceSettings.sub_mch_id ? { sub_mch_id: faceSettings.sub_mch_id } : {}),
          store_id: faceSettings.store_id,
          authinfo: fresh,
          ask_unionid: faceSettings.ask_unionid,
          screen_index: faceSettings.screen_index,
        }),
      );
    } catch (e) {
      if (seq !== sessionSeq) return;
      notice.value = null;
      await releaseIfConfigured();
      settleError(FaceError.wrap(e, 'HOST_ERROR'));
      return;
    }
    notice.value = null;
    await releaseIfConfigured();
    if (seq !== sessionSeq) return;
    if (cancelling.value) {
      // The cashier pressed Esc but the face came back first: honour the cancel.
      phase.value = 'cancelled';
      cancelling.value = false;
      return;
    }
    phase.value = 'recognising';
    try {
      const found = await member.lookupByOpenid(userInfo.openid);
      if (seq !== sessionSeq) return;
      if (found) {
        phase.value = 'found';
      } else {
        // The face at the till is someone else now: a member attached earlier (an earlier face or a
        // phone lookup) must not keep their prices and earn this sale's points, nor hide the enrol form.
        member.detach();
        candidate.value = {
          openid: userInfo.openid,
          ...(userInfo.sub_openid ? { sub_openid: userInfo.sub_openid } : {}),
          nickname: userInfo.nickname ?? '',
        };
        phase.value = 'not_member';
      }
    } catch (e) {
      if (seq !== sessionSeq) return;
      const err = FaceError.wrap(e, 'INTERNAL_ERROR');
      status.setServerError(err);
      error.value = err;
      phase.value = 'failed';
    }
  }

  function settleError(err: FaceError): void {
    cancelling.value = false;
    if (err.code === 'USER_CANCEL') {
      error.value = null;
      phase.value = 'cancelled';
      return;
    }
    status.setFaceError(err);
    error.value = err;
    phase.value = 'failed';
    // The extension starts a fresh host on the next request: greet it now, off the click path, so the
    // status bar shows whether it came back.
    if (HOST_CODES.has(err.code)) void recheckHost();
  }

  async function recheckHost(): Promise<void> {
    try {
      status.setHello(await services().face.detect());
    } catch (e) {
      status.setFaceError(FaceError.wrap(e, 'HOST_ERROR'));
    }
  }

  async function releaseIfConfigured(): Promise<void> {
    if (!terminal.face?.release_after_session) return;
    needsInit = true;
    try {
      await services().face.release();
    } catch (e) {
      // The session's own result matters more to the cashier; the release failure goes to diagnostics.
      status.record('release', FaceError.wrap(e, 'HOST_ERROR'));
    }
  }

  /** Esc: during scanning, stop the SDK (stopWxpayface); the pending call then ends as cancelled. */
  async function cancel(): Promise<void> {
    if (phase.value === 'scanning') {
      if (cancelling.value) return;
      cancelling.value = true;
      try {
        await services().face.cancel();
      } catch (e) {
        // stopWxpayface is not on the vendor's published command list: an SDK without it keeps the
        // camera open, and only the customer can close it on the face screen.
        const err = FaceError.wrap(e, 'HOST_ERROR');
        status.record('cancel', err);
        if (phase.value === 'scanning') notice.value = 'cancelUnsupported';
      }
      return;
    }
    dismiss();
  }

  /** Back to ready after a result the cashier has seen. */
  function dismiss(): void {
    if (!SETTLED.has(phase.value)) {
      notice.value = null;
      return;
    }
    phase.value = 'ready';
    error.value = null;
    candidate.value = null;
    notice.value = null;
  }

  async function enrol(phone?: string): Promise<boolean> {
    if (phase.value !== 'not_member' || !candidate.value) return false;
    const created = await member.enrol(candidate.value, phone);
    if (!created) return false;
    candidate.value = null;
    phase.value = 'found';
    return true;
  }

  function stopSession(): void {
    session?.stop();
    session = null;
  }

  return {
    phase,
    error,
    notice,
    cancelling,
    candidate,
    available,
    busy,
    unavailableCode,
    prepare,
    start,
    cancel,
    dismiss,
    enrol,
    stopSession,
  };
});
