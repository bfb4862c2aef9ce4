import type { Product } from '@posface/protocol/api';

/** Member pricing, the rule the server applies too: a member pays the member price where there is one. */

export interface PricedLine {
  product: Product;
  quantity: number;
}

export function unitPriceFen(product: Product, isMember: boolean): number {
  return isMember && product.member_price_fen !== null ? product.member_price_fen : product.price_fen;
}

export interface Totals {
  itemCount: number;
  /** At list prices. */
  subtotalFen: number;
  /** What the customer pays. */
  totalFen: number;
  /** subtotal − total: what member prices save. */
  savingsFen: number;
}

export function totals(lines: readonly PricedLine[], isMember: boolean): Totals {
  let itemCount = 0;
  let subtotalFen = 0;
  let totalFen = 0;
  for (const line of lines) {
    itemCount += line.quantity;
    subtotalFen += line.product.price_fen * line.quantity;
    totalFen += unitPriceFen(line.product, isMember) * line.quantity;
  }
  return { itemCount, subtotalFen, totalFen, savingsFen: subtotalFen - totalFen };
}
