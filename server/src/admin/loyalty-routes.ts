import { LoyaltyRules } from '@posface/protocol/api';
import { LoyaltySettings } from '@posface/protocol/admin-api';
import { refreshAllTiers } from '../loyalty/loyalty-job.js';
import { ERROR_RESPONSES } from '../routes/errors.js';
import type { Api } from '../routes/types.js';
import { actorOf } from './admin-auth.js';
import { changes } from './audit-log.js';
import type { AdminDeps } from './back-office.js';

/**
 * The loyalty rules (`loyalty.manage`: owner, manager): GET /loyalty, PUT /loyalty with the whole rules.
 * They apply to the next order and lookup on every instance; the cached tiers in member lists follow at
 * the loyalty job's next run. Audited as `loyalty.update` with what changed.
 */
export function loyaltyRoutes(app: Api, deps: AdminDeps): void {
  const { loyalty, audit } = deps.office;
  const db = deps.storage.db.kysely;
  const config = { permission: 'loyalty.manage' } as const;

  app.get('/loyalty', { config, schema: { response: { 200: LoyaltySettings, ...ERROR_RESPONSES } } }, async () => loyalty.settings.get());

  app.put('/loyalty', { config, schema: { body: LoyaltyRules, response: { 200: LoyaltySettings, ...ERROR_RESPONSES } } }, async (request) =>
    db.transaction().execute(async (trx) => {
      const before = await loyalty.settings.rules(trx);
      const saved = await loyalty.settings.save(request.body, actorOf(request), trx);
      await refreshAllTiers(trx);
      await audit.write(trx, { actor: actorOf(request), action: 'loyalty.update', target_type: 'loyalty', target_id: null, summary: changes(before, saved.rules) });
      return saved;
    }),
  );
}
