import { DEFAULT_LOYALTY_RULES, FaceError, loyaltyRulesProblem } from '@posface/protocol';
import { LoyaltyRules } from '@posface/protocol/api';
import type { LoyaltySettings } from '@posface/protocol/admin-api';
import { Value } from 'typebox/value';
import type { Executor } from '../admin/staff-store.js';
import type { Db } from '../db/connect.js';

/**
 * The merchant's loyalty rules: one row, read at every order and lookup (a primary-key read, so every
 * instance of a chain uses the rules as soon as they are saved). No row: the defaults (DEFAULT_LOYALTY_RULES,
 * what the server did before the rules existed).
 */
export class LoyaltySettingsStore {
  constructor(private readonly db: Db) {}

  async get(trx: Executor = this.db.kysely): Promise<LoyaltySettings> {
    const row = await trx.selectFrom('loyalty_settings').selectAll().where('id', '=', 1).executeTakeFirst();
    if (row === undefined) return { rules: DEFAULT_LOYALTY_RULES, updated_at: null, updated_by: null };
    const rules: unknown = JSON.parse(row.rules);
    // Written only through save(); a row edited by hand into nonsense stops sales loudly rather than mispricing.
    if (!Value.Check(LoyaltyRules, rules) || loyaltyRulesProblem(rules) !== null) throw new Error('loyalty_settings.rules is not a valid LoyaltyRules document');
    return { rules, updated_at: row.updated_at, updated_by: row.updated_by };
  }

  async rules(trx: Executor = this.db.kysely): Promise<LoyaltyRules> {
    return (await this.get(trx)).rules;
  }

  /** Saves checked rules (the schema checked the shape already; here the tiers). */
  async save(rules: LoyaltyRules, actor: string, trx: Executor, now = new Date()): Promise<LoyaltySettings> {
    const problem = loyaltyRulesProblem(rules);
    if (problem !== null) throw new FaceError('INVALID_REQUEST', `body.${problem.message}`, { details: { field: `body.${problem.field}` } });
    const row = { id: 1, rules: JSON.stringify(rules), updated_at: now.toISOString(), updated_by: actor };
    await trx
      .insertInto('loyalty_settings')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet({ rules: row.rules, updated_at: row.updated_at, updated_by: row.updated_by }))
      .execute();
    return { rules, updated_at: row.updated_at, updated_by: actor };
  }
}
