#!/usr/bin/env node
// The POS's initial JavaScript (the entry script and the modules index.html preloads with it), gzipped
// as the server sends it, against its budget. Builds the POS first when web/dist is older than its
// sources. Usage: npm run bench -w web
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const WEB = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(WEB, 'dist');
const BUDGET_KB = 150;

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

const index = join(DIST, 'index.html');
const sources = Math.max(newest(join(WEB, 'src')), newest(join(WEB, 'index.html')), newest(join(WEB, '..', 'protocol', 'src')));
if (!existsSync(index) || statSync(index).mtimeMs < sources) {
  const built = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: WEB, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('vite build failed');
}

const html = readFileSync(index, 'utf8');
const initial = [
  ...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g),
  ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g),
].map((match) => match[1]);
if (initial.length === 0) throw new Error(`${index} loads no module script`);
let raw = 0;
let gzipped = 0;
for (const src of initial) {
  const file = join(DIST, src.replace(/^\//, ''));
  const bytes = readFileSync(file);
  raw += bytes.length;
  // The server sends the .gz the build wrote beside each asset; the same compression when it is missing.
  gzipped += existsSync(`${file}.gz`) ? statSync(`${file}.gz`).size : gzipSync(bytes, { level: 9 }).length;
}
const kb = (bytes) => (bytes / 1000).toFixed(1);
const ratio = gzipped / 1000 / BUDGET_KB;
console.log(`POS initial JS (${initial.length} file${initial.length === 1 ? '' : 's'}: ${initial.join(', ')}):`);
console.log(`  ${kb(gzipped)} KB gzipped (${kb(raw)} KB raw), budget ${BUDGET_KB} KB gzipped: ×${ratio.toFixed(2)} of the budget${ratio <= 1 ? '' : ' (over it)'}`);
