import { createPinia, setActivePinia } from 'pinia';
import { mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_LOYALTY_RULES, FaceError } from '@posface/protocol';
import { makeI18n } from '../i18n/index.js';
import { setServices } from '../services.js';
import { useCartStore } from '../stores/cart.js';
import { useCheckoutStore } from '../stores/checkout.js';
import { useLoyaltyStore } from '../stores/loyalty.js';
import { useMemberStore } from '../stores/member.js';
import { useRefundStore } from '../stores/refund.js';
import { useStatusStore } from '../stores/status.js';
import { useTerminalStore } from '../stores/terminal.js';
import { fakeWorld, flush, member, product, TERMINAL, type FakeWorld } from '../testing/fakes.js';
import MemberCard from './MemberCard.vue';
import RefundReceipt from './RefundReceipt.vue';
import TenderDialog from './TenderDialog.vue';

let world: FakeWorld;
let pinia: ReturnType<typeof createPinia>;
const A = product('a', 2000, 1800);

beforeEach(async () => {
  localStorage.clear();
  world = fakeWorld();
  world.api.products.push(A);
  world.api.rules = { ...DEFAULT_LOYALTY_RULES, redeem_max_share_pct: 50 };
  world.api.members.push(member('m1', 'oW', { nickname: '王芳', points: 1280, level: 'standard' }));
  setServices(world.services);
  pinia = createPinia();
  setActivePinia(pinia);
  const terminal = useTerminalStore();
  terminal.info = TERMINAL;
  terminal.state = 'paired';
  await useLoyaltyStore().load();
  vi.stubGlobal('print', () => undefined);
});
afterEach(() => void vi.unstubAllGlobals());

const plugins = (locale: 'zh-CN' | 'en' = 'zh-CN') => ({ global: { plugins: [pinia, makeI18n(locale)] } });

function memberCart(points = 1280) {
  useMemberStore().attach({ id: 'm1', nickname: '王芳', phone: null, level: 'standard', points });
  useCartStore().add(A, 2); // 3600 fen at the member price: at most 1800 points
  useCheckoutStore().openTender();
}

describe('TenderDialog: 积分抵扣', () => {
  it('the points typed lower the total; "use the most" fills in the cap; the order carries them', async () => {
    memberCart();
    const wrapper = mount(TenderDialog, { ...plugins(), attachTo: document.body });
    await flush();
    expect(wrapper.text()).toContain('100 积分抵 ¥1，会员积分 1280');
    await wrapper.get('[data-test=redeem-points]').setValue('500');
    expect(wrapper.get('[data-test=tender-total]').text()).toBe('¥31.00');
    expect(wrapper.get('[data-test=redeem-fen]').text()).toBe('−¥5.00');
    await wrapper.get('[data-test=redeem-max]').trigger('click');
    expect(wrapper.get('[data-test=redeem-points]').element).toHaveProperty('value', '1280');
    expect(wrapper.get('[data-test=tender-total]').text()).toBe('¥23.20');
    await wrapper.get('form').trigger('submit');
    await flush();
    expect(world.api.orderRequests[0]?.body).toMatchObject({ redeem_points: 1280, tender: { method: 'cash', received_fen: 2320 } });
    wrapper.unmount();
  });

  it('points the rule refuses are said, and the sale cannot be confirmed with them', async () => {
    memberCart(5000);
    const wrapper = mount(TenderDialog, { ...plugins(), attachTo: document.body });
    await flush();
    await wrapper.get('[data-test=redeem-points]').setValue('1801');
    expect(wrapper.get('[data-test=redeem-problem]').text()).toBe('本单最多可用 1800 分');
    expect(wrapper.get('[data-test=tender-total]').text()).toBe('¥36.00');
    expect(wrapper.get('[data-test=tender-confirm]').attributes('disabled')).toBeDefined();
    await wrapper.get('[data-test=redeem-points]').setValue('1.5');
    expect(wrapper.get('[data-test=redeem-problem]').text()).toBe('请输入整数积分');
    await wrapper.get('[data-test=redeem-points]').setValue('');
    expect(wrapper.find('[data-test=redeem-problem]').exists()).toBe(false);
    expect(wrapper.get('[data-test=tender-confirm]').attributes('disabled')).toBeUndefined();
    wrapper.unmount();
  });

  it('never offline: with the server unreachable the control is disabled with a plain message, and a chosen redemption is dropped', async () => {
    memberCart();
    const wrapper = mount(TenderDialog, { ...plugins(), attachTo: document.body });
    await flush();
    await wrapper.get('[data-test=redeem-points]').setValue('500');
    useStatusStore().markUnreachable(new FaceError('NETWORK_ERROR', 'down'));
    await flush();
    expect(wrapper.find('[data-test=redeem-points]').exists()).toBe(false);
    expect(wrapper.get('[data-test=redeem-blocked]').text()).toContain('暂时连不上服务器，不能使用积分抵扣');
    expect(useCartStore().redeemPoints).toBe(0);
    expect(wrapper.get('[data-test=tender-total]').text()).toBe('¥36.00');
    wrapper.unmount();
    expect(mount(TenderDialog, { ...plugins('en'), attachTo: document.body }).get('[data-test=redeem-blocked]').text()).toContain('The server cannot be reached');
  });

  it('an answer that never came keeps the points with the sale: the retry sends the same redemption under the same key', async () => {
    memberCart();
    const wrapper = mount(TenderDialog, { ...plugins(), attachTo: document.body });
    await flush();
    await wrapper.get('[data-test=redeem-points]').setValue('500');
    world.api.failNext = new FaceError('NETWORK_ERROR', 'lost');
    await wrapper.get('form').trigger('submit');
    await flush();
    // The lost answer also marks the server down (the HTTP client does; the fake API does not): the sale
    // must still go again exactly as it was.
    useStatusStore().markUnreachable(new FaceError('NETWORK_ERROR', 'lost'));
    await flush();
    expect(wrapper.get('[data-test=redeem]').attributes('data-block')).toBe('locked');
    expect(wrapper.get('[data-test=redeem-points]').attributes('readonly')).toBeDefined();
    await wrapper.get('form').trigger('submit');
    await flush();
    expect(world.api.orderRequests.map((r) => (r.body as { redeem_points?: number }).redeem_points)).toEqual([500, 500]);
    expect(new Set(world.api.orderRequests.map((r) => r.key)).size).toBe(1);
    wrapper.unmount();
  });

  it('rules that turn redemption off say so', async () => {
    world.api.rules = DEFAULT_LOYALTY_RULES;
    await useLoyaltyStore().load();
    memberCart();
    const wrapper = mount(TenderDialog, { ...plugins(), attachTo: document.body });
    await flush();
    expect(wrapper.get('[data-test=redeem-blocked]').text()).toBe('本店未开启积分抵扣');
    wrapper.unmount();
  });
});

