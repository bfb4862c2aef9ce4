#!/usr/bin/env node
// The admin app's initial JS: the entry script of dist/index.html and every chunk it imports statically
// (what the browser must load before the first screen draws), raw, gzip and brotli (the build's own
// precompressed copies, as the server sends them). Then the same for the login screen's lazy chunk.
// Run after `npm run build -w admin`:  node admin/bench/initial-size.mjs
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const entry = /<script type="module"[^>]*src="\/admin\/([^"]+)"/.exec(html)?.[1];
if (!entry) throw new Error('no entry script in dist/index.html (build first)');

/** A chunk and everything it imports statically (`import … from "./x.js"`, not `import("./x.js")`). */
function closure(file, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  const code = readFileSync(join(dist, file), 'utf8');
  for (const m of code.matchAll(/(?:^|[;}\s])import\s*(?:[\w*{}\s,$]+from\s*)?["']\.\/([^"']+\.js)["']/g)) closure(join('assets', m[1]), seen);
  return seen;
}

const size = (file, ext = '') => (existsSync(join(dist, file + ext)) ? statSync(join(dist, file + ext)).size : statSync(join(dist, file)).size);
function report(label, files) {
  const sum = (ext) => [...files].reduce((n, f) => n + size(f, ext), 0);
  const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
  console.log(`${label}: ${files.size} chunk(s), ${kb(sum(''))} raw, ${kb(sum('.gz'))} gzip, ${kb(sum('.br'))} brotli`);
}

const initial = closure(entry);
report('initial JS (shell, router, stores, i18n)', initial);
const login = [...readFileSync(join(dist, entry), 'utf8').matchAll(/["']\.\/(LoginView-[^"']+\.js)["']/g)][0]?.[1];
if (login) report('initial JS + the login screen', closure(join('assets', login), new Set(initial)));
