import { parseReceiptNumber, receiptNumber } from './receipt-number.js';

/**
 * The ids of this till's recent sales, newest first, kept in localStorage, so the refund screen can find an
 * order by the receipt number printed on it (the server looks orders up by their whole id). Order ids only:
 * no member, no amount.
 */
const KEY = 'posface.recentSales';
export const RECENT_SALES_MAX = 200;

type Store = Pick<Storage, 'getItem' | 'setItem'>;

function read(storage: Store): string[] {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    // A damaged list is only a convenience lost: the whole order id still finds the order.
    return [];
  }
}

export function rememberSale(orderId: string, storage: Store = localStorage): void {
  const ids = [orderId, ...read(storage).filter((id) => id !== orderId)].slice(0, RECENT_SALES_MAX);
  storage.setItem(KEY, JSON.stringify(ids));
}

/** The order id a typed receipt number stands for among this till's recent sales, or null. */
export function recentSaleByNumber(typed: string, storage: Store = localStorage): string | null {
  const number = parseReceiptNumber(typed);
  if (number === null) return null;
  return read(storage).find((id) => receiptNumber(id) === number) ?? null;
}
