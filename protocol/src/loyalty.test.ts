import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { LoyaltyRules } from './api.js';
import { DEFAULT_LOYALTY_RULES, levelBySpend, loyaltyRulesProblem, memberTier, monthsBefore, multiplierPct } from './loyalty.js';

const RULES: LoyaltyRules = {
  ...DEFAULT_LOYALTY_RULES,
  tiers: [
    { level: 'standard', threshold_fen: 0, multiplier_pct: 100 },
    { level: 'silver', threshold_fen: 100_000, multiplier_pct: 120 },
    { level: 'gold', threshold_fen: 500_000, multiplier_pct: 150 },
    { level: 'platinum', threshold_fen: null, multiplier_pct: 200 },
  ],
};

describe('tiers by spend', () => {
  it('reaches a level at its threshold exactly, not a fen before', () => {
    expect(levelBySpend(0, RULES)).toBe('standard');
    expect(levelBySpend(99_999, RULES)).toBe('standard');
    expect(levelBySpend(100_000, RULES)).toBe('silver');
    expect(levelBySpend(499_999, RULES)).toBe('silver');
    expect(levelBySpend(500_000, RULES)).toBe('gold');
    // Platinum has no threshold: spend never reaches it.
    expect(levelBySpend(10 ** 12, RULES)).toBe('gold');
  });

  it('shows the progress to the next level spend can reach', () => {
    expect(memberTier(30_000, null, RULES)).toEqual({ level: 'standard', multiplier_pct: 100, spend_fen: 30_000, next: { level: 'silver', threshold_fen: 100_000, remaining_fen: 70_000 } });
    expect(memberTier(100_000, null, RULES).next).toEqual({ level: 'gold', threshold_fen: 500_000, remaining_fen: 400_000 });
    // At the top that spend reaches: nothing next (platinum is granted only).
    expect(memberTier(600_000, null, RULES)).toMatchObject({ level: 'gold', multiplier_pct: 150, next: null });
  });

  it('keeps the level staff granted as a floor, and spend lifts a member above it', () => {
    expect(memberTier(0, 'gold', RULES)).toMatchObject({ level: 'gold', multiplier_pct: 150, next: null });
    expect(memberTier(200_000, 'silver', RULES)).toMatchObject({ level: 'silver', next: { level: 'gold', remaining_fen: 300_000 } });
    expect(memberTier(600_000, 'silver', RULES).level).toBe('gold');
    expect(memberTier(0, 'platinum', RULES)).toMatchObject({ level: 'platinum', multiplier_pct: 200 });
  });

  it('with the defaults (no thresholds) every member is standard ×1 unless granted a level', () => {
    expect(memberTier(10 ** 9, null, DEFAULT_LOYALTY_RULES)).toEqual({ level: 'standard', multiplier_pct: 100, spend_fen: 10 ** 9, next: null });
    expect(multiplierPct('gold', DEFAULT_LOYALTY_RULES)).toBe(100);
  });
});

describe('loyalty rules', () => {
  it('accepts the defaults and sensible rules', () => {
    expect(Value.Check(LoyaltyRules, DEFAULT_LOYALTY_RULES)).toBe(true);
    expect(loyaltyRulesProblem(DEFAULT_LOYALTY_RULES)).toBeNull();
    expect(loyaltyRulesProblem(RULES)).toBeNull();
  });

  it('refuses tiers out of order, missing, a standard threshold above 0, and thresholds that do not rise', () => {
    const swap = { ...RULES, tiers: [RULES.tiers[0], RULES.tiers[2], RULES.tiers[1], RULES.tiers[3]] } as LoyaltyRules;
    expect(loyaltyRulesProblem(swap)?.field).toBe('tiers');
    expect(loyaltyRulesProblem({ ...RULES, tiers: RULES.tiers.slice(0, 3) })?.field).toBe('tiers');
    expect(loyaltyRulesProblem({ ...RULES, tiers: RULES.tiers.map((t, i) => (i === 0 ? { ...t, threshold_fen: 1 } : t)) })?.field).toBe('tiers[0].threshold_fen');
    expect(loyaltyRulesProblem({ ...RULES, tiers: RULES.tiers.map((t, i) => (i === 2 ? { ...t, threshold_fen: 100_000 } : t)) })?.field).toBe('tiers[2].threshold_fen');
    // A level without threshold in between is fine: gold is compared with standard.
    expect(loyaltyRulesProblem({ ...RULES, tiers: RULES.tiers.map((t, i) => (i === 1 ? { ...t, threshold_fen: null } : t)) })).toBeNull();
  });

  it('the schema bounds rates, shares and expiry', () => {
    expect(Value.Check(LoyaltyRules, { ...RULES, redeem_max_share_pct: 101 })).toBe(false);
    expect(Value.Check(LoyaltyRules, { ...RULES, redeem_points_per_yuan: 0 })).toBe(false);
    expect(Value.Check(LoyaltyRules, { ...RULES, expiry_months: 0 })).toBe(false);
    expect(Value.Check(LoyaltyRules, { ...RULES, points_per_yuan: 1.5 })).toBe(false);
    expect(Value.Check(LoyaltyRules, { ...RULES, extra: 1 })).toBe(false);
  });
});

describe('monthsBefore', () => {
  const iso = (d: Date) => d.toISOString();
  it('steps back calendar months, the time of day kept', () => {
    expect(iso(monthsBefore(new Date('2026-06-15T08:30:00.000Z'), 12))).toBe('2025-06-15T08:30:00.000Z');
    expect(iso(monthsBefore(new Date('2026-01-10T00:00:00.000Z'), 1))).toBe('2025-12-10T00:00:00.000Z');
  });
  it('clamps to the last day of a shorter month', () => {
    expect(iso(monthsBefore(new Date('2026-03-31T12:00:00.000Z'), 1))).toBe('2026-02-28T12:00:00.000Z');
    expect(iso(monthsBefore(new Date('2028-03-31T12:00:00.000Z'), 1))).toBe('2028-02-29T12:00:00.000Z');
    expect(iso(monthsBefore(new Date('2026-05-31T00:00:00.000Z'), 3))).toBe('2026-02-28T00:00:00.000Z');
  });
});
