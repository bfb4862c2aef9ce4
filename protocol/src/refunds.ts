import { mulDiv } from './pricing.js';

/**
 * Refund arithmetic: what a refund of some goods of an order gives back in money and points. Shares are
 * cumulative: after refunds that brought back `goodsBackFen` of the order's goods (at the prices paid),
 * the customer has had floor(paid × back / goods) fen, floor(earned × back / goods) points reversed and
 * floor(redeemed × back / goods) points restored — exactly the order's figures once everything is back.
 * Each refund gives the difference between the share after it and the share before it, so partial refunds
 * add up to the whole, none is counted twice, and rounding never drifts. Worked examples: docs/loyalty.md.
 */

/** What the order was: goods at the prices paid (before redemption), money paid, points earned and redeemed. */
export interface RefundBasis {
  goodsFen: number;
  paidFen: number;
  pointsEarned: number;
  redeemedPoints: number;
}

export interface RefundShare {
  /** Money back. */
  refundFen: number;
  /** Points the order earned that come back off the balance. */
  pointsReversed: number;
  /** Points the order redeemed that go back onto the balance. */
  pointsRestored: number;
}

/** The cumulative share once `goodsBackFen` (0 ≤ back ≤ goods) of the order's goods are refunded. */
export function refundShare(order: RefundBasis, goodsBackFen: number): RefundShare {
  if (goodsBackFen >= order.goodsFen) return { refundFen: order.paidFen, pointsReversed: order.pointsEarned, pointsRestored: order.redeemedPoints };
  // goodsFen > goodsBackFen ≥ 0 here, so the division is defined (an order of free goods is refunded whole at once).
  return {
    refundFen: mulDiv(order.paidFen, goodsBackFen, order.goodsFen),
    pointsReversed: mulDiv(order.pointsEarned, goodsBackFen, order.goodsFen),
    pointsRestored: mulDiv(order.redeemedPoints, goodsBackFen, order.goodsFen),
  };
}

/** What one refund of `goodsFen` gives, after earlier refunds of `goodsBeforeFen`. */
export function refundDelta(order: RefundBasis, goodsBeforeFen: number, goodsFen: number): RefundShare {
  const before = refundShare(order, goodsBeforeFen);
  const after = refundShare(order, goodsBeforeFen + goodsFen);
  return {
    refundFen: after.refundFen - before.refundFen,
    pointsReversed: after.pointsReversed - before.pointsReversed,
    pointsRestored: after.pointsRestored - before.pointsRestored,
  };
}

/**
 * The points a refund moves on a balance: the restored points go back first, then the reversal takes what
 * the order earned — but never more than the balance then holds (a balance is never negative). What it
 * cannot take (the customer spent those points already) is `unrecovered`: recorded on the refund, and never
 * taken later. Returns the reversal actually made.
 */
export function reversalOnBalance(balance: number, share: Pick<RefundShare, 'pointsReversed' | 'pointsRestored'>): { reversed: number; unrecovered: number } {
  const available = balance + share.pointsRestored;
  const reversed = Math.min(share.pointsReversed, available);
  return { reversed, unrecovered: share.pointsReversed - reversed };
}
