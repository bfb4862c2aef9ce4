import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { setServices } from '../services.js';
import { fakeWorld, flush, member, product, type FakeWorld } from '../testing/fakes.js';
import { TOP_RECOMMENDATIONS, useMemberStore } from './member.js';

let world: FakeWorld;

beforeEach(() => {
  world = fakeWorld();
  setServices(world.services);
  setActivePinia(createPinia());
});

describe('member lookup', () => {
  it('by phone: one match attaches, loads at most the top recommendations', async () => {
    world.api.members.push(member('m1', null, { phone: '13812345678' }));
    world.api.recs = Array.from({ length: 6 }, (_, i) => ({
      product: product(String(i), 100, 90),
      reason: 'frequent' as const,
      count: 6 - i,
    }));
    const store = useMemberStore();
    await store.lookupByPhone('138 1234 5678');
    expect(store.current?.id).toBe('m1');
    await flush();
    expect(store.recommendations).toHaveLength(TOP_RECOMMENDATIONS);
  });

  it('by phone: several matches are offered, none attached; no match says NOT_FOUND', async () => {
    world.api.members.push(member('m1', null, { phone: '13812345678' }), member('m2', null, { phone: '13812345678' }));
    const store = useMemberStore();
    await store.lookupByPhone('13812345678');
    expect(store.current).toBeNull();
    expect(store.phoneMatches.map((m) => m.id)).toEqual(['m1', 'm2']);
    await store.lookupByPhone('13900000000');
    expect(store.error?.code).toBe('NOT_FOUND');
  });

  it('by phone: a malformed number is refused before any request', async () => {
    const store = useMemberStore();
    let asked = false;
    world.api.membersByPhone = async () => {
      asked = true;
      return [];
    };
    await store.lookupByPhone('1234');
    expect(store.error?.code).toBe('INVALID_REQUEST');
    expect(asked).toBe(false);
  });

  it('enrolment falls back to a neutral nickname when WeChat gives none', async () => {
    const store = useMemberStore();
    const created = await store.enrol({ openid: 'oNEW', nickname: '   ' });
    expect(created?.nickname).toBe('微信用户');
    // The server keeps the openid; the till gets the new member's id.
    expect(world.api.members.find((m) => m.id === store.current?.id)?.openid).toBe('oNEW');
  });
});
