/**
 * The number a receipt prints for an order (its id's first 8 characters, upper case) and how the refund
 * screen reads what the cashier types: a whole order id, or a receipt number.
 */
export function receiptNumber(orderId: string): string {
  return orderId.slice(0, 8).toUpperCase();
}

/** A receipt number as typed (8 letters or digits, any case, spaces ignored), normalised; null when it is not one. */
export function parseReceiptNumber(typed: string): string | null {
  const compact = typed.replace(/\s+/g, '').toUpperCase();
  return /^[0-9A-F]{8}$/.test(compact) ? compact : null;
}
