import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import { FaceError, type BridgeStatus, type ErrorCode, type HelloResult, type UserInfoResult } from '@posface/protocol';
import type { Member, TerminalInfo } from '@posface/protocol/api';
import { services, type AuthinfoSessionPort } from '../services.js';
import { useCheckoutStore } from './checkout.js';
import { UNKNOWN_OFFLINE, useMemberStore, type EnrolCandidate } from './member.js';
import { HOST_CODES, useStatusStore } from './status.js';
import { useTerminalStore } from './terminal.js';

/**
 * The face lookup state machine:
 *   idle → preparing (detect, init, first authinfo) → ready | unavailable(code)
 *   ready --F2--> scanning (camera open) → recognising (member lookup) → found | not_member | unknown_offline
 *   scanning --Esc / customer--> cancelled;  any step --error--> failed(code)
 * cancelled / failed / not_member / found / unknown_offline go back to ready on dismiss, on the next F2, after
 * a sale, or (found, unknown_offline) when the member or held customer is detached. F2 while preparing is
 * remembered and starts the step once ready. Each step's outcome goes to the face report (never an openid).
 * unknown_offline: the server could not be reached and the face is not one this till saw recently; the sale
 * keeps its openid so the server credits the points when it syncs (not reported: whether it was a member is
 * not known here).
 */
export const FACE_PHASES = [
  'idle',
  'preparing',
  'ready',
  'unavailable',
  'scanning',
  'recognising',
  'found',
  'not_member',
  'unknown_offline',
  'cancelled',
  'failed',
] as const;
export type FacePhase = (typeof FACE_PHASES)[number];

const SETTLED: ReadonlySet<FacePhase> = new Set(['ready', 'found', 'not_member', 'unknown_offline', 'cancelled', 'failed']);

