import { FaceError } from '@posface/protocol';
import type { Product } from '@posface/protocol/api';
import { sql } from 'kysely';
import { isUniqueViolation, type Db } from '../db/connect.js';
import { safeInt, safeIntOrNull } from '../db/integers.js';
import type { ProductsTable } from '../db/schema.js';

export function toProduct(row: ProductsTable): Product {
  return {
    id: row.id,
    barcode: row.barcode,
    name: row.name,
    name_en: row.name_en,
    price_fen: safeInt(row.price_fen, 'products.price_fen'),
    member_price_fen: safeIntOrNull(row.member_price_fen, 'products.member_price_fen'),
  };
}

/** LIKE pattern for "contains", with the wildcards in the user's text taken literally. */
export function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export class ProductStore {
  constructor(private readonly db: Db) {}

  async upsert(product: Product, now = new Date()): Promise<void> {
    if (product.member_price_fen !== null && product.member_price_fen > product.price_fen) {
      throw new FaceError('INVALID_REQUEST', `product ${product.barcode}: member price above list price`);
    }
    const { id: _id, ...rest } = product;
    try {
      await this.db.kysely
        .insertInto('products')
        .values({ ...product, created_at: now.toISOString() })
        .onConflict((oc) => oc.column('id').doUpdateSet(rest))
        .execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw new FaceError('CONFLICT', `barcode ${product.barcode} belongs to another product`, { cause: error });
      throw error;
    }
  }

  async byBarcode(barcode: string): Promise<Product[]> {
    const rows = await this.db.kysely.selectFrom('products').selectAll().where('barcode', '=', barcode).execute();
    return rows.map(toProduct);
  }

  /** Name (Chinese or English) or barcode containing `q`, case-insensitively. */
  async search(q: string, limit: number): Promise<Product[]> {
    const pattern = containsPattern(q);
    const rows = await this.db.kysely
      .selectFrom('products')
      .selectAll()
      .where((eb) =>
        eb.or([
          sql<boolean>`lower(name) like ${pattern} escape '\\'`,
          sql<boolean>`lower(coalesce(name_en, '')) like ${pattern} escape '\\'`,
          sql<boolean>`barcode like ${pattern} escape '\\'`,
        ]),
      )
      .orderBy('name')
      .limit(limit)
      .execute();
    return rows.map(toProduct);
  }

  async list(limit: number): Promise<Product[]> {
    const rows = await this.db.kysely.selectFrom('products').selectAll().orderBy('name').limit(limit).execute();
    return rows.map(toProduct);
  }

  /** A page of the whole catalogue in id order, after the id `after` (the till's offline copy). */
  async page(after: string | undefined, limit: number): Promise<Product[]> {
    let q = this.db.kysely.selectFrom('products').selectAll();
    if (after !== undefined) q = q.where('id', '>', after);
    return (await q.orderBy('id').limit(limit).execute()).map(toProduct);
  }

  async byIds(ids: readonly string[]): Promise<Map<string, Product>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.kysely.selectFrom('products').selectAll().where('id', 'in', [...new Set(ids)]).execute();
    return new Map(rows.map((r) => [r.id, toProduct(r)]));
  }
}
