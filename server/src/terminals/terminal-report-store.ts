import { RECOGNISED_OUTCOMES, type FaceOutcome } from '@posface/protocol';
import type { TerminalReportRequest } from '@posface/protocol/api';
import { sql } from 'kysely';
import type { Db } from '../db/connect.js';
import type { Terminal } from './terminal-store.js';

/** A till's clock may be off: an event dated further ahead than this is counted at the time it arrived. */
const FUTURE_SLACK_MS = 5 * 60_000;

export interface TerminalVersionsRow {
  extension: string | null;
  host: string | null;
  sdk: string | null;
  reported_at: string;
}

export type FaceCounts = Record<FaceOutcome | 'attempts' | 'recognised', number>;

export function emptyFaceCounts(): FaceCounts {
  return { attempts: 0, recognised: 0, member_found: 0, not_member: 0, enrolled: 0, cancelled: 0, failed: 0 };
}

/** What tills report (POST /api/v1/terminal/report): versions, and face outcomes without any openid. */
export class TerminalReportStore {
  constructor(private readonly db: Db) {}

  /** Stores a report; events this terminal sent before (same id) are not counted twice. */
  async record(terminal: Terminal, report: TerminalReportRequest, now = new Date()): Promise<{ accepted: number; duplicates: number }> {
    const receivedAt = now.toISOString();
    const events = report.face_events ?? [];
    return this.db.kysely.transaction().execute(async (trx) => {
      if (report.versions !== undefined) {
        const v = { extension_version: report.versions.extension ?? null, host_version: report.versions.host ?? null, sdk_version: report.versions.sdk ?? null, reported_at: receivedAt };
        await trx
          .insertInto('terminal_status')
          .values({ terminal_id: terminal.id, ...v })
          .onConflict((oc) => oc.column('terminal_id').doUpdateSet(v))
          .execute();
      }
      if (events.length === 0) return { accepted: 0, duplicates: 0 };
      const latest = now.getTime() + FUTURE_SLACK_MS;
      const inserted = await trx
        .insertInto('face_events')
        .values(
          events.map((e) => ({
            terminal_id: terminal.id,
            event_id: e.id,
            store_id: terminal.store_id,
            outcome: e.outcome,
            error_code: e.error_code ?? null,
            at: Date.parse(e.at) > latest ? receivedAt : new Date(e.at).toISOString(),
            received_at: receivedAt,
          })),
        )
        .onConflict((oc) => oc.columns(['terminal_id', 'event_id']).doNothing())
        .returning('event_id')
        .execute();
      return { accepted: inserted.length, duplicates: events.length - inserted.length };
    });
  }

  async versions(): Promise<Map<string, TerminalVersionsRow>> {
    const rows = await this.db.kysely.selectFrom('terminal_status').selectAll().execute();
    return new Map(rows.map((r) => [r.terminal_id, { extension: r.extension_version, host: r.host_version, sdk: r.sdk_version, reported_at: r.reported_at }]));
  }

  /** Face outcomes per terminal in [from, to) (ISO instants). */
  async faceCounts(from: string, to: string): Promise<Map<string, FaceCounts & { store_id: string }>> {
    const rows = await this.db.kysely
      .selectFrom('face_events')
      .select(['terminal_id', 'store_id', 'outcome', sql<number>`count(*)`.as('n')])
      .where('at', '>=', from)
      .where('at', '<', to)
      .groupBy(['terminal_id', 'store_id', 'outcome'])
      .execute();
    const out = new Map<string, FaceCounts & { store_id: string }>();
    for (const r of rows) {
      const counts = out.get(r.terminal_id) ?? { ...emptyFaceCounts(), store_id: r.store_id };
      const n = Number(r.n);
      const outcome = r.outcome as FaceOutcome;
      if (Object.hasOwn(counts, outcome)) counts[outcome] += n;
      counts.attempts += n;
      if (RECOGNISED_OUTCOMES.includes(outcome)) counts.recognised += n;
      out.set(r.terminal_id, counts);
    }
    return out;
  }
}
