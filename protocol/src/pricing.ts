import type { OrderLine, Product } from './api.js';

/**
 * Prices and points: the one rule the till shows and the server charges. Money is integer fen
 * (1 yuan = 100 fen) and stays exact while a total is a safe integer (below 2^53); the server's order limits
 * (ORDER_MAX_TOTAL_FEN, at most 10^12 fen) refuse any order anywhere near that before it is stored.
 */

/** Who is buying, which decides the prices that apply and the points earned. */
export interface PricingContext {
  /** A member pays the member price where a product has one, and earns points; a walk-in customer neither. */
  member: boolean;
}

/** Fen paid per point earned: one point per whole yuan. */
const FEN_PER_POINT = 100;

export interface PricedOrder {
  /** The order's lines at the prices that apply, in the order given. */
  lines: OrderLine[];
  /** At list prices. */
  subtotalFen: number;
  /** subtotal − total: what member prices save. */
  memberSavingsFen: number;
  /** What the customer pays. */
  totalFen: number;
  pointsEarned: number;
}

export function unitPriceFen(product: Pick<Product, 'price_fen' | 'member_price_fen'>, context: PricingContext): number {
  return context.member && product.member_price_fen !== null ? product.member_price_fen : product.price_fen;
}

/** Points for what was paid, rounded down to whole points. */
export function pointsEarned(paidFen: number, context: PricingContext): number {
  return context.member ? Math.floor(paidFen / FEN_PER_POINT) : 0;
}

export function priceOrder(lines: ReadonlyArray<{ product: Product; quantity: number }>, context: PricingContext): PricedOrder {
  let subtotalFen = 0;
  let totalFen = 0;
  const priced = lines.map(({ product, quantity }): OrderLine => {
    const unit = unitPriceFen(product, context);
    subtotalFen += product.price_fen * quantity;
    totalFen += unit * quantity;
    return { product_id: product.id, name: product.name, quantity, unit_price_fen: unit, line_total_fen: unit * quantity };
  });
  return { lines: priced, subtotalFen, memberSavingsFen: subtotalFen - totalFen, totalFen, pointsEarned: pointsEarned(totalFen, context) };
}
