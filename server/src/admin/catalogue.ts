import { randomUUID } from 'node:crypto';
import { FaceError } from '@posface/protocol';
import type { AdminProduct, ProductInput, TierPrice, UpdateProductRequest } from '@posface/protocol/admin-api';
import { sql } from 'kysely';
import type { Db } from '../db/connect.js';
import type { ProductsTable } from '../db/schema.js';
import type { TierPrices } from '../loyalty/tier-prices.js';
import { containsPattern, toProduct } from '../products/product-store.js';
import type { Executor } from './staff-store.js';

/** Rows per INSERT: 6 parameters each stays far below SQLite's (32,766) and PostgreSQL's (65,535) limits. */
const INSERT_CHUNK = 1000;

/** The till's product, its tier prices and when it was added. */
export function toAdminProduct(row: ProductsTable, tierPrices: TierPrice[] = []): AdminProduct {
  return { ...toProduct(row), tier_prices: tierPrices, created_at: row.created_at };
}

/** The rule the till relies on: a member price is never above the list price. */
export function memberPriceProblem(p: { price_fen: number; member_price_fen?: number | null }): string | null {
  return p.member_price_fen != null && p.member_price_fen > p.price_fen ? `member_price_fen (${p.member_price_fen}) is above price_fen (${p.price_fen})` : null;
}

/** The back office's view of the catalogue: pages, search, edits, bulk upsert by barcode, export. */
export class Catalogue {
  constructor(
    private readonly db: Db,
    private readonly tierPrices: TierPrices,
  ) {}

  private async withTierPrices(rows: readonly ProductsTable[], trx: Executor = this.db.kysely): Promise<AdminProduct[]> {
    const prices = await this.tierPrices.of(rows.map((r) => r.id), trx);
    return rows.map((r) => toAdminProduct(r, prices.get(r.id)));
  }

  async page(query: { q?: string | undefined; page: number; perPage: number }): Promise<{ items: AdminProduct[]; total: number }> {
    let q = this.db.kysely.selectFrom('products');
    if (query.q !== undefined) {
      const pattern = containsPattern(query.q);
      q = q.where((eb) =>
        eb.or([
          sql<boolean>`lower(name) like ${pattern} escape '\\'`,
          sql<boolean>`lower(coalesce(name_en, '')) like ${pattern} escape '\\'`,
          sql<boolean>`barcode like ${pattern} escape '\\'`,
        ]),
      );
    }
    const { total } = await q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const rows = await q.selectAll().orderBy('barcode').limit(query.perPage).offset((query.page - 1) * query.perPage).execute();
    return { items: await this.withTierPrices(rows), total: Number(total) };
  }

  async get(id: string, trx: Executor = this.db.kysely): Promise<AdminProduct | null> {
    const row = await trx.selectFrom('products').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? ((await this.withTierPrices([row], trx))[0] ?? null) : null;
  }

  /** Fields and tier prices; neither a member price nor a tier price above the (new) list price. */
  async update(id: string, change: UpdateProductRequest, trx: Executor): Promise<{ before: AdminProduct; after: AdminProduct }> {
    const before = await this.get(id, trx);
    if (before === null) throw new FaceError('NOT_FOUND', `no product ${id}`);
    const { tier_prices: tierPrices, ...fields } = change;
    const after: AdminProduct = { ...before, ...change };
    const problem = memberPriceProblem(after);
    if (problem !== null) throw new FaceError('INVALID_REQUEST', problem, { details: { field: 'body.member_price_fen' } });
    if (Object.keys(fields).length > 0) await trx.updateTable('products').set(fields).where('id', '=', id).execute();
    if (tierPrices !== undefined || fields.price_fen !== undefined) await this.tierPrices.replace(id, after.price_fen, after.tier_prices, trx);
    return { before, after: { ...after, tier_prices: (await this.tierPrices.of([id], trx)).get(id) ?? [] } };
  }

  /** Which of these barcodes exist already. */
  async existing(barcodes: readonly string[], trx: Executor = this.db.kysely): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < barcodes.length; i += INSERT_CHUNK) {
      const rows = await trx.selectFrom('products').select('barcode').where('barcode', 'in', barcodes.slice(i, i + INSERT_CHUNK)).execute();
      for (const r of rows) found.add(r.barcode);
    }
    return found;
  }

  /**
   * Inserts new barcodes and updates known ones (name, English name, prices; the id stays), in chunks,
   * inside the caller's transaction: all rows or none. The rows are checked already (unique barcodes).
   */
  async upsert(rows: readonly ProductInput[], trx: Executor, now = new Date()): Promise<{ created: number; updated: number }> {
    const known = await this.existing(rows.map((r) => r.barcode), trx);
    const at = now.toISOString();
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const values = rows.slice(i, i + INSERT_CHUNK).map((r) => ({
        id: randomUUID(),
        barcode: r.barcode,
        name: r.name,
        name_en: r.name_en ?? null,
        price_fen: r.price_fen,
        member_price_fen: r.member_price_fen ?? null,
        created_at: at,
      }));
      await trx
        .insertInto('products')
        .values(values)
        .onConflict((oc) =>
          oc.column('barcode').doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            name_en: eb.ref('excluded.name_en'),
            price_fen: eb.ref('excluded.price_fen'),
            member_price_fen: eb.ref('excluded.member_price_fen'),
          })),
        )
        .execute();
    }
    return { created: rows.length - known.size, updated: known.size };
  }

  /** Every product, by barcode (the CSV export). */
  async all(): Promise<AdminProduct[]> {
    const rows = await this.db.kysely.selectFrom('products').selectAll().orderBy('barcode').execute();
    return rows.map((r) => toAdminProduct(r));
  }
}
