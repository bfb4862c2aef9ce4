import type { Product } from '@posface/protocol/api';
import { isUnreachable } from '../api/http.js';
import type { PosApiPort } from '../services.js';
import type { CatalogueCache } from './catalogue-cache.js';

export interface ProductLookups {
  search(q: string, limit: number): Promise<Product[]>;
  byBarcode(barcode: string): Promise<Product[]>;
}

/**
 * Product lookups: the server while it answers, the till's copy of the catalogue while it cannot be reached
 * (straight away once the status says offline, so a scan never waits for a request that will fail).
 */
export function productLookups(api: Pick<PosApiPort, 'searchProducts' | 'productsByBarcode'>, catalogue: CatalogueCache, offline: () => boolean): ProductLookups {
  const either = async (remote: () => Promise<Product[]>, local: () => Promise<Product[]>) => {
    if (offline()) return local();
    try {
      return await remote();
    } catch (error) {
      if (isUnreachable(error)) return local();
      throw error;
    }
  };
  return {
    search: (q, limit) => either(() => api.searchProducts(q, limit), () => catalogue.search(q, limit)),
    byBarcode: (barcode) => either(() => api.productsByBarcode(barcode), () => catalogue.byBarcode(barcode)),
  };
}
