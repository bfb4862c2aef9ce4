import { FaceError, type FaceErrorData } from './errors.js';
import type { HostMethod } from './host.js';
import { asId, asObject, asString, invalid } from './validate.js';

/** The page ⇄ extension protocol over window.postMessage. */

export const BRIDGE_CHANNEL = 'pos-face';

export interface BridgeRequest {
  channel: typeof BRIDGE_CHANNEL;
  type: 'request';
  id: string;
  method: HostMethod;
  params?: unknown;
}
export type BridgeResponse<T = unknown> =
  | { channel: typeof BRIDGE_CHANNEL; type: 'response'; id: string; ok: true; result: T }
  | { channel: typeof BRIDGE_CHANNEL; type: 'response'; id: string; ok: false; error: FaceErrorData };
interface BridgeReady {
  channel: typeof BRIDGE_CHANNEL;
  type: 'ready';
  version: string;
}
/**
 * Sent by the extension unasked, to every POS page it serves: the host process ended (`exited`, with the
 * error its requests failed with), or a fresh host answered its first request (`connected`).
 */
export type BridgeStatus =
  | { channel: typeof BRIDGE_CHANNEL; type: 'status'; host: 'exited'; error: FaceErrorData }
  | { channel: typeof BRIDGE_CHANNEL; type: 'status'; host: 'connected'; version: string };

/** True for anything posted on our channel (other scripts on the page use postMessage too). */
export function isOnBridgeChannel(value: unknown): value is { channel: typeof BRIDGE_CHANNEL; type: unknown } {
  return typeof value === 'object' && value !== null && (value as { channel?: unknown }).channel === BRIDGE_CHANNEL;
}

export function validateBridgeRequest(value: unknown): BridgeRequest {
  const obj = asObject(value, 'message');
  if (obj.channel !== BRIDGE_CHANNEL) throw invalid('channel', `must be "${BRIDGE_CHANNEL}"`);
  if (obj.type !== 'request') throw invalid('type', 'must be "request"');
  const id = asId(obj.id);
  if (obj.method !== 'hello' && obj.method !== 'call') {
    throw invalid('method', `must be "hello" or "call", got ${JSON.stringify(obj.method)}`);
  }
  const request: BridgeRequest = { channel: BRIDGE_CHANNEL, type: 'request', id, method: obj.method };
  if (obj.params !== undefined) request.params = obj.params;
  return request;
}

export function validateBridgeResponse(value: unknown): BridgeResponse {
  const obj = asObject(value, 'message');
  if (obj.channel !== BRIDGE_CHANNEL) throw invalid('channel', `must be "${BRIDGE_CHANNEL}"`);
  if (obj.type !== 'response') throw invalid('type', 'must be "response"');
  const id = asId(obj.id);
  if (obj.ok === true) return { channel: BRIDGE_CHANNEL, type: 'response', id, ok: true, result: obj.result };
  if (obj.ok === false) {
    return { channel: BRIDGE_CHANNEL, type: 'response', id, ok: false, error: FaceError.fromJSON(obj.error).toJSON() };
  }
  throw invalid('ok', 'must be true or false');
}

export function validateBridgeReady(value: unknown): BridgeReady {
  const obj = asObject(value, 'message');
  if (obj.channel !== BRIDGE_CHANNEL || obj.type !== 'ready') throw invalid('type', 'must be "ready"');
  return { channel: BRIDGE_CHANNEL, type: 'ready', version: asString(obj.version, 'version', 32) };
}

export function validateBridgeStatus(value: unknown): BridgeStatus {
  const obj = asObject(value, 'message');
  if (obj.channel !== BRIDGE_CHANNEL || obj.type !== 'status') throw invalid('type', 'must be "status"');
  if (obj.host === 'exited') {
    return { channel: BRIDGE_CHANNEL, type: 'status', host: 'exited', error: FaceError.fromJSON(obj.error, 'HOST_EXITED').toJSON() };
  }
  if (obj.host === 'connected') return { channel: BRIDGE_CHANNEL, type: 'status', host: 'connected', version: asString(obj.version, 'version', 32) };
  throw invalid('host', `must be "exited" or "connected", got ${JSON.stringify(obj.host)}`);
}
