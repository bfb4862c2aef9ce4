import { FaceError } from '@posface/protocol';
import { CATALOGUE_PAGE_MAX, CataloguePage, CatalogueQuery, ProductList, ProductQuery } from '@posface/protocol/api';
import { ERROR_RESPONSES } from './errors.js';
import type { Api, RouteDeps } from './types.js';

/**
 * GET /api/v1/products?barcode= (exact) | ?q= (name, English name or barcode contains), with their tier prices;
 * GET /api/v1/products/catalogue?after=&limit= (every product with its tier prices, a page at a time: the till's offline copy).
 */
export function productRoutes(app: Api, deps: RouteDeps): void {
  const { products, loyalty } = deps.storage;
  app.get(
    '/products',
    { schema: { querystring: ProductQuery, response: { 200: ProductList, ...ERROR_RESPONSES } } },
    async (request) => {
      const { q, barcode } = request.query;
      const limit = request.query.limit ?? 20;
      if (q !== undefined && barcode !== undefined) {
        throw new FaceError('INVALID_REQUEST', 'querystring: give q or barcode, not both', { details: { field: 'querystring.q' } });
      }
      const found = barcode !== undefined ? await products.byBarcode(barcode) : q !== undefined ? await products.search(q, limit) : await products.list(limit);
      return { items: await loyalty.tierPrices.attach(found) };
    },
  );

  app.get(
    '/products/catalogue',
    { schema: { querystring: CatalogueQuery, response: { 200: CataloguePage, ...ERROR_RESPONSES } } },
    async (request) => {
      const limit = request.query.limit ?? CATALOGUE_PAGE_MAX;
      const items = await loyalty.tierPrices.attach(await products.page(request.query.after, limit));
      return { items, next: items.length === limit ? (items.at(-1)?.id ?? null) : null };
    },
  );
}
