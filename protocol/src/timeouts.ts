import type { SdkCommand } from './sdk.js';

/**
 * Who waits for whom on the face path, and for how long. Each outer layer waits a little longer than
 * the one inside it, so the innermost always answers first and an outer TIMEOUT means that layer
 * itself is gone.
 */

/**
 * How long each command may take inside the host before it answers TIMEOUT (the host's config may
 * change them; its `hello` reports the ones it uses). The face step waits on a person.
 */
export const SDK_TIMEOUT_MS: Record<SdkCommand, number> = {
  // Room for the host to call init again while the SDK says it is still initialising (up to 20 s).
  initWxpayface: 30_000,
  getWxpayfaceRawdata: 10_000,
  getWxpayfaceUserInfo: 60_000,
  releaseWxpayface: 10_000,
  stopWxpayface: 5_000,
};

/** How long the extension waits for the host's `hello` answer, which includes the host's cold start. */
export const HELLO_TIMEOUT_MS = 10_000;

/** The host waits for the SDK, the extension for the host, the page for the extension. */
type Waiter = 'host' | 'extension' | 'page';

/** What each waiter allows on top of the host's own budget. */
const SLACK_MS: Record<Waiter, number> = { host: 0, extension: 3_000, page: 6_000 };

/**
 * How long `waiter` waits for the answer to `request`: the host's budget for the command (its own
 * `timeouts` when known from its hello, else the defaults) plus the waiter's slack. `hello` has no
 * host budget: the extension allows HELLO_TIMEOUT_MS for a cold start and the page its slack on top.
 */
export function answerTimeoutMs(waiter: Waiter, request: SdkCommand | 'hello', hostTimeouts?: Readonly<Record<SdkCommand, number>> | null): number {
  if (request === 'hello') return HELLO_TIMEOUT_MS + (waiter === 'page' ? SLACK_MS.page : 0);
  return (hostTimeouts?.[request] ?? SDK_TIMEOUT_MS[request]) + SLACK_MS[waiter];
}
