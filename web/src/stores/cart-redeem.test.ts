import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_LOYALTY_RULES, FaceError } from '@posface/protocol';
import type { LoyaltyRules } from '@posface/protocol/api';
import { setServices } from '../services.js';
import { fakeWorld, member, product, type FakeWorld } from '../testing/fakes.js';
import { useCartStore } from './cart.js';
import { useLoyaltyStore } from './loyalty.js';
import { useMemberStore } from './member.js';

let world: FakeWorld;
// ¥12.50, member ¥9.90, silver ¥8.00.
const A = { ...product('a', 1250, 990), tier_prices: [{ level: 'silver' as const, price_fen: 800 }] };
const B = product('b', 300, null);
/** 100 points = ¥1, at most 50% of the goods, silver earns ×1.5. */
const RULES: LoyaltyRules = {
  ...DEFAULT_LOYALTY_RULES,
  redeem_max_share_pct: 50,
  tiers: DEFAULT_LOYALTY_RULES.tiers.map((t) => (t.level === 'silver' ? { ...t, threshold_fen: 10_000, multiplier_pct: 150 } : t)),
};

beforeEach(async () => {
  world = fakeWorld();
  world.api.products.push(A, B);
  world.api.rules = RULES;
  setServices(world.services);
  setActivePinia(createPinia());
  await useLoyaltyStore().load();
});

function withMember(points: number, level: 'standard' | 'silver' = 'standard') {
  world.api.members.push(member('m1', 'oX', { points, level }));
  useMemberStore().attach({ id: 'm1', nickname: 'M', phone: null, level, points });
}

describe('cart: redeeming points (protocol rule, server rules)', () => {
  it('caps at the share of the goods and at the balance; the total, points earned and order follow', () => {
    withMember(1000);
    const cart = useCartStore();
    cart.add(A, 2); // goods 1980 at the member price: cap 990 fen = 990 points
    expect(cart.maxRedeemPoints).toBe(990);
    const over = cart.setRedeemPoints(991);
    expect(over?.code).toBe('REDEMPTION_NOT_ALLOWED');
    expect(over?.details).toMatchObject({ reason: 'over_cap', max_points: 990 });
    expect(cart.redeemPoints).toBe(0);
    expect(cart.setRedeemPoints(500)).toBeNull();
    expect(cart.summary).toMatchObject({ redeemedPoints: 500, redemptionFen: 500, totalFen: 1480, pointsEarned: 14 });
    expect(cart.orderRequest({ method: 'wechat_pay' })).toMatchObject({ redeem_points: 500 });
  });

  it('a small balance caps it (in whole steps), and more than the balance is refused', async () => {
    world.api.rules = { ...RULES, redeem_points_per_yuan: 150 }; // steps of 3 points = 2 fen
    await useLoyaltyStore().load();
    withMember(10);
    const cart = useCartStore();
    cart.add(A, 2);
    expect(cart.maxRedeemPoints).toBe(9);
    expect(cart.setRedeemPoints(4)?.details).toMatchObject({ reason: 'step', step: 3 });
    expect(cart.setRedeemPoints(12)?.code).toBe('POINTS_INSUFFICIENT');
    expect(cart.setRedeemPoints(9)).toBeNull();
    expect(cart.summary.redemptionFen).toBe(6);
  });

  it('another cart, member or rules drop the redemption; the idempotency key follows the redemption', async () => {
    withMember(1000);
    const cart = useCartStore();
    cart.add(A, 2);
    const key = cart.idempotencyKey;
    cart.setRedeemPoints(300);
    expect(cart.idempotencyKey).not.toBe(key);
    cart.add(B);
    expect(cart.redeemPoints).toBe(0);
    cart.setRedeemPoints(300);
    world.api.rules = { ...RULES, redeem_max_share_pct: 10 };
    await useLoyaltyStore().load();
    expect(cart.redeemPoints).toBe(0);
    expect(cart.orderRequest({ method: 'cash', received_fen: 5000 })).not.toHaveProperty('redeem_points');
  });

  it('without the rules (server unreachable) nothing can be redeemed; without a member neither', async () => {
    setActivePinia(createPinia());
    world.api.failNext = new FaceError('NETWORK_ERROR', 'down');
    await useLoyaltyStore().load();
    expect(useLoyaltyStore().error?.code).toBe('NETWORK_ERROR');
    const cart = useCartStore();
    cart.add(A, 2);
    expect(cart.setRedeemPoints(10)?.details).toMatchObject({ reason: 'no_member' });
    withMember(1000);
    expect(cart.maxRedeemPoints).toBe(0);
    expect(cart.setRedeemPoints(10)?.details).toMatchObject({ reason: 'offline' });
  });

  it("prices at the member's tier and earns with its multiplier, as the server will", () => {
    withMember(0, 'silver');
    const cart = useCartStore();
    cart.add(A, 2);
    expect(cart.unitPrice(cart.lines[0]!)).toBe(800);
    expect(cart.summary).toMatchObject({ totalFen: 1600, pointsEarned: 24 });
  });

  it('the server books the redemption: the order carries it and the balance after', async () => {
    withMember(1000);
    const cart = useCartStore();
    cart.add(A, 2);
    cart.setRedeemPoints(500);
    const result = await cart.completeSale({ method: 'wechat_pay' });
    expect(result?.status === 'booked' && result.order).toMatchObject({ redeemed_points: 500, redemption_fen: 500, total_fen: 1480, points_earned: 14, member_points: 514 });
    expect(cart.redeemPoints).toBe(0);
  });
});
