import type { FaceBrowser } from './browser.js';

/** What the extension's toolbar popup shows after its "test connection" button was pressed. */
interface PopupView {
  host: string;
  sdk: string;
  arch: string;
  path: string;
  result: string;
  errorShown: boolean;
  errorCode: string;
  errorAdvice: string;
  /** The popup's own i18n lookup, so assertions hold in any UI language. */
  message: (key: string, ...subs: string[]) => Promise<string>;
}

/** Opens popup.html in a tab, presses "test connection", and reads what it renders once the test is done. */
export async function testConnectionInPopup(browser: FaceBrowser): Promise<PopupView> {
  const popup = await browser.open(`chrome-extension://${browser.extensionId}/popup.html`);
  // Let the initial status render land first, so it cannot overwrite the test's.
  await popup.waitForFunction(() => document.getElementById('extension')?.textContent !== '…');
  await popup.click('#test');
  await popup.waitForFunction(() => !(document.getElementById('test') as HTMLButtonElement).disabled);
  const text = (id: string): Promise<string> => popup.evaluate((i) => document.getElementById(i)?.textContent ?? '', id);
  const view: PopupView = {
    host: await text('host'),
    sdk: await text('sdk'),
    arch: await text('arch'),
    path: await text('path'),
    result: await text('test-result'),
    errorShown: await popup.evaluate(() => !document.getElementById('error')?.hidden),
    errorCode: await text('error-code'),
    errorAdvice: await text('error-advice'),
    message: (key, ...subs) => popup.evaluate(([k, s]) => chrome.i18n.getMessage(k, s), [key, subs] as const),
  };
  return view;
}
