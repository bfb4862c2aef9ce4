import { BRIDGE_CHANNEL, FaceError, isOnBridgeChannel, isRequestId, type BridgeResponse, type BridgeStatus } from '@posface/protocol';
import { BRIDGE_PORT_NAME } from './port-name.js';

/**
 * The bridge on the POS page (injected only on the allowed origins): relays the page's requests to the
 * worker over one runtime port and posts answers back to the page's own origin only. It picks out the
 * page's requests (its own window and origin, our channel, an id to answer under) and checks nothing
 * more: the worker checks the envelope where it enters the privileged part of the extension.
 */

const ready = { channel: BRIDGE_CHANNEL, type: 'ready', version: chrome.runtime.getManifest().version };
const pageOrigin = window.location.origin;
let port: chrome.runtime.Port | null = null;
const inFlight = new Set<string>();

function post(message: unknown): void {
  window.postMessage(message, pageOrigin);
}

function answerError(id: string, error: FaceError): void {
  inFlight.delete(id);
  const response: BridgeResponse = { channel: BRIDGE_CHANNEL, type: 'response', id, ok: false, error: error.toJSON() };
  post(response);
}

function connect(): chrome.runtime.Port {
  const opened = chrome.runtime.connect({ name: BRIDGE_PORT_NAME });
  // The worker's answers and its unasked news about the host are this extension's own: the page checks
  // them where they enter it.
  opened.onMessage.addListener((message: BridgeResponse | BridgeStatus) => {
    if (message.type === 'status') {
      post(message);
      return;
    }
    inFlight.delete(message.id);
    post(message);
  });
  opened.onDisconnect.addListener(() => {
    // The worker was stopped or the extension reloaded: whatever was in flight will never be answered.
    port = null;
    for (const id of [...inFlight]) {
      answerError(id, new FaceError('HOST_ERROR', 'The extension restarted while the request was in flight; try again'));
    }
  });
  return opened;
}

window.addEventListener('message', (event: MessageEvent) => {
  if (event.source !== window || event.origin !== pageOrigin || !isOnBridgeChannel(event.data)) return;
  const data = event.data as { type: unknown; id?: unknown };
  if (data.type !== 'request') return; // our own responses and ready come back through here too
  if (!isRequestId(data.id)) return;
  const id = data.id;
  // Ack a hello at once (as a `ready`): the page may have missed the first one, posted at document_start
  // before its scripts ran, and the host's answer can take a cold start.
  if ((data as { method?: unknown }).method === 'hello') post(ready);
  try {
    port ??= connect();
    inFlight.add(id);
    port.postMessage(event.data);
  } catch (error) {
    // chrome.runtime is gone once the extension was reloaded or updated under this page.
    answerError(id, new FaceError('EXTENSION_UNAVAILABLE', 'The face extension was updated or reloaded: reload this page', { cause: error }));
  }
});

post(ready);
