import { createPinia, setActivePinia } from 'pinia';
import { mount } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import { FaceError } from '@posface/protocol';
import { makeI18n } from '../i18n/index.js';
import { setServices } from '../services.js';
import { useCartStore } from '../stores/cart.js';
import { useFaceStore } from '../stores/face.js';
import { useMemberStore } from '../stores/member.js';
import { useTerminalStore } from '../stores/terminal.js';
import { deferred, fakeWorld, flush, member, product, TERMINAL, type FakeWorld } from '../testing/fakes.js';
import CartTable from './CartTable.vue';
import FacePanel from './FacePanel.vue';
import ProductSearch from './ProductSearch.vue';

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
