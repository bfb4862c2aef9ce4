import { createPinia, setActivePinia } from 'pinia';
import { mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FaceError } from '@posface/protocol';
import { makeI18n } from '../i18n/index.js';
import { setServices } from '../services.js';
import { useCartStore } from '../stores/cart.js';
import { useCheckoutStore } from '../stores/checkout.js';
import { useOutboxStore } from '../stores/outbox.js';
import { useFaceStore } from '../stores/face.js';
import { useMemberStore } from '../stores/member.js';
import { useTerminalStore } from '../stores/terminal.js';
import { deferred, fakeWorld, flush, member, product, TERMINAL, type FakeWorld } from '../testing/fakes.js';
import CartTable from './CartTable.vue';
import EnrolForm from './EnrolForm.vue';
import FacePanel from './FacePanel.vue';
import PhoneLookup from './PhoneLookup.vue';
import ProductSearch from './ProductSearch.vue';
import ReceiptPrint from './ReceiptPrint.vue';
import TenderDialog from './TenderDialog.vue';

let world: FakeWorld;
let pinia: ReturnType<typeof createPinia>;

beforeEach(() => {
  world = fakeWorld();
  setServices(world.services);
  pinia = createPinia();
  setActivePinia(pinia);
  const terminal = useTerminalStore();
  terminal.info = TERMINAL;
  terminal.state = 'paired';
});

const plugins = (locale: 'zh-CN' | 'en' = 'zh-CN') => ({ global: { plugins: [pinia, makeI18n(locale)] } });

describe('FacePanel', () => {
  it('disables the button and says why and what to do when the extension is missing', async () => {
    world.face.detectResult = new FaceError('EXTENSION_UNAVAILABLE', 'no extension');
    await useFaceStore().prepare();
    const wrapper = mount(FacePanel, plugins());
    expect(wrapper.get('[data-test=face-button]').attributes('disabled')).toBeDefined();
    expect(wrapper.get('[role=alert]').attributes('data-code')).toBe('EXTENSION_UNAVAILABLE');
    expect(wrapper.text()).toContain('未检测到刷脸扩展');
    expect(wrapper.text()).toContain('仍可用手机号查找会员');
  });

  it('when WxpayFaceService is down, tells the cashier to start it, in Chinese (English on request)', async () => {
    const down = new FaceError('FACE_SERVICE_DOWN', 'initWxpayface: WxpayFaceService cannot be reached', { returnCode: 'FAIL', returnMsg: '刷脸服务未初始化' });
    world.face.initError = down;
    await useFaceStore().prepare();
    const wrapper = mount(FacePanel, plugins());
    expect(wrapper.get('[data-test=face-button]').attributes('disabled')).toBeDefined();
    expect(wrapper.get('[role=alert]').attributes('data-code')).toBe('FACE_SERVICE_DOWN');
    expect(wrapper.text()).toContain('微信刷脸服务 WxpayFaceService 未运行');
    expect(wrapper.text()).toContain('请在本机启动 WxpayFaceService 后重试');
    expect(mount(FacePanel, plugins('en')).text()).toContain('Start WxpayFaceService on this terminal, then try again');
  });

  it('shows "look at the camera" while scanning, in English too', async () => {
    const face = useFaceStore();
    await face.prepare();
    await flush();
    const wrapper = mount(FacePanel, plugins('en'));
    await wrapper.get('[data-test=face-button]').trigger('click');
    expect(wrapper.get('[data-test=face-phase]').text()).toBe('Please look at the camera');
    expect(wrapper.get('[data-test=face-button]').attributes('disabled')).toBeDefined();
    world.face.fail(new FaceError('SDK_ERROR', 'x', { returnCode: 'SYSTEMERROR', returnMsg: '摄像头被占用' }));
    await flush();
    expect(wrapper.get('[data-test=face-phase]').text()).toBe('Face lookup failed');
    expect(wrapper.text()).toContain('SYSTEMERROR 摄像头被占用');
  });
});

describe('CartTable', () => {
  it('shows list prices, then struck list price + member price once a member is attached', async () => {
    const cart = useCartStore();
    cart.add(product('a', 1250, 990), 2);
    const wrapper = mount(CartTable, plugins());
    expect(wrapper.find('[data-test=member-price]').exists()).toBe(false);
    expect(wrapper.get('[data-test=line-total]').text()).toBe('¥25.00');
    useMemberStore().attach(member('m1', 'o1'));
    await flush();
    expect(wrapper.get('[data-test=member-price]').text()).toBe('¥9.90');
    expect(wrapper.get('[data-test=line-total]').text()).toBe('¥19.80');
  });
});

