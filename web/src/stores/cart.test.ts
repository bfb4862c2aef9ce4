import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { FaceError, ORDER_QUANTITY_MAX } from '@posface/protocol';
import { setServices } from '../services.js';
import { fakeWorld, member, product, type FakeWorld } from '../testing/fakes.js';
import { useCartStore } from './cart.js';
import { useMemberStore } from './member.js';

let world: FakeWorld;
const A = product('a', 1250, 990);
const B = product('b', 300, null);

beforeEach(() => {
  world = fakeWorld();
  world.api.products.push(A, B);
  world.api.members.push(member('m1', 'oX', { points: 10 }));
  setServices(world.services);
  setActivePinia(createPinia());
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
    const order = await cart.completeSale({ method: 'cash', received_fen: 3_000, change_fen: 720 });
    expect(world.api.orderRequests).toHaveLength(1);
    expect(world.api.orderRequests[0]?.body).toEqual({
      member_id: 'm1',
      lines: [
        { product_id: 'a', quantity: 2 },
        { product_id: 'b', quantity: 1 },
      ],
      tender: { method: 'cash', received_fen: 3_000, change_fen: 720 },
    });
    expect(world.api.orderRequests[0]?.key).toMatch(/^[0-9a-f]{32}$/);
    // The fake server prices with protocol's rule, as the real one does: the till showed what is charged.
    expect(order?.total_fen).toBe(2280);
    expect(shown).toBe(2280);
    expect(order?.points_earned).toBe(22);
    expect(order?.tender).toEqual({ method: 'cash', received_fen: 3_000, change_fen: 720 });
    expect(cart.isEmpty).toBe(true);
  });

  it('retries a failed submit with the same key and tender (kept: the answer may have been lost), and a changed cart gets a new key', async () => {
    const cart = useCartStore();
    cart.add(A);
    world.api.failNext = new FaceError('NETWORK_ERROR', 'lost');
    expect(await cart.completeSale({ method: 'alipay' })).toBeNull();
    expect(cart.error?.code).toBe('NETWORK_ERROR');
    expect(cart.lines).toHaveLength(1);
    expect(cart.sentTender).toEqual({ method: 'alipay' });
    const firstKey = world.api.orderRequests[0]?.key;
    world.api.failNext = new FaceError('TIMEOUT', 'no answer');
    await cart.completeSale({ method: 'alipay' });
    expect(world.api.orderRequests[1]?.key).toBe(firstKey);
    cart.add(B);
    expect(cart.sentTender).toBeNull();
    await cart.completeSale({ method: 'wechat_pay' });
    expect(world.api.orderRequests[2]?.key).not.toBe(firstKey);
    expect(world.api.orders.size).toBe(1);
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
