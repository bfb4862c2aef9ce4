#!/usr/bin/env node
// An ERP-side script for the integration API (docs/back-office.md): upserts products from a JSON file in
// batches of 1,000, then reads the orders since the cursor it saved last time, and saves the new cursor.
//   POSFACE_API_KEY=pfk_… node scripts/integration-example.mjs --server https://pos.example.com \
//     [--products products.json] [--cursor-file .orders-cursor]
// products.json: [{"barcode": "6901234567892", "name": "矿泉水", "price_fen": 200, "member_price_fen": 180}, …]
// Prints one JSON line per step; exits 1 with the server's error on a refusal.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { server: { type: 'string' }, products: { type: 'string' }, 'cursor-file': { type: 'string' } } });
const key = process.env.POSFACE_API_KEY;
if (!values.server || !key) {
  process.stderr.write('usage: POSFACE_API_KEY=pfk_… node scripts/integration-example.mjs --server URL [--products FILE] [--cursor-file FILE]\n');
  process.exit(2);
}
const base = new URL('/api/integration/v1', values.server).href;

async function call(method, path, body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = await res.json();
  if (!res.ok) {
    process.stderr.write(`${method} ${path}: HTTP ${res.status} ${data.error?.code}: ${data.error?.message}\n`);
    process.exit(1);
  }
  return data;
}

if (values.products) {
  const items = JSON.parse(readFileSync(values.products, 'utf8'));
  for (let i = 0; i < items.length; i += 1000) {
    const done = await call('PUT', '/products', { items: items.slice(i, i + 1000) });
    console.log(JSON.stringify({ step: 'products', from: i, ...done }));
  }
}

const cursorFile = values['cursor-file'];
let cursor = cursorFile && existsSync(cursorFile) ? readFileSync(cursorFile, 'utf8').trim() : undefined;
for (;;) {
  const page = await call('GET', `/orders?limit=100${cursor ? `&since=${encodeURIComponent(cursor)}` : ''}`);
  for (const order of page.items) console.log(JSON.stringify({ step: 'order', id: order.id, store_id: order.store_id, total_fen: order.total_fen, created_at: order.created_at }));
  cursor = page.next_cursor;
  if (page.items.length < 100) break;
}
if (cursorFile) writeFileSync(cursorFile, `${cursor}\n`);
console.log(JSON.stringify({ step: 'cursor', next_cursor: cursor }));
