/** Money is integer fen everywhere; this is the one place it becomes text: ¥12.34. */
export function formatFen(fen: number): string {
  if (!Number.isInteger(fen)) throw new RangeError(`Money must be integer fen, got ${fen}`);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100);
  const cents = String(abs % 100).padStart(2, '0');
  return `${sign}¥${yuan.toLocaleString('en-US')}.${cents}`;
}
