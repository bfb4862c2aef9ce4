import { parseArgs } from 'node:util';
import { FaceError } from '@posface/protocol';
import { ConfigError, loadDatabaseConfig } from '../config.js';
import { openStorage } from '../db/storage.js';
import { DEMO_DEVICE_ID, DEMO_STORE } from './demo-data.js';
import { fail, printJson } from './output.js';
import { seed } from './seed-demo.js';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { json: { type: 'boolean' } }, strict: true });
  const storage = await openStorage(loadDatabaseConfig());
  try {
    const result = await seed(storage);
    if (values.json) printJson(result);
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
  if (error instanceof ConfigError) fail(error.message);
  if (error instanceof FaceError) fail(`${error.code}: ${error.message}`, 1);
  fail(`seed: ${error instanceof Error ? error.message : String(error)}`, 1);
});
