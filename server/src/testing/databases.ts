import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { requireService } from '@posface/testing';
import pg from 'pg';
import type { DatabaseConfig } from '../config.js';
import { tempDir } from './harness.js';

/**
 * The databases a storage test runs on: a fresh SQLite file always, and a fresh PostgreSQL schema
 * when TEST_DATABASE_URL is set. Each call gets its own file/schema, so test files never collide.
 */
export interface TestDatabase {
  name: 'sqlite' | 'postgres';
  config: DatabaseConfig;
  drop(): Promise<void>;
}

export const PG_URL = requireService('TEST_DATABASE_URL');

export function sqliteDatabase(): TestDatabase {
  const dir = tempDir();
  return { name: 'sqlite', config: { kind: 'sqlite', path: join(dir.path, 'pos.sqlite') }, drop: async () => dir.remove() };
}

export function postgresDatabase(url: string): TestDatabase {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  return {
    name: 'postgres',
    config: { kind: 'postgres', url, schema },
    drop: async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}
