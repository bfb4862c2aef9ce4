import { describe, expect, it } from 'vitest';
import { formatFen } from './money.js';

describe('formatFen', () => {
  it('shows yuan with two decimals', () => {
    expect(formatFen(1234)).toBe('¥12.34');
    expect(formatFen(5)).toBe('¥0.05');
    expect(formatFen(0)).toBe('¥0.00');
    expect(formatFen(123456789)).toBe('¥1,234,567.89');
    expect(formatFen(-250)).toBe('-¥2.50');
  });
  it('refuses a fraction of a fen', () => {
    expect(() => formatFen(1.5)).toThrow(/integer fen/);
  });
});
