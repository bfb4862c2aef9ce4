#!/usr/bin/env node
// Makes a new RSA key pair for the extension: the private key (keep it secret, outside the repository)
// signs the self-hosted .crx (POSFACE_EXTENSION_SIGNING_KEY=… at build time); its public half becomes the
// manifest's `key`, which fixes the extension ID. Usage:
//   node extension/scripts/make-key.mjs --private-out ~/secrets/pos-face.pem [--public-out pos-face.pub.b64]
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { extensionIdFromKey } from './key-to-id.mjs';

const { values } = parseArgs({
  options: { 'private-out': { type: 'string' }, 'public-out': { type: 'string' } },
});
const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const publicB64 = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
if (values['private-out']) {
  writeFileSync(values['private-out'], privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  process.stderr.write(`private key written to ${values['private-out']} (never commit it)\n`);
} else {
  process.stderr.write('no --private-out given: the private key is discarded (fine for a development ID only)\n');
}
if (values['public-out']) writeFileSync(values['public-out'], `${publicB64}\n`);
process.stdout.write(`key: ${publicB64}\nextension id: ${extensionIdFromKey(publicB64)}\n`);