export const useFaceStore = defineStore('face', () => {
  const terminal = useTerminalStore();
  const member = useMemberStore();
  const status = useStatusStore();

  const phase = ref<FacePhase>('idle');
  const error = shallowRef<FaceError | null>(null);
  /** Which step a `failed` failed at: the face itself, or the member lookup after the face was recognised. */
  const failedStep = ref<'face' | 'lookup' | null>(null);
  /** A hint beside the phase: F2 before the first authinfo (remembered: the step starts once ready), or an SDK that cannot stop. */
  const notice = ref<'startsWhenReady' | 'cancelUnsupported' | null>(null);
  /** Esc was pressed during this face step (honoured even if the face comes back first). */
  const cancelling = ref(false);
  const candidate = ref<EnrolCandidate | null>(null);
  /** The SDK wants init again before the next face step after a release. */
  let needsInit = true;
  /** Keeps an authinfo for the SDK fresh, from prepare() on. */
  let authinfo: AuthinfoSessionPort | null = null;
  /** The number of the current face step: an answer for an older step comes too late and changes nothing. */
  let currentStep = 0;
  /** A not_member waits for the enrolment it may lead to before it is reported (as enrolled or not_member). */
  let unreportedNotMember = false;

  const available = computed(() => phase.value !== 'unavailable' && phase.value !== 'idle');
  const busy = computed(() => phase.value === 'scanning' || phase.value === 'recognising');
  /** Why the face button is disabled (unavailable only; "preparing" still accepts F2 to say so). */
  const unavailableCode = computed<ErrorCode | null>(() =>
    phase.value === 'unavailable' ? (error.value?.code ?? 'SDK_UNAVAILABLE') : null,
  );

  function onAuthinfoChange(): void {
    if (!authinfo) return;
    status.setAuthinfo(authinfo.state);
    if (phase.value === 'preparing' && authinfo.current() !== null) becomeReady();
  }

  /** Ready for F2; an F2 pressed while preparing starts the step now. */
  function becomeReady(): void {
    phase.value = 'ready';
    const wanted = notice.value === 'startsWhenReady';
    notice.value = null;
    if (wanted) void start();
  }

  function greeted(hello: HelloResult): void {
    status.setHello(hello);
    services().report.versions({
      ...(hello.extension ? { extension: hello.extension.version } : {}),
      host: hello.host.version,
    });
  }

  /** The extension's news about the host: the status bar changes at once; the next face request starts a fresh host. */
  function onHostStatus(news: BridgeStatus): void {
    if (news.host === 'exited') status.setFaceError(FaceError.fromJSON(news.error, 'HOST_EXITED'));
    else status.hostConnected();
  }

  /** At start (after pairing): find the extension, host and SDK, init once, prewarm authinfo. */
  async function prepare(): Promise<void> {
    if (busy.value) return;
    stopSession();
    phase.value = 'preparing';
    error.value = null;
    failedStep.value = null;
    const { face, api } = services();
    try {
      const hello = await face.detect();
      greeted(hello);
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
      notice.value = null;
      phase.value = 'unavailable';
      return;
    }
    authinfo = services().createAuthinfoSession((rawdata, options) => api.authinfo(rawdata, options), onAuthinfoChange);
    if (authinfo.current() !== null) becomeReady();
    // The session reports failures through its state (shown in the status bar) and keeps retrying.
    void Promise.resolve(authinfo.start()).catch((e: unknown) => {
      status.record('authinfo', FaceError.wrap(e, 'INTERNAL_ERROR'));
    });
  }

  /** F2 / the big button: one face step, scanning → recognising → found | not_member (or cancelled, failed). */
  async function start(): Promise<void> {
    if (busy.value || phase.value === 'unavailable' || phase.value === 'idle') return;
    const settings = terminal.face;
    if (!authinfo || !settings || authinfo.current() === null) {
      // Still starting up (or the authinfo is being fetched): remember the key; the step starts once ready.
      phase.value = 'preparing';
      notice.value = 'startsWhenReady';
      return;
    }
    const step = beginStep();
    const scanned = await scan(authinfo, settings);
    if (step !== currentStep) return;
    if (scanned instanceof FaceError) return settleScanError(scanned);
    // The cashier pressed Esc but the face came back first: honour the cancel.
    if (cancelling.value) return settleCancelled();
    phase.value = 'recognising';
    const found = await recognise(scanned.openid);
    if (step !== currentStep) return;
    if (found instanceof FaceError) return settleLookupError(found);
    if (found === UNKNOWN_OFFLINE) {
      member.holdForSync({ openid: scanned.openid, nickname: scanned.nickname ?? '' });
      phase.value = 'unknown_offline';
    } else if (found) {
      phase.value = 'found';
      services().report.record('member_found');
    } else settleNotMember(scanned);
  }

  /** A new face step: the previous sale's summary goes, the camera opens. Returns the step's number. */
  function beginStep(): number {
    useCheckoutStore().startNext();
    reportNotMember();
    phase.value = 'scanning';
    error.value = null;
    failedStep.value = null;
    notice.value = null;
    candidate.value = null;
    cancelling.value = false;
    currentStep += 1;
    return currentStep;
  }

  /** A not_member that did not lead to an enrolment is reported when its step is over. */
  function reportNotMember(): void {
    if (!unreportedNotMember) return;
    unreportedNotMember = false;
    services().report.record('not_member');
  }

  /** The SDK's face step (after an init when it needs one), then a release when the terminal asks for it. */
  async function scan(authinfo: AuthinfoSessionPort, settings: TerminalInfo['face']): Promise<UserInfoResult | FaceError> {
    const { face } = services();
    try {
      if (needsInit) {
        await face.init();
        needsInit = false;
      }
      return await authinfo.withAuthinfo((fresh) =>
        face.userInfo({
          appid: settings.appid,
          mch_id: settings.mch_id,
          ...(settings.sub_appid ? { sub_appid: settings.sub_appid } : {}),
          ...(settings.sub_mch_id ? { sub_mch_id: settings.sub_mch_id } : {}),
          store_id: settings.store_id,
          authinfo: fresh,
          ask_unionid: settings.ask_unionid,
          screen_index: settings.screen_index,
        }),
      );
    } catch (e) {
      return FaceError.wrap(e, 'HOST_ERROR');
    } finally {
      notice.value = null;
      await releaseIfConfigured();
    }
  }

  /** The member with this openid (attached to the sale), null for a face that is not a member yet. */
  async function recognise(openid: string): Promise<Member | null | typeof UNKNOWN_OFFLINE | FaceError> {
    try {
      return await member.lookupByOpenid(openid);
    } catch (e) {
      return FaceError.wrap(e, 'INTERNAL_ERROR');
    }
  }

  function settleNotMember(face: UserInfoResult): void {
    // The face at the till is someone else now: a member attached earlier (an earlier face or a phone
    // lookup) must not keep their prices and earn this sale's points, nor hide the enrol form.
    member.detach();
    candidate.value = { openid: face.openid, ...(face.sub_openid ? { sub_openid: face.sub_openid } : {}), nickname: face.nickname ?? '' };
    phase.value = 'not_member';
    unreportedNotMember = true;
  }

  /** The face was recognised, but the member lookup failed (the server is down, say): the lookup step failed. */
  function settleLookupError(err: FaceError): void {
    status.record('server', err);
    error.value = err;
    failedStep.value = 'lookup';
    phase.value = 'failed';
    services().report.record('failed', err.code);
  }

  function settleCancelled(): void {
    cancelling.value = false;
    error.value = null;
    phase.value = 'cancelled';
    services().report.record('cancelled');
  }

  /** A face step that ended in an error of the face chain (the customer's cancel included). */
  function settleScanError(err: FaceError): void {
    if (err.code === 'USER_CANCEL') return settleCancelled();
    cancelling.value = false;
    status.setFaceError(err);
    error.value = err;
    failedStep.value = 'face';
    phase.value = 'failed';
    services().report.record('failed', err.code);
    // The extension starts a fresh host on the next request: greet it now, off the click path, so the
    // status bar shows whether it came back.
    if (HOST_CODES.has(err.code)) void recheckHost();
  }

  async function recheckHost(): Promise<void> {
    try {
      greeted(await services().face.detect());
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
      // The face step's own result matters more to the cashier; the release failure goes to diagnostics.
      status.record('release', FaceError.wrap(e, 'HOST_ERROR'));
    }
  }

  /** Esc: during scanning, stop the SDK (stopWxpayface); the pending call then ends as cancelled. While preparing, forget an F2. */
  async function cancel(): Promise<void> {
    if (phase.value === 'preparing' && notice.value === 'startsWhenReady') {
      notice.value = null;
      return;
    }
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

  /** Back to ready after a result the cashier has seen (and after a sale: the next customer starts clean). */
  function dismiss(): void {
    if (!SETTLED.has(phase.value)) {
      if (notice.value !== 'startsWhenReady') notice.value = null;
      return;
    }
    reportNotMember();
    phase.value = 'ready';
    error.value = null;
    failedStep.value = null;
    candidate.value = null;
    notice.value = null;
  }

  async function enrol(phone?: string): Promise<boolean> {
    if (phase.value !== 'not_member' || !candidate.value) return false;
    const created = await member.enrol(candidate.value, phone);
    if (!created) return false;
    candidate.value = null;
    phase.value = 'found';
    if (unreportedNotMember) {
      unreportedNotMember = false;
      services().report.record('enrolled');
    }
    return true;
  }

  // "Member found" stays true only while that member is on the sale (detached, or the sale finished: ready).
  watch(
    () => [member.current, member.pendingCustomer] as const,
    ([now, held]) => {
      if ((now === null && phase.value === 'found') || (held === null && phase.value === 'unknown_offline')) dismiss();
    },
  );

  function stopSession(): void {
    authinfo?.stop();
    authinfo = null;
  }

  return {
    phase,
    error,
    failedStep,
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
    onHostStatus,
    stopSession,
  };
});
