import { Type } from 'typebox';
import { AdminProduct, AdminProductList, IdParams, ImportQuery, ImportResult, PageQuery, UpdateProductRequest } from '@posface/protocol/admin-api';
import { FaceError } from '@posface/protocol';
import { ERROR_RESPONSES } from '../routes/errors.js';
import type { Api } from '../routes/types.js';
import { actorOf } from './admin-auth.js';
import { changes } from './audit-log.js';
import type { AdminDeps } from './back-office.js';
import { IMPORT_MAX_BYTES, parseProductCsv, productCsv } from './product-csv.js';

/**
 * Products: pages and search, edits (with tier prices), CSV import (all rows or none, `?dry_run=1` to
 * preview) and export. The CSV keeps its fixed columns: tier prices are edited in the form (or by PATCH).
 */
export function productRoutes(app: Api, deps: AdminDeps): void {
  const { catalogue, audit } = deps.office;
  const db = deps.storage.db.kysely;
  const read = { permission: 'products.read' } as const;
  const write = { permission: 'products.write' } as const;

  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: IMPORT_MAX_BYTES }, (_request, body, done) => done(null, body));

  app.get('/products', { config: read, schema: { querystring: PageQuery, response: { 200: AdminProductList, ...ERROR_RESPONSES } } }, async (request) =>
    catalogue.page({ q: request.query.q, page: request.query.page ?? 1, perPage: request.query.per_page ?? 20 }),
  );

  app.get('/products/export', { config: read, schema: { response: { 200: Type.String(), ...ERROR_RESPONSES } } }, async (_request, reply) => {
    const csv = productCsv(await catalogue.all());
    reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="products.csv"');
    return csv;
  });

  app.get('/products/:id', { config: read, schema: { params: IdParams, response: { 200: AdminProduct, ...ERROR_RESPONSES } } }, async (request) => {
    const product = await catalogue.get(request.params.id);
    if (product === null) throw new FaceError('NOT_FOUND', `no product ${request.params.id}`);
    return product;
  });

  app.patch('/products/:id', { config: write, schema: { params: IdParams, body: UpdateProductRequest, response: { 200: AdminProduct, ...ERROR_RESPONSES } } }, async (request) =>
    db.transaction().execute(async (trx) => {
      const { before, after } = await catalogue.update(request.params.id, request.body, trx);
      await audit.write(trx, { actor: actorOf(request), action: 'products.update', target_type: 'product', target_id: after.id, summary: { barcode: after.barcode, ...changes(before, after) } });
      return after;
    }),
  );

  app.post(
    '/products/import',
    {
      config: write,
      bodyLimit: IMPORT_MAX_BYTES,
      schema: { querystring: ImportQuery, body: Type.String(), response: { 200: ImportResult, ...ERROR_RESPONSES } },
    },
    async (request) => {
      if (!(request.headers['content-type'] ?? '').startsWith('text/csv')) {
        throw new FaceError('INVALID_REQUEST', 'send the catalogue as "Content-Type: text/csv"', { details: { field: 'headers.content-type' } });
      }
      const dryRun = request.query.dry_run === true;
      const parsed = parseProductCsv(request.body as string);
      const base = { dry_run: dryRun, rows: parsed.count, errors: parsed.errors };
      if (parsed.errors.length > 0) return { ...base, ok: false, created: 0, updated: 0 };
      if (dryRun) {
        const known = await catalogue.existing(parsed.rows.map((r) => r.barcode));
        return { ...base, ok: true, created: parsed.rows.length - known.size, updated: known.size };
      }
      const started = Date.now();
      const result = await db.transaction().execute(async (trx) => {
        const done = await catalogue.upsert(parsed.rows, trx);
        await audit.write(trx, { actor: actorOf(request), action: 'products.import', target_type: 'product', target_id: null, summary: { rows: parsed.count, ...done } });
        return done;
      });
      request.log.info({ rows: parsed.count, ...result, ms: Date.now() - started }, 'admin: products imported');
      return { ...base, ok: true, ...result };
    },
  );
}