describe('ProductSearch', () => {
  it('Enter adds a single barcode hit and nothing for an ambiguous text search', async () => {
    world.api.products.push(product('1', 100, null, '6901234567892'), product('2', 200, null), product('3', 300, null));
    const wrapper = mount(ProductSearch, { ...plugins(), attachTo: document.body });
    const input = wrapper.get('[data-test=search]');
    await input.setValue('6901234567892');
    await input.trigger('keydown', { key: 'Enter' });
    await flush();
    expect(wrapper.emitted('add')?.map((e) => (e[0] as { id: string }).id)).toEqual(['1']);
    await input.setValue('商品');
    await input.trigger('keydown', { key: 'Enter' });
    await flush();
    expect(wrapper.emitted('add')).toHaveLength(1);
    expect(wrapper.get('[data-test=search-message]').text()).toContain('3 个结果');
    // Picking a row with ↓ makes it unambiguous.
    await input.trigger('keydown', { key: 'ArrowDown' });
    await input.trigger('keydown', { key: 'Enter' });
    await flush();
    expect(wrapper.emitted('add')).toHaveLength(2);
    wrapper.unmount();
  });

  it('a second scan while the first barcode is still being looked up is neither merged nor lost', async () => {
    world.api.products.push(product('1', 100, null, '6901234567892'), product('2', 200, null, '6902538006100'));
    world.api.barcodeGate = deferred<void>();
    const wrapper = mount(ProductSearch, { ...plugins(), attachTo: document.body });
    const input = wrapper.get('[data-test=search]');
    await input.setValue('6901234567892');
    await input.trigger('keydown', { key: 'Enter' });
    expect((input.element as HTMLInputElement).value).toBe('');
    await input.setValue('6902538006100');
    await input.trigger('keydown', { key: 'Enter' });
    world.api.barcodeGate.resolve();
    await flush();
    expect(wrapper.emitted('add')?.map((e) => (e[0] as { id: string }).id).sort()).toEqual(['1', '2']);
    expect((input.element as HTMLInputElement).value).toBe('');
    wrapper.unmount();
  });
});

describe('FacePanel: which step failed', () => {
  it('a recognised face whose member lookup failed says "member lookup failed" in Chinese, with no English technical line', async () => {
    const face = useFaceStore();
    await face.prepare();
    await flush();
    const wrapper = mount(FacePanel, plugins());
    const started = face.start();
    await flush();
    // (A server that cannot be reached at all is the offline path: unknown_offline, not a failure.)
    world.api.failNext = new FaceError('DATABASE_UNAVAILABLE', 'The database did not answer in time (GET /api/v1/members/by-openid/sha256:abc)');
    world.face.face('oX');
    await started;
    await flush();
    expect(wrapper.get('[data-test=face-phase]').text()).toBe('会员查询失败');
    expect(wrapper.get('[data-test=face-panel]').attributes('data-failed-step')).toBe('lookup');
    expect(wrapper.text()).toContain('服务器数据库暂时不可用');
    expect(wrapper.text()).not.toContain('刷脸失败');
    expect(wrapper.text()).not.toMatch(/database did not|GET \/api/);
    expect(wrapper.get('[data-test=error-details]').attributes('href')).toBe('#/diagnostics');
  });
});

describe('PhoneLookup', () => {
  it('says the server is down even while a member is attached', async () => {
    useMemberStore().attach(member('m1', 'o1'));
    const wrapper = mount(PhoneLookup, plugins());
    await wrapper.get('[data-test=phone-input]').setValue('13812345678');
    world.api.failNext = new FaceError('NETWORK_ERROR', 'Cannot reach the server');
    await wrapper.get('form').trigger('submit');
    await flush();
    expect(wrapper.get('[data-test=phone-error]').text()).toContain('无法连接服务器');
  });
});

describe('EnrolForm', () => {
  async function notMember() {
    const face = useFaceStore();
    await face.prepare();
    await flush();
    const started = face.start();
    await flush();
    world.face.face('oNEW', '刘洋');
    await started;
    return mount(EnrolForm, plugins());
  }

  it('a malformed phone is said as such (not "请求内容不正确"), before any request', async () => {
    const wrapper = await notMember();
    await wrapper.get('[data-test=enrol-phone]').setValue('12345');
    await wrapper.get('form').trigger('submit');
    await flush();
    expect(wrapper.get('[data-test=enrol-phone-problem]').text()).toContain('请输入 11 位手机号');
    expect(wrapper.text()).not.toContain('请求内容不正确');
    expect(world.api.members.some((m) => m.openid === 'oNEW')).toBe(false);
  });

  it("another member's phone: said in Chinese with what to do", async () => {
    world.api.members.push(member('m1', 'oOld', { phone: '13812345678' }));
    const wrapper = await notMember();
    await wrapper.get('[data-test=enrol-phone]').setValue('13812345678');
    await wrapper.get('form').trigger('submit');
    await flush();
    const problem = wrapper.get('[data-test=enrol-phone-problem]');
    expect(problem.attributes('data-problem')).toBe('phoneTaken');
    expect(problem.text()).toContain('该手机号已登记在另一位会员名下');
    expect(problem.text()).toContain('手机号查找会员');
  });
});

