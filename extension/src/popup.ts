import type { FaceErrorData } from '@posface/protocol';
import type { ExtensionStatus, PopupRequest, PopupResponse } from './status.js';

/** The toolbar popup: status at a glance and a "test connection" button (texts from _locales). */

const t = (key: string, ...subs: string[]): string => chrome.i18n.getMessage(key, subs) || key;

function el(id: string): HTMLElement {
  const node = document.getElementById(id);
  if (!node) throw new Error(`popup.html lacks #${id}`);
  return node;
}

/** good: true/false colours the value, null clears the colour, undefined keeps the element's class. */
function show(id: string, text: string, good?: boolean | null): void {
  const node = el(id);
  node.textContent = text;
  if (good !== undefined) node.className = good === null ? '' : good ? 'ok' : 'bad';
}

function advice(error: FaceErrorData): string {
  const key = `advice_${error.code}`;
  return chrome.i18n.getMessage(key) || t('advice_generic');
}

function render(status: ExtensionStatus): void {
  show('extension', `${status.extension.version} (${status.extension.id})`);
  const hello = status.hello;
  if (hello) {
    show('host', t('hostFound', hello.host.version, String(hello.protocol)), true);
    show('sdk', hello.sdk.loaded ? t('sdkLoaded') : t('sdkNotLoaded', hello.sdk.error ?? ''), hello.sdk.loaded);
    show('arch', hello.sdk.arch, null);
    show('path', hello.sdk.path ?? t('none'), null);
  } else {
    show('host', status.lastError ? t('hostUnreachable', status.lastError.code) : t('hostUnknown'), false);
    for (const id of ['sdk', 'arch', 'path']) show(id, '—', null);
  }
  const error = status.lastError;
  el('error').hidden = !error;
  if (error) {
    show('error-code', error.code);
    show('error-message', error.message);
    show('error-advice', advice(error));
    show('error-time', new Date(error.at).toLocaleString());
  }
}

async function ask(request: PopupRequest): Promise<PopupResponse> {
  return (await chrome.runtime.sendMessage(request)) as PopupResponse;
}

for (const node of document.querySelectorAll<HTMLElement>('[data-i18n]')) {
  node.textContent = t(node.dataset.i18n ?? '');
}
document.documentElement.lang = chrome.i18n.getUILanguage();

ask({ type: 'status' }).then(
  (response) => render(response.status),
  (error: unknown) => show('test-result', String(error), false),
);

el('test').addEventListener('click', () => {
  const button = el('test') as HTMLButtonElement;
  button.disabled = true;
  show('test-result', t('testing'));
  ask({ type: 'test' })
    .then(
      (response) => {
        render(response.status);
        show('test-result', response.ok ? t('testOk') : t('testFailed', response.error.code), response.ok);
      },
      (error: unknown) => show('test-result', String(error), false),
    )
    .finally(() => {
      button.disabled = false;
    });
});
