#!/usr/bin/env node
// Builds the unpacked extension into dist/ and a zip beside it:
//   POS_ORIGINS=https://pos.example.com[,https://…] NODE_ENV=production npm run build -w extension
// Development builds also allow http://localhost and http://127.0.0.1. A build is a production one when
// NODE_ENV=production, or when POS_ORIGINS is given without NODE_ENV=development (so a release built as
// `POS_ORIGINS=… npm run build -w extension` never lets local web servers at the SDK).
// POSFACE_EXTENSION_KEY_FILE=… uses one's own public key (see README); POSFACE_EXTENSION_NO_KEY=1 leaves
// `key` out (a Web Store upload, where the store assigns the key).
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { EXTENSION_ID, EXTENSION_KEY } from './extension-id.mjs';
import { makeZip } from './scripts/zip.mjs';

const root = dirname(fileURLToPath(import.meta.url));
// POSFACE_EXTENSION_OUT builds elsewhere (the e2e tests build a production variant into a temp folder).
const dist = process.env.POSFACE_EXTENSION_OUT || join(root, 'dist');
const posOriginsGiven = (process.env.POS_ORIGINS ?? '').trim() !== '';
const production = process.env.NODE_ENV === 'production' || (posOriginsGiven && process.env.NODE_ENV !== 'development');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const alias = { '@posface/protocol': join(root, '../protocol/src/index.ts') };

// The origin rules live in src/origins.ts (also used by the worker): load them through esbuild.
const originsModule = await esbuild.build({ entryPoints: [join(root, 'src/origins.ts')], bundle: true, format: 'esm', write: false });
const { buildOriginList, matchPatterns } = await import(
  `data:text/javascript;base64,${Buffer.from(originsModule.outputFiles[0].text).toString('base64')}`
);
let origins;
try {
  origins = buildOriginList(process.env.POS_ORIGINS, production);
} catch (error) {
  process.stderr.write(`extension build: ${error.message}\n`);
  process.exit(1);
}

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

const common = { bundle: true, alias, target: 'chrome120', minify: production, legalComments: 'none', logLevel: 'warning' };
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
if (process.env.POSFACE_EXTENSION_NO_KEY === '1') delete manifest.key;
else manifest.key = EXTENSION_KEY;
manifest.content_scripts[0].matches = matchPatterns(origins);
writeFileSync(join(dist, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);

// The zip holds exactly the unpacked extension.
const zipName = `pos-face-extension-${version}.zip`;
const files = listFiles(dist);
writeFileSync(join(dist, zipName), makeZip(files.map((path) => ({ name: relative(dist, path).split('\\').join('/'), data: readFileSync(path) }))));
// Beside the extension, not in the zip: for scripts that need the ID without importing extension-id.mjs.
writeFileSync(join(dist, 'extension-id.txt'), `${manifest.key ? EXTENSION_ID : '(assigned by the Web Store)'}\n`);

process.stdout.write(
  `extension ${version} (${production ? 'production' : 'development'}) → ${relative(process.cwd(), dist)}/ and ${zipName}\n` +
    `  id ${manifest.key ? EXTENSION_ID : '(no key: assigned by the store)'}\n  origins ${origins.join(', ')}\n`,
);

function listFiles(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? listFiles(path) : [path];
    });
}
