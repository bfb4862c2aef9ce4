import { randomUUID } from 'node:crypto';
import type { AuditEntry, AuditQuery } from '@posface/protocol/admin-api';
import type { Db } from '../db/connect.js';
import type { Executor } from './staff-store.js';

export interface AuditRecord {
  /** `staff:<username>`, `api-key:<name>`, `cli`. */
  actor: string;
  /** `<domain>.<verb>`: products.update, terminals.create, staff.update, … */
  action: string;
  target_type: string;
  target_id: string | null;
  /** Before/after of the fields changed, or counts; never a secret (passwords, keys, codes). */
  summary: Record<string, unknown>;
}

/**
 * The audit log: every change made in the back office or through the integration API, written in the
 * same transaction as the change (so neither exists without the other). Only the owner reads it.
 */
export class AuditLog {
  constructor(private readonly db: Db) {}

  async write(trx: Executor, record: AuditRecord, now = new Date()): Promise<void> {
    await trx
      .insertInto('audit_log')
      .values({ id: randomUUID(), at: now.toISOString(), ...record, summary: JSON.stringify(record.summary) })
      .execute();
  }

  async list(query: AuditQuery): Promise<{ items: AuditEntry[]; total: number }> {
    const perPage = query.per_page ?? 50;
    const page = query.page ?? 1;
    let q = this.db.kysely.selectFrom('audit_log');
    if (query.action !== undefined) q = q.where('action', '=', query.action);
    if (query.actor !== undefined) q = q.where('actor', '=', query.actor);
    const { total } = await q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const rows = await q.selectAll().orderBy('at', 'desc').orderBy('id', 'desc').limit(perPage).offset((page - 1) * perPage).execute();
    return {
      total: Number(total),
      items: rows.map((r) => ({ id: r.id, at: r.at, actor: r.actor, action: r.action, target_type: r.target_type, target_id: r.target_id, summary: JSON.parse(r.summary) as Record<string, unknown> })),
    };
  }
}

/** The fields of `after` that differ from `before`, as {field: [before, after]}. */
export function changes<T extends object>(before: T, after: T): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  for (const key of Object.keys(after) as (keyof T & string)[]) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) out[key] = [before[key], after[key]];
  }
  return out;
}
