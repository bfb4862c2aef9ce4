import { describe, expect, it } from 'vitest';
import { product } from '../testing/fakes.js';
import { totals, unitPriceFen } from './pricing.js';

describe('member pricing', () => {
  it('uses the member price only for a member and only where there is one', () => {
    const withPrice = product('1', 1000, 850);
    const without = product('2', 1000, null);
    expect(unitPriceFen(withPrice, false)).toBe(1000);
    expect(unitPriceFen(withPrice, true)).toBe(850);
    expect(unitPriceFen(without, true)).toBe(1000);
  });

  it('keeps a member price of zero (a free gift) rather than falling back to the list price', () => {
    expect(unitPriceFen(product('g', 500, 0), true)).toBe(0);
  });

  it('sums in integer fen with the savings against list prices', () => {
    const lines = [
      { product: product('1', 333, 300), quantity: 3 },
      { product: product('2', 1999, null), quantity: 2 },
    ];
    expect(totals(lines, false)).toEqual({ itemCount: 5, subtotalFen: 4997, totalFen: 4997, savingsFen: 0 });
    expect(totals(lines, true)).toEqual({ itemCount: 5, subtotalFen: 4997, totalFen: 4898, savingsFen: 99 });
  });
});
