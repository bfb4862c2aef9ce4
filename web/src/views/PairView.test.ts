import { createPinia, setActivePinia } from 'pinia';
import { flushPromises, mount } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import { FaceError } from '@posface/protocol';
import { makeI18n } from '../i18n/index.js';
import { makeRouter } from '../router.js';
import { setServices } from '../services.js';
import { useTerminalStore } from '../stores/terminal.js';
import { fakeWorld, type FakeWorld } from '../testing/fakes.js';
import PairView from './PairView.vue';

let world: FakeWorld;
let pinia: ReturnType<typeof createPinia>;

beforeEach(() => {
  localStorage.clear();
  world = fakeWorld();
  setServices(world.services);
  pinia = createPinia();
  setActivePinia(pinia);
});

async function mountAt(path: string, locale: 'zh-CN' | 'en' = 'zh-CN') {
  const router = makeRouter();
  await router.push(path);
  const wrapper = mount(PairView, { global: { plugins: [pinia, router, makeI18n(locale)] } });
  return { wrapper, router };
}

describe('PairView', () => {
  it('the cashier types the code; the POS pairs and goes to the checkout', async () => {
    await useTerminalStore().load();
    const { wrapper, router } = await mountAt('/pair');
    expect(wrapper.text()).toContain('请输入 IT 为本终端生成的 8 位配对码');
    expect(wrapper.get('[data-test=pair-submit]').attributes('disabled')).toBeDefined();
    await wrapper.get('[data-test=pair-code]').setValue('abcd-efgh');
    await wrapper.get('[data-test=pair-form]').trigger('submit');
    await flushPromises();
    expect(world.api.pairCalls).toEqual(['ABCDEFGH']);
    expect(router.currentRoute.value.fullPath).toBe('/');
    expect((wrapper.get('[data-test=pair-code]').element as HTMLInputElement).value).toBe('');
  });

  it('says why a code was refused, in Chinese and in English', async () => {
    const { wrapper } = await mountAt('/pair');
    await wrapper.get('[data-test=pair-code]').setValue('ZZZZ-ZZZZ');
    await wrapper.get('[data-test=pair-form]').trigger('submit');
    await flushPromises();
    expect(wrapper.get('[data-test=pair-why]').text()).toBe('配对码不正确。请核对后重新输入（不含字母 I 和 O、数字 0 和 1）。');
    expect(wrapper.get('[role=alert][data-code]').attributes('data-code')).toBe('PAIRING_CODE_INVALID');
    const en = await mountAt('/pair', 'en');
    expect(en.wrapper.get('[data-test=pair-why]').text()).toBe('Wrong pairing code. Check it and type it again (there is no I, O, 0 or 1 in a code).');
  });

  it('a revoked terminal lands here with a clear message', async () => {
    useTerminalStore().sessionEnded(new FaceError('UNAUTHORIZED', 'this terminal was revoked', { details: { reason: 'revoked' } }));
    const { wrapper } = await mountAt('/');
    expect(wrapper.get('[data-test=pair-why]').text()).toBe('本终端已被 IT 吊销。如需继续使用，请联系 IT 重新开通并获取新的配对码。');
  });

  it('a credential in the address is not read any more (the old /#/pair?token= hand-over is gone)', async () => {
    const { router } = await mountAt('/pair?token=pft_from-history&code=ABCDEFGH');
    await flushPromises();
    expect(world.api.pairCalls).toEqual([]);
    expect(localStorage.length).toBe(0);
    expect(router.currentRoute.value.name).toBe('pair');
  });

  it('offers to ask again when the server could not be reached', async () => {
    world.api.failNext = new FaceError('NETWORK_ERROR', 'down');
    await useTerminalStore().load();
    const { wrapper, router } = await mountAt('/pair');
    world.api.session = true;
    await wrapper.get('[data-test=pair-retry]').trigger('click');
    await flushPromises();
    expect(router.currentRoute.value.fullPath).toBe('/');
  });
});
