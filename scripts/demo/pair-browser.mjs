// One-time pairing of the demo browser's profile. A headless run of the same browser on the same profile
// opens the POS and types the pairing code on its pairing screen, as a cashier would; the session cookie
// (HttpOnly) is then in the profile's cookie store when the visible browser opens on the plain POS URL.
// The code travels over the DevTools pipe only: never on a command line, never in a URL or the history.

/**
 * Returns 'paired', or 'already paired' when the profile still holds a live session (the code stays
 * unused and expires). Throws with the POS's own words when pairing failed.
 */
export async function pairBrowserProfile({ browserPath, profileDir, base, code, asRoot = false, timeoutMs = 20_000 }) {
  const { chromium } = await import('playwright-core');
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: browserPath,
    headless: true,
    args: ['--no-first-run', '--no-default-browser-check', ...(asRoot ? ['--no-sandbox'] : [])],
  });
  try {
    const page = await context.newPage();
    await page.goto(`${base}/`);
    const first = await page.waitForSelector('[data-test=search], [data-test=pair-form]', { timeout: timeoutMs });
    if ((await first.getAttribute('data-test')) === 'search') return 'already paired';
    await page.fill('[data-test=pair-code]', code);
    await page.click('[data-test=pair-submit]');
    const outcome = await page.waitForSelector('[data-test=search], [data-test=pair-form] [role=alert]', { timeout: timeoutMs });
    if ((await outcome.getAttribute('data-test')) === 'search') return 'paired';
    throw new Error(`the POS refused the pairing code: ${(await outcome.textContent())?.trim()}`);
  } finally {
    // A clean close writes the cookie store to disk for the next browser on this profile.
    await context.close();
  }
}
