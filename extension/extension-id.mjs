// The extension's stable ID, derived from the public key that build.mjs puts into manifest.json (`key`).
// The e2e tests, the demo and the native-host installer import EXTENSION_ID from here;
// `node extension/extension-id.mjs` prints it.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { extensionIdFromKey } from './scripts/key-to-id.mjs';

export { extensionIdFromKey };

/** The committed public key; POSFACE_EXTENSION_KEY_FILE points at one's own for a release build. */
export const KEY_FILE = process.env.POSFACE_EXTENSION_KEY_FILE || fileURLToPath(new URL('./key/public-key.b64', import.meta.url));

export const EXTENSION_KEY = readFileSync(KEY_FILE, 'utf8').trim();
export const EXTENSION_ID = extensionIdFromKey(EXTENSION_KEY);

if (process.argv[1] === fileURLToPath(import.meta.url)) process.stdout.write(`${EXTENSION_ID}\n`);
