import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
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

  function setServerOk(latencyMs: number | null): void {
    server.value = { health: 'ok', latencyMs, code: null };
  }

  function setServerError(error: FaceError): void {
    // Only a transport failure says the server is down; a refusal (a 409 CONFLICT, a 422 LIMIT_EXCEEDED) does not.
    if (['NETWORK_ERROR', 'TIMEOUT', 'INTERNAL_ERROR', 'UNAUTHORIZED'].includes(error.code)) {
      server.value = { health: 'error', latencyMs: null, code: error.code };
    }
    record('server', error);
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

  return { hello, faceError, server, authinfo, errors, extension, host, sdk, setHello, setFaceError, hostConnected, setServerOk, setServerError, setAuthinfo, record };
});
