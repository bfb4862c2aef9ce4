import { describe, expect, it } from 'vitest';
import { refundDelta, refundShare, reversalOnBalance, type RefundBasis } from './refunds.js';

/** Goods ¥100.00, ¥25.00 of it paid with 2,500 points, ¥75.00 in money, 112 points earned (silver ×1.5). */
const ORDER: RefundBasis = { goodsFen: 10_000, paidFen: 7500, pointsEarned: 112, redeemedPoints: 2500 };

describe('refunds', () => {
  it('gives back everything, exactly, when everything is refunded at once', () => {
    expect(refundShare(ORDER, 10_000)).toEqual({ refundFen: 7500, pointsReversed: 112, pointsRestored: 2500 });
    expect(refundDelta(ORDER, 0, 10_000)).toEqual({ refundFen: 7500, pointsReversed: 112, pointsRestored: 2500 });
  });

  it('gives back a share for part of the order, rounded down', () => {
    // 1/3 of the goods: 2500 fen (exact), 37.33 → 37 points reversed, 833.33 → 833 restored.
    expect(refundDelta(ORDER, 0, 3333)).toEqual({ refundFen: 2499, pointsReversed: 37, pointsRestored: 833 });
  });

  it('partial refunds add up to the whole refund exactly, whatever the steps', () => {
    for (const steps of [[3333, 3333, 3334], [1, 9999], [9999, 1], [2500, 2500, 2500, 2500], [7, 13, 9980]]) {
      let before = 0;
      const sum = { refundFen: 0, pointsReversed: 0, pointsRestored: 0 };
      for (const step of steps) {
        const d = refundDelta(ORDER, before, step);
        for (const k of Object.keys(sum) as (keyof typeof sum)[]) {
          expect(d[k]).toBeGreaterThanOrEqual(0);
          sum[k] += d[k];
        }
        before += step;
      }
      expect(sum, steps.join('+')).toEqual({ refundFen: 7500, pointsReversed: 112, pointsRestored: 2500 });
    }
  });

  it('a refund of a partly redeemed order gives the points back in proportion and the money net of them', () => {
    // Two ¥50 items, ¥25 of the ¥100 paid with points: returning one gives ¥37.50 and 1,250 points back.
    expect(refundDelta(ORDER, 0, 5000)).toEqual({ refundFen: 3750, pointsReversed: 56, pointsRestored: 1250 });
    expect(refundDelta(ORDER, 5000, 5000)).toEqual({ refundFen: 3750, pointsReversed: 56, pointsRestored: 1250 });
  });

  it('an order of free goods refunds nothing and divides by nothing', () => {
    const free: RefundBasis = { goodsFen: 0, paidFen: 0, pointsEarned: 0, redeemedPoints: 0 };
    expect(refundDelta(free, 0, 0)).toEqual({ refundFen: 0, pointsReversed: 0, pointsRestored: 0 });
  });

  it('never takes a balance below zero: the restored points count first, the rest is unrecovered', () => {
    expect(reversalOnBalance(500, { pointsReversed: 112, pointsRestored: 0 })).toEqual({ reversed: 112, unrecovered: 0 });
    expect(reversalOnBalance(100, { pointsReversed: 112, pointsRestored: 0 })).toEqual({ reversed: 100, unrecovered: 12 });
    expect(reversalOnBalance(0, { pointsReversed: 112, pointsRestored: 2500 })).toEqual({ reversed: 112, unrecovered: 0 });
    expect(reversalOnBalance(0, { pointsReversed: 112, pointsRestored: 50 })).toEqual({ reversed: 50, unrecovered: 62 });
    expect(reversalOnBalance(0, { pointsReversed: 0, pointsRestored: 0 })).toEqual({ reversed: 0, unrecovered: 0 });
  });
});
