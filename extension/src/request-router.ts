import {
  BRIDGE_CHANNEL,
  FaceError,
  isRequestId,
  validateBridgeRequest,
  validateSdkCall,
  type BridgeResponse,
  type HelloResult,
} from '@posface/protocol';
import { originOfUrl } from './origins.js';

/** What the router needs from the host side (HostSession in the worker, a fake in tests). */
export interface HostApi {
  hello(): Promise<HelloResult>;
  call(params: ReturnType<typeof validateSdkCall>): Promise<unknown>;
}

export interface RouterDeps {
  host: HostApi;
  extension: { id: string; version: string };
  /** Resolves the effective allowed-origin rule (build list narrowed by managed storage). */
  isOriginAllowed: (origin: string) => Promise<boolean>;
  /** Told about every answer, for the popup's status. */
  onResult?: (method: string, outcome: { ok: true; result: unknown } | { ok: false; error: FaceError }) => void;
}

/**
 * Handles one page request relayed by a content script. The origin comes from the port's sender.url,
 * never from the message. One face step at a time across all tabs (a second one is BUSY without
 * reaching the host). stopWxpayface cancels only the caller's own face step: from another tab while
 * one is in flight it is BUSY and never reaches the host (that tab's customer is still at the camera);
 * with no face step in flight it passes (the SDK then has nothing to stop).
 */
export class RequestRouter {
  /** The caller whose getWxpayfaceUserInfo is in flight. */
  private faceStepOwner: string | null = null;

  constructor(private readonly deps: RouterDeps) {}

  get faceStepInFlight(): boolean {
    return this.faceStepOwner !== null;
  }

  /** Returns the response to send back, or null when the message has no usable id (nothing to answer). */
  async handle(message: unknown, senderUrl: string | undefined, caller: string): Promise<BridgeResponse | null> {
    let id: string;
    let request;
    try {
      request = validateBridgeRequest(message);
      id = request.id;
    } catch (error) {
      const rawId = (message as { id?: unknown } | null)?.id;
      if (!isRequestId(rawId)) return null;
      return fail(rawId, FaceError.wrap(error, 'INVALID_REQUEST'));
    }
    try {
      const origin = originOfUrl(senderUrl);
      if (origin === null || !(await this.deps.isOriginAllowed(origin))) {
        throw new FaceError('ORIGIN_NOT_ALLOWED', `The page origin ${origin ?? '(unknown)'} is not allowed to use the face SDK`, {
          details: { origin },
        });
      }
      const result = request.method === 'hello' ? await this.hello() : await this.call(request.params, caller);
      this.deps.onResult?.(request.method, { ok: true, result });
      return { channel: BRIDGE_CHANNEL, type: 'response', id, ok: true, result };
    } catch (error) {
      const failure = FaceError.wrap(error);
      this.deps.onResult?.(request.method, { ok: false, error: failure });
      return fail(id, failure);
    }
  }

  /** A tab went away: if it owned the face step, stop the camera rather than leave it open. */
  callerGone(caller: string, onError: (error: unknown) => void): void {
    if (this.faceStepOwner !== caller) return;
    this.deps.host.call({ cmd: 'stopWxpayface' }).catch(onError);
  }

  private async hello(): Promise<HelloResult> {
    const hello = await this.deps.host.hello();
    return { ...hello, extension: { ...this.deps.extension } };
  }

  private async call(rawParams: unknown, caller: string): Promise<unknown> {
    // Validated here too, so a bad request never reaches (or restarts) the host.
    const params = validateSdkCall(rawParams);
    if (params.cmd === 'stopWxpayface' && this.faceStepOwner !== null && this.faceStepOwner !== caller) {
      throw new FaceError('BUSY', 'The face recognition in progress was started in another tab; only that tab can stop it', {
        details: { cmd: params.cmd },
      });
    }
    if (params.cmd !== 'getWxpayfaceUserInfo') return this.deps.host.call(params);
    if (this.faceStepOwner !== null) {
      throw new FaceError('BUSY', 'A face recognition is already in progress; finish or cancel it first');
    }
    this.faceStepOwner = caller;
    try {
      return await this.deps.host.call(params);
    } finally {
      this.faceStepOwner = null;
    }
  }
}

function fail(id: string, error: FaceError): BridgeResponse {
  return { channel: BRIDGE_CHANNEL, type: 'response', id, ok: false, error: error.toJSON() };
}
