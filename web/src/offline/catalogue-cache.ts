import type { CataloguePage, Product } from '@posface/protocol/api';
import { readMeta, type CatalogueInfo, type PosDb } from './db.js';

/** How often the till refreshes its copy of the catalogue while the server is reachable. */
export const CATALOGUE_REFRESH_MS = 15 * 60_000;

/** One page of GET /api/v1/products/catalogue. */
export type FetchCataloguePage = (after: string | null) => Promise<CataloguePage>;

/**
 * The till's copy of the whole catalogue (prices and member prices), for selling while the server is
 * unreachable. Refreshed whole in the background: every page first, then one transaction swaps the copy, so
 * a refresh cut short leaves the previous copy intact and a product removed on the server goes here too.
 */
export class CatalogueCache {
  constructor(
    private readonly db: Promise<PosDb>,
    private readonly now: () => number = Date.now,
  ) {}

  async refresh(fetchPage: FetchCataloguePage): Promise<CatalogueInfo> {
    const items: Product[] = [];
    let after: string | null = null;
    do {
      const page: CataloguePage = await fetchPage(after);
      items.push(...page.items);
      after = page.next;
    } while (after !== null);
    return this.replace(items);
  }

  async replace(items: readonly Product[]): Promise<CatalogueInfo> {
    const db = await this.db;
    const info: CatalogueInfo = { refreshedAt: this.now(), count: items.length };
    const tx = db.transaction(['products', 'meta'], 'readwrite');
    const products = tx.objectStore('products');
    await products.clear();
    await Promise.all([...items.map((p) => products.put(p)), tx.objectStore('meta').put(info, 'catalogue'), tx.done]);
    return info;
  }

  info(): Promise<CatalogueInfo | undefined> {
    return readMeta(this.db, 'catalogue');
  }

  async byBarcode(barcode: string): Promise<Product[]> {
    return (await this.db).getAllFromIndex('products', 'barcode', barcode);
  }

  /** Name, English name or barcode containing `q` (case-insensitive), in name order, as the server searches. */
  async search(q: string, limit: number): Promise<Product[]> {
    const needle = q.trim().toLowerCase();
    const found: Product[] = [];
    if (needle === '') return found;
    let cursor = await (await this.db).transaction('products').store.index('name').openCursor();
    while (cursor && found.length < limit) {
      const p = cursor.value;
      if (p.name.toLowerCase().includes(needle) || (p.name_en ?? '').toLowerCase().includes(needle) || p.barcode.includes(needle)) found.push(p);
      cursor = await cursor.continue();
    }
    return found;
  }
}
