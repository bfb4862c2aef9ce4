import { describe, expect, it } from 'vitest';
import { formatFen, parseYuan } from './money.js';

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

describe('parseYuan', () => {
  it('reads what a cashier types as exact fen', () => {
    expect(parseYuan('100')).toBe(10_000);
    expect(parseYuan('99.5')).toBe(9_950);
    expect(parseYuan('0.07')).toBe(7);
    expect(parseYuan(' ¥ 20.00 ')).toBe(2_000);
    expect(parseYuan('1,000')).toBe(100_000);
    expect(parseYuan('12.')).toBe(1_200);
    // 0.1 + 0.2 style floating point never enters: 19.99 is 1999 fen exactly.
    expect(parseYuan('19.99')).toBe(1_999);
  });
  it('refuses anything else', () => {
    for (const bad of ['', 'abc', '1.234', '-5', '1e3', '.5', '12345678901']) expect(parseYuan(bad)).toBeNull();
  });
});
