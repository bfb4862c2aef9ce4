import { describe, expect, it } from 'vitest';
import type { Product } from './api.js';
import { pointsEarned, priceOrder, unitPriceFen } from './pricing.js';

const product = (id: string, price: number, memberPrice: number | null): Product => ({
  id,
  barcode: `690000000${id}`,
  name: `商品${id}`,
  name_en: null,
  price_fen: price,
  member_price_fen: memberPrice,
});
const MEMBER = { member: true };
const WALK_IN = { member: false };

describe('pricing', () => {
  it('charges list prices to a walk-in customer, with no points', () => {
    const priced = priceOrder([{ product: product('1', 1250, 990), quantity: 2 }, { product: product('2', 300, null), quantity: 3 }], WALK_IN);
    expect(priced).toEqual({
      lines: [
        { product_id: '1', name: '商品1', quantity: 2, unit_price_fen: 1250, line_total_fen: 2500 },
        { product_id: '2', name: '商品2', quantity: 3, unit_price_fen: 300, line_total_fen: 900 },
      ],
      subtotalFen: 3400,
      memberSavingsFen: 0,
      totalFen: 3400,
      pointsEarned: 0,
    });
  });

  it('charges a member the member price where there is one, saving against list prices', () => {
    const priced = priceOrder([{ product: product('1', 333, 300), quantity: 3 }, { product: product('2', 1999, null), quantity: 2 }], MEMBER);
    expect(priced.lines.map((l) => l.unit_price_fen)).toEqual([300, 1999]);
    expect(priced).toMatchObject({ subtotalFen: 4997, totalFen: 4898, memberSavingsFen: 99, pointsEarned: 48 });
  });

  it('keeps a member price of zero (a free gift) rather than falling back to the list price', () => {
    expect(unitPriceFen(product('g', 500, 0), MEMBER)).toBe(0);
    expect(unitPriceFen(product('g', 500, 0), WALK_IN)).toBe(500);
  });

  it('earns one point per whole yuan paid, rounded down', () => {
    expect(pointsEarned(99, MEMBER)).toBe(0);
    expect(pointsEarned(100, MEMBER)).toBe(1);
    expect(pointsEarned(4898, MEMBER)).toBe(48);
    expect(pointsEarned(4898, WALK_IN)).toBe(0);
  });

  it('stays exact in integer fen far past the largest total a server accepts (10^12 fen)', () => {
    const dear = product('d', 5_005_005_005, 5_005_005_000);
    const priced = priceOrder(Array.from({ length: 200 }, () => ({ product: dear, quantity: 999 })), MEMBER);
    expect(priced.totalFen).toBe(999_999_999_000_000);
    expect(priced.subtotalFen).toBe(999_999_999_999_000);
    expect(priced.memberSavingsFen).toBe(999_000);
    expect(priced.pointsEarned).toBe(9_999_999_990_000);
    for (const value of [priced.totalFen, priced.subtotalFen, priced.pointsEarned]) expect(Number.isSafeInteger(value)).toBe(true);
  });

  it('an empty order costs nothing', () => {
    expect(priceOrder([], MEMBER)).toEqual({ lines: [], subtotalFen: 0, memberSavingsFen: 0, totalFen: 0, pointsEarned: 0 });
  });
});
