import type { OrderLine, Product } from '@posface/protocol/api';

/** Prices an order from the catalogue: member prices only for members; client totals are never used. */

export interface PricedOrder {
  lines: OrderLine[];
  total_fen: number;
  discount_fen: number;
  points_earned: number;
}

/** One point per whole yuan paid. */
export function pointsFor(totalFen: number): number {
  return Math.floor(totalFen / 100);
}

export function priceOrder(
  lines: ReadonlyArray<{ product: Product; quantity: number }>,
  isMember: boolean,
): PricedOrder {
  let total = 0;
  let list = 0;
  const out: OrderLine[] = lines.map(({ product, quantity }) => {
    const unit = isMember && product.member_price_fen !== null ? product.member_price_fen : product.price_fen;
    const lineTotal = unit * quantity;
    total += lineTotal;
    list += product.price_fen * quantity;
    return { product_id: product.id, name: product.name, quantity, unit_price_fen: unit, line_total_fen: lineTotal };
  });
  return { lines: out, total_fen: total, discount_fen: list - total, points_earned: isMember ? pointsFor(total) : 0 };
}
