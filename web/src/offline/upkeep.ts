import { watch } from 'vue';
import { FaceError } from '@posface/protocol';
import type { PosApiPort, Services } from '../services.js';
import type { useOutboxStore } from '../stores/outbox.js';
import type { useStatusStore } from '../stores/status.js';
import { CATALOGUE_REFRESH_MS } from './catalogue-cache.js';

/** Waiting sales are sent again this often while the server answers (after a 503, a 429, a lost answer). */
export const SYNC_RETRY_MS = 15_000;
/** The member cache is purged and old sync records dropped this often. */
const PURGE_MS = 3_600_000;

export interface UpkeepOptions {
  api: Pick<PosApiPort, 'cataloguePage'>;
  offline: Services['offline'];
  status: ReturnType<typeof useStatusStore>;
  outbox: ReturnType<typeof useOutboxStore>;
}

/**
 * The offline data's background work while the till is paired: the outbox is sent the moment the server
 * is back (and retried while sales wait), the catalogue copy refreshed, old entries purged. Returns a stop function.
 */
export function startOfflineUpkeep({ api, offline, status, outbox }: UpkeepOptions): () => void {
  let catalogueAt = -Infinity;
  const failed = (where: string) => (e: unknown) => status.record(where, FaceError.wrap(e, 'INTERNAL_ERROR'));

  const refreshCatalogue = (): void => {
    if (status.offline || Date.now() - catalogueAt < CATALOGUE_REFRESH_MS) return;
    catalogueAt = Date.now();
    offline.catalogue.refresh((after) => api.cataloguePage(after)).catch((e: unknown) => {
      catalogueAt = -Infinity;
      failed('catalogue')(e);
    });
  };
  // Known unreachable: no request (the first of the queue would only fail); the watch below sends them when back.
  const sync = (): void => {
    if (!status.offline) void outbox.drain().catch(failed('sync'));
  };
  const purge = (): void => {
    offline.members.purge().catch(failed('offline-data'));
    offline.outbox.prune().catch(failed('offline-data'));
  };

  void outbox.load().then(sync, failed('offline-data'));
  refreshCatalogue();
  purge();
  const stopWatch = watch(
    () => status.offline,
    (offlineNow) => {
      if (offlineNow) return;
      sync();
      refreshCatalogue();
    },
  );
  const timers = [
    setInterval(() => {
      if (outbox.waiting.length > 0) sync();
    }, SYNC_RETRY_MS),
    setInterval(refreshCatalogue, 60_000),
    setInterval(purge, PURGE_MS),
  ];
  return () => {
    stopWatch();
    for (const t of timers) clearInterval(t);
  };
}
