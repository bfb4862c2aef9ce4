import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { FaceError, normalizePhone } from '@posface/protocol';
import type { Member, Recommendation } from '@posface/protocol/api';
import { isUnreachable } from '../api/http.js';
import { services } from '../services.js';
import { useStatusStore } from './status.js';

/** How many recommendations the member panel shows. */
export const TOP_RECOMMENDATIONS = 4;

/** A face the SDK recognised that is not a member yet: what enrolment needs. */
export interface EnrolCandidate {
  openid: string;
  sub_openid?: string;
  nickname: string;
}

function invalidPhone(): FaceError {
  return new FaceError('INVALID_REQUEST', 'The phone number must be 11 digits starting with 1', { details: { field: 'phone', reason: 'format' } });
}

/** A face recognised while the server was unreachable and not among the members this till saw recently. */
export const UNKNOWN_OFFLINE = 'unknown_offline';

/**
 * The member attached to the current sale, and the ways to find or enrol one. The phone lookup and the
 * enrolment each keep their own error, so each is shown beside its own form whatever else is on screen.
 * While the server cannot be reached, a face is looked up among the members seen recently on this till
 * (offline/member-cache.ts); a face not among them is kept with the sale by its openid (`pendingCustomer`),
 * for the server to credit at sync.
 */
export const useMemberStore = defineStore('member', () => {
  const current = ref<Member | null>(null);
  /** `current` came from this till's cache: its points are the last known, not the server's now. */
  const lastKnown = ref(false);
  /** The unrecognised face of an offline sale: its openid goes with the sale and nowhere else. */
  const pendingCustomer = shallowRef<{ openid: string; nickname: string } | null>(null);
  const recommendations = ref<Recommendation[]>([]);
  const phoneMatches = ref<Member[]>([]);
  const busy = ref(false);
  const phoneError = ref<FaceError | null>(null);
  const enrolError = ref<FaceError | null>(null);

  function fail(e: unknown): FaceError {
    const err = FaceError.wrap(e, 'INTERNAL_ERROR');
    useStatusStore().record('server', err);
    return err;
  }

  function attach(member: Member, options: { lastKnown?: boolean } = {}): void {
    current.value = member;
    lastKnown.value = options.lastKnown ?? false;
    pendingCustomer.value = null;
    phoneMatches.value = [];
    phoneError.value = null;
    enrolError.value = null;
    recommendations.value = [];
    if (!useStatusStore().offline) void loadRecommendations(member.id);
  }

  /** A member seen on this till is remembered for offline lookups (failure to store costs only that). */
  function remember(openid: string, member: Member): void {
    void services().offline.members.remember(openid, member).catch((e: unknown) => {
      useStatusStore().record('offline-data', FaceError.wrap(e, 'INTERNAL_ERROR'));
    });
  }

  async function loadRecommendations(memberId: string): Promise<void> {
    try {
      const items = await services().api.recommendations(memberId);
      // The member may have been detached or replaced while this was in flight.
      if (current.value?.id === memberId) recommendations.value = items.slice(0, TOP_RECOMMENDATIONS);
    } catch (e) {
      // Recommendations are a nicety: the sale goes on; the error is recorded for diagnostics.
      useStatusStore().record('recommendations', FaceError.wrap(e, 'INTERNAL_ERROR'));
    }
  }

  /**
   * Face path: the member with this openid is attached; null means "not a member yet". With the server
   * unreachable: a member seen recently on this till (attached, points as last known), else UNKNOWN_OFFLINE.
   */
  async function lookupByOpenid(openid: string): Promise<Member | null | typeof UNKNOWN_OFFLINE> {
    if (!useStatusStore().offline) {
      try {
        const member = await services().api.memberByOpenid(openid);
        if (member) {
          attach(member);
          remember(openid, member);
        }
        return member;
      } catch (e) {
        if (!isUnreachable(e)) throw e;
      }
    }
    const known = await services().offline.members.recall(openid);
    if (known) {
      attach(known, { lastKnown: true });
      return known;
    }
    return UNKNOWN_OFFLINE;
  }

  /** An unrecognised face at an offline till: the sale goes without member prices, its points credited at sync. */
  function holdForSync(face: { openid: string; nickname: string }): void {
    detach();
    pendingCustomer.value = face;
  }

  /** Fallback path. One match attaches at once; several are offered to pick from. */
  async function lookupByPhone(phone: string): Promise<Member[]> {
    const normalized = normalizePhone(phone);
    phoneMatches.value = [];
    if (normalized === null) {
      phoneError.value = invalidPhone();
      return [];
    }
    busy.value = true;
    phoneError.value = null;
    try {
      const found = await services().api.membersByPhone(normalized);
      if (found.length === 1 && found[0]) attach(found[0]);
      else phoneMatches.value = found;
      if (found.length === 0) phoneError.value = new FaceError('NOT_FOUND', 'No member with this phone number');
      return found;
    } catch (e) {
      phoneError.value = fail(e);
      return [];
    } finally {
      busy.value = false;
    }
  }

  async function enrol(candidate: EnrolCandidate, phone?: string): Promise<Member | null> {
    const typed = phone?.trim() ?? '';
    const normalized = typed === '' ? null : normalizePhone(typed);
    if (typed !== '' && normalized === null) {
      enrolError.value = invalidPhone();
      return null;
    }
    busy.value = true;
    enrolError.value = null;
    try {
      const member = await services().api.createMember({
        openid: candidate.openid,
        ...(candidate.sub_openid ? { sub_openid: candidate.sub_openid } : {}),
        // WeChat nicknames can be empty; the server needs one, so fall back to a neutral name.
        nickname: candidate.nickname.trim().slice(0, 64) || '微信用户',
        ...(normalized ? { phone: normalized } : {}),
      });
      attach(member);
      if (candidate.openid) remember(candidate.openid, member);
      return member;
    } catch (e) {
      enrolError.value = fail(e);
      return null;
    } finally {
      busy.value = false;
    }
  }

  /** After a sale the server's balance is the truth. */
  function setPoints(points: number): void {
    if (current.value) current.value = { ...current.value, points };
    lastKnown.value = false;
  }

  /** The member leaves the sale, and with them whatever the lookups and enrolment left on screen. */
  function detach(): void {
    current.value = null;
    lastKnown.value = false;
    pendingCustomer.value = null;
    recommendations.value = [];
    phoneMatches.value = [];
    phoneError.value = null;
    enrolError.value = null;
  }

  return {
    current,
    lastKnown,
    pendingCustomer,
    recommendations,
    phoneMatches,
    busy,
    phoneError,
    enrolError,
    attach,
    lookupByOpenid,
    lookupByPhone,
    holdForSync,
    enrol,
    setPoints,
    detach,
  };
});
