import { FaceError, type Permission } from '@posface/protocol';
import type { SessionInfo } from '@posface/protocol/admin-api';
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api } from '@/api/admin-client';

/** Who is logged in and what they may do (the server's answer; the server checks every request again). */
export const useSessionStore = defineStore('session', () => {
  const info = ref<SessionInfo | null>(null);
  /** Why the last session ended (expired, logged out elsewhere), for the login screen. */
  const endedBecause = ref<string | null>(null);
  const loaded = ref(false);
  /** The server could not say whether we are logged in (down, unreachable). */
  const loadError = ref<FaceError | null>(null);

  const user = computed(() => info.value?.user ?? null);
  const can = (permission: Permission) => info.value?.permissions.includes(permission) ?? false;

  async function load(): Promise<void> {
    try {
      info.value = await api().session();
      loadError.value = null;
    } catch (error) {
      // 401 is simply "not logged in"; anything else the login screen shows.
      info.value = null;
      loadError.value = error instanceof FaceError && error.code === 'UNAUTHORIZED' ? null : FaceError.wrap(error, 'NETWORK_ERROR');
    } finally {
      loaded.value = true;
    }
  }

  async function login(username: string, password: string): Promise<void> {
    info.value = await api().login(username, password);
    endedBecause.value = null;
  }

  async function logout(): Promise<void> {
    try {
      await api().logout();
    } finally {
      info.value = null;
    }
  }

  /** A request was refused with 401: the session is over. */
  function ended(error: FaceError): void {
    if (info.value !== null) endedBecause.value = error.message;
    info.value = null;
  }

  return { info, user, loaded, loadError, endedBecause, can, load, login, logout, ended };
});
