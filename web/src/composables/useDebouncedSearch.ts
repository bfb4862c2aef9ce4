import { onBeforeUnmount, ref, shallowRef, watch, type Ref } from 'vue';
import { FaceError } from '@posface/protocol';

const SEARCH_DELAY_MS = 250;
const SEARCH_MAX_ROWS = 8;

/**
 * Search as the cashier types: waits `delayMs` after the last key, caps the rows, and drops answers
 * that arrive after a newer query (a slow answer never overwrites a fresh one).
 */
export function useDebouncedSearch<T>(
  search: (query: string, limit: number) => Promise<T[]>,
  options: { delayMs?: number; maxRows?: number; minLength?: number } = {},
): {
  query: Ref<string>;
  results: Ref<T[]>;
  loading: Ref<boolean>;
  error: Ref<FaceError | null>;
  flush: () => Promise<T[]>;
  reset: () => void;
} {
  const delayMs = options.delayMs ?? SEARCH_DELAY_MS;
  const maxRows = options.maxRows ?? SEARCH_MAX_ROWS;
  const minLength = options.minLength ?? 1;
  const query = ref('');
  const results = shallowRef<T[]>([]);
  const loading = ref(false);
  const error = shallowRef<FaceError | null>(null);
  let timer: ReturnType<typeof setTimeout> | null = null;
  let seq = 0;

  async function run(q: string): Promise<T[]> {
    const mySeq = ++seq;
    const trimmed = q.trim();
    if (trimmed.length < minLength) {
      results.value = [];
      loading.value = false;
      return [];
    }
    loading.value = true;
    try {
      const rows = (await search(trimmed, maxRows)).slice(0, maxRows);
      if (mySeq === seq) {
        results.value = rows;
        error.value = null;
      }
      return rows;
    } catch (e) {
      const err = FaceError.wrap(e, 'INTERNAL_ERROR');
      if (mySeq === seq) error.value = err;
      throw err;
    } finally {
      if (mySeq === seq) loading.value = false;
    }
  }

  function cancelTimer(): void {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  }

  watch(query, (q) => {
    cancelTimer();
    timer = setTimeout(() => {
      timer = null;
      // A failed background search shows in `error`; nothing else to do with it here.
      run(q).catch((e: unknown) => void e);
    }, delayMs);
  });

  /** Enter: search now, without waiting for the debounce. */
  function flush(): Promise<T[]> {
    cancelTimer();
    return run(query.value);
  }

  function reset(): void {
    cancelTimer();
    seq += 1;
    query.value = '';
    results.value = [];
    loading.value = false;
    error.value = null;
  }

  onBeforeUnmount(cancelTimer);
  return { query, results, loading, error, flush, reset };
}
