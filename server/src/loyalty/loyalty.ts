import type { Db } from '../db/connect.js';
import { LoyaltySettingsStore } from './loyalty-settings.js';
import { MemberTiers } from './member-tiers.js';
import { PointsLedger } from './points-ledger.js';
import { TierPrices } from './tier-prices.js';

/** The loyalty program's data access: the rules, the points ledger, tiers by spend, tier prices. */
export class Loyalty {
  readonly settings: LoyaltySettingsStore;
  readonly ledger: PointsLedger;
  readonly tiers: MemberTiers;
  readonly tierPrices: TierPrices;

  constructor(db: Db) {
    this.settings = new LoyaltySettingsStore(db);
    this.ledger = new PointsLedger(db);
    this.tiers = new MemberTiers(db);
    this.tierPrices = new TierPrices(db);
  }
}
