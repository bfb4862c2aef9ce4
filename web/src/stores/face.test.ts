import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FaceError } from '@posface/protocol';
import { setServices } from '../services.js';
import { deferred, fakeWorld, flush, hello, member, product, TERMINAL, type FakeWorld } from '../testing/fakes.js';
import { useCartStore } from './cart.js';
import { useFaceStore } from './face.js';
import { useMemberStore } from './member.js';
import { useStatusStore } from './status.js';
import { useTerminalStore } from './terminal.js';

let world: FakeWorld;

function setup(face: Partial<typeof TERMINAL.face> = {}) {
  world = fakeWorld();
  setServices(world.services);
  setActivePinia(createPinia());
  const terminal = useTerminalStore();
  terminal.info = { ...TERMINAL, face: { ...TERMINAL.face, ...face } };
  terminal.state = 'paired';
  world.api.members.push(member('m1', 'oWANG', { nickname: '王芳', points: 120 }));
  return useFaceStore();
}

async function readyStore(face: Partial<typeof TERMINAL.face> = {}) {
  const store = setup(face);
  await store.prepare();
  await flush();
  expect(store.phase).toBe('ready');
  return store;
}

describe('face state machine: preparing', () => {
  beforeEach(() => localStorage.clear());

  it('goes idle → preparing → ready once detect, init and the prewarmed authinfo are done', async () => {
    const store = setup();
    expect(store.phase).toBe('idle');
    world.api.authinfoGate = deferred<void>();
    const preparing = store.prepare();
    expect(store.phase).toBe('preparing');
    await preparing;
    await flush();
    expect(store.phase).toBe('preparing');
    expect(world.face.calls).toEqual(['detect', 'init', 'rawdata']);
    world.api.authinfoGate.resolve();
    await flush();
    expect(store.phase).toBe('ready');
    expect(useStatusStore().authinfo.status).toBe('ready');
  });

  it('F2 before the first authinfo is remembered (no call yet) and the face step starts by itself once ready', async () => {
    const store = setup();
    world.api.authinfoGate = deferred<void>();
    await store.prepare();
    const before = world.api.authinfoCalls;
    await store.start();
    expect(store.phase).toBe('preparing');
    expect(store.notice).toBe('startsWhenReady');
    expect(world.face.calls).not.toContain('userInfo');
    expect(world.api.authinfoCalls).toBe(before);
    world.api.authinfoGate.resolve();
    await flush();
    expect(store.phase).toBe('scanning');
    expect(store.notice).toBeNull();
    world.face.face('oWANG');
    await flush();
    expect(store.phase).toBe('found');
  });

  it('F2 pressed even before detect answered is remembered too; Esc forgets it', async () => {
    world = fakeWorld();
    const store = setup();
    world.api.authinfoGate = deferred<void>();
    const preparing = store.prepare();
    await store.start();
    expect(store.notice).toBe('startsWhenReady');
    await store.cancel();
    expect(store.notice).toBeNull();
    await preparing;
    world.api.authinfoGate.resolve();
    await flush();
    expect(store.phase).toBe('ready');
    expect(world.face.calls).not.toContain('userInfo');
  });

  it('an F2 remembered while the face chain turns out to be unavailable is dropped, not kept for later', async () => {
    const store = setup();
    const gate = deferred<void>();
    world.face.detect = async () => {
      await gate.promise;
      throw new FaceError('HOST_NOT_FOUND', 'Specified native messaging host not found.');
    };
    const preparing = store.prepare();
    await store.start();
    gate.resolve();
    await preparing;
    expect(store.phase).toBe('unavailable');
    expect(store.notice).toBeNull();
  });

  it.each([
    ['EXTENSION_UNAVAILABLE', new FaceError('EXTENSION_UNAVAILABLE', 'no ready message from the extension')],
    ['HOST_NOT_FOUND', new FaceError('HOST_NOT_FOUND', 'Specified native messaging host not found.')],
  ])('is unavailable with %s when detect fails, and F2 does nothing', async (code, error) => {
    const store = setup();
    world.face.detectResult = error;
    await store.prepare();
    expect(store.phase).toBe('unavailable');
    expect(store.unavailableCode).toBe(code);
    await store.start();
    expect(store.phase).toBe('unavailable');
    expect(world.face.calls).toEqual(['detect']);
    expect(useStatusStore().errors[0]?.code).toBe(code);
  });

  it('is unavailable with SDK_UNAVAILABLE when the host says the SDK did not load, keeping its reason', async () => {
    const store = setup();
    world.face.detectResult = hello({ loaded: false, error: 'WxpayFaceSDK.dll not found at C:\\x' });
    await store.prepare();
    expect(store.phase).toBe('unavailable');
    expect(store.unavailableCode).toBe('SDK_UNAVAILABLE');
    expect(store.error?.message).toContain('WxpayFaceSDK.dll not found');
    expect(useStatusStore().sdk).toBe('missing');
    expect(world.face.calls).not.toContain('init');
  });

  it('is unavailable with FACE_SERVICE_DOWN when init cannot reach WxpayFaceService; the SDK shows as failing', async () => {
    const store = setup();
    world.face.initError = new FaceError('FACE_SERVICE_DOWN', 'initWxpayface: WxpayFaceService cannot be reached');
    await store.prepare();
    expect(store.phase).toBe('unavailable');
    expect(store.unavailableCode).toBe('FACE_SERVICE_DOWN');
    expect(useStatusStore().sdk).toBe('error');
  });
});

