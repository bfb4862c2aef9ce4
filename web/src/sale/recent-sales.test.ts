import { describe, expect, it } from 'vitest';
import { parseReceiptNumber, receiptNumber } from './receipt-number.js';
import { RECENT_SALES_MAX, recentSaleByNumber, rememberSale } from './recent-sales.js';

function memoryStorage(initial: string | null = null) {
  let value = initial;
  return { getItem: () => value, setItem: (_k: string, v: string) => void (value = v) };
}

describe('receipt numbers and recent sales', () => {
  it('a receipt number is the first 8 characters of the order id, typed in any case with spaces', () => {
    expect(receiptNumber('1a2b3c4d-5e6f-4000-8000-000000000000')).toBe('1A2B3C4D');
    expect(parseReceiptNumber(' 1a2b 3c4d ')).toBe('1A2B3C4D');
    expect(parseReceiptNumber('1A2B3C4')).toBeNull();
    expect(parseReceiptNumber('1A2B3C4G')).toBeNull();
  });

  it('finds a recent sale by its number, newest first, keeping at most RECENT_SALES_MAX', () => {
    const storage = memoryStorage();
    rememberSale('aaaaaaaa-0000-4000-8000-000000000001', storage);
    rememberSale('bbbbbbbb-0000-4000-8000-000000000002', storage);
    expect(recentSaleByNumber('AAAAAAAA', storage)).toBe('aaaaaaaa-0000-4000-8000-000000000001');
    expect(recentSaleByNumber('cccccccc', storage)).toBeNull();
    for (let i = 0; i < RECENT_SALES_MAX; i += 1) rememberSale(`${i.toString(16).padStart(8, '0')}-x`, storage);
    expect(recentSaleByNumber('AAAAAAAA', storage)).toBeNull();
    expect(recentSaleByNumber(`${(RECENT_SALES_MAX - 1).toString(16).padStart(8, '0')}`, storage)).not.toBeNull();
  });

  it('a damaged list finds nothing and is replaced by the next sale', () => {
    const storage = memoryStorage('{not json');
    expect(recentSaleByNumber('AAAAAAAA', storage)).toBeNull();
    rememberSale('aaaaaaaa-1', storage);
    expect(recentSaleByNumber('aaaaaaaa', storage)).toBe('aaaaaaaa-1');
  });
});