describe('TenderDialog', () => {
  beforeEach(() => {
    const a = product('a', 735, null); // ¥7.35
    world.api.products.push(a);
    useCartStore().add(a);
    useCheckoutStore().openTender();
  });
  afterEach(() => void vi.unstubAllGlobals());

  it('cash: the change follows what is typed; too little cannot be confirmed; quick amounts fill it in', async () => {
    const wrapper = mount(TenderDialog, { ...plugins(), attachTo: document.body });
    expect(wrapper.get('[data-test=tender-total]').text()).toBe('¥7.35');
    const received = wrapper.get('[data-test=tender-received]');
    await received.setValue('10');
    expect(wrapper.get('[data-test=tender-change]').text()).toBe('¥2.65');
    await received.setValue('5');
    expect(wrapper.get('[data-test=tender-issue]').text()).toContain('实收金额少于应收 ¥7.35');
    expect(wrapper.get('[data-test=tender-confirm]').attributes('disabled')).toBeDefined();
    await received.setValue('abc');
    expect(wrapper.get('[data-test=tender-issue]').text()).toContain('请输入金额');
    // Quick amounts: exact, ¥10, ¥50, ¥100.
    const quick = wrapper.findAll('[data-test=tender-quick]');
    expect(quick.map((b) => b.text())).toEqual(['¥7.35', '¥10.00', '¥50.00', '¥100.00']);
    await quick[2]!.trigger('click');
    expect(wrapper.get('[data-test=tender-change]').text()).toBe('¥42.65');
    wrapper.unmount();
  });

  it('Enter on an empty amount is exactly the total; the order carries the tender', async () => {
    vi.stubGlobal('print', () => undefined);
    const wrapper = mount(TenderDialog, { ...plugins(), attachTo: document.body });
    expect(wrapper.get('[data-test=tender-change]').text()).toBe('¥0.00');
    await wrapper.get('form').trigger('submit');
    await vi.waitFor(() => expect(world.api.orderRequests[0]?.body).toMatchObject({ tender: { method: 'cash', received_fen: 735, change_fen: 0 } }));
    wrapper.unmount();
  });

  it('another method is recorded by name, with no amounts', async () => {
    vi.stubGlobal('print', () => undefined);
    const wrapper = mount(TenderDialog, { ...plugins(), attachTo: document.body });
    await wrapper.get('[data-test=tender-method-wechat_pay]').trigger('click');
    expect(wrapper.find('[data-test=tender-received]').exists()).toBe(false);
    expect(wrapper.text()).toContain('请顾客用微信支付支付 ¥7.35');
    await wrapper.get('form').trigger('submit');
    await vi.waitFor(() => expect(world.api.orderRequests[0]?.body).toMatchObject({ tender: { method: 'wechat_pay' } }));
    wrapper.unmount();
  });

  it('an answer that never came: the sale is kept with its key and tender, and sent again with both', async () => {
    vi.stubGlobal('print', () => undefined);
    const wrapper = mount(TenderDialog, { ...plugins(), attachTo: document.body });
    await wrapper.get('[data-test=tender-received]').setValue('20');
    world.api.failNext = new FaceError('NETWORK_ERROR', 'lost');
    await wrapper.get('form').trigger('submit');
    await vi.waitFor(() => expect(useCheckoutStore().lastQueued).not.toBeNull());
    expect(useCheckoutStore().lastQueued).toMatchObject({ total_fen: 735, tender: { method: 'cash', received_fen: 2_000, change_fen: 1_265 } });
    expect(useCheckoutStore().tendering).toBe(false);
    await useOutboxStore().drain();
    expect(world.api.orderRequests.map((r) => r.body)).toEqual([expect.objectContaining({ tender: { method: 'cash', received_fen: 2_000, change_fen: 1_265 } }), expect.objectContaining({ tender: { method: 'cash', received_fen: 2_000, change_fen: 1_265 } })]);
    expect(new Set(world.api.orderRequests.map((r) => r.key)).size).toBe(1);
    expect(world.api.orders.size).toBe(1);
    wrapper.unmount();
  });
});

describe('ReceiptPrint', () => {
  it('holds the store, lines, savings, tender and change, and the member\'s points', async () => {
    vi.stubGlobal('print', () => undefined);
    world.api.members.push(member('m1', 'oW', { nickname: '王芳', points: 100 }));
    useMemberStore().attach({ id: 'm1', nickname: '王芳', phone: '138****5678', level: 'gold', points: 100 });
    const a = product('a', 1250, 990, '6900000000001');
    world.api.products.push(a);
    useCartStore().add(a, 2);
    const checkout = useCheckoutStore();
    checkout.openTender();
    await checkout.pay({ method: 'cash', received_fen: 5_000 });
    const wrapper = mount(ReceiptPrint, { ...plugins(), attachTo: document.body });
    const receipt = document.querySelector('[data-test=receipt-print]');
    const text = receipt?.textContent ?? '';
    expect(receipt?.id).toBe('receipt-print');
    expect(text).toContain('演示门店');
    expect(text).toContain('商品a');
    expect(text).toContain('2 × ¥9.90');
    expect(text).toContain('¥19.80');
    expect(text).toContain('−¥5.20');
    expect(text).toContain('现金¥50.00');
    expect(text).toContain('找零¥30.20');
    expect(text).toContain('王芳');
    expect(text).toContain('本单积分 +19');
    expect(text).toContain('当前积分 119');
    wrapper.unmount();
  });
});
