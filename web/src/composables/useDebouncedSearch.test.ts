import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h, nextTick } from 'vue';
import { mount } from '@vue/test-utils';
import { deferred } from '../testing/fakes.js';
import { useDebouncedSearch } from './useDebouncedSearch.js';

function harness(search: (q: string, limit: number) => Promise<string[]>) {
  let api!: ReturnType<typeof useDebouncedSearch<string>>;
  mount(
    defineComponent({
      setup() {
        api = useDebouncedSearch(search, { delayMs: 250, maxRows: 3 });
        return () => h('div');
      },
    }),
  );
  return api;
}

describe('useDebouncedSearch', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('searches once, 250 ms after the last key, and caps the rows', async () => {
    const search = vi.fn(async (q: string) => [`${q}1`, `${q}2`, `${q}3`, `${q}4`, `${q}5`]);
    const s = harness(search);
    for (const q of ['m', 'mi', 'mil', 'milk']) {
      s.query.value = q;
      await nextTick();
      vi.advanceTimersByTime(100);
    }
    expect(search).not.toHaveBeenCalled();
    vi.advanceTimersByTime(150);
    await vi.runAllTimersAsync();
    expect(search).toHaveBeenCalledTimes(1);
    expect(search).toHaveBeenCalledWith('milk', 3);
    expect(s.results.value).toEqual(['milk1', 'milk2', 'milk3']);
  });

  it('drops a slow answer that arrives after a newer one', async () => {
    const slow = deferred<string[]>();
    const search = vi.fn((q: string) => (q === 'a' ? slow.promise : Promise.resolve(['b-result'])));
    const s = harness(search);
    s.query.value = 'a';
    await nextTick();
    vi.advanceTimersByTime(250);
    s.query.value = 'b';
    await nextTick();
    await s.flush();
    slow.resolve(['stale']);
    await vi.runAllTimersAsync();
    expect(s.results.value).toEqual(['b-result']);
  });
});
