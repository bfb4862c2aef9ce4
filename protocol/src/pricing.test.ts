import { describe, expect, it } from 'vitest';
import type { LoyaltyRules, Product } from './api.js';
import { FaceError } from './errors.js';
import { DEFAULT_LOYALTY_RULES } from './loyalty.js';
import { maxRedeemablePoints, mulDiv, pointsEarned, priceOrder, redemptionFen, redemptionUnit, unitPriceFen, type PricingContext } from './pricing.js';

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
      redeemedPoints: 0,
      redemptionFen: 0,
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

  it('a member found only after the sale (an offline till) paid list prices and earns points on them', () => {
    const priced = priceOrder([{ product: product('1', 1250, 990), quantity: 2 }], { member: true, memberPrices: false });
    expect(priced).toMatchObject({ totalFen: 2500, memberSavingsFen: 0, pointsEarned: 25 });
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
    expect(priceOrder([], MEMBER)).toEqual({ lines: [], subtotalFen: 0, memberSavingsFen: 0, redeemedPoints: 0, redemptionFen: 0, totalFen: 0, pointsEarned: 0 });
  });
});

/** Rules with tiers, multipliers and redemption on: 100 points = ¥1, at most half an order. */
const RULES: LoyaltyRules = {
  points_per_yuan: 1,
  redeem_points_per_yuan: 100,
  redeem_max_share_pct: 50,
  tiers: [
    { level: 'standard', threshold_fen: 0, multiplier_pct: 100 },
    { level: 'silver', threshold_fen: 100_000, multiplier_pct: 150 },
    { level: 'gold', threshold_fen: 500_000, multiplier_pct: 200 },
    { level: 'platinum', threshold_fen: null, multiplier_pct: 300 },
  ],
  expiry_months: null,
};
const at = (level: 'standard' | 'silver' | 'gold' | 'platinum', extra: Partial<PricingContext> = {}): PricingContext => ({ member: true, level, rules: RULES, ...extra });
const refusal = (fn: () => unknown): FaceError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof FaceError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('tier prices', () => {
  const tiered: Product = { ...product('t', 1000, 900), tier_prices: [{ level: 'silver', price_fen: 850 }, { level: 'platinum', price_fen: 700 }] };

  it('charges each level the lowest of list, member and the tier prices of its level and below', () => {
    expect(unitPriceFen(tiered, WALK_IN)).toBe(1000);
    expect(unitPriceFen(tiered, at('standard'))).toBe(900);
    expect(unitPriceFen(tiered, at('silver'))).toBe(850);
    // No gold price: gold pays silver's, never more than a lower tier.
    expect(unitPriceFen(tiered, at('gold'))).toBe(850);
    expect(unitPriceFen(tiered, at('platinum'))).toBe(700);
    // A member without a level given is standard.
    expect(unitPriceFen(tiered, MEMBER)).toBe(900);
  });

  it('never charges a tier price above the member price, and a walk-in never gets a tier price', () => {
    const odd: Product = { ...product('o', 1000, 800), tier_prices: [{ level: 'gold', price_fen: 950 }] };
    expect(unitPriceFen(odd, at('gold'))).toBe(800);
    expect(unitPriceFen({ ...product('w', 1000, null), tier_prices: [{ level: 'standard', price_fen: 500 }] }, WALK_IN)).toBe(1000);
  });

  it('counts tier prices in the member savings', () => {
    const priced = priceOrder([{ product: tiered, quantity: 2 }], at('platinum'));
    expect(priced).toMatchObject({ subtotalFen: 2000, memberSavingsFen: 600, totalFen: 1400 });
  });
});

