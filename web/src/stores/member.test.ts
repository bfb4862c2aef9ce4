import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { FaceError } from '@posface/protocol';
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
    expect(store.phoneError?.code).toBe('NOT_FOUND');
  });

  it('by phone: a malformed number is refused before any request', async () => {
    const store = useMemberStore();
    let asked = false;
    world.api.membersByPhone = async () => {
      asked = true;
      return [];
    };
    await store.lookupByPhone('1234');
    expect(store.phoneError?.code).toBe('INVALID_REQUEST');
    expect(asked).toBe(false);
  });

  it('by phone: a server that is down is said beside the lookup, also while a member is attached', async () => {
    const store = useMemberStore();
    store.attach(member('m9', null));
    world.api.failNext = new FaceError('NETWORK_ERROR', 'Cannot reach the server');
    expect(await store.lookupByPhone('13812345678')).toEqual([]);
    expect(store.phoneError?.code).toBe('NETWORK_ERROR');
    expect(store.current?.id).toBe('m9');
  });

  it('enrolment: a malformed phone is refused before any request, naming the phone; a taken one is the server\'s 409', async () => {
    const store = useMemberStore();
    expect(await store.enrol({ openid: 'oA', nickname: 'A' }, '12345')).toBeNull();
    expect(store.enrolError).toMatchObject({ code: 'INVALID_REQUEST', details: { field: 'phone' } });
    expect(world.api.members).toHaveLength(0);
    world.api.members.push(member('m1', 'oOld', { phone: '13812345678' }));
    expect(await store.enrol({ openid: 'oB', nickname: 'B' }, '138 1234 5678')).toBeNull();
    expect(store.enrolError).toMatchObject({ code: 'CONFLICT', details: { reason: 'phone_taken' } });
    expect(store.phoneError).toBeNull();
  });

  it('enrolment falls back to a neutral nickname when WeChat gives none', async () => {
    const store = useMemberStore();
    const created = await store.enrol({ openid: 'oNEW', nickname: '   ' });
    expect(created?.nickname).toBe('微信用户');
    // The server keeps the openid; the till gets the new member's id.
    expect(world.api.members.find((m) => m.id === store.current?.id)?.openid).toBe('oNEW');
  });
});
