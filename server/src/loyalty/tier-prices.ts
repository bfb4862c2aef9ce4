import { FaceError, levelRank } from '@posface/protocol';
import type { Product, TierPrice } from '@posface/protocol/api';
import type { Executor } from '../admin/staff-store.js';
import type { Db } from '../db/connect.js';
import { safeInt } from '../db/integers.js';

/** Products' prices per member level (protocol's pricing rule decides which applies). */
export class TierPrices {
  constructor(private readonly db: Db) {}

  /** The tier prices of these products, lowest level first (products without any: []). */
  async of(productIds: readonly string[], trx: Executor = this.db.kysely): Promise<Map<string, TierPrice[]>> {
    const out = new Map<string, TierPrice[]>(productIds.map((id) => [id, []]));
    if (productIds.length === 0) return out;
    const rows = await trx.selectFrom('product_tier_prices').selectAll().where('product_id', 'in', [...new Set(productIds)]).execute();
    for (const r of rows) out.get(r.product_id)?.push({ level: r.level as TierPrice['level'], price_fen: safeInt(r.price_fen, 'product_tier_prices.price_fen') });
    for (const prices of out.values()) prices.sort((a, b) => levelRank(a.level) - levelRank(b.level));
    return out;
  }

  /** The products with their tier prices filled in. */
  async attach<P extends Product>(products: readonly P[], trx: Executor = this.db.kysely): Promise<P[]> {
    const prices = await this.of(products.map((p) => p.id), trx);
    return products.map((p) => ({ ...p, tier_prices: prices.get(p.id) ?? [] }));
  }

  /** Replaces a product's tier prices: one per level, none above the list price. */
  async replace(productId: string, priceFen: number, prices: readonly TierPrice[], trx: Executor): Promise<void> {
    const seen = new Set<string>();
    prices.forEach((p, i) => {
      if (seen.has(p.level)) throw new FaceError('INVALID_REQUEST', `body.tier_prices[${i}].level: ${p.level} is given twice`, { details: { field: `body.tier_prices[${i}].level` } });
      seen.add(p.level);
      if (p.price_fen > priceFen) {
        throw new FaceError('INVALID_REQUEST', `body.tier_prices[${i}].price_fen (${p.price_fen}) is above price_fen (${priceFen})`, { details: { field: `body.tier_prices[${i}].price_fen` } });
      }
    });
    await trx.deleteFrom('product_tier_prices').where('product_id', '=', productId).execute();
    if (prices.length > 0) await trx.insertInto('product_tier_prices').values(prices.map((p) => ({ product_id: productId, level: p.level, price_fen: p.price_fen }))).execute();
  }
}
