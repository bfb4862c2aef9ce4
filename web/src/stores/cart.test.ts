import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { FaceError, ORDER_QUANTITY_MAX } from '@posface/protocol';
import { setServices } from '../services.js';
import { fakeWorld, member, product, TERMINAL, type FakeWorld } from '../testing/fakes.js';
import { useCartStore } from './cart.js';
import { useMemberStore } from './member.js';
import { useOutboxStore } from './outbox.js';
import { useStatusStore } from './status.js';
import { useTerminalStore } from './terminal.js';

let world: FakeWorld;
const A = product('a', 1250, 990);
const B = product('b', 300, null);

beforeEach(() => {
  world = fakeWorld();
  world.api.products.push(A, B);
  world.api.members.push(member('m1', 'oX', { points: 10 }));
  setServices(world.services);
  setActivePinia(createPinia());
  useTerminalStore().info = TERMINAL;
});

describe('cart', () => {
  it('adds, merges a repeated scan into one line, changes quantities and removes', () => {
    const cart = useCartStore();
    cart.add(A);
    cart.add(B);
    cart.add(A);
    expect(cart.lines.map((l) => [l.product.id, l.quantity])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
    cart.setQuantity('b', 4);
    expect(cart.summary.itemCount).toBe(6);
    cart.setQuantity('a', 0);
    expect(cart.lines.map((l) => l.product.id)).toEqual(['b']);
    cart.remove('b');
    expect(cart.isEmpty).toBe(true);
  });

  it('caps a quantity at 999 (the order API limit)', () => {
    const cart = useCartStore();
    cart.add(A, 990);
    cart.add(A, 20);
    expect(cart.lines[0]?.quantity).toBe(ORDER_QUANTITY_MAX);
    cart.setQuantity('a', 5000);
    expect(cart.lines[0]?.quantity).toBe(ORDER_QUANTITY_MAX);
  });

  it('totals at list price without a member', () => {
    const cart = useCartStore();
    cart.add(A, 2);
    cart.add(B, 3);
    expect(cart.summary).toMatchObject({ itemCount: 5, subtotalFen: 3400, totalFen: 3400, memberSavingsFen: 0, pointsEarned: 0 });
  });

  it('applies member prices when a member is attached and drops them on detach', () => {
    const cart = useCartStore();
    const members = useMemberStore();
    cart.add(A, 2);
    cart.add(B, 1);
    members.attach(world.api.members[0]!);
    expect(cart.unitPrice(cart.lines[0]!)).toBe(990);
    expect(cart.unitPrice(cart.lines[1]!)).toBe(300);
    expect(cart.summary).toMatchObject({ itemCount: 3, subtotalFen: 2800, totalFen: 2280, memberSavingsFen: 520, pointsEarned: 22 });
    members.detach();
    expect(cart.summary.totalFen).toBe(2800);
  });

  it('completes a sale: posts member + lines + tender with an idempotency key, clears the lines', async () => {
    const cart = useCartStore();
    const members = useMemberStore();
    members.attach(world.api.members[0]!);
    cart.add(A, 2);
    cart.add(B);
    const shown = cart.summary.totalFen;
    const result = await cart.completeSale({ method: 'cash', received_fen: 3_000, change_fen: 720 });
    expect(world.api.orderRequests).toHaveLength(1);
    expect(world.api.orderRequests[0]?.body).toEqual({
      member_id: 'm1',
      lines: [
        { product_id: 'a', quantity: 2 },
        { product_id: 'b', quantity: 1 },
      ],
      tender: { method: 'cash', received_fen: 3_000, change_fen: 720 },
      sold_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(world.api.orderRequests[0]?.key).toMatch(/^[0-9a-f]{32}$/);
    // The fake server prices with protocol's rule, as the real one does: the till showed what is charged.
    expect(result?.status === 'booked' && result.order.total_fen).toBe(2280);
    expect(shown).toBe(2280);
    const order = result?.status === 'booked' ? result.order : null;
    expect(order?.points_earned).toBe(22);
    expect(order?.tender).toEqual({ method: 'cash', received_fen: 3_000, change_fen: 720 });
    expect(cart.isEmpty).toBe(true);
  });

  it('a sale the server cannot be reached for is queued with its tender, and syncs once with its key', async () => {
    const cart = useCartStore();
    const outbox = useOutboxStore();
    cart.add(A);
    world.api.failNext = new FaceError('NETWORK_ERROR', 'lost');
    const result = await cart.completeSale({ method: 'alipay' });
    expect(result?.status === 'queued' && result.sale.local).toEqual({ total_fen: 1250, item_count: 1, customer: 'none', points_expected: 0 });
    expect(result?.status === 'queued' && result.sale.request.tender).toEqual({ method: 'alipay' });
    expect(cart.lines).toHaveLength(0);
    expect(cart.error).toBeNull();
    expect(outbox.waiting).toHaveLength(1);
    const key = world.api.orderRequests[0]?.key;
    await outbox.drain();
    await outbox.drain();
    expect(world.api.orderRequests.map((r) => r.key)).toEqual([key, key]);
    expect(world.api.orders.size).toBe(1);
    expect(outbox.waiting).toHaveLength(0);
  });

  it('while the status says offline, a sale goes straight to the outbox without a request', async () => {
    const cart = useCartStore();
    useStatusStore().markUnreachable(new FaceError('NETWORK_ERROR', 'down'));
    cart.add(B);
    expect((await cart.completeSale({ method: 'bank_card' }))?.status).toBe('queued');
    expect(world.api.orderRequests).toHaveLength(0);
  });

  it('a sale the server refuses for good while the cashier is there comes back to the cart, not the outbox', async () => {
    const cart = useCartStore();
    const outbox = useOutboxStore();
    cart.add(A);
    world.api.failNext = new FaceError('LIMIT_EXCEEDED', 'too much');
    expect(await cart.completeSale({ method: 'alipay' })).toBeNull();
    expect(cart.error?.code).toBe('LIMIT_EXCEEDED');
    expect(cart.lines).toHaveLength(1);
    expect(outbox.sales).toHaveLength(0);
    const firstKey = world.api.orderRequests[0]?.key;
    cart.add(B);
    await cart.completeSale({ method: 'alipay' });
    expect(world.api.orderRequests[1]?.key).not.toBe(firstKey);
    expect(world.api.orders.size).toBe(1);
  });

  it('points are never redeemed offline: a sale redeeming points is sent now or fails, never queued', async () => {
    const outbox = useOutboxStore();
    useStatusStore().markUnreachable(new FaceError('NETWORK_ERROR', 'down'));
    world.api.failNext = new FaceError('NETWORK_ERROR', 'still down');
    const request = { member_id: 'm1', redeem_points: 100, lines: [{ product_id: 'a', quantity: 1 }], tender: { method: 'alipay' as const } };
    const local = { total_fen: 1150, item_count: 1, customer: 'member' as const, points_expected: 11 };
    await expect(outbox.submit(request, 'k-redeem-1', local)).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    expect(outbox.sales).toHaveLength(0);
    expect(await world.offline.outbox.list()).toHaveLength(0);
    // Sent again, it reaches the server (whose default rules refuse it: nothing is queued either way).
    await expect(outbox.submit(request, 'k-redeem-1', local)).rejects.toMatchObject({ code: 'REDEMPTION_NOT_ALLOWED' });
    expect(world.api.orderRequests).toHaveLength(2);
    expect(outbox.sales).toHaveLength(0);
  });

  it('a refusal (the request itself was wrong) does not hold the tender', async () => {
    const cart = useCartStore();
    cart.add(A);
    world.api.failNext = new FaceError('LIMIT_EXCEEDED', 'too much');
    await cart.completeSale({ method: 'alipay' });
    expect(cart.sentTender).toBeNull();
  });

  it('does not post an empty cart or a second time while submitting', async () => {
    const cart = useCartStore();
    expect(await cart.completeSale({ method: 'bank_card' })).toBeNull();
    cart.add(A);
    const first = cart.completeSale({ method: 'bank_card' });
    const second = cart.completeSale({ method: 'bank_card' });
    await Promise.all([first, second]);
    expect(world.api.orderRequests).toHaveLength(1);
  });

  it('knows the line scanned last, a repeat scan included', () => {
    const cart = useCartStore();
    expect(cart.newest).toBeNull();
    cart.add(A);
    cart.add(B);
    expect(cart.newest).toBe('b');
    cart.add(A);
    expect(cart.newest).toBe('a');
    cart.remove('a');
    expect(cart.newest).toBe('b');
  });
});
