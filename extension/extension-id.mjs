// The extension's keys and stable ID, all derived from one key file. The signing key (RSA, PKCS#8 PEM)
// signs the .crx; its public half is the manifest's `key`, which fixes the ID Chrome gives the extension.
//   POSFACE_EXTENSION_SIGNING_KEY=/path/key.pem  IT's own key (self-hosted .crx; required for production)
//   POSFACE_EXTENSION_KEY_FILE=/path/key.b64     a public key only (the Web Store's): no .crx is signed
//   neither                                       key/development.pem (development builds and tests only)
// The e2e tests, the demo and the native-host installer import EXTENSION_ID from here;
// `node extension/extension-id.mjs` prints it.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publicKeyDerOf } from './scripts/crx3.mjs';
import { extensionIdFromKey } from './scripts/key-to-id.mjs';

export { extensionIdFromKey };

/** Public (it is in the repository): signs development builds and tests only. */
export const DEVELOPMENT_KEY_FILE = fileURLToPath(new URL('./key/development.pem', import.meta.url));

function read(file, what) {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`${what} ${file} cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The public key (base64 DER, the manifest's `key`) of a PEM private key file. */
export function publicKeyOfFile(file) {
  try {
    return publicKeyDerOf(read(file, 'The extension signing key')).toString('base64');
  } catch (error) {
    throw new Error(`${file} is not an RSA private key in PEM (${error instanceof Error ? error.message : String(error)}); make one with extension/scripts/make-key.mjs`);
  }
}

const signingEnv = process.env.POSFACE_EXTENSION_SIGNING_KEY || null;
const publicEnv = process.env.POSFACE_EXTENSION_KEY_FILE || null;
if (signingEnv && publicEnv) {
  throw new Error('Set POSFACE_EXTENSION_SIGNING_KEY (a private key: a signed .crx) or POSFACE_EXTENSION_KEY_FILE (a public key only: Web Store), not both');
}

/** The key file given in the environment, if any (a production build needs one). */
export const KEY_FROM_ENV = signingEnv ?? publicEnv;
/** The private key file that signs the .crx, or null when only a public key was given. */
export const SIGNING_KEY_FILE = publicEnv ? null : resolve(signingEnv ?? DEVELOPMENT_KEY_FILE);
export const EXTENSION_KEY = SIGNING_KEY_FILE ? publicKeyOfFile(SIGNING_KEY_FILE) : read(publicEnv, 'The extension public key').trim();
export const EXTENSION_ID = extensionIdFromKey(EXTENSION_KEY);
/** Whether the extension is signed with (has the ID of) the public development key. */
export const IS_DEVELOPMENT_KEY = EXTENSION_ID === extensionIdFromKey(publicKeyOfFile(DEVELOPMENT_KEY_FILE));

if (process.argv[1] === fileURLToPath(import.meta.url)) process.stdout.write(`${EXTENSION_ID}\n`);
