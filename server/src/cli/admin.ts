import { parseArgs } from 'node:util';
import { FaceError, isStaffRole, STAFF_ROLES } from '@posface/protocol';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, USERNAME_PATTERN } from '@posface/protocol/admin-api';
import { openBackOffice } from '../admin/back-office.js';
import { ConfigError, loadDatabaseConfig } from '../config.js';
import { openStorage } from '../db/storage.js';
import { fail, printJson } from './output.js';

const USAGE = `Usage (database from DATABASE_URL, default sqlite:./data/pos.sqlite); the password comes from stdin:
  echo 'a long password' | npm run -w server admin -- add-user --username boss --role owner|manager|it
  npm run -w server admin -- list-users [--json]
  echo 'a new password'  | npm run -w server admin -- reset-password --username boss
  npm run -w server admin -- disable-user --username someone
Passwords: ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters, stored as argon2id. Each change is in the audit log (actor "cli").`;

const COMMANDS = ['add-user', 'list-users', 'reset-password', 'disable-user'];

/** The first line of stdin (a pipe, a file, or typed at a terminal), without its line ending. */
async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Password (input is shown; pipe it in to keep it off the screen): ');
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  const password = text.split(/\r?\n/)[0] ?? '';
  if (password.length < PASSWORD_MIN_LENGTH || password.length > PASSWORD_MAX_LENGTH) {
    fail(`the password (stdin, first line) must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters, got ${password.length}`);
  }
  return password;
}

async function run(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({ args: rest, options: { username: { type: 'string' }, role: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } }, strict: true });
  if (values.help || command === undefined || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!COMMANDS.includes(command)) fail(`unknown command "${command}"\n${USAGE}`);
  const username = (): string => {
    const name = values.username;
    if (name === undefined) fail(`${command}: give --username\n${USAGE}`);
    if (!new RegExp(USERNAME_PATTERN).test(name)) fail(`--username: 3 to 32 letters, digits, ".", "_" or "-", got "${name}"`);
    return name;
  };
  if (command === 'add-user' && !isStaffRole(values.role)) fail(`add-user: --role must be one of ${STAFF_ROLES.join(', ')}\n${USAGE}`);
  const name = command === 'list-users' ? '' : username();
  const password = command === 'add-user' || command === 'reset-password' ? await readPassword() : '';

  const storage = await openStorage(loadDatabaseConfig());
  const { staff, audit } = openBackOffice(storage.db);
  const db = storage.db.kysely;
  try {
    if (command === 'list-users') {
      const users = await staff.list();
      if (values.json) printJson({ items: users });
      else process.stdout.write(users.length === 0 ? 'No staff accounts.\n' : `${users.map((u) => `${u.username}  ${u.role}  ${u.disabled ? 'DISABLED' : 'active'}  last login ${u.last_login_at ?? 'never'}`).join('\n')}\n`);
      return;
    }
    if (command === 'add-user') {
      const role = isStaffRole(values.role) ? values.role : 'it';
      const user = await db.transaction().execute(async (trx) => {
        const created = await staff.create({ username: name, role, password }, trx);
        await audit.write(trx, { actor: 'cli', action: 'staff.create', target_type: 'staff', target_id: created.id, summary: { username: created.username, role } });
        return created;
      });
      process.stdout.write(`Created ${user.username} (${user.role}). Log in at http(s)://<server>/admin/\n`);
      return;
    }
    const user = await staff.byUsername(name);
    if (user === null) fail(`${command}: no staff account "${name}"`, 1);
    const change = command === 'reset-password' ? { password } : { disabled: true };
    await db.transaction().execute(async (trx) => {
      await staff.update(user.id, change, trx);
      await audit.write(trx, { actor: 'cli', action: 'staff.update', target_type: 'staff', target_id: user.id, summary: { username: user.username, ...(command === 'reset-password' ? { password: 'reset' } : { disabled: [user.disabled, true] }) } });
    });
    process.stdout.write(command === 'reset-password' ? `New password set for ${user.username}; their sessions have ended.\n` : `Disabled ${user.username}; their sessions have ended.\n`);
  } finally {
    await storage.close();
  }
}

run(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof ConfigError) fail(error.message);
  if (error instanceof FaceError) fail(`${error.code}: ${error.message}`, 1);
  fail(`admin: ${error instanceof Error ? error.message : String(error)}`, 1);
});
