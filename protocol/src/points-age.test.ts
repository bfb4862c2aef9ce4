import { describe, expect, it } from 'vitest';
import { balanceLots, expiryCutoff, pointsToExpire } from './points-age.js';

describe('points age (first in, first out)', () => {
  it('expires the old credits the debits have not used up, and nothing twice', () => {
    // 100 earned a year ago, 50 last month; 30 redeemed since: 70 of the old ones are left and expire.
    expect(pointsToExpire(100, 30)).toBe(70);
    // Run again at once: its own expire row (70) is a debit now.
    expect(pointsToExpire(100, 30 + 70)).toBe(0);
    // Debits beyond the old credits used only old points: nothing old is left.
    expect(pointsToExpire(100, 130)).toBe(0);
    expect(pointsToExpire(0, 0)).toBe(0);
  });

  it('a balance is its newest credits: a merge moves those, each with its age', () => {
    const credits = [
      { points: 40, earned_at: '2026-05-01T00:00:00.000Z' },
      { points: 100, earned_at: '2026-01-01T00:00:00.000Z' },
      { points: 10, earned_at: '2025-07-01T00:00:00.000Z' },
    ];
    expect(balanceLots(credits, 90)).toEqual([
      { points: 40, earned_at: '2026-05-01T00:00:00.000Z' },
      { points: 50, earned_at: '2026-01-01T00:00:00.000Z' },
    ]);
    expect(balanceLots(credits, 150).map((l) => l.points)).toEqual([40, 100, 10]);
    expect(balanceLots(credits, 0)).toEqual([]);
  });

  it('the cutoff is the same instant N calendar months before now', () => {
    expect(expiryCutoff(new Date('2026-08-31T10:00:00.000Z'), 6).toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(expiryCutoff(new Date('2026-08-15T10:00:00.000Z'), 24).toISOString()).toBe('2024-08-15T10:00:00.000Z');
  });
});
