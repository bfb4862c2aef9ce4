import type { LoyaltyRules, OrderLine, Product } from './api.js';
import { FaceError } from './errors.js';
import { DEFAULT_LOYALTY_RULES, levelRank, multiplierPct, type MemberLevel } from './loyalty.js';

/**
 * Prices, points earned and points redeemed: the one rule the till shows and the server charges. Money is
 * integer fen (1 yuan = 100 fen) and stays exact while a total is a safe integer (below 2^53); the server's
 * order limits (ORDER_MAX_TOTAL_FEN, at most 10^12 fen) refuse any order anywhere near that before it is
 * stored. Products of rates are computed in BigInt, so no intermediate value is ever rounded.
 * Worked examples: docs/loyalty.md.
 */

/** Who is buying and how, which decides the prices that apply, the points redeemed and the points earned. */
export interface PricingContext {
  /** A member pays member (and tier) prices and earns points; a walk-in customer neither. */
  member: boolean;
  /**
   * Whether member and tier prices apply (default: `member`). False for a member found only after the sale: a
   * till that was offline did not recognise the face, charged list prices, and the points are still earned.
   */
  memberPrices?: boolean;
  /** The member's tier at the time of the order (default: standard). */
  level?: MemberLevel;
  /** The merchant's rules (default: DEFAULT_LOYALTY_RULES, which is what the server did before they existed). */
  rules?: LoyaltyRules;
  /** Points to redeem for a discount (default 0); see redemption(). */
  redeemPoints?: number;
}

export interface PricedOrder {
  /** The order's lines at the prices that apply, in the order given. */
  lines: OrderLine[];
  /** At list prices. */
  subtotalFen: number;
  /** What member and tier prices save against list prices. */
  memberSavingsFen: number;
  /** Points redeemed, and the discount they buy. */
  redeemedPoints: number;
  redemptionFen: number;
  /** What the customer pays in money: subtotal − member savings − redemption. */
  totalFen: number;
  /** On totalFen only (nothing on the part paid with points), with the tier's multiplier. */
  pointsEarned: number;
}

/** floor(a × b / c) for non-negative safe integers, exact (BigInt), as a number. */
export function mulDiv(a: number, b: number, c: number): number {
  return Number((BigInt(a) * BigInt(b)) / BigInt(c));
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * The lowest price that applies: a walk-in (or a member found only at sync) pays the list price; a member pays the lowest of the list price,
 * the member price and the tier prices of their level and every level below it (a higher tier never pays
 * more than a lower one).
 */
export function unitPriceFen(product: Pick<Product, 'price_fen' | 'member_price_fen' | 'tier_prices'>, context: PricingContext): number {
  if (!context.member || context.memberPrices === false) return product.price_fen;
  let price = product.price_fen;
  if (product.member_price_fen !== null && product.member_price_fen < price) price = product.member_price_fen;
  const rank = levelRank(context.level ?? 'standard');
  for (const tier of product.tier_prices ?? []) if (levelRank(tier.level) <= rank && tier.price_fen < price) price = tier.price_fen;
  return price;
}

/**
 * Points for money paid: floor(paid fen × points per yuan × multiplier% / 10,000) — per fen, rounded down
 * once at the end. With the defaults (1 point per yuan, ×1) that is one point per whole yuan.
 */
export function pointsEarned(paidFen: number, context: PricingContext): number {
  if (!context.member) return 0;
  const rules = context.rules ?? DEFAULT_LOYALTY_RULES;
  return mulDiv(paidFen, rules.points_per_yuan * multiplierPct(context.level ?? 'standard', rules), 10_000);
}

/**
 * Redemption: N points (`redeem_points_per_yuan`) buy ¥1, so a point buys 100/N fen. A redemption is
 * exact — it buys a whole number of fen — so points go in steps of N / gcd(N, 100) (N = 100: any number of
 * points, 1 point = 1 fen; N = 150: steps of 3 points = 2 fen). The discount is at most
 * floor(goods × redeem_max_share_pct / 100) fen; 0% turns redemption off.
 */
export function redemptionUnit(rules: LoyaltyRules): { stepPoints: number; stepFen: number } {
  const g = gcd(rules.redeem_points_per_yuan, 100);
  return { stepPoints: rules.redeem_points_per_yuan / g, stepFen: 100 / g };
}

/** The most points an order of `goodsFen` may redeem (in whole steps), before the member's balance. */
export function maxRedeemablePoints(goodsFen: number, rules: LoyaltyRules): number {
  const { stepPoints, stepFen } = redemptionUnit(rules);
  const capFen = mulDiv(goodsFen, rules.redeem_max_share_pct, 100);
  return Math.floor(capFen / stepFen) * stepPoints;
}

/** The discount `points` buy on an order of `goodsFen`; REDEMPTION_NOT_ALLOWED when they may not be redeemed. */
export function redemptionFen(points: number, goodsFen: number, context: PricingContext): number {
  if (points === 0) return 0;
  const rules = context.rules ?? DEFAULT_LOYALTY_RULES;
  const refuse = (reason: string, message: string, extra: Record<string, unknown> = {}) =>
    new FaceError('REDEMPTION_NOT_ALLOWED', message, { details: { field: 'body.redeem_points', reason, ...extra } });
  if (!context.member) throw refuse('no_member', 'body.redeem_points: only a member can redeem points');
  if (rules.redeem_max_share_pct === 0) throw refuse('disabled', 'body.redeem_points: redemption is turned off in the loyalty rules');
  const { stepPoints, stepFen } = redemptionUnit(rules);
  if (points % stepPoints !== 0) {
    throw refuse('step', `body.redeem_points: points are redeemed in steps of ${stepPoints} (${stepPoints} points = ${stepFen} fen)`, { step: stepPoints });
  }
  const max = maxRedeemablePoints(goodsFen, rules);
  if (points > max) {
    throw refuse('over_cap', `body.redeem_points: at most ${max} points on this order (${rules.redeem_max_share_pct}% of it)`, { max_points: max });
  }
  return (points / stepPoints) * stepFen;
}

export function priceOrder(lines: ReadonlyArray<{ product: Product; quantity: number }>, context: PricingContext): PricedOrder {
  let subtotalFen = 0;
  let goodsFen = 0;
  const priced = lines.map(({ product, quantity }): OrderLine => {
    const unit = unitPriceFen(product, context);
    subtotalFen += product.price_fen * quantity;
    goodsFen += unit * quantity;
    return { product_id: product.id, name: product.name, quantity, unit_price_fen: unit, line_total_fen: unit * quantity };
  });
  const redeemedPoints = context.redeemPoints ?? 0;
  const redeemed = redemptionFen(redeemedPoints, goodsFen, context);
  const totalFen = goodsFen - redeemed;
  return {
    lines: priced,
    subtotalFen,
    memberSavingsFen: subtotalFen - goodsFen,
    redeemedPoints,
    redemptionFen: redeemed,
    totalFen,
    pointsEarned: pointsEarned(totalFen, context),
  };
}
