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
import { crc32, deflateRawSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { EXTENSION_ID, EXTENSION_KEY } from './extension-id.mjs';

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

/** A plain zip (deflate, no zip64) written with node's zlib: no system zip needed. */
function makeZip(entries) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  // 1980-01-01 00:00: a fixed time keeps the zip reproducible.
  const dosTime = 0;
  const dosDate = (0 << 9) | (1 << 5) | 1;
  for (const { name, data } of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const compressed = deflateRawSync(data, { level: 9 });
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(dosTime, 10);
    local.writeUInt16LE(dosDate, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(dosTime, 12);
    central.writeUInt16LE(dosDate, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, compressed);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + compressed.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}