describe('MemberCard: the tier', () => {
  it('shows the tier, its multiplier and the progress to the next; the top level says so', async () => {
    const memberStore = useMemberStore();
    memberStore.attach({
      id: 'm1',
      nickname: '王芳',
      phone: null,
      level: 'standard',
      points: 10,
      tier: { level: 'silver', multiplier_pct: 150, spend_fen: 15_000, next: { level: 'gold', threshold_fen: 50_000, remaining_fen: 35_000 } },
    });
    const wrapper = mount(MemberCard, plugins());
    expect(wrapper.get('[data-test=member-level]').text()).toBe('银卡会员');
    expect(wrapper.get('[data-test=member-multiplier]').text()).toBe('积分 ×1.5');
    expect(wrapper.get('[data-test=member-tier-progress]').text()).toBe('近 12 个月消费 ¥150.00 / ¥500.00，再消费 ¥350.00 升级金卡会员');
    expect(wrapper.get('[role=progressbar]').attributes('aria-valuenow')).toBe('30');
    expect(mount(MemberCard, plugins('en')).get('[data-test=member-tier-progress]').text()).toBe('Spend (12 months) ¥150.00 / ¥500.00: ¥350.00 more to Gold');
    memberStore.attach({ id: 'm1', nickname: '王芳', phone: null, level: 'gold', points: 10, tier: { level: 'platinum', multiplier_pct: 100, spend_fen: 900_000, next: null } });
    await flush();
    expect(wrapper.get('[data-test=member-level]').text()).toBe('白金会员');
    expect(wrapper.find('[data-test=member-multiplier]').exists()).toBe(false);
    expect(wrapper.get('[data-test=member-tier-progress]').text()).toBe('近 12 个月消费 ¥9,000.00，已是最高等级');
  });
});

describe('RefundReceipt', () => {
  it('prints what came back, the money, the points given back and taken back, and the balance', async () => {
    memberCart();
    useCartStore().setRedeemPoints(600);
    await useCheckoutStore().pay({ method: 'wechat_pay' });
    const refunds = useRefundStore();
    await refunds.findLastSale();
    refunds.setQuantity(0, 1);
    await refunds.submit();
    const wrapper = mount(RefundReceipt, { ...plugins(), attachTo: document.body });
    const receipt = document.querySelector('[data-test=refund-receipt-print]');
    expect(receipt?.id).toBe('receipt-print');
    const text = receipt?.textContent ?? '';
    expect(text).toContain('退 款 单');
    expect(text).toContain('演示门店');
    expect(text).toContain('1 × ¥18.00');
    // Paid 3000 of 3600 goods; half comes back: ¥15.00, 300 of the 600 points, 15 of the 30 earned.
    expect(text).toContain('积分抵扣部分−¥3.00');
    expect(text).toContain('退款金额¥15.00');
    expect(text).toContain('退还积分+300');
    expect(text).toContain('扣回积分−15');
    expect(receipt?.querySelector('[data-test=refund-receipt-balance]')?.textContent).toBe(String(1280 - 600 + 30 + 300 - 15));
    wrapper.unmount();
  });
});
