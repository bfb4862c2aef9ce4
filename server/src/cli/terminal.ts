import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { FaceError, formatPairingCode } from '@posface/protocol';
import { ConfigError, loadDatabaseConfig } from '../config.js';
import { openStorage } from '../db/storage.js';
import type { IssuedPairingCode, Terminal, TerminalSelector } from '../terminals/terminal-store.js';
import { fail, printJson } from './output.js';

const USAGE = `Usage (database from DATABASE_URL, default sqlite:./data/pos.sqlite):
  npm run terminal -- add --store-id S001 --store-name "演示门店" --device-id D001
                          [--screen-index 2] [--release-after-session] [--ask-unionid]
                          [--token [--token-file PATH]] [--json]
  npm run terminal -- pair-code (--id TERMINAL_ID | --device-id D001 [--store-id S001]) [--json]
  npm run terminal -- token (--id TERMINAL_ID | --device-id D001 [--store-id S001]) [--token-file PATH] [--json]
  npm run terminal -- list [--json]
  npm run terminal -- revoke (--id TERMINAL_ID | --device-id D001 [--store-id S001]) [--json]
add prints a one-time pairing code (10 minutes) to type on the POS; pair-code issues a new one.
--token (add) and token give a bearer token for API clients and scripts instead, printed once
(or written to --token-file, mode 600). Only hashes of codes and tokens are stored.`;

const COMMANDS = ['add', 'pair-code', 'token', 'list', 'revoke'];

function describe(t: Terminal): string {
  const flags = [`screen ${t.screen_index}`, t.release_after_session ? 'release after session' : null, t.ask_unionid === '1' ? 'ask unionid' : null]
    .filter(Boolean)
    .join(', ');
  return `${t.id}  ${t.store_id} (${t.store_name})  device ${t.device_id}  ${t.revoked_at ? `REVOKED ${t.revoked_at}` : 'active'}  [${flags}]`;
}

/** The shape of the back office's answer too: {terminal_id, pairing_code, expires_at}. */
function printPairing(terminal: Terminal, pairing: IssuedPairingCode, json: boolean | undefined): void {
  const code = formatPairingCode(pairing.code);
  if (json) printJson({ terminal_id: terminal.id, pairing_code: code, expires_at: pairing.expires_at, terminal });
  else {
    process.stdout.write(`Terminal: ${describe(terminal)}\n`);
    process.stdout.write(`Pairing code (one use, valid until ${pairing.expires_at}); type it on the POS's pairing screen:\n${code}\n`);
  }
}

function printToken(terminal: Terminal, token: string, tokenFile: string | undefined, json: boolean | undefined): void {
  if (tokenFile !== undefined) writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
  if (json) printJson({ ...(tokenFile === undefined ? { token } : { token_file: tokenFile }), terminal });
  else {
    process.stdout.write(`Terminal: ${describe(terminal)}\n`);
    if (tokenFile !== undefined) process.stdout.write(`Bearer token written to ${tokenFile}\n`);
    else process.stdout.write(`Bearer token for API clients and scripts (shown once; send "Authorization: Bearer <token>"):\n${token}\n`);
  }
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
      token: { type: 'boolean' },
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
  if (!COMMANDS.includes(command)) fail(`unknown command "${command}"\n${USAGE}`);
  if (values['token-file'] !== undefined && !(command === 'token' || (command === 'add' && values.token))) {
    fail(`--token-file goes with "token" or "add --token"\n${USAGE}`);
  }
  const selector = (): TerminalSelector => {
    if (values.id === undefined && values['device-id'] === undefined) fail(`${command}: give --id or --device-id\n${USAGE}`);
    return values.id !== undefined
      ? { id: values.id }
      : { deviceId: values['device-id'] ?? '', ...(values['store-id'] !== undefined ? { storeId: values['store-id'] } : {}) };
  };
  const storage = await openStorage(loadDatabaseConfig());
  try {
    if (command === 'add') {
      const missing = (['store-id', 'store-name', 'device-id'] as const).filter((k) => values[k] === undefined);
      if (missing.length > 0) fail(`add: missing ${missing.map((m) => `--${m}`).join(', ')}\n${USAGE}`);
      const input = {
        storeId: values['store-id'] ?? '',
        storeName: values['store-name'] ?? '',
        deviceId: values['device-id'] ?? '',
        ...(values['screen-index'] !== undefined ? { screenIndex: values['screen-index'] } : {}),
        releaseAfterSession: values['release-after-session'] ?? false,
        askUnionid: values['ask-unionid'] ?? false,
      };
      if (values.token) {
        const { terminal, token } = await storage.terminals.add(input);
        printToken(terminal, token, values['token-file'], values.json);
      } else {
        const { terminal, pairing } = await storage.terminals.provision(input);
        printPairing(terminal, pairing, values.json);
      }
    } else if (command === 'pair-code') {
      const { terminal, pairing } = await storage.terminals.issuePairingCode(selector());
      printPairing(terminal, pairing, values.json);
    } else if (command === 'token') {
      const { terminal, token } = await storage.terminals.issueToken(selector());
      printToken(terminal, token, values['token-file'], values.json);
    } else if (command === 'list') {
      const all = await storage.terminals.list();
      if (values.json) printJson({ items: all });
      else process.stdout.write(all.length === 0 ? 'No terminals.\n' : `${all.map(describe).join('\n')}\n`);
    } else {
      const revoked = await storage.terminals.revoke(selector());
      if (values.json) printJson({ revoked });
      else if (revoked.length === 0) fail('revoke: no active terminal matches', 1);
      else process.stdout.write(`Revoked (their tokens, pairing codes and POS sessions stop working now):\n${revoked.map(describe).join('\n')}\n`);
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
