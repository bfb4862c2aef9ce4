import { defineStore } from 'pinia';
import { ref } from 'vue';
import { FaceError, normalizePhone } from '@posface/protocol';
import type { Member, Recommendation } from '@posface/protocol/api';
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

/**
 * The member attached to the current sale, and the ways to find or enrol one. The phone lookup and the
 * enrolment each keep their own error, so each is shown beside its own form whatever else is on screen.
 */
export const useMemberStore = defineStore('member', () => {
  const current = ref<Member | null>(null);
  const recommendations = ref<Recommendation[]>([]);
  const phoneMatches = ref<Member[]>([]);
  const busy = ref(false);
  const phoneError = ref<FaceError | null>(null);
  const enrolError = ref<FaceError | null>(null);

  function fail(e: unknown): FaceError {
    const err = FaceError.wrap(e, 'INTERNAL_ERROR');
    useStatusStore().setServerError(err);
    return err;
  }

  function attach(member: Member): void {
    current.value = member;
    phoneMatches.value = [];
    phoneError.value = null;
    enrolError.value = null;
    recommendations.value = [];
    void loadRecommendations(member.id);
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

  /** Face path: the member with this openid is attached; null means "not a member yet". */
  async function lookupByOpenid(openid: string): Promise<Member | null> {
    const member = await services().api.memberByOpenid(openid);
    if (member) attach(member);
    return member;
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
  }

  /** The member leaves the sale, and with them whatever the lookups and enrolment left on screen. */
  function detach(): void {
    current.value = null;
    recommendations.value = [];
    phoneMatches.value = [];
    phoneError.value = null;
    enrolError.value = null;
  }

  return {
    current,
    recommendations,
    phoneMatches,
    busy,
    phoneError,
    enrolError,
    attach,
    lookupByOpenid,
    lookupByPhone,
    enrol,
    setPoints,
    detach,
  };
});