describe('points earned', () => {
  it('multiplies by the tier: floor(paid fen × points per yuan × multiplier% / 10,000)', () => {
    expect(pointsEarned(9999, at('standard'))).toBe(99);
    expect(pointsEarned(9999, at('silver'))).toBe(149); // 149.985
    expect(pointsEarned(9999, at('gold'))).toBe(199); // 199.98
    expect(pointsEarned(9999, at('platinum'))).toBe(299); // 299.97
    expect(pointsEarned(66, at('silver'))).toBe(0); // 0.99
    expect(pointsEarned(67, at('silver'))).toBe(1); // 1.005
  });

  it('earns nothing with 0 points per yuan, nothing for a walk-in, and follows points per yuan', () => {
    expect(pointsEarned(10_000, { ...at('gold'), rules: { ...RULES, points_per_yuan: 0 } })).toBe(0);
    expect(pointsEarned(10_000, { member: false, level: 'gold', rules: RULES })).toBe(0);
    expect(pointsEarned(1050, { ...at('standard'), rules: { ...RULES, points_per_yuan: 3 } })).toBe(31); // 31.5
  });

  it('stays exact at the largest values the rules and the server allow (BigInt inside)', () => {
    const most: LoyaltyRules = { ...RULES, points_per_yuan: 100, tiers: RULES.tiers.map((t) => ({ ...t, multiplier_pct: 1000 })) };
    // (10^12 + 1) fen × 100 × 1000 ≈ 10^17 in between (past 2^53), exact at the end.
    expect(pointsEarned(1_000_000_000_001, { member: true, level: 'gold', rules: most })).toBe(10_000_000_000_010);
    expect(mulDiv(Number.MAX_SAFE_INTEGER, 3, 3)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('earns on the money paid only: nothing on the part paid with points', () => {
    const priced = priceOrder([{ product: product('r', 10_000, null), quantity: 1 }], at('silver', { redeemPoints: 2500 }));
    expect(priced).toMatchObject({ redeemedPoints: 2500, redemptionFen: 2500, totalFen: 7500, pointsEarned: 112 }); // 7500 × 1.5 / 100 = 112.5
  });
});

describe('redemption', () => {
  it('at 100 points = ¥1 redeems any number of points, 1 point = 1 fen, up to the share of the order', () => {
    expect(redemptionUnit(RULES)).toEqual({ stepPoints: 1, stepFen: 1 });
    expect(maxRedeemablePoints(999, RULES)).toBe(499); // 50% of 999 fen = 499.5 → 499 fen
    expect(maxRedeemablePoints(1000, RULES)).toBe(500);
    expect(redemptionFen(499, 999, at('standard'))).toBe(499);
    expect(refusal(() => redemptionFen(500, 999, at('standard'))).details).toMatchObject({ reason: 'over_cap', max_points: 499 });
  });

  it('redeems in exact steps when a point is not a whole number of fen', () => {
    const r150 = { ...RULES, redeem_points_per_yuan: 150 }; // 3 points = 2 fen
    expect(redemptionUnit(r150)).toEqual({ stepPoints: 3, stepFen: 2 });
    expect(maxRedeemablePoints(999, r150)).toBe(747); // cap 499 fen → 249 steps of 2 fen = 498 fen
    expect(redemptionFen(747, 999, at('standard', { rules: r150 }))).toBe(498);
    expect(refusal(() => redemptionFen(748, 999, at('standard', { rules: r150 }))).details).toMatchObject({ reason: 'step', step: 3 });
    const r200 = { ...RULES, redeem_points_per_yuan: 200 }; // 2 points = 1 fen
    expect(maxRedeemablePoints(999, r200)).toBe(998);
    const r30 = { ...RULES, redeem_points_per_yuan: 30 }; // 3 points = 10 fen
    expect(redemptionUnit(r30)).toEqual({ stepPoints: 3, stepFen: 10 });
    expect(maxRedeemablePoints(999, r30)).toBe(147); // 499 fen → 49 steps = 490 fen
  });

  it('lets 100% of an order be paid with points, the total then 0 and nothing earned', () => {
    const all = { ...RULES, redeem_max_share_pct: 100 };
    const priced = priceOrder([{ product: product('a', 1234, null), quantity: 1 }], at('gold', { rules: all, redeemPoints: 1234 }));
    expect(priced).toMatchObject({ redemptionFen: 1234, totalFen: 0, pointsEarned: 0 });
  });

  it('refuses redemption for a walk-in, when it is off, and caps it on a free order', () => {
    expect(refusal(() => priceOrder([{ product: product('x', 1000, null), quantity: 1 }], { member: false, rules: RULES, redeemPoints: 100 })).details).toMatchObject({ reason: 'no_member' });
    expect(refusal(() => redemptionFen(100, 10_000, at('standard', { rules: DEFAULT_LOYALTY_RULES }))).details).toMatchObject({ reason: 'disabled' });
    expect(refusal(() => redemptionFen(1, 0, at('standard'))).details).toMatchObject({ reason: 'over_cap', max_points: 0 });
    expect(refusal(() => redemptionFen(1, 0, at('standard'))).code).toBe('REDEMPTION_NOT_ALLOWED');
    // 0 points is simply no redemption, allowed for anyone.
    expect(redemptionFen(0, 1000, WALK_IN)).toBe(0);
  });

  it('caps on the goods after member prices, not on list prices', () => {
    const priced = priceOrder([{ product: product('m', 1000, 600), quantity: 1 }], at('standard', { redeemPoints: 300 }));
    expect(priced).toMatchObject({ subtotalFen: 1000, memberSavingsFen: 400, redemptionFen: 300, totalFen: 300, pointsEarned: 3 });
    expect(refusal(() => priceOrder([{ product: product('m', 1000, 600), quantity: 1 }], at('standard', { redeemPoints: 301 }))).details).toMatchObject({ max_points: 300 });
  });
});
