import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { FaceError } from '@posface/protocol';
import { ConfigError, loadDatabaseConfig } from '../config.js';
import { openStorage } from '../db/storage.js';
import { DEMO_DEVICE_ID, DEMO_STORE } from './demo-data.js';
import { fail, printJson } from './output.js';
import { seed } from './seed-demo.js';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'token-file': { type: 'string' }, json: { type: 'boolean' } }, strict: true });
  const storage = await openStorage(loadDatabaseConfig());
  try {
    const result = await seed(storage);
    const tokenFile = values['token-file'];
    if (tokenFile !== undefined) writeFileSync(tokenFile, `${result.token}\n`, { mode: 0o600 });
    if (values.json) {
      const { token, ...rest } = result;
      printJson(tokenFile === undefined ? result : { ...rest, token_file: tokenFile, token_written: token.length > 0 });
    } else {
      process.stdout.write(
        `Seeded ${DEMO_STORE.id} (${DEMO_STORE.name}): ${result.products} products, ${result.members} new members, ${result.orders} past sales, terminal ${DEMO_DEVICE_ID}.\n` +
          (tokenFile !== undefined ? `Terminal token written to ${tokenFile}\n` : `Terminal token (shown once):\n${result.token}\n`),
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
