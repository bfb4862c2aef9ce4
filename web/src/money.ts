/** Money is integer fen everywhere; this is the one place it becomes text: ¥12.34. */
export function formatFen(fen: number): string {
  if (!Number.isInteger(fen)) throw new RangeError(`Money must be integer fen, got ${fen}`);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100);
  const cents = String(abs % 100).padStart(2, '0');
  return `${sign}¥${yuan.toLocaleString('en-US')}.${cents}`;
}

/** What a cashier types for an amount of money ("100", "99.5", "¥ 20.00") as integer fen, or null. Exact: no floating point. */
export function parseYuan(text: string): number | null {
  const match = /^(\d{1,10})(?:\.(\d{0,2}))?$/.exec(text.replace(/[\s¥￥,]/g, ''));
  if (!match) return null;
  const [, yuan = '0', cents = ''] = match;
  return Number(yuan) * 100 + Number(cents.padEnd(2, '0'));
}
