import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FaceError } from '@posface/protocol';
import { setServices } from '../services.js';
import { fakeWorld, flush, member, product, TERMINAL, type FakeWorld } from '../testing/fakes.js';
import { useCartStore } from './cart.js';
import { savedAutoPrint, useCheckoutStore } from './checkout.js';
import { useFaceStore } from './face.js';
import { useMemberStore } from './member.js';
import { useStatusStore } from './status.js';
import { useTerminalStore } from './terminal.js';

let world: FakeWorld;
let printed: number;
const A = product('a', 1250, 990);
const B = product('b', 300, null);

beforeEach(() => {
  localStorage.clear();
  world = fakeWorld();
  world.api.products.push(A, B);
  world.api.members.push(member('m1', 'oWANG', { nickname: '王芳', points: 10 }));
  setServices(world.services);
  setActivePinia(createPinia());
  const terminal = useTerminalStore();
  terminal.info = TERMINAL;
  terminal.state = 'paired';
  printed = 0;
  // happy-dom has no print(): a browser's prints the page (in the real browser tests, the receipt view).
  vi.stubGlobal('print', () => {
    printed += 1;
  });
});
afterEach(() => void vi.unstubAllGlobals());

/** A member found by face, with two lines in the cart. */
async function memberSale() {
  const face = useFaceStore();
  await face.prepare();
  await flush();
  const started = face.start();
  await flush();
  world.face.face('oWANG');
  await started;
  expect(face.phase).toBe('found');
  useCartStore().add(A, 2);
  useCartStore().add(B);
  return face;
}

describe('checkout', () => {
  it('F9 opens the tender step only for a cart with something in it', () => {
    const checkout = useCheckoutStore();
    checkout.openTender();
    expect(checkout.tendering).toBe(false);
    useCartStore().add(B);
    checkout.openTender();
    expect(checkout.tendering).toBe(true);
    checkout.cancelTender();
    expect(checkout.tendering).toBe(false);
  });

  it('a paid sale leaves a clean screen for the next customer, a summary with the change and points, and prints its receipt', async () => {
    const face = await memberSale();
    const checkout = useCheckoutStore();
    checkout.openTender();
    // 2 × ¥9.90 + ¥3.00 = ¥22.80 at member prices.
    expect(await checkout.pay({ method: 'cash', received_fen: 5_000 })).toBe(true);
    await flush();
    expect(checkout.tendering).toBe(false);
    expect(checkout.summaryShown).toBe(true);
    expect(checkout.lastSale?.order).toMatchObject({ total_fen: 2_280, points_earned: 22, member_points: 32, tender: { method: 'cash', received_fen: 5_000, change_fen: 2_720 } });
    expect(checkout.lastSale?.member).toMatchObject({ id: 'm1', nickname: '王芳', points: 32 });
    expect(checkout.lastSale?.store).toEqual(TERMINAL.store);
    // Nothing of this customer is left on the till.
    expect(useMemberStore().current).toBeNull();
    expect(face.phase).toBe('ready');
    expect(useCartStore().isEmpty).toBe(true);
    expect(printed).toBe(1);
    // Reprint: the same receipt again.
    await checkout.print();
    expect(printed).toBe(2);
    // The next customer: the summary goes, the last receipt stays reprintable.
    checkout.startNext();
    expect(checkout.summaryShown).toBe(false);
    expect(checkout.lastSale).not.toBeNull();
  });

  it('a failed submit changes nothing: the tender step stays open with the error, the member stays', async () => {
    await memberSale();
    const checkout = useCheckoutStore();
    checkout.openTender();
    // A refusal (a server that cannot be reached keeps the sale in the outbox instead: a success for the cashier).
    world.api.failNext = new FaceError('LIMIT_EXCEEDED', 'too much');
    expect(await checkout.pay({ method: 'wechat_pay' })).toBe(false);
    expect(checkout.tendering).toBe(true);
    expect(useCartStore().error?.code).toBe('LIMIT_EXCEEDED');
    expect(useMemberStore().current?.id).toBe('m1');
    expect(useFaceStore().phase).toBe('found');
    expect(printed).toBe(0);
  });

  it('a sale the server cannot be reached for is kept: its summary says so, the screen is clean, nothing prints', async () => {
    await memberSale();
    const checkout = useCheckoutStore();
    checkout.openTender();
    useStatusStore().markUnreachable(new FaceError('NETWORK_ERROR', 'down'));
    expect(await checkout.pay({ method: 'wechat_pay' })).toBe(true);
    expect(checkout.tendering).toBe(false);
    expect(checkout.lastSale).toBeNull();
    expect(checkout.lastQueued).toMatchObject({ customer: 'member', tender: { method: 'wechat_pay' } });
    expect(checkout.summaryShown).toBe(true);
    expect(useMemberStore().current).toBeNull();
    expect(useFaceStore().phase).toBe('ready');
    expect(useCartStore().isEmpty).toBe(true);
    expect(printed).toBe(0);
    expect(world.api.orderRequests).toHaveLength(0);
  });

  it('a not-member face and its enrolment form are gone after the sale', async () => {
    const face = useFaceStore();
    await face.prepare();
    await flush();
    const started = face.start();
    await flush();
    world.face.face('oNEW', '新顾客');
    await started;
    expect(face.phase).toBe('not_member');
    useCartStore().add(B);
    const checkout = useCheckoutStore();
    checkout.openTender();
    await checkout.pay({ method: 'alipay' });
    expect(face.phase).toBe('ready');
    expect(face.candidate).toBeNull();
    expect(world.report.outcomes).toEqual([['not_member']]);
  });

  it('auto-print is a setting of this till, on unless turned off', async () => {
    const checkout = useCheckoutStore();
    expect(checkout.autoPrint).toBe(true);
    checkout.setAutoPrint(false);
    expect(savedAutoPrint()).toBe(false);
    useCartStore().add(B);
    checkout.openTender();
    await checkout.pay({ method: 'bank_card' });
    expect(printed).toBe(0);
    expect(checkout.lastSale?.member).toBeNull();
  });
});
