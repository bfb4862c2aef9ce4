import { describe, expect, it } from 'vitest';
import { maskPhone, normalizePhone } from './phone.js';

describe('phone numbers', () => {
  it('accepts what a cashier types with spaces or dashes, and only mainland mobile numbers', () => {
    expect(normalizePhone('138 1234-5678')).toBe('13812345678');
    expect(normalizePhone('13812345678')).toBe('13812345678');
    expect(normalizePhone('12812345678')).toBeNull();
    expect(normalizePhone('1381234567')).toBeNull();
    expect(normalizePhone('138123456789')).toBeNull();
    expect(normalizePhone('1381234567x')).toBeNull();
    expect(normalizePhone('')).toBeNull();
  });

  it('masks the middle four digits, and all of anything that is not 11 long', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('+8613812345678')).toBe('****');
  });
});
