import type { LoyaltyRules, MemberTier } from './api.js';

/**
 * The loyalty program's rules that are not arithmetic of one order: member levels (tiers), the rules a
 * merchant sets and what makes them valid, tiers reached by spend over a rolling window, and the kinds of
 * points movement. Plain constants and functions (no TypeBox), so the POS can import them cheaply.
 * Worked examples: docs/loyalty.md.
 */

/** Member levels, lowest first: 普通会员, 银卡, 金卡, 白金卡. A member's tier is one of them. */
export const MEMBER_LEVELS = ['standard', 'silver', 'gold', 'platinum'] as const;
export type MemberLevel = (typeof MEMBER_LEVELS)[number];

export function isMemberLevel(value: unknown): value is MemberLevel {
  return typeof value === 'string' && (MEMBER_LEVELS as readonly string[]).includes(value);
}

/** 0 for standard … 3 for platinum (an unknown level counts as standard). */
export function levelRank(level: MemberLevel): number {
  return Math.max(0, MEMBER_LEVELS.indexOf(level));
}

/** The higher of two levels. */
export function higherLevel(a: MemberLevel, b: MemberLevel | null): MemberLevel {
  return b !== null && levelRank(b) > levelRank(a) ? b : a;
}

/**
 * Every way a member's points change; each change is one row of the points ledger, and a balance is the
 * sum of its rows. `opening`: the balance a member had before the ledger existed (migration 0005) or
 * was enrolled with (demo data, imports).
 */
export const LEDGER_KINDS = ['opening', 'earn', 'redeem', 'adjust', 'refund_reverse', 'refund_restore', 'merge_in', 'merge_out', 'expire'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

/** Spend over this many months (rolling, up to now) decides a member's tier. */
export const TIER_WINDOW_MONTHS = 12;

/** Bounds of the rules (the schema in api.ts uses them; the settings screen too). */
export const LOYALTY_LIMITS = {
  pointsPerYuanMax: 100,
  redeemPointsPerYuanMax: 100_000,
  multiplierPctMax: 1000,
  thresholdFenMax: 1_000_000_000_000,
  expiryMonthsMax: 120,
} as const;

/**
 * What a fresh install (and an upgraded one) starts with: what the server did before the loyalty program
 * existed. One point per whole yuan, every level ×1, no tier reached by spend (levels are set by staff),
 * redemption off (its rate ready at 100 points = ¥1), no expiry. The merchant turns things on in the
 * back office.
 */
export const DEFAULT_LOYALTY_RULES: LoyaltyRules = {
  points_per_yuan: 1,
  redeem_points_per_yuan: 100,
  redeem_max_share_pct: 0,
  tiers: MEMBER_LEVELS.map((level) => ({ level, threshold_fen: level === 'standard' ? 0 : null, multiplier_pct: 100 })),
  expiry_months: null,
};

/**
 * What is wrong with a set of rules beyond their schema, or null: one tier per level in MEMBER_LEVELS order,
 * standard reached at 0, and thresholds rising with the level (a higher tier never costs less to reach).
 */
export function loyaltyRulesProblem(rules: LoyaltyRules): { field: string; message: string } | null {
  const levels = rules.tiers.map((t) => t.level);
  if (levels.length !== MEMBER_LEVELS.length || levels.some((l, i) => l !== MEMBER_LEVELS[i])) {
    return { field: 'tiers', message: `tiers: one per level, in the order ${MEMBER_LEVELS.join(', ')}` };
  }
  if (rules.tiers[0]?.threshold_fen !== 0) return { field: 'tiers[0].threshold_fen', message: 'tiers[0].threshold_fen: the standard level is reached at 0' };
  let last = 0;
  for (const [i, tier] of rules.tiers.entries()) {
    if (i === 0 || tier.threshold_fen === null) continue;
    if (tier.threshold_fen <= last) {
      return { field: `tiers[${i}].threshold_fen`, message: `tiers[${i}].threshold_fen: ${tier.level} must need more spend than the levels below it (${last} fen)` };
    }
    last = tier.threshold_fen;
  }
  return null;
}

function tierRule(level: MemberLevel, rules: LoyaltyRules): LoyaltyRules['tiers'][number] {
  return rules.tiers.find((t) => t.level === level) ?? { level, threshold_fen: null, multiplier_pct: 100 };
}

/** The level spend alone reaches: the highest whose threshold the spend meets. */
export function levelBySpend(spendFen: number, rules: LoyaltyRules): MemberLevel {
  let level: MemberLevel = 'standard';
  for (const tier of rules.tiers) if (tier.threshold_fen !== null && spendFen >= tier.threshold_fen) level = tier.level;
  return level;
}

/**
 * A member's tier: the level their spend over the last TIER_WINDOW_MONTHS reaches, or the level staff
 * granted (`granted`, a floor) when that is higher; with the multiplier and the next level spend can reach.
 */
export function memberTier(spendFen: number, granted: MemberLevel | null, rules: LoyaltyRules): MemberTier {
  const level = higherLevel(levelBySpend(spendFen, rules), granted);
  const next = rules.tiers.find((t) => levelRank(t.level) > levelRank(level) && t.threshold_fen !== null);
  return {
    level,
    multiplier_pct: tierRule(level, rules).multiplier_pct,
    spend_fen: spendFen,
    next: next?.threshold_fen == null ? null : { level: next.level, threshold_fen: next.threshold_fen, remaining_fen: Math.max(0, next.threshold_fen - spendFen) },
  };
}

/** The points multiplier of a level, in percent. */
export function multiplierPct(level: MemberLevel, rules: LoyaltyRules): number {
  return tierRule(level, rules).multiplier_pct;
}

/**
 * The same instant `months` calendar months earlier, in UTC; a day the earlier month lacks becomes its last
 * day (31 March − 1 month = 28 or 29 February). The tier window's start and the expiry cutoff.
 */
export function monthsBefore(at: Date, months: number): Date {
  const d = new Date(at.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - months);
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, lastDay));
  return d;
}
