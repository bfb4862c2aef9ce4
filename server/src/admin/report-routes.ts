import { EnrolmentReport, EnrolmentRow, FaceReport, FaceRow, ReportQuery, SalesReport, SalesRow, TopProductReport, TopProductRow } from '@posface/protocol/admin-api';
import { stringify } from 'csv-stringify/sync';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { ERROR_RESPONSES } from '../routes/errors.js';
import type { Api } from '../routes/types.js';
import type { AdminDeps } from './back-office.js';
import type { ReportRange } from './reports.js';

function rangeOf(query: ReportQuery): ReportRange {
  return { from: query.from, to: query.to, utcOffset: query.utc_offset ?? 8, bucket: query.bucket ?? 'day' };
}

/** `format=csv`: the same rows as a CSV download (header = the JSON field names). */
function answer<T extends object>(reply: FastifyReply, query: ReportQuery, name: string, row: { properties: object }, rows: T[]): { rows: T[] } | string {
  if (query.format !== 'csv') return { rows };
  reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}-${query.from}-${query.to}.csv"`);
  return stringify(rows as unknown as Record<string, unknown>[], { header: true, columns: Object.keys(row.properties) });
}

/** GET /reports/{sales,face,enrolments,top-products}?from&to[&bucket][&utc_offset][&format=csv]. */
export function reportRoutes(app: Api, deps: AdminDeps): void {
  const { reports } = deps.office;
  const config = { permission: 'reports.read' } as const;
  const schema = (rows: typeof SalesReport | typeof FaceReport | typeof EnrolmentReport | typeof TopProductReport) => ({
    querystring: ReportQuery,
    response: { 200: Type.Union([rows, Type.String()]), ...ERROR_RESPONSES },
  });

  app.get('/reports/sales', { config, schema: schema(SalesReport) }, async (request, reply) => answer(reply, request.query, 'sales', SalesRow, await reports.sales(rangeOf(request.query))));
  app.get('/reports/face', { config, schema: schema(FaceReport) }, async (request, reply) => answer(reply, request.query, 'face', FaceRow, await reports.face(rangeOf(request.query))));
  app.get('/reports/enrolments', { config, schema: schema(EnrolmentReport) }, async (request, reply) =>
    answer(reply, request.query, 'enrolments', EnrolmentRow, await reports.enrolments(rangeOf(request.query))),
  );
  app.get('/reports/top-products', { config, schema: schema(TopProductReport) }, async (request, reply) =>
    answer(reply, request.query, 'top-products', TopProductRow, await reports.topProducts(rangeOf(request.query), request.query.limit ?? 10)),
  );
}
