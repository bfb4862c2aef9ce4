/**
 * Money (fen) and points are 64-bit columns; JavaScript handles them as numbers, which are exact only up
 * to 2^53 − 1. Every such value read back passes through here: within range it is a number, beyond it an
 * error (never a silently rounded balance). Order limits and the points guard keep real data far below.
 */
export function safeInt(value: unknown, what: string): number {
  const n = typeof value === 'number' ? value : typeof value === 'bigint' || typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what}: ${String(value)} is not an integer JavaScript can hold exactly`);
  return n;
}

export function safeIntOrNull(value: unknown, what: string): number | null {
  return value === null ? null : safeInt(value, what);
}
