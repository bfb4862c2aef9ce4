import { FaceError, HOST_NAME, type HelloResult } from '@posface/protocol';
import { HostSession } from './host-session.js';
import { HostStatusBroadcaster } from './host-status.js';
import { NativePort } from './native-port.js';
import { OriginPolicy } from './origin-policy.js';
import { RequestRouter } from './request-router.js';
import { BRIDGE_PORT_NAME } from './port-name.js';
import { recordError, recordHello, STATUS_KEY, type ExtensionStatus, type PopupRequest, type PopupResponse } from './status.js';

/** Fixed at build time by build.mjs (POS_ORIGINS, plus localhost in development builds). */
declare const __POS_ORIGINS__: string[];

const extension = { id: chrome.runtime.id, version: chrome.runtime.getManifest().version };
let status: ExtensionStatus = { extension, origins: __POS_ORIGINS__, hello: null, helloAt: null, lastError: null };
const statusLoaded = chrome.storage.session.get(STATUS_KEY).then(
  (stored) => {
    const saved = stored[STATUS_KEY] as ExtensionStatus | undefined;
    if (saved) status = { ...saved, extension, origins: __POS_ORIGINS__ };
  },
  (error: unknown) => console.warn('pos-face: could not read the saved status', error),
);

function saveStatus(next: ExtensionStatus): void {
  status = next;
  chrome.storage.session.set({ [STATUS_KEY]: next }).catch((error: unknown) => console.warn('pos-face: could not save the status', error));
}

const pages = new HostStatusBroadcaster();
const nativePort = new NativePort({
  connect: () => chrome.runtime.connectNative(HOST_NAME),
  lastError: () => chrome.runtime.lastError?.message,
  onExit: (error) => {
    saveStatus(recordError(status, error, Date.now()));
    pages.exited(error);
  },
});
const host = new HostSession(nativePort);
const policy = new OriginPolicy(__POS_ORIGINS__, () => chrome.storage.managed.get('allowedOrigins').then((v) => v.allowedOrigins));
policy.prefetch();
chrome.storage.onChanged.addListener((_changes, area) => {
  if (area === 'managed') {
    policy.invalidate();
    policy.prefetch();
  }
});

const router = new RequestRouter({
  host,
  extension,
  isOriginAllowed: (origin) => policy.allows(origin),
  onResult: (method, outcome) => {
    // A host that answered (even with an SDK error) is running: announce it if it is a fresh one.
    if (nativePort.connected) pages.answered(nativePort.generation, host.lastHello?.host.version);
    if (outcome.ok && method === 'hello') saveStatus(recordHello(status, outcome.result as HelloResult, Date.now()));
    if (!outcome.ok) saveStatus(recordError(status, outcome.error, Date.now()));
  },
});

let nextCaller = 1;
chrome.runtime.onConnect.addListener((port) => {
  if (port.name !== BRIDGE_PORT_NAME) {
    port.disconnect();
    return;
  }
  const caller = `c${nextCaller++}`;
  // Taken from the browser's own record of who connected, never from anything the page sent.
  const senderUrl = port.sender?.url;
  let open = true;
  pages.add(port);
  port.onDisconnect.addListener(() => {
    open = false;
    pages.remove(port);
    router.callerGone(caller, (error) => console.warn('pos-face: stop after a tab closed failed', error));
  });
  port.onMessage.addListener((message: unknown) => {
    void router.handle(message, senderUrl, caller).then((response) => {
      if (response && open) port.postMessage(response);
    });
  });
});

chrome.runtime.onMessage.addListener((message: PopupRequest, sender, sendResponse: (response: PopupResponse) => void) => {
  // Only this extension's own pages (the popup) may ask for status; content scripts' sender.url is a page.
  if (sender.id !== chrome.runtime.id || !sender.url?.startsWith(chrome.runtime.getURL(''))) return false;
  void (async () => {
    await statusLoaded;
    if (message.type !== 'test') {
      sendResponse({ ok: true, status: { ...status, hello: host.lastHello ?? status.hello } });
      return;
    }
    try {
      const hello = await host.hello();
      saveStatus(recordHello(status, hello, Date.now()));
      sendResponse({ ok: true, status });
    } catch (error) {
      const failure = FaceError.wrap(error);
      saveStatus(recordError({ ...status, hello: null }, failure, Date.now()));
      sendResponse({ ok: false, error: failure.toJSON(), status });
    }
  })();
  return true; // answered asynchronously
});
