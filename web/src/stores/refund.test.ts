import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_LOYALTY_RULES, FaceError } from '@posface/protocol';
import { receiptNumber } from '../sale/receipt-number.js';
import { setServices } from '../services.js';
import { fakeWorld, member, product, TERMINAL, type FakeWorld } from '../testing/fakes.js';
import { useCartStore } from './cart.js';
import { useCheckoutStore } from './checkout.js';
import { useLoyaltyStore } from './loyalty.js';
import { useMemberStore } from './member.js';
import { useRefundStore } from './refund.js';
import { useTerminalStore } from './terminal.js';

let world: FakeWorld;
let printed: number;
const BEANS = product('beans', 3000, 2800);
const BREAD = product('bread', 1001, null);

beforeEach(async () => {
  localStorage.clear();
  world = fakeWorld();
  world.api.products.push(BEANS, BREAD);
  world.api.rules = { ...DEFAULT_LOYALTY_RULES, redeem_max_share_pct: 50 };
  world.api.members.push(member('m1', 'oW', { points: 1000, level: 'standard' }));
  setServices(world.services);
  setActivePinia(createPinia());
  const terminal = useTerminalStore();
  terminal.info = TERMINAL;
  terminal.state = 'paired';
  await useLoyaltyStore().load();
  printed = 0;
  vi.stubGlobal('print', () => void (printed += 1));
});
afterEach(() => void vi.unstubAllGlobals());

/** docs/loyalty.md's example: 2 beans + 1 bread at member prices (6601 fen), 500 points redeemed. */
async function redeemedSale() {
  useMemberStore().attach({ id: 'm1', nickname: 'M', phone: null, level: 'standard', points: 1000 });
  const cart = useCartStore();
  cart.add(BEANS, 2);
  cart.add(BREAD);
  expect(cart.setRedeemPoints(500)).toBeNull();
  expect(await useCheckoutStore().pay({ method: 'wechat_pay' })).toBe(true);
  return useCheckoutStore().lastSale!.order;
}

describe('refund store', () => {
  it('finds the last sale by its receipt number, previews and refunds one line with the rule, and prints the refund receipt', async () => {
    const order = await redeemedSale();
    expect(order).toMatchObject({ total_fen: 6101, points_earned: 61, member_points: 561 });
    const refunds = useRefundStore();
    expect(await refunds.find(` ${receiptNumber(order.id).toLowerCase()} `)).toBe(true);
    expect(refunds.detail?.order.id).toBe(order.id);
    expect(refunds.refundable).toEqual([2, 1]);
    refunds.setQuantity(1, 5); // more than is left: capped at what is left
    expect(refunds.chosen).toEqual([{ line_no: 2, quantity: 1 }]);
    expect(refunds.whole).toBe(false);
    expect(refunds.preview).toMatchObject({ goodsFen: 1001, refundFen: 925, pointsReversed: 9, pointsRestored: 75 });
    const refund = await refunds.submit();
    expect(world.api.refundRequests.map((r) => r.body)).toEqual([{ lines: [{ line_no: 2, quantity: 1 }] }]);
    expect(refund).toMatchObject({ refund_fen: 925, points_reversed: 9, points_restored: 75, member_points: 627 });
    expect(refunds.lastRefund?.refund.id).toBe(refund?.id);
    expect(printed).toBe(2); // the sale's receipt, then the refund's
    expect(refunds.refundable).toEqual([2, 0]);
  });

  it('a retry after a lost answer sends the same key (refunded once); the rest of the order goes as a whole refund', async () => {
    const order = await redeemedSale();
    const refunds = useRefundStore();
    await refunds.findLastSale();
    refunds.setQuantity(1, 1);
    world.api.failNext = new FaceError('NETWORK_ERROR', 'lost');
    expect(await refunds.submit()).toBeNull();
    expect(refunds.error?.code).toBe('NETWORK_ERROR');
    expect(refunds.chosen).toEqual([{ line_no: 2, quantity: 1 }]);
    const first = await refunds.submit();
    const again = world.api.refundRequests.map((r) => r.key);
    expect(again).toHaveLength(2);
    expect(again[0]).toBe(again[1]);
    expect(world.api.refunds.size).toBe(1);
    expect(first?.points_restored).toBe(75);
    // The same lines again later are another refund: a new key (refused here, nothing is left of line 2).
    refunds.chooseAll();
    expect(refunds.whole).toBe(true);
    const rest = await refunds.submit();
    expect(world.api.refundRequests.at(-1)?.body).toEqual({});
    expect(world.api.refundRequests.at(-1)?.key).not.toBe(again[0]);
    expect(rest).toMatchObject({ refund_fen: 5176, points_reversed: 52, points_restored: 425 });
    expect(refunds.refundable.every((n) => n === 0)).toBe(true);
    expect(world.api.members[0]?.points).toBe(1000);
    expect(order.id).toBe(refunds.detail?.order.id);
  });

  it('a receipt number this till did not sell says so; an empty field too; an unknown order id is NOT_FOUND', async () => {
    const refunds = useRefundStore();
    expect(await refunds.find('DEADBEEF')).toBe(false);
    expect(refunds.error?.details).toMatchObject({ reason: 'receipt_unknown' });
    expect(await refunds.find('  ')).toBe(false);
    expect(refunds.error?.details).toMatchObject({ reason: 'empty' });
    expect(await refunds.find('6b0c3f4e-0000-4000-8000-000000000000')).toBe(false);
    expect(refunds.error?.code).toBe('NOT_FOUND');
    expect(refunds.detail).toBeNull();
  });
});
