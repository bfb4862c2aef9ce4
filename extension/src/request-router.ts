import {
  BRIDGE_CHANNEL,
  FaceError,
  isRequestId,
  sdkCommandOf,
  validateBridgeRequest,
  type BridgeResponse,
  type HelloResult,
  type SdkCallParams,
} from '@posface/protocol';
import { originOfUrl } from './origins.js';

/** What the router needs from the host side (HostSession in the worker, a fake in tests). */
export interface HostApi {
  hello(): Promise<HelloResult>;
  call(params: SdkCallParams): Promise<unknown>;
}

interface RouterDeps {
  host: HostApi;
  extension: { id: string; version: string };
  /** Resolves the effective allowed-origin rule (build list narrowed by managed storage). */
  isOriginAllowed: (origin: string) => Promise<boolean>;
  /** Told about every answer, for the popup's status. */
  onResult?: (method: string, outcome: { ok: true; result: unknown } | { ok: false; error: FaceError }) => void;
}

/**
 * Handles one page request relayed by a content script: the bridge envelope is checked here, where it
 * enters the worker, and the origin comes from the port's sender.url, never from the message. The SDK
 * call itself is the host's to check (it refuses anything that is not a documented command with its
 * documented fields), and the host's queue answers BUSY to a second face step from any tab.
 *
 * What stays here is what only the extension knows, which tab a request came from: stopWxpayface
 * stops only the caller's own face step. From another tab while one is in flight it is BUSY and never
 * reaches the host (that tab's customer is still at the camera); with no face step in flight it passes
 * (the SDK then has nothing to stop).
 */
export class RequestRouter {
  /**
   * The face steps sent to the host and not answered yet, in the order the host received them: the
   * first one holds the camera, the others are answered BUSY (or run after it).
   */
  private readonly faceSteps: Array<{ caller: string }> = [];

  constructor(private readonly deps: RouterDeps) {}

  /** Returns the response to send back, or null when the message has no usable id (nothing to answer). */
  async handle(message: unknown, senderUrl: string | undefined, caller: string): Promise<BridgeResponse | null> {
    let request;
    try {
      request = validateBridgeRequest(message);
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
      return { channel: BRIDGE_CHANNEL, type: 'response', id: request.id, ok: true, result };
    } catch (error) {
      const failure = FaceError.wrap(error);
      this.deps.onResult?.(request.method, { ok: false, error: failure });
      return fail(request.id, failure);
    }
  }

  /** A tab went away: if it owned the face step, stop the camera rather than leave it open. */
  callerGone(caller: string, onError: (error: unknown) => void): void {
    if (this.faceStepOwner() !== caller) return;
    this.deps.host.call({ cmd: 'stopWxpayface' }).catch(onError);
  }

  private faceStepOwner(): string | null {
    return this.faceSteps[0]?.caller ?? null;
  }

  private async hello(): Promise<HelloResult> {
    const hello = await this.deps.host.hello();
    return { ...hello, extension: { ...this.deps.extension } };
  }

  private async call(params: unknown, caller: string): Promise<unknown> {
    // The command decides the routing; the host checks the call as a whole.
    const cmd = sdkCommandOf(params);
    const call = params as SdkCallParams;
    const owner = this.faceStepOwner();
    if (cmd === 'stopWxpayface' && owner !== null && owner !== caller) {
      throw new FaceError('BUSY', 'The face recognition in progress was started in another tab; only that tab can stop it', {
        details: { cmd },
      });
    }
    if (cmd !== 'getWxpayfaceUserInfo') return this.deps.host.call(call);
    const step = { caller };
    this.faceSteps.push(step);
    try {
      return await this.deps.host.call(call);
    } finally {
      this.faceSteps.splice(this.faceSteps.indexOf(step), 1);
    }
  }
}

function fail(id: string, error: FaceError): BridgeResponse {
  return { channel: BRIDGE_CHANNEL, type: 'response', id, ok: false, error: error.toJSON() };
}
