import { describe, expect, it } from 'vitest';
import { instants, periodOf, periods, type ReportRange } from './reports.js';

const range = (over: Partial<ReportRange> = {}): ReportRange => ({ from: '2026-03-01', to: '2026-03-08', utcOffset: 8, bucket: 'day', ...over });

describe('report periods in the stores’ calendar', () => {
  it('turns local dates into UTC instants (China is UTC+8: a day starts at 16:00 UTC the day before)', () => {
    expect(instants(range({ to: '2026-03-01' }))).toEqual({ start: '2026-02-28T16:00:00.000Z', end: '2026-03-01T16:00:00.000Z', days: 1 });
    expect(instants(range({ utcOffset: -5, to: '2026-03-01' })).start).toBe('2026-03-01T05:00:00.000Z');
  });

  it('puts an hour into its local day, and into the week of its Monday', () => {
    expect(periodOf('2026-03-01T15', range())).toBe('2026-03-01');
    expect(periodOf('2026-03-01T16', range())).toBe('2026-03-02');
    // 2026-03-08 is a Sunday: its week began on Monday 2026-03-02; 16:00 UTC that day is already Monday the 9th.
    expect(periodOf('2026-03-08T10', range({ bucket: 'week' }))).toBe('2026-03-02');
    expect(periodOf('2026-03-08T16', range({ bucket: 'week' }))).toBe('2026-03-09');
  });

  it('lists every period of the range once, in order', () => {
    expect(periods(range())).toHaveLength(8);
    expect(periods(range({ bucket: 'week' }))).toEqual(['2026-02-23', '2026-03-02']);
  });

  it('refuses a reversed range and one longer than a year', () => {
    expect(() => instants(range({ from: '2026-03-09' }))).toThrow(/before/);
    expect(() => instants(range({ from: '2024-01-01' }))).toThrow(/at most 366 days/);
  });
});
