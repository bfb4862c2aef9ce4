import { randomUUID } from 'node:crypto';
import { Migrator, PostgresAdapter, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

/** Schema migrations, in code so the compiled server carries them. Append only; never edit a released one. */
const MIGRATIONS: Record<string, Migration> = {
  '0001_initial': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('stores')
        .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
        .addColumn('name', 'varchar(128)', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('terminals')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('store_id', 'varchar(32)', (c) => c.notNull().references('stores.id'))
        .addColumn('device_id', 'varchar(32)', (c) => c.notNull())
        .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
        .addColumn('ask_unionid', 'varchar(1)', (c) => c.notNull())
        .addColumn('screen_index', 'varchar(1)', (c) => c.notNull())
        .addColumn('release_after_session', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('revoked_at', 'varchar(32)')
        .execute();
      await db.schema.createIndex('terminals_store_device').on('terminals').columns(['store_id', 'device_id']).execute();
      await db.schema
        .createTable('members')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('openid', 'varchar(128)', (c) => c.unique())
        .addColumn('sub_openid', 'varchar(128)')
        .addColumn('unionid', 'varchar(128)')
        .addColumn('nickname', 'varchar(64)', (c) => c.notNull())
        .addColumn('phone', 'varchar(11)')
        .addColumn('level', 'varchar(16)', (c) => c.notNull())
        .addColumn('points', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('members_phone').on('members').column('phone').execute();
      await db.schema
        .createTable('products')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('barcode', 'varchar(32)', (c) => c.notNull().unique())
        .addColumn('name', 'varchar(128)', (c) => c.notNull())
        .addColumn('name_en', 'varchar(128)')
        .addColumn('price_fen', 'integer', (c) => c.notNull())
        .addColumn('member_price_fen', 'integer')
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('orders')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('store_id', 'varchar(32)', (c) => c.notNull().references('stores.id'))
        .addColumn('terminal_id', 'varchar(40)', (c) => c.notNull().references('terminals.id'))
        .addColumn('member_id', 'varchar(40)', (c) => c.references('members.id'))
        .addColumn('idempotency_key', 'varchar(128)')
        .addColumn('request_hash', 'varchar(64)', (c) => c.notNull())
        .addColumn('total_fen', 'integer', (c) => c.notNull())
        .addColumn('discount_fen', 'integer', (c) => c.notNull())
        .addColumn('points_earned', 'integer', (c) => c.notNull())
        .addColumn('member_points', 'integer')
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addUniqueConstraint('orders_terminal_idempotency', ['terminal_id', 'idempotency_key'])
        .execute();
      await db.schema.createIndex('orders_member_time').on('orders').columns(['member_id', 'created_at']).execute();
      await db.schema.createIndex('orders_store_time').on('orders').columns(['store_id', 'created_at']).execute();
      await db.schema
        .createTable('order_lines')
        .addColumn('order_id', 'varchar(40)', (c) => c.notNull().references('orders.id'))
        .addColumn('line_no', 'integer', (c) => c.notNull())
        .addColumn('product_id', 'varchar(40)', (c) => c.notNull().references('products.id'))
        .addColumn('name', 'varchar(128)', (c) => c.notNull())
        .addColumn('quantity', 'integer', (c) => c.notNull())
        .addColumn('unit_price_fen', 'integer', (c) => c.notNull())
        .addColumn('line_total_fen', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('order_lines_pk', ['order_id', 'line_no'])
        .execute();
    },
  },
  '0002_terminal_pairing': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('terminal_pairing_codes')
        .addColumn('terminal_id', 'varchar(40)', (c) => c.primaryKey().references('terminals.id'))
        .addColumn('code_hash', 'varchar(64)', (c) => c.notNull().unique())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('used_at', 'varchar(32)')
        .execute();
      await db.schema
        .createTable('terminal_sessions')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('secret_hash', 'varchar(64)', (c) => c.notNull().unique())
        .addColumn('terminal_id', 'varchar(40)', (c) => c.notNull().references('terminals.id'))
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('last_seen_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('terminal_sessions_terminal').on('terminal_sessions').column('terminal_id').execute();
      await db.schema.createIndex('terminal_sessions_expiry').on('terminal_sessions').column('expires_at').execute();
    },
  },
  '0003_bigint_money_and_points': {
    // 32-bit columns overflowed at 2,147,483,647 (points after a few huge orders, or one total in fen): money
    // and points become 64-bit. SQLite's INTEGER is 64-bit already, so only PostgreSQL has work to do.
    async up(db: Kysely<unknown>) {
      if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
      // One ALTER per table (one rewrite each); the names are the constants below.
      for (const [table, columns] of Object.entries(WIDENED)) {
        await sql.raw(`ALTER TABLE ${table} ${columns.map((c) => `ALTER COLUMN ${c} TYPE bigint`).join(', ')}`).execute(db);
      }
    },
  },
  '0004_back_office': {
    // Staff accounts and their sessions, the audit log, integration API keys, what tills report (versions,
    // face outcomes). Only hashes of passwords, session secrets and keys.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('staff_users')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('username', 'varchar(32)', (c) => c.notNull().unique())
        .addColumn('password_hash', 'varchar(256)', (c) => c.notNull())
        .addColumn('role', 'varchar(16)', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('password_changed_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('last_login_at', 'varchar(32)')
        .addColumn('disabled_at', 'varchar(32)')
        .execute();
      await db.schema
        .createTable('staff_sessions')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('secret_hash', 'varchar(64)', (c) => c.notNull().unique())
        .addColumn('user_id', 'varchar(40)', (c) => c.notNull().references('staff_users.id'))
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('last_seen_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('staff_sessions_user').on('staff_sessions').column('user_id').execute();
      await db.schema
        .createTable('audit_log')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('at', 'varchar(32)', (c) => c.notNull())
        .addColumn('actor', 'varchar(80)', (c) => c.notNull())
        .addColumn('action', 'varchar(64)', (c) => c.notNull())
        .addColumn('target_type', 'varchar(32)', (c) => c.notNull())
        .addColumn('target_id', 'varchar(64)')
        .addColumn('summary', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_log_at').on('audit_log').columns(['at', 'id']).execute();
      await db.schema
        .createTable('api_keys')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('name', 'varchar(64)', (c) => c.notNull())
        .addColumn('prefix', 'varchar(16)', (c) => c.notNull())
        .addColumn('key_hash', 'varchar(64)', (c) => c.notNull().unique())
        .addColumn('scopes', 'varchar(128)', (c) => c.notNull())
        .addColumn('created_by', 'varchar(80)', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('last_used_at', 'varchar(32)')
        .addColumn('revoked_at', 'varchar(32)')
        .execute();
      await db.schema
        .createTable('terminal_status')
        .addColumn('terminal_id', 'varchar(40)', (c) => c.primaryKey().references('terminals.id'))
        .addColumn('extension_version', 'varchar(32)')
        .addColumn('host_version', 'varchar(32)')
        .addColumn('sdk_version', 'varchar(64)')
        .addColumn('reported_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('face_events')
        .addColumn('terminal_id', 'varchar(40)', (c) => c.notNull().references('terminals.id'))
        .addColumn('event_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('store_id', 'varchar(32)', (c) => c.notNull())
        .addColumn('outcome', 'varchar(16)', (c) => c.notNull())
        .addColumn('error_code', 'varchar(32)')
        .addColumn('at', 'varchar(32)', (c) => c.notNull())
        .addColumn('received_at', 'varchar(32)', (c) => c.notNull())
        .addPrimaryKeyConstraint('face_events_pk', ['terminal_id', 'event_id'])
        .execute();
      await db.schema.createIndex('face_events_at').on('face_events').columns(['at', 'terminal_id']).execute();
      // The integration API's order feed and the reports read orders by time across stores.
      await db.schema.createIndex('orders_time').on('orders').columns(['created_at', 'id']).execute();
      await db.schema.createIndex('members_created').on('members').column('created_at').execute();
    },
  },
  '0005_loyalty': {
    // The loyalty program: the points ledger (a balance is the sum of its rows), the merchant's rules, tier
    // prices, refunds, redemption on orders, merged members. Each member's points so far become one
    // `opening` row; a level other than standard becomes the level staff granted (the tier's floor).
    async up(db: Kysely<unknown>) {
      const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
      const now = new Date().toISOString();
      await db.schema.alterTable('members').addColumn('level_granted', 'varchar(16)').execute();
      await db.schema.alterTable('members').addColumn('closed_at', 'varchar(32)').execute();
      await db.schema.alterTable('members').addColumn('merged_into', 'varchar(40)').execute();
      for (const column of ['redeemed_points', 'redemption_fen', 'refunded_fen']) {
        await db.schema.alterTable('orders').addColumn(column, 'bigint', (c) => c.notNull().defaultTo(0)).execute();
      }
      await db.schema.alterTable('orders').addColumn('member_level', 'varchar(16)').execute();
      await db.schema.alterTable('order_lines').addColumn('refunded_quantity', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema
        .createTable('refunds')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('order_id', 'varchar(40)', (c) => c.notNull().references('orders.id'))
        .addColumn('member_id', 'varchar(40)', (c) => c.references('members.id'))
        // `terminal:<id>` or `staff:<username>`: the scope of its idempotency key.
        .addColumn('requested_by', 'varchar(80)', (c) => c.notNull())
        .addColumn('idempotency_key', 'varchar(128)', (c) => c.notNull())
        .addColumn('request_hash', 'varchar(64)', (c) => c.notNull())
        .addColumn('goods_fen', 'bigint', (c) => c.notNull())
        .addColumn('refund_fen', 'bigint', (c) => c.notNull())
        .addColumn('points_reversed', 'bigint', (c) => c.notNull())
        .addColumn('points_restored', 'bigint', (c) => c.notNull())
        .addColumn('points_unrecovered', 'bigint', (c) => c.notNull())
        .addColumn('member_points', 'bigint')
        .addColumn('member_level', 'varchar(16)')
        .addColumn('reason', 'varchar(200)')
        .addColumn('refunded_by', 'varchar(80)', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addUniqueConstraint('refunds_idempotency', ['requested_by', 'idempotency_key'])
        .execute();
      await db.schema.createIndex('refunds_order').on('refunds').columns(['order_id', 'created_at']).execute();
      await db.schema
        .createTable('refund_lines')
        .addColumn('refund_id', 'varchar(40)', (c) => c.notNull().references('refunds.id'))
        .addColumn('line_no', 'integer', (c) => c.notNull())
        .addColumn('quantity', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('refund_lines_pk', ['refund_id', 'line_no'])
        .execute();
      await db.schema
        .createTable('points_ledger')
        .addColumn('id', postgres ? 'bigserial' : 'integer', (c) => (postgres ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('member_id', 'varchar(40)', (c) => c.notNull().references('members.id'))
        .addColumn('kind', 'varchar(16)', (c) => c.notNull())
        .addColumn('points', 'bigint', (c) => c.notNull())
        .addColumn('balance', 'bigint', (c) => c.notNull())
        .addColumn('earned_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('order_id', 'varchar(40)', (c) => c.references('orders.id'))
        .addColumn('refund_id', 'varchar(40)', (c) => c.references('refunds.id'))
        .addColumn('related_member_id', 'varchar(40)')
        .addColumn('reason', 'varchar(200)')
        .addColumn('actor', 'varchar(80)')
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('points_ledger_member').on('points_ledger').columns(['member_id', 'id']).execute();
      await db.schema
        .createTable('product_tier_prices')
        .addColumn('product_id', 'varchar(40)', (c) => c.notNull().references('products.id'))
        .addColumn('level', 'varchar(16)', (c) => c.notNull())
        .addColumn('price_fen', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('product_tier_prices_pk', ['product_id', 'level'])
        .execute();
      await db.schema
        .createTable('loyalty_settings')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('rules', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_by', 'varchar(80)', (c) => c.notNull())
        .execute();
      // The background job's own progress (tiers refreshed up to), one row per job.
      await db.schema
        .createTable('loyalty_jobs')
        .addColumn('name', 'varchar(32)', (c) => c.primaryKey())
        .addColumn('done_until', 'varchar(32)', (c) => c.notNull())
        .execute();
      await sql`insert into points_ledger (member_id, kind, points, balance, earned_at, reason, created_at)
        select id, 'opening', points, points, ${now}, 'balance before the points ledger', ${now} from members where points <> 0`.execute(db);
      await sql`update members set level_granted = level where level <> 'standard'`.execute(db);
    },
  },
  '0006_tender_and_unique_phones': {
    // How each sale was paid (the till records the tender), and one member per phone number: enrolment and
    // the back office refuse a phone that is taken (409), and this index makes it hold under concurrency.
    async up(db: Kysely<unknown>) {
      // SQLite adds one column per ALTER. "bigint" is SQLite's 64-bit INTEGER and PostgreSQL's bigint (as 0003).
      await db.schema.alterTable('orders').addColumn('tender_method', 'varchar(16)').execute();
      await db.schema.alterTable('orders').addColumn('tender_received_fen', 'bigint').execute();
      await db.schema.alterTable('orders').addColumn('tender_change_fen', 'bigint').execute();
      await clearDuplicatePhones(db);
      await db.schema.dropIndex('members_phone').execute();
      await db.schema.createIndex('members_phone_unique').on('members').column('phone').unique().execute();
    },
  },
  '0007_offline_sales': {
    // A sale synced from a till that was offline was sold before the server booked it: `sold_at` keeps when.
    // Existing orders were sold when they were booked.
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('orders').addColumn('sold_at', 'varchar(32)').execute();
      await sql`UPDATE orders SET sold_at = created_at`.execute(db);
    },
  },
};

/**
 * Members enrolled before phones were unique may share one. The first to enrol with it (created_at, then id)
 * keeps it; the others lose it, each with an audit-log row (actor `migration`, action
 * `members.phone_cleared`, the phone and who kept it) so the back office can see whom to call and merge.
 */
async function clearDuplicatePhones(db: Kysely<unknown>): Promise<void> {
  const { rows } = await sql<{ id: string; phone: string; keeper: string }>`
    select m.id, m.phone,
      (select k.id from members k where k.phone = m.phone order by k.created_at, k.id limit 1) as keeper
    from members m
    where m.phone is not null and exists (select 1 from members o where o.phone = m.phone and o.id <> m.id)
    order by m.phone, m.created_at, m.id`.execute(db);
  const at = new Date().toISOString();
  for (const row of rows) {
    if (row.id === row.keeper) continue;
    await sql`update members set phone = null where id = ${row.id}`.execute(db);
    const summary = JSON.stringify({ phone: [row.phone, null], kept_by: row.keeper });
    await sql`insert into audit_log (id, at, actor, action, target_type, target_id, summary)
      values (${randomUUID()}, ${at}, 'migration', 'members.phone_cleared', 'member', ${row.id}, ${summary})`.execute(db);
  }
}

/** The money and points columns that 0002 makes 64-bit. */
const WIDENED: Record<string, readonly string[]> = {
  members: ['points'],
  products: ['price_fen', 'member_price_fen'],
  orders: ['total_fen', 'discount_fen', 'points_earned', 'member_points'],
  order_lines: ['unit_price_fen', 'line_total_fen'],
};

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(MIGRATIONS) };

/**
 * Brings the schema to `target` (default: the latest); tests upgrade from an older one. `schema`: the
 * PostgreSQL schema the tables live in (else Kysely takes another schema's bookkeeping tables for ours).
 */
export async function migrateToLatest(db: Kysely<unknown>, options: { schema?: string | undefined; target?: string } = {}): Promise<void> {
  const { schema, target } = options;
  const migrator = new Migrator({ db, provider, ...(schema !== undefined ? { migrationTableSchema: schema } : {}) });
  const { error, results } = await (target === undefined ? migrator.migrateToLatest() : migrator.migrateTo(target));
  const failed = results?.find((r) => r.status === 'Error');
  if (error !== undefined || failed !== undefined) {
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
