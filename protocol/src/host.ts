import { FaceError, type FaceErrorData } from './errors.js';
import { SDK_COMMANDS, validateSdkCall, type SdkCallParams, type SdkCommand } from './sdk.js';
import { asId, asObject, asString, invalid, isRequestId, rejectUnknownKeys } from './validate.js';

/** The extension ⇄ native host wire protocol (Chrome native messaging). */

export const HOST_NAME = 'com.posface.wxpayface';
export const HOST_PROTOCOL_VERSION = 1;
/** Chrome → host frames the host accepts. */
export const MAX_INBOUND_FRAME_BYTES = 64 * 1024;
/** Chrome refuses host → Chrome frames over 1 MiB. */
export const MAX_OUTBOUND_FRAME_BYTES = 1024 * 1024;

const HOST_METHODS = ['hello', 'call'] as const;
export type HostMethod = (typeof HOST_METHODS)[number];

export interface HelloRequest {
  id: string;
  method: 'hello';
}
export interface CallRequest {
  id: string;
  method: 'call';
  params: SdkCallParams;
}
type HostRequest = HelloRequest | CallRequest;

export interface SdkStatus {
  loaded: boolean;
  /** The library path the host tried (null when none is configured). */
  path: string | null;
  /** The host process's architecture (a 32-bit DLL needs ia32). */
  arch: string;
  /** Why the SDK is not loaded, with what to do. */
  error: string | null;
}

export interface HelloResult {
  protocol: number;
  host: { name: string; version: string };
  sdk: SdkStatus;
  /** The host's per-command timeouts, so outer layers can wait a little longer. */
  timeouts: Record<SdkCommand, number>;
  /** Added by the extension on the way to the page. */
  extension?: { id: string; version: string };
}

export type HostResponse<T = unknown> =
  | { id: string | null; ok: true; result: T }
  | { id: string | null; ok: false; error: FaceErrorData };

const REQUEST_KEYS = new Set(['id', 'method', 'params']);

/** Validates a request frame's JSON. The error's details carry the id when one could be read. */
export function validateHostRequest(value: unknown): HostRequest {
  const obj = asObject(value, 'request');
  const rawId = obj.id;
  try {
    rejectUnknownKeys(obj, REQUEST_KEYS, '');
    const id = asId(rawId);
    const method = obj.method;
    if (method === 'hello') {
      if (obj.params !== undefined) asObject(obj.params, 'params');
      return { id, method };
    }
    if (method === 'call') return { id, method, params: validateSdkCall(obj.params) };
    throw invalid('method', `must be one of ${HOST_METHODS.join(', ')}, got ${JSON.stringify(method)}`);
  } catch (error) {
    if (error instanceof FaceError && isRequestId(rawId)) {
      throw new FaceError(error.code, error.message, { details: { ...error.details, id: rawId } });
    }
    throw error;
  }
}

/** Validates a response frame's JSON (the extension's view of what the host sent). */
export function validateHostResponse(value: unknown): HostResponse {
  const obj = asObject(value, 'response');
  const id = obj.id === null ? null : asId(obj.id);
  if (obj.ok === true) {
    if (!Object.hasOwn(obj, 'result')) throw invalid('result', 'is required when ok is true');
    return { id, ok: true, result: obj.result };
  }
  if (obj.ok === false) {
    const error = asObject(obj.error, 'error');
    asString(error.code, 'error.code');
    asString(error.message, 'error.message');
    return { id, ok: false, error: FaceError.fromJSON(error).toJSON() };
  }
  throw invalid('ok', 'must be true or false');
}

/**
 * Throws VERSION_MISMATCH when a `hello` comes from a host of another protocol version. The extension
 * checks it (in validateHelloResult) against its own version, the page against its own: the page, the
 * extension and the host are updated separately.
 */
export function checkHostProtocol(hello: unknown): void {
  const protocol = (hello as { protocol?: unknown } | null)?.protocol;
  if (typeof protocol === 'number' && protocol !== HOST_PROTOCOL_VERSION) {
    throw new FaceError(
      'VERSION_MISMATCH',
      `The native host speaks protocol ${protocol} but this side speaks ${HOST_PROTOCOL_VERSION}: update the extension and the host together`,
      { details: { hostProtocol: protocol, expected: HOST_PROTOCOL_VERSION } },
    );
  }
}

/**
 * Checks a host's `hello` result where it enters the extension. Another protocol version is
 * VERSION_MISMATCH, checked before the shape (a newer host may answer differently); a malformed
 * answer is HOST_ERROR.
 */
export function validateHelloResult(value: unknown): HelloResult {
  checkHostProtocol(value);
  try {
    const obj = asObject(value, 'hello');
    if (obj.protocol !== HOST_PROTOCOL_VERSION) throw invalid('hello.protocol', `must be ${HOST_PROTOCOL_VERSION}`);
    const host = asObject(obj.host, 'hello.host');
    asString(host.name, 'hello.host.name');
    asString(host.version, 'hello.host.version');
    const sdk = asObject(obj.sdk, 'hello.sdk');
    if (typeof sdk.loaded !== 'boolean') throw invalid('hello.sdk.loaded', 'must be a boolean');
    if (sdk.path !== null) asString(sdk.path, 'hello.sdk.path');
    asString(sdk.arch, 'hello.sdk.arch');
    if (sdk.error !== null) asString(sdk.error, 'hello.sdk.error');
    const timeouts = asObject(obj.timeouts, 'hello.timeouts');
    for (const cmd of SDK_COMMANDS) {
      const ms = timeouts[cmd];
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) throw invalid(`hello.timeouts.${cmd}`, 'must be a positive number');
    }
    return obj as unknown as HelloResult;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new FaceError('HOST_ERROR', `The native host answered hello with something unexpected: ${reason}`, { cause: error });
  }
}
