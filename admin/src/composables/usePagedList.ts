import { ref, shallowRef } from 'vue';
import { useErrorText } from './useErrorText';

/** A server-side paged, searchable list: `fetch` gets {page, per_page, q}; the view binds the refs. */
export function usePagedList<T>(fetch: (query: { page: number; per_page: number; q?: string }) => Promise<{ items: T[]; total: number }>, perPage = 20) {
  const errorText = useErrorText();
  const items = shallowRef<T[]>([]);
  const total = ref(0);
  const page = ref(1);
  const q = ref('');
  const loading = ref(false);
  const error = ref<string | null>(null);

  async function load(): Promise<void> {
    loading.value = true;
    try {
      const query = q.value.trim();
      const answer = await fetch({ page: page.value, per_page: perPage, ...(query !== '' ? { q: query } : {}) });
      items.value = answer.items;
      total.value = answer.total;
      error.value = null;
    } catch (e) {
      error.value = errorText(e);
    } finally {
      loading.value = false;
    }
  }

  /** A new search starts at page 1. */
  function search(): Promise<void> {
    page.value = 1;
    return load();
  }

  return { items, total, page, q, perPage, loading, error, load, search };
}
