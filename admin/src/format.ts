/** Fen → "12.50" (yuan, two decimals). */
export function yuan(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return '—';
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Yuan as typed or picked (12.5) → fen (1250); rounding removes float noise (0.1 + 0.2). */
export function toFen(yuanValue: number): number {
  return Math.round(yuanValue * 100);
}

/** An ISO instant as local "YYYY-MM-DD HH:mm". */
export function localTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}
