import { FaceError } from '@posface/protocol';
import { ProductList, ProductQuery } from '@posface/protocol/api';
import { ERROR_RESPONSES } from './errors.js';
import type { Api, RouteDeps } from './types.js';

/** GET /api/v1/products?barcode= (exact) | ?q= (name, English name or barcode contains), with their tier prices. */
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
}
