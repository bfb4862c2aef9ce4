import { onBeforeUnmount, ref, type Ref } from 'vue';

/** The current time (ms), refreshed every `everyMs`, for countdowns such as the authinfo expiry. */
export function useNow(everyMs: number): Ref<number> {
  const now = ref(Date.now());
  const timer = setInterval(() => (now.value = Date.now()), everyMs);
  onBeforeUnmount(() => clearInterval(timer));
  return now;
}
