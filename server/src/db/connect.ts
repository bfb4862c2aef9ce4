import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { DEFAULT_DATABASE_TIMEOUTS, type DatabaseConfig } from '../config.js';
import { safeInt } from './integers.js';
import { migrateToLatest } from './migrations.js';
import { withStatementCache } from './sqlite-statements.js';
import type { Database } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Db {
  kysely: Kysely<Database>;
  dialect: Dialect;
  close(): Promise<void>;
}

/** A quoted SQL identifier for a schema name given by a test or the bench (not user input). */
function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`schema name "${name}": lower-case letters, digits and _ only`);
  return `"${name}"`;
}

// int8 (bigint, count(*)) arrives as text: read it as a number, refusing what a number cannot hold exactly.
const INT8_OID = 20;
const parseInt8 = (text: string): number => safeInt(text, 'bigint column');
const typeParser = ((oid: number, format?: 'text' | 'binary') =>
  oid === INT8_OID && format !== 'binary' ? parseInt8 : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser;

/** Opens the database and brings its schema up to date (the server runs migrations at start). */
export async function openDatabase(config: DatabaseConfig, options: { migrate?: boolean } = {}): Promise<Db> {
  let kysely: Kysely<Database>;
  let dialect: Dialect;
  if (config.kind === 'sqlite') {
    if (config.path !== ':memory:') mkdirSync(dirname(config.path), { recursive: true });
    const sqlite = new SQLite(config.path);
    sqlite.pragma('journal_mode = WAL');
    // NORMAL is durable across process crashes in WAL mode; a power cut may lose the last commits.
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
    dialect = 'sqlite';
  } else {
    const t = config.timeouts ?? DEFAULT_DATABASE_TIMEOUTS;
    const pool = new pg.Pool({
      connectionString: config.url,
      max: 10,
      // Opening a connection and waiting for a free one from the pool.
      connectionTimeoutMillis: t.connectMs,
      // Server side: a slow statement or a lock wait is cancelled (57014 / 55P03)…
      statement_timeout: t.statementMs,
      lock_timeout: t.statementMs,
      idle_in_transaction_session_timeout: t.statementMs * 4,
      // …and client side, a little later, for a server that does not answer at all (frozen, partitioned).
      query_timeout: t.statementMs + 1000,
      keepAlive: true,
      types: { getTypeParser: typeParser },
    });
    // A client losing its connection (server stopped or restarted) must not crash the server: pg-pool
    // handles idle clients ('error' on the pool); a checked-out one emits on itself, and without a listener
    // that is an uncaught exception. The failing query reports the error; the pool drops the client.
    pool.on('error', (error) => process.stderr.write(`postgres: idle connection error: ${error.message}\n`));
    pool.on('connect', (client) => client.on('error', (error) => process.stderr.write(`postgres: connection error: ${error.message}\n`)));
    if (config.schema !== undefined) {
      const schema = quoteIdent(config.schema);
      // Queries on a client run in order, so this SET precedes the first real query.
      pool.on('connect', (client) => {
        client.query(`SET search_path TO ${schema}`).catch((error: unknown) => {
          process.stderr.write(`postgres: could not set search_path: ${String(error)}\n`);
        });
      });
      const admin = new pg.Client({ connectionString: config.url });
      await admin.connect();
      try {
        await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      } finally {
        await admin.end();
      }
    }
    kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    dialect = 'postgres';
  }
  if (options.migrate !== false) {
    try {
      await migrateToLatest(kysely as Kysely<unknown>, { schema: config.kind === 'postgres' ? config.schema : undefined });
    } catch (error) {
      await kysely.destroy();
      throw error;
    }
  }
  return { kysely, dialect, close: () => kysely.destroy() };
}

/** True when `error` is a unique-constraint violation on either engine. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
