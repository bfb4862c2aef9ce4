import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { ErrorCode, FaceError, HelloResult } from '@posface/protocol';
import type { AuthinfoStateView } from '../services.js';

export type Health = 'unknown' | 'ok' | 'missing' | 'error';

export interface RecordedError {
  at: string;
  where: string;
  code: ErrorCode;
  message: string;
  returnCode?: string;
  returnMsg?: string;
}

const MAX_RECORDED = 20;
/** Which layer a failure to reach the face chain points at. */
const EXTENSION_CODES: ReadonlySet<ErrorCode> = new Set(['EXTENSION_UNAVAILABLE', 'ORIGIN_NOT_ALLOWED']);
export const HOST_CODES: ReadonlySet<ErrorCode> = new Set([
  'HOST_NOT_FOUND',
  'HOST_FORBIDDEN',
  'HOST_EXITED',
  'HOST_ERROR',
  'VERSION_MISMATCH',
]);

/** The status bar and the diagnostics page: one place that knows the health of every part. */
export const useStatusStore = defineStore('status', () => {
  const hello = ref<HelloResult | null>(null);
  const faceError = ref<FaceError | null>(null);
  const server = ref<{ health: Health; latencyMs: number | null; code: ErrorCode | null }>({
    health: 'unknown',
    latencyMs: null,
    code: null,
  });
  const authinfo = ref<AuthinfoStateView>({ status: 'idle', expiresAt: null, error: null });
  const errors = ref<RecordedError[]>([]);
  /** A new version of the POS is waiting (service worker): switches to it and reloads. */
  const update = shallowRef<(() => Promise<void>) | null>(null);
  /** The server answered the last request or heartbeat: features that must not run offline (redeeming points) check this. */
  const online = computed(() => server.value.health === 'ok');
  /** The server could not be reached just now: sales go to the outbox, lookups to the kept copies. */
  const offline = computed(() => server.value.health === 'error');

  const extension = computed<Health>(() => {
    if (hello.value?.extension) return 'ok';
    const code = faceError.value?.code;
    if (code && EXTENSION_CODES.has(code)) return 'missing';
    // The extension answered for the host (a host error), so it is there.
    if (code && HOST_CODES.has(code)) return 'ok';
    return hello.value ? 'ok' : faceError.value ? 'error' : 'unknown';
  });
  // A face error is always newer than the hello (setHello clears it), so a host failure after a good
  // hello shows until the next hello says otherwise.
  const host = computed<Health>(() => {
    const code = faceError.value?.code;
    if (code === 'HOST_NOT_FOUND') return 'missing';
    if (code && HOST_CODES.has(code)) return 'error';
    return hello.value ? 'ok' : 'unknown';
  });
  const sdk = computed<Health>(() => {
    const code = faceError.value?.code;
    if (code === 'SDK_UNAVAILABLE') return 'missing';
    if (code === 'FACE_SERVICE_DOWN') return 'error';
    if (!hello.value || (code && HOST_CODES.has(code))) return 'unknown';
    return hello.value.sdk.loaded ? 'ok' : 'missing';
  });

  function setHello(result: HelloResult): void {
    hello.value = result;
    faceError.value = null;
  }

  function setFaceError(error: FaceError): void {
    faceError.value = error;
    record('face', error);
  }

  /** A fresh host answered (the extension says so): a host failure shown until now is over. */
  function hostConnected(): void {
    const code = faceError.value?.code;
    if (code && HOST_CODES.has(code)) faceError.value = null;
  }

  /**
   * Server reachability has one owner: every answer of the server (HttpClient) and every heartbeat say it is
   * reachable; a request that could not reach it (NETWORK_ERROR, a proxy's 502/503/504) or a heartbeat
   * without an answer say it is not, at once. A refusal (409, 422, even 401) is an answer: reachable.
   */
  function markReachable(latencyMs: number | null = null): void {
    const { latencyMs: known, health } = server.value;
    server.value = { health: 'ok', latencyMs: latencyMs ?? (health === 'ok' ? known : null), code: null };
  }

  function markUnreachable(error: FaceError): void {
    if (server.value.health !== 'error') record('server', error);
    server.value = { health: 'error', latencyMs: null, code: error.code };
  }

  function setAuthinfo(state: AuthinfoStateView): void {
    authinfo.value = { status: state.status, expiresAt: state.expiresAt, error: state.error };
  }

  function record(where: string, error: FaceError): void {
    const entry: RecordedError = { at: new Date().toISOString(), where, code: error.code, message: error.message };
    if (error.returnCode !== undefined) entry.returnCode = error.returnCode;
    if (error.returnMsg !== undefined) entry.returnMsg = error.returnMsg;
    errors.value = [entry, ...errors.value].slice(0, MAX_RECORDED);
  }

  return { hello, faceError, server, authinfo, errors, update, online, offline, extension, host, sdk, setHello, setFaceError, hostConnected, markReachable, markUnreachable, setAuthinfo, record };
});