describe('face state machine: a session', () => {
  beforeEach(() => localStorage.clear());

  it('F2 → scanning (no network) → recognising → found, with the terminal settings passed to the SDK', async () => {
    const store = await readyStore();
    const authinfoCalls = world.api.authinfoCalls;
    const started = store.start();
    expect(store.phase).toBe('scanning');
    await flush();
    expect(world.api.authinfoCalls).toBe(authinfoCalls);
    expect(world.face.userInfoParams[0]).toMatchObject({
      appid: 'wx1',
      mch_id: '1900000001',
      store_id: 'S001',
      authinfo: 'AUTH-1',
      screen_index: '2',
      ask_unionid: '0',
    });
    world.face.face('oWANG', '王芳');
    await started;
    expect(store.phase).toBe('found');
    expect(useMemberStore().current?.nickname).toBe('王芳');
  });

  it('shows "recognising" while the member lookup runs', async () => {
    const store = await readyStore();
    const gate = deferred<void>();
    const original = world.api.memberByOpenid.bind(world.api);
    world.api.memberByOpenid = async (openid: string) => {
      await gate.promise;
      return original(openid);
    };
    const started = store.start();
    await flush();
    world.face.face('oWANG');
    await flush();
    expect(store.phase).toBe('recognising');
    gate.resolve();
    await started;
    expect(store.phase).toBe('found');
  });

  it('a face that is not a member → not_member, then one-tap enrolment attaches the new member', async () => {
    const store = await readyStore();
    const started = store.start();
    await flush();
    world.face.face('oLIU', '刘洋');
    await started;
    expect(store.phase).toBe('not_member');
    expect(store.candidate).toEqual({ openid: 'oLIU', nickname: '刘洋' });
    expect(await store.enrol('13800001111')).toBe(true);
    expect(store.phase).toBe('found');
    const m = useMemberStore().current;
    expect(m?.nickname).toBe('刘洋');
    expect(world.api.members.find((x) => x.openid === 'oLIU')?.phone).toBe('13800001111');
  });

  it('a face that is not a member detaches the member attached before (no carried-over prices or points)', async () => {
    const store = await readyStore();
    const cart = useCartStore();
    cart.add(product('p1', 1000, 800));
    let started = store.start();
    await flush();
    world.face.face('oWANG');
    await started;
    expect(useMemberStore().current?.id).toBe('m1');
    expect(cart.summary.totalFen).toBe(800);
    started = store.start();
    await flush();
    world.face.face('oLIU', '刘洋');
    await started;
    expect(store.phase).toBe('not_member');
    expect(useMemberStore().current).toBeNull();
    expect(cart.summary.totalFen).toBe(1000);
  });

  it('enrolment refuses a malformed phone number and stays on not_member', async () => {
    const store = await readyStore();
    const started = store.start();
    await flush();
    world.face.face('oLIU', '刘洋');
    await started;
    expect(await store.enrol('12345')).toBe(false);
    expect(store.phase).toBe('not_member');
    expect(useMemberStore().enrolError?.code).toBe('INVALID_REQUEST');
    expect(world.api.members.some((x) => x.openid === 'oLIU')).toBe(false);
  });

  it('Esc during scanning calls cancel (stopWxpayface) and ends as cancelled', async () => {
    const store = await readyStore();
    const started = store.start();
    await flush();
    await store.cancel();
    await started;
    expect(world.face.calls).toContain('cancel');
    expect(store.phase).toBe('cancelled');
    expect(store.error).toBeNull();
    expect(useMemberStore().current).toBeNull();
  });

  it('Esc with an SDK that cannot stop says the customer must cancel on the face screen', async () => {
    const store = await readyStore();
    world.face.cancel = async () => {
      throw new FaceError('SDK_ERROR', 'stopWxpayface: PARAM_ERROR Unknown Cmd', { returnCode: 'PARAM_ERROR', returnMsg: 'Unknown Cmd' });
    };
    const started = store.start();
    await flush();
    await store.cancel();
    expect(store.phase).toBe('scanning');
    expect(store.notice).toBe('cancelUnsupported');
    world.face.fail(new FaceError('USER_CANCEL', 'user cancelled', { returnCode: 'USER_CANCEL' }));
    await started;
    expect(store.phase).toBe('cancelled');
    expect(store.notice).toBeNull();
  });

  it('Esc honours the cancel even when the face came back first', async () => {
    const store = await readyStore();
    world.face.cancelRejectsPending = false;
    const started = store.start();
    await flush();
    await store.cancel();
    expect(store.cancelling).toBe(true);
    world.face.face('oWANG');
    await started;
    expect(store.phase).toBe('cancelled');
    expect(useMemberStore().current).toBeNull();
  });

  it('the customer cancelling on the SDK screen (USER_CANCEL) is cancelled, not failed', async () => {
    const store = await readyStore();
    const started = store.start();
    await flush();
    world.face.fail(new FaceError('USER_CANCEL', 'cancelled', { returnCode: 'USER_CANCEL' }));
    await started;
    expect(store.phase).toBe('cancelled');
  });

  it('an SDK error is failed with its code; the next F2 starts a new session', async () => {
    const store = await readyStore();
    let started = store.start();
    await flush();
    world.face.fail(new FaceError('SDK_ERROR', 'camera busy', { returnCode: 'SYSTEMERROR', returnMsg: '摄像头被占用' }));
    await started;
    expect(store.phase).toBe('failed');
    expect(store.error?.code).toBe('SDK_ERROR');
    expect(store.error?.returnMsg).toBe('摄像头被占用');
    started = store.start();
    expect(store.phase).toBe('scanning');
    await flush();
    world.face.face('oWANG');
    await started;
    expect(store.phase).toBe('found');
  });

  it('a host that exited shows in the status bar, and is greeted again at once so the bar shows it back', async () => {
    const store = await readyStore();
    const status = useStatusStore();
    expect(status.host).toBe('ok');
    world.face.detectResult = new FaceError('HOST_NOT_FOUND', 'Specified native messaging host not found.');
    const started = store.start();
    await flush();
    world.face.fail(new FaceError('HOST_EXITED', 'Native host has exited.'));
    await started;
    await flush();
    expect(store.error?.code).toBe('HOST_EXITED');
    // The greeting after the exit found no host: the bar says so instead of the old hello's "ok".
    expect(world.face.calls.filter((c) => c === 'detect')).toHaveLength(2);
    expect(status.host).toBe('missing');

    world.face.detectResult = hello();
    const again = store.start();
    await flush();
    world.face.fail(new FaceError('HOST_EXITED', 'Native host has exited.'));
    await again;
    await flush();
    expect(status.host).toBe('ok');
  });

  it('AUTHINFO_INVALID is refreshed and retried once by the session, and the face is found', async () => {
    const store = await readyStore();
    const started = store.start();
    await flush();
    world.face.fail(new FaceError('AUTHINFO_INVALID', 'AuthInfo License Error', { returnCode: 'PARAM_ERROR' }));
    await flush();
    await flush();
    expect(world.face.userInfoParams).toHaveLength(2);
    expect(world.face.userInfoParams[1]?.authinfo).toBe('AUTH-2');
    world.face.face('oWANG');
    await started;
    expect(store.phase).toBe('found');
  });

  it('a server failure during the member lookup fails the lookup step (not the face) with that code', async () => {
    const store = await readyStore();
    const started = store.start();
    await flush();
    world.api.failNext = new FaceError('INTERNAL_ERROR', 'boom');
    world.face.face('oWANG');
    await started;
    expect(store.phase).toBe('failed');
    expect(store.failedStep).toBe('lookup');
    expect(store.error?.code).toBe('INTERNAL_ERROR');
    expect(useStatusStore().errors[0]).toMatchObject({ where: 'server', code: 'INTERNAL_ERROR' });
    // The face chain is fine: no host re-check, and the face step's own failure is another step.
    expect(useStatusStore().host).toBe('ok');
    const again = store.start();
    await flush();
    world.face.fail(new FaceError('SDK_ERROR', 'camera busy'));
    await again;
    expect(store.failedStep).toBe('face');
  });

  it('a server that cannot be reached during the lookup: a face not seen on this till is held for sync by its openid', async () => {
    const store = await readyStore();
    const started = store.start();
    await flush();
    world.api.failNext = new FaceError('NETWORK_ERROR', 'Cannot reach the server');
    world.face.face('oWANG', '王芳');
    await started;
    expect(store.phase).toBe('unknown_offline');
    expect(store.error).toBeNull();
    expect(useMemberStore().pendingCustomer).toEqual({ openid: 'oWANG', nickname: '王芳' });
    expect(useMemberStore().current).toBeNull();
  });

  it('a server that cannot be reached: a member seen recently on this till is recognised from the cache, points as last known', async () => {
    const store = await readyStore();
    const first = store.start();
    await flush();
    world.face.face('oWANG');
    await first;
    expect(store.phase).toBe('found');
    await vi.waitFor(async () => expect(await world.offline.members.recall('oWANG')).not.toBeNull());
    useStatusStore().markUnreachable(new FaceError('NETWORK_ERROR', 'down'));
    // Offline, the server is not asked at all (it would fail this lookup).
    world.api.failNext = new FaceError('INTERNAL_ERROR', 'must not be asked');
    const second = store.start();
    await flush();
    world.face.face('oWANG');
    await second;
    expect(store.phase).toBe('found');
    expect(useMemberStore().current).toMatchObject({ id: 'm1', nickname: '王芳', points: 120 });
    expect(useMemberStore().lastKnown).toBe(true);
  });

  it('the extension saying the host exited shows at once in the status bar; a fresh host clears it', async () => {
    const store = await readyStore();
    const status = useStatusStore();
    world.face.onHostStatus((news) => store.onHostStatus(news)); // as main.ts wires it
    world.face.hostStatus({ channel: 'pos-face', type: 'status', host: 'exited', error: { code: 'HOST_EXITED', message: 'Native host has exited.' } });
    expect(status.host).toBe('error');
    expect(status.errors[0]?.code).toBe('HOST_EXITED');
    // The face step is still offered: the next request starts a fresh host.
    expect(store.phase).toBe('ready');
    world.face.hostStatus({ channel: 'pos-face', type: 'status', host: 'connected', version: '0.1.0' });
    expect(status.host).toBe('ok');
  });

  it('reports each step\'s outcome (never an openid) and the versions from hello', async () => {
    const store = await readyStore();
    expect(world.report.sentVersions).toEqual([{ extension: '0.1.0', host: '0.1.0' }]);
    const step = async (settle: () => void) => {
      const started = store.start();
      await flush();
      settle();
      await started;
      await flush();
    };
    await step(() => world.face.face('oWANG'));
    await step(() => world.face.fail(new FaceError('SDK_ERROR', 'x')));
    await step(() => world.face.fail(new FaceError('USER_CANCEL', 'x')));
    // Not a member: reported when its step is over, as enrolled if it led to an enrolment.
    await step(() => world.face.face('oNEW1', '新一'));
    expect(world.report.outcomes).toHaveLength(3);
    expect(await store.enrol()).toBe(true);
    await step(() => world.face.face('oNEW2', '新二'));
    store.dismiss();
    world.api.failNext = new FaceError('INTERNAL_ERROR', 'down');
    await step(() => world.face.face('oWANG'));
    expect(world.report.outcomes).toEqual([
      ['member_found'],
      ['failed', 'SDK_ERROR'],
      ['cancelled'],
      ['enrolled'],
      ['not_member'],
      ['failed', 'INTERNAL_ERROR'],
    ]);
    expect(JSON.stringify(world.report)).not.toMatch(/oWANG|oNEW/);
  });

  it('"member found" lasts only while the member is on the sale', async () => {
    const store = await readyStore();
    const started = store.start();
    await flush();
    world.face.face('oWANG');
    await started;
    expect(store.phase).toBe('found');
    useMemberStore().detach();
    await flush();
    expect(store.phase).toBe('ready');
  });

  it('a second F2 while scanning does not start a second SDK call', async () => {
    const store = await readyStore();
    const started = store.start();
    await flush();
    await store.start();
    expect(world.face.userInfoParams).toHaveLength(1);
    world.face.face('oWANG');
    await started;
  });

  it('dismiss (Esc after a result) goes back to ready', async () => {
    const store = await readyStore();
    const started = store.start();
    await flush();
    world.face.fail(new FaceError('TIMEOUT', 'no answer'));
    await started;
    expect(store.phase).toBe('failed');
    await store.cancel();
    expect(store.phase).toBe('ready');
    expect(store.error).toBeNull();
  });
});

