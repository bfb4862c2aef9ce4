import { FaceError } from '@posface/protocol';
import { CATALOGUE_PAGE_MAX, CataloguePage, CatalogueQuery, ProductList, ProductQuery } from '@posface/protocol/api';
import { ERROR_RESPONSES } from './errors.js';
import type { Api, RouteDeps } from './types.js';

/**
 * GET /api/v1/products?barcode= (exact) | ?q= (name, English name or barcode contains);
 * GET /api/v1/products/catalogue?after=&limit= (every product, a page at a time: the till's offline copy).
 */
export function productRoutes(app: Api, deps: RouteDeps): void {
  const { products } = deps.storage;
  app.get(
    '/products',
    { schema: { querystring: ProductQuery, response: { 200: ProductList, ...ERROR_RESPONSES } } },
    async (request) => {
      const { q, barcode } = request.query;
      const limit = request.query.limit ?? 20;
      if (q !== undefined && barcode !== undefined) {
        throw new FaceError('INVALID_REQUEST', 'querystring: give q or barcode, not both', { details: { field: 'querystring.q' } });
      }
      if (barcode !== undefined) return { items: await products.byBarcode(barcode) };
      if (q !== undefined) return { items: await products.search(q, limit) };
      return { items: await products.list(limit) };
    },
  );

  app.get(
    '/products/catalogue',
    { schema: { querystring: CatalogueQuery, response: { 200: CataloguePage, ...ERROR_RESPONSES } } },
    async (request) => {
      const limit = request.query.limit ?? CATALOGUE_PAGE_MAX;
      const items = await products.page(request.query.after, limit);
      return { items, next: items.length === limit ? (items.at(-1)?.id ?? null) : null };
    },
  );
}
