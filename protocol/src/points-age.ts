import { monthsBefore } from './loyalty.js';

/**
 * Points have an age: first in, first out. A balance is made of the most recently earned points, so every
 * debit (redeemed, reversed, expired, moved out, adjusted down) uses up the oldest points first. Expiry
 * and merges follow from that one rule. Worked examples: docs/loyalty.md.
 */

/** Points earned at or before this instant have expired (they expire `months` calendar months after they were earned). */
export function expiryCutoff(now: Date, months: number): Date {
  return monthsBefore(now, months);
}

/**
 * Points that expire now: the points earned before the cutoff that are still in the balance — the old
 * credits not covered by all the debits so far: max(0, old credits − debits). Running it again at once
 * gives 0 (its own expire row is a debit).
 */
export function pointsToExpire(creditsBeforeCutoff: number, debits: number): number {
  return Math.max(0, creditsBeforeCutoff - debits);
}

/**
 * The credits a balance is made of, newest first: what a merge moves, each with the time it was earned,
 * so the points keep their age (and their expiry) on the member they move to.
 */
export function balanceLots<T extends { points: number; earned_at: string }>(creditsNewestFirst: readonly T[], balance: number): { points: number; earned_at: string }[] {
  const lots: { points: number; earned_at: string }[] = [];
  let left = balance;
  for (const credit of creditsNewestFirst) {
    if (left <= 0) break;
    const take = Math.min(credit.points, left);
    lots.push({ points: take, earned_at: credit.earned_at });
    left -= take;
  }
  return lots;
}