describe('face state machine: release policy', () => {
  beforeEach(() => localStorage.clear());

  it('never releases when the terminal does not ask for it (init once)', async () => {
    const store = await readyStore({ release_after_session: false });
    for (let i = 0; i < 2; i += 1) {
      const started = store.start();
      await flush();
      world.face.face('oWANG');
      await started;
    }
    expect(world.face.calls.filter((c) => c === 'init')).toHaveLength(1);
    expect(world.face.calls).not.toContain('release');
  });

  it('releases after each session and inits again before the next when release_after_session', async () => {
    const store = await readyStore({ release_after_session: true });
    let started = store.start();
    await flush();
    world.face.face('oWANG');
    await started;
    started = store.start();
    await flush();
    world.face.fail(new FaceError('USER_CANCEL', 'x'));
    await started;
    const seq = world.face.calls.filter((c) => ['init', 'userInfo', 'release'].includes(c));
    expect(seq).toEqual(['init', 'userInfo', 'release', 'init', 'userInfo', 'release']);
  });
});

describe('face → cart', () => {
  beforeEach(() => localStorage.clear());

  it('member prices apply to the cart as soon as the face is found', async () => {
    const store = await readyStore();
    const cart = useCartStore();
    cart.add(product('p1', 1000, 800));
    cart.add(product('p2', 500, null));
    expect(cart.summary.totalFen).toBe(1500);
    const started = store.start();
    await flush();
    world.face.face('oWANG');
    await started;
    expect(cart.summary.totalFen).toBe(1300);
    expect(cart.summary.memberSavingsFen).toBe(200);
  });
});
