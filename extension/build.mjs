#!/usr/bin/env node
// Builds the unpacked extension into dist/, a zip beside it, and for self-hosting a signed .crx and the
// update manifest:
//   POS_ORIGINS=https://pos.example.com[,https://…] NODE_ENV=production \
//   POSFACE_EXTENSION_SIGNING_KEY=/secrets/pos-face.pem POSFACE_EXTENSION_SERVER=https://pos.example.com \
//   npm run build -w extension
// Development builds also allow http://localhost and http://127.0.0.1. A build is a production one when
// NODE_ENV=production, or when POS_ORIGINS is given without NODE_ENV=development (so a release built as
// `POS_ORIGINS=… npm run build -w extension` never lets local web servers at the SDK).
// Keys (extension-id.mjs): POSFACE_EXTENSION_SIGNING_KEY (IT's private key; a production build needs it),
// POSFACE_EXTENSION_KEY_FILE (a public key only: Web Store), POSFACE_EXTENSION_NO_KEY=1 (no `key` at all:
// a first Web Store upload); otherwise the development key signs. POSFACE_EXTENSION_SERVER: the merchant
// server that serves /extension/update.xml and /extension/pos-face.crx (then update.xml is written).
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { makeCrx3 } from './scripts/crx3.mjs';
import { codebaseFor, makeUpdateManifest } from './scripts/update-manifest.mjs';
import { makeZip } from './scripts/zip.mjs';

const root = dirname(fileURLToPath(import.meta.url));
// POSFACE_EXTENSION_OUT builds elsewhere (the e2e tests build a production variant into a temp folder).
const dist = process.env.POSFACE_EXTENSION_OUT || join(root, 'dist');
const posOriginsGiven = (process.env.POS_ORIGINS ?? '').trim() !== '';
const production = process.env.NODE_ENV === 'production' || (posOriginsGiven && process.env.NODE_ENV !== 'development');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

function fail(message) {
  process.stderr.write(`extension build: ${message}\n`);
  process.exit(1);
}

/** A TypeScript module of this repository, loaded through esbuild (the rules live once, in TypeScript). */
async function importTs(path) {
  const built = await esbuild.build({ entryPoints: [join(root, path)], bundle: true, format: 'esm', write: false });
  return import(`data:text/javascript;base64,${Buffer.from(built.outputFiles[0].text).toString('base64')}`);
}

// The origin rules live in src/origins.ts (also used by the worker); the server's paths in protocol.
const { buildOriginList, matchPatterns } = await importTs('src/origins.ts');
const { EXTENSION_CRX_PATH, EXTENSION_UPDATE_FILE, extensionCrxFile } = await importTs('../protocol/src/http.ts');
let origins;
let keys;
try {
  origins = buildOriginList(process.env.POS_ORIGINS, production);
  keys = await import('./extension-id.mjs');
} catch (error) {
  fail(error.message);
}
const noKey = process.env.POSFACE_EXTENSION_NO_KEY === '1';
if (production && !noKey && keys.KEY_FROM_ENV === null) {
  fail(
    "a production build needs IT's own signing key: POSFACE_EXTENSION_SIGNING_KEY=/path/key.pem (PKCS#8 PEM; make one with " +
      '`node extension/scripts/make-key.mjs --private-out …` and keep it outside the repository). extension/key/development.pem is ' +
      'public and signs development builds only. (A Web Store upload: POSFACE_EXTENSION_KEY_FILE=<the store\'s public key> or POSFACE_EXTENSION_NO_KEY=1.)',
  );
}
const signingKey = noKey ? null : keys.SIGNING_KEY_FILE;
const server = process.env.POSFACE_EXTENSION_SERVER?.trim() || null;
if (server !== null && signingKey === null) fail('POSFACE_EXTENSION_SERVER needs a signed .crx to point at: give POSFACE_EXTENSION_SIGNING_KEY');
let codebase = null;
try {
  if (server !== null) codebase = codebaseFor(server, EXTENSION_CRX_PATH);
} catch (error) {
  fail(error.message);
}

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

// conditions: the workspaces' sources (their package.json exports' "source" entries), no protocol build needed.
const common = { bundle: true, conditions: ['source'], target: 'chrome120', minify: production, legalComments: 'none', logLevel: 'warning' };
await Promise.all([
  esbuild.build({
    ...common,
    entryPoints: [join(root, 'src/background.ts')],
    outfile: join(dist, 'background.js'),
    format: 'esm',
    define: { __POS_ORIGINS__: JSON.stringify(origins) },
  }),
  esbuild.build({ ...common, entryPoints: [join(root, 'src/content.ts')], outfile: join(dist, 'content.js'), format: 'iife' }),
  esbuild.build({ ...common, entryPoints: [join(root, 'src/popup.ts')], outfile: join(dist, 'popup.js'), format: 'iife' }),
]);
cpSync(join(root, 'static'), dist, { recursive: true });

const manifest = JSON.parse(readFileSync(join(root, 'manifest.template.json'), 'utf8'));
manifest.version = version;
if (noKey) delete manifest.key;
else manifest.key = keys.EXTENSION_KEY;
manifest.content_scripts[0].matches = matchPatterns(origins);
writeFileSync(join(dist, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);

// The zip holds exactly the unpacked extension.
const zipName = `pos-face-extension-${version}.zip`;
const files = listFiles(dist);
const zip = makeZip(files.map((path) => ({ name: relative(dist, path).split('\\').join('/'), data: readFileSync(path) })));
writeFileSync(join(dist, zipName), zip);
// Beside the extension, not in the zip: for scripts that need the ID without importing extension-id.mjs.
const id = manifest.key ? keys.EXTENSION_ID : null;
writeFileSync(join(dist, 'extension-id.txt'), `${id ?? '(assigned by the Web Store)'}\n`);

// Self-hosting: the same zip signed as a CRX3, and the update manifest Chrome's policy points at.
const outputs = [zipName];
if (signingKey !== null) {
  const crxName = extensionCrxFile(version);
  writeFileSync(join(dist, crxName), makeCrx3(zip, readFileSync(signingKey, 'utf8')));
  outputs.push(crxName);
  if (codebase !== null) {
    writeFileSync(join(dist, EXTENSION_UPDATE_FILE), makeUpdateManifest({ appId: keys.EXTENSION_ID, version, codebase }));
    outputs.push(EXTENSION_UPDATE_FILE);
  }
  if (production && keys.IS_DEVELOPMENT_KEY) {
    process.stderr.write('extension build: WARNING: signed with the public DEVELOPMENT key (extension/key/development.pem): for tests only, never for terminals\n');
  }
}

process.stdout.write(
  `extension ${version} (${production ? 'production' : 'development'}) → ${relative(process.cwd(), dist)}/ and ${outputs.join(', ')}\n` +
    `  id ${id ?? '(no key: assigned by the store)'}${signingKey ? ` (signed with ${keys.IS_DEVELOPMENT_KEY ? 'the development key' : signingKey})` : ''}\n` +
    `  origins ${origins.join(', ')}\n` +
    (codebase ? `  update manifest → codebase ${codebase}\n` : ''),
);

function listFiles(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? listFiles(path) : [path];
    });
}
