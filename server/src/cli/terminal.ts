import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { FaceError } from '@posface/protocol';
import { ConfigError, loadDatabaseConfig } from '../config.js';
import { openStorage } from '../db/storage.js';
import type { Terminal } from '../terminals/terminal-store.js';
import { fail, printJson } from './output.js';

const USAGE = `Usage (database from DATABASE_URL, default sqlite:./data/pos.sqlite):
  npm run terminal -- add --store-id S001 --store-name "演示门店" --device-id D001
                          [--screen-index 2] [--release-after-session] [--ask-unionid] [--token-file PATH] [--json]
  npm run terminal -- list [--json]
  npm run terminal -- revoke (--id TERMINAL_ID | --device-id D001 [--store-id S001]) [--json]
The token is printed once (or written to --token-file, mode 600); only its hash is stored.`;

function describe(t: Terminal): string {
  const flags = [`screen ${t.screen_index}`, t.release_after_session ? 'release after session' : null, t.ask_unionid === '1' ? 'ask unionid' : null]
    .filter(Boolean)
    .join(', ');
  return `${t.id}  ${t.store_id} (${t.store_name})  device ${t.device_id}  ${t.revoked_at ? `REVOKED ${t.revoked_at}` : 'active'}  [${flags}]`;
}

async function run(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      'store-id': { type: 'string' },
      'store-name': { type: 'string' },
      'device-id': { type: 'string' },
      'screen-index': { type: 'string' },
      'release-after-session': { type: 'boolean' },
      'ask-unionid': { type: 'boolean' },
      'token-file': { type: 'string' },
      id: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help || command === undefined || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!['add', 'list', 'revoke'].includes(command)) fail(`unknown command "${command}"\n${USAGE}`);
  const storage = await openStorage(loadDatabaseConfig());
  try {
    if (command === 'add') {
      const missing = (['store-id', 'store-name', 'device-id'] as const).filter((k) => values[k] === undefined);
      if (missing.length > 0) fail(`add: missing ${missing.map((m) => `--${m}`).join(', ')}\n${USAGE}`);
      const { terminal, token } = await storage.terminals.add({
        storeId: values['store-id'] ?? '',
        storeName: values['store-name'] ?? '',
        deviceId: values['device-id'] ?? '',
        ...(values['screen-index'] !== undefined ? { screenIndex: values['screen-index'] } : {}),
        releaseAfterSession: values['release-after-session'] ?? false,
        askUnionid: values['ask-unionid'] ?? false,
      });
      if (values['token-file'] !== undefined) writeFileSync(values['token-file'], `${token}\n`, { mode: 0o600 });
      if (values.json) printJson({ ...(values['token-file'] === undefined ? { token } : { token_file: values['token-file'] }), terminal });
      else {
        process.stdout.write(`Terminal added: ${describe(terminal)}\n`);
        if (values['token-file'] !== undefined) process.stdout.write(`Token written to ${values['token-file']}\n`);
        else process.stdout.write(`Token (shown once; paste it into the POS pairing screen):\n${token}\n`);
      }
    } else if (command === 'list') {
      const all = await storage.terminals.list();
      if (values.json) printJson({ items: all });
      else process.stdout.write(all.length === 0 ? 'No terminals.\n' : `${all.map(describe).join('\n')}\n`);
    } else {
      if (values.id === undefined && values['device-id'] === undefined) fail(`revoke: give --id or --device-id\n${USAGE}`);
      const revoked = await storage.terminals.revoke(
        values.id !== undefined
          ? { id: values.id }
          : { deviceId: values['device-id'] ?? '', ...(values['store-id'] !== undefined ? { storeId: values['store-id'] } : {}) },
      );
      if (values.json) printJson({ revoked });
      else if (revoked.length === 0) fail('revoke: no active terminal matches', 1);
      else process.stdout.write(`Revoked:\n${revoked.map(describe).join('\n')}\n`);
    }
  } finally {
    await storage.close();
  }
}

run(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof ConfigError) fail(error.message);
  if (error instanceof FaceError) fail(`${error.code}: ${error.message}`, 1);
  fail(`terminal: ${error instanceof Error ? error.message : String(error)}`, 1);
});
