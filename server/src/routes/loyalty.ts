import { LoyaltyRules } from '@posface/protocol/api';
import { ERROR_RESPONSES } from './errors.js';
import type { Api, RouteDeps } from './types.js';

/**
 * GET /api/v1/loyalty/rules: the merchant's rules, so the till computes with protocol's pricing what the
 * server will charge (tier prices, the most points an order may redeem, the points it earns).
 */
export function loyaltyRoutes(app: Api, deps: RouteDeps): void {
  app.get('/loyalty/rules', { schema: { response: { 200: LoyaltyRules, ...ERROR_RESPONSES } } }, async () => deps.storage.loyalty.settings.rules());
}
