/**
 * The browser-test harness (see README.md beside this file). Stable API used by the extension's and the
 * POS's e2e tests:
 *   launchFaceBrowser(options) → FaceBrowser   Chromium + extension + host registered in a temp profile
 *   startStaticServer(files) → StaticServer     loopback HTTP (127.0.0.1 allowed, 127.0.0.2 not)
 *   faceTestFiles() / FACE_PAGE_PATH            a page with the real FaceClient as window.PosFace / window.face
 *   ensureExtensionBuilt(), requireHostAndSimulator(), hostPids(tag), waitFor(...)
 */
export * from './browser.js';
export * from './build.js';
export * from './face-page.js';
export * from './host-registration.js';
export * from './paths.js';
export * from './popup.js';
export * from './processes.js';
export * from './static-server.js';
export * from './test-page.js';
