import { FaceError } from '@posface/protocol';
import type { FaceRow, SalesRow } from '@posface/protocol/admin-api';
import { sql } from 'kysely';
import type { Db } from '../db/connect.js';
import { safeInt } from '../db/integers.js';
import type { TerminalReportStore } from '../terminals/terminal-report-store.js';

/** At most this many days per report (a year and a day). */
export const REPORT_MAX_DAYS = 366;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export interface ReportRange {
  /** First and last day (YYYY-MM-DD), in the stores' calendar. */
  from: string;
  to: string;
  /** Hours from UTC (the stores' time zone; China: 8). */
  utcOffset: number;
  bucket: 'day' | 'week';
}

/** The range as UTC instants [start, end), checked. */
export function instants(range: ReportRange): { start: string; end: string; days: number } {
  const from = Date.parse(`${range.from}T00:00:00Z`);
  const to = Date.parse(`${range.to}T00:00:00Z`);
  if (!(to >= from)) throw new FaceError('INVALID_REQUEST', `querystring.to (${range.to}) is before querystring.from (${range.from})`, { details: { field: 'querystring.to' } });
  const days = (to - from) / DAY_MS + 1;
  if (days > REPORT_MAX_DAYS) throw new FaceError('INVALID_REQUEST', `at most ${REPORT_MAX_DAYS} days per report, asked for ${days}`, { details: { field: 'querystring.from' } });
  const shift = range.utcOffset * HOUR_MS;
  return { start: new Date(from - shift).toISOString(), end: new Date(to + DAY_MS - shift).toISOString(), days };
}

/** The period (day, or the Monday starting its week) of a UTC hour "YYYY-MM-DDTHH" in the stores' calendar. */
export function periodOf(utcHour: string, range: ReportRange): string {
  const local = new Date(Date.parse(`${utcHour}:00:00Z`) + range.utcOffset * HOUR_MS);
  if (range.bucket === 'week') local.setUTCDate(local.getUTCDate() - ((local.getUTCDay() + 6) % 7));
  return local.toISOString().slice(0, 10);
}

/** Every period of the range, in order (so a chart shows the days without sales too). */
export function periods(range: ReportRange): string[] {
  const out: string[] = [];
  const from = Date.parse(`${range.from}T00:00:00Z`);
  const to = Date.parse(`${range.to}T00:00:00Z`);
  for (let t = from; t <= to; t += DAY_MS) {
    const p = periodOf(new Date(t - range.utcOffset * HOUR_MS).toISOString().slice(0, 13), range);
    if (out[out.length - 1] !== p) out.push(p);
  }
  return out;
}

/**
 * The back office's reports. Times are stored as UTC ISO text on both engines, so rows are grouped by
 * UTC hour in SQL (substr, portable) and folded into the stores' days or weeks here.
 */
export class Reports {
  constructor(
    private readonly db: Db,
    private readonly terminalReports: TerminalReportStore,
  ) {}

  async sales(range: ReportRange): Promise<SalesRow[]> {
    const { start, end } = instants(range);
    const rows = await this.db.kysely
      .selectFrom('orders')
      .select([
        sql<string>`substr(created_at, 1, 13)`.as('hour'),
        sql<number>`count(*)`.as('orders'),
        sql<number>`sum(total_fen)`.as('total'),
        sql<number>`sum(case when member_id is null then 0 else 1 end)`.as('member_orders'),
        sql<number>`sum(case when member_id is null then 0 else total_fen end)`.as('member_total'),
      ])
      .where('created_at', '>=', start)
      .where('created_at', '<', end)
      .groupBy(sql`substr(created_at, 1, 13)`)
      .execute();
    const out = new Map(periods(range).map((p) => [p, { period: p, orders: 0, total_fen: 0, member_orders: 0, member_total_fen: 0 }]));
    for (const r of rows) {
      const row = out.get(periodOf(r.hour, range));
      if (row === undefined) continue;
      row.orders += safeInt(r.orders, 'orders');
      row.total_fen += safeInt(r.total, 'total_fen');
      row.member_orders += safeInt(r.member_orders, 'member_orders');
      row.member_total_fen += safeInt(r.member_total, 'member_total_fen');
    }
    return [...out.values()];
  }

  async enrolments(range: ReportRange): Promise<{ period: string; members: number }[]> {
    const { start, end } = instants(range);
    const rows = await this.db.kysely
      .selectFrom('members')
      .select([sql<string>`substr(created_at, 1, 13)`.as('hour'), sql<number>`count(*)`.as('n')])
      .where('created_at', '>=', start)
      .where('created_at', '<', end)
      .groupBy(sql`substr(created_at, 1, 13)`)
      .execute();
    const out = new Map(periods(range).map((p) => [p, { period: p, members: 0 }]));
    for (const r of rows) {
      const row = out.get(periodOf(r.hour, range));
      if (row !== undefined) row.members += safeInt(r.n, 'members');
    }
    return [...out.values()];
  }

  async topProducts(range: ReportRange, limit: number): Promise<{ product_id: string; name: string; quantity: number; total_fen: number }[]> {
    const { start, end } = instants(range);
    const rows = await this.db.kysely
      .selectFrom('order_lines')
      .innerJoin('orders', 'orders.id', 'order_lines.order_id')
      .select([
        'order_lines.product_id',
        sql<string>`max(order_lines.name)`.as('name'),
        sql<number>`sum(order_lines.quantity)`.as('quantity'),
        sql<number>`sum(order_lines.line_total_fen)`.as('total'),
      ])
      .where('orders.created_at', '>=', start)
      .where('orders.created_at', '<', end)
      .groupBy('order_lines.product_id')
      .orderBy(sql`sum(order_lines.quantity)`, 'desc')
      .orderBy('order_lines.product_id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ product_id: r.product_id, name: r.name, quantity: safeInt(r.quantity, 'quantity'), total_fen: safeInt(r.total, 'total_fen') }));
  }

  /** Face steps per store and terminal in the range (terminals without any are left out). */
  async face(range: ReportRange): Promise<FaceRow[]> {
    const { start, end } = instants(range);
    const counts = await this.terminalReports.faceCounts(start, end);
    if (counts.size === 0) return [];
    const devices = await this.db.kysely.selectFrom('terminals').select(['id', 'device_id']).where('id', 'in', [...counts.keys()]).execute();
    const deviceOf = new Map(devices.map((d) => [d.id, d.device_id]));
    return [...counts.entries()]
      .map(([terminalId, c]) => ({
        store_id: c.store_id,
        terminal_id: terminalId,
        device_id: deviceOf.get(terminalId) ?? '',
        attempts: c.attempts,
        recognised: c.recognised,
        member_found: c.member_found,
        enrolled: c.enrolled,
        cancelled: c.cancelled,
        failed: c.failed,
      }))
      .sort((a, b) => a.store_id.localeCompare(b.store_id) || a.device_id.localeCompare(b.device_id));
  }
}
