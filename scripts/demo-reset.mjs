#!/usr/bin/env node
// `npm run demo:reset`: the demo starts over. `npm start` keeps .demo/ between runs (data, sales, the paired
// browser profile); this removes the database and the profile, so the next `npm start` seeds afresh and pairs
// a new profile. Logs are kept. Stop a running demo (Ctrl+C) first.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const DEMO = join(resolve(fileURLToPath(new URL('..', import.meta.url))), '.demo');
const removed = [];
for (const name of existsSync(DEMO) ? readdirSync(DEMO) : []) {
  if (!name.startsWith('pos.sqlite') && name !== 'profile') continue;
  rmSync(join(DEMO, name), { recursive: true, force: true });
  removed.push(name);
}
process.stdout.write(removed.length > 0 ? `Removed .demo/${removed.join(', .demo/')}: the next npm start seeds afresh and pairs a new profile.\n` : 'Nothing to reset: .demo/ holds no demo data.\n');
