import { parseArgs } from 'node:util';
import { FaceError } from '@posface/protocol';
import { ConfigError, loadDatabaseConfig, openStorage } from '@posface/server';
import { DEMO_DEVICE_ID, DEMO_STORE } from './data.js';
import { seed } from './seed.js';

/** `npm run seed -w demo -- [--json]`: the demo data into DATABASE_URL's database (the server's own setting). */

function fail(message: string, code: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { json: { type: 'boolean' } }, strict: true });
  const storage = await openStorage(loadDatabaseConfig());
  try {
    const result = await seed(storage);
    if (values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else {
      process.stdout.write(
        `Seeded ${DEMO_STORE.id} (${DEMO_STORE.name}): ${result.products} products, ${result.members} new members, ${result.orders} past sales, terminal ${DEMO_DEVICE_ID}.\n` +
          `Pairing code (one use, valid until ${result.expires_at}); type it on the POS's pairing screen:\n${result.pairing_code}\n`,
      );
    }
  } finally {
    await storage.close();
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) fail(error.message, 2);
  if (error instanceof FaceError) fail(`${error.code}: ${error.message}`, 1);
  fail(`seed: ${error instanceof Error ? error.message : String(error)}`, 1);
});
