import { PRODUCT_CSV_COLUMNS } from '@posface/protocol';
import type { ImportResult } from '@posface/protocol/admin-api';
import { openBackOffice } from '../src/admin/back-office.js';
import { openStorage } from '../src/db/storage.js';
import { AdminClient } from '../src/testing/admin-client.js';
import { PG_URL, postgresDatabase, sqliteDatabase, type TestDatabase } from '../src/testing/databases.js';
import { startStack } from '../src/testing/harness.js';

/**
 * `node --import tsx server/bench/import.ts [rows]`: the back office's CSV import of a 50,000-product
 * catalogue through the real server over HTTP (login, preview, import, import again = all updates), on
 * SQLite, and on PostgreSQL when TEST_DATABASE_URL is set. Prints figures; asserts nothing about time.
 */
const ROWS = Number(process.argv[2] ?? 50_000);

function catalogue(rows: number, priceShift: number): string {
  const lines = [PRODUCT_CSV_COLUMNS.join(',')];
  for (let i = 0; i < rows; i += 1) {
    const price = 100 + (i % 5000) + priceShift;
    lines.push(`69${String(i).padStart(11, '0')},商品 ${i} 号,Product ${i},${price},${i % 3 === 0 ? price - 10 : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

async function run(db: TestDatabase): Promise<void> {
  const storage = await openStorage(db.config);
  const stack = await startStack(db.config, { deps: { storage }, config: { logLevel: 'warn' } });
  try {
    await openBackOffice(storage.db).staff.create({ username: 'bench', role: 'owner', password: 'bench password 1' });
    const client = new AdminClient(stack.server.url);
    await client.login('bench', 'bench password 1');
    const csv = catalogue(ROWS, 0);
    const timed = async (label: string, path: string, body: string) => {
      const started = performance.now();
      const res = await client.request<ImportResult>('POST', path, { csv: body });
      const ms = performance.now() - started;
      if (res.status !== 200 || !res.body.ok) throw new Error(`${label}: HTTP ${res.status} ${res.text.slice(0, 300)}`);
      console.log(`${db.name.padEnd(8)} ${label.padEnd(28)} ${String(Math.round(ms)).padStart(6)} ms  (${res.body.created} created, ${res.body.updated} updated)`);
    };
    console.log(`${db.name}: ${ROWS} rows, ${(csv.length / 1024 / 1024).toFixed(1)} MiB of CSV`);
    await timed('preview (dry run)', '/products/import?dry_run=1', csv);
    await timed('import into an empty table', '/products/import', csv);
    await timed('import again (all updates)', '/products/import', catalogue(ROWS, 1));
  } finally {
    await stack.close();
    await storage.close();
    await db.drop();
  }
}

await run(sqliteDatabase());
if (PG_URL !== undefined) await run(postgresDatabase(PG_URL));
else console.log('postgres: skipped (set TEST_DATABASE_URL, e.g. `. .ci/services.sh && start_services`)');
