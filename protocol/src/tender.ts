/**
 * How a sale was paid (the tender): the one rule the till shows and the server records. Cash has an amount
 * received and the change given back; any other method (WeChat Pay, Alipay, a bank card on the store's own
 * terminal) is recorded by name and settles the total exactly. Money is integer fen.
 */

export const TENDER_METHODS = ['cash', 'wechat_pay', 'alipay', 'bank_card'] as const;
export type TenderMethod = (typeof TENDER_METHODS)[number];

/** The largest amount received a till may record (the protocol's bound; 10^12 fen as ORDER_MAX_TOTAL_FEN's). */
export const TENDER_RECEIVED_MAX_FEN = 1_000_000_000_000;

export interface Tender {
  method: TenderMethod;
  /** Cash only: what the customer handed over. */
  received_fen?: number;
  /** Cash only: received − total. */
  change_fen?: number;
}

/** Why a tender cannot settle a total: the field and what is wrong with it (the server answers it as INVALID_REQUEST). */
export interface TenderProblem {
  field: 'received_fen' | 'change_fen';
  reason: 'missing' | 'not_allowed' | 'too_little' | 'wrong_change';
  message: string;
}

/**
 * The tender as recorded for a sale of `totalFen`, or the problem with it. Cash needs an amount received of at
 * least the total; the change is computed here (a till that sends one must have computed the same). Other
 * methods carry no amounts.
 */
export function settleTender(input: Tender, totalFen: number): Tender | TenderProblem {
  if (input.method !== 'cash') {
    for (const field of ['received_fen', 'change_fen'] as const) {
      if (input[field] !== undefined) return { field, reason: 'not_allowed', message: `${field}: only a cash tender has an amount received or change` };
    }
    return { method: input.method };
  }
  const received = input.received_fen;
  if (received === undefined) return { field: 'received_fen', reason: 'missing', message: 'received_fen: a cash tender needs the amount received' };
  if (received < totalFen) {
    return { field: 'received_fen', reason: 'too_little', message: `received_fen: ${received} fen received is less than the total of ${totalFen} fen` };
  }
  const change = received - totalFen;
  if (input.change_fen !== undefined && input.change_fen !== change) {
    return { field: 'change_fen', reason: 'wrong_change', message: `change_fen: the change on ${received} fen for ${totalFen} fen is ${change} fen, not ${input.change_fen}` };
  }
  return { method: 'cash', received_fen: received, change_fen: change };
}

export function isTenderProblem(value: Tender | TenderProblem): value is TenderProblem {
  return 'reason' in value;
}

/**
 * The amounts a cashier is likely to be handed for `totalFen`, smallest first: the exact sum, then the next
 * whole 10, 50 and 100 yuan above it (repeats dropped).
 */
export function quickCashAmounts(totalFen: number): number[] {
  const up = (step: number) => Math.ceil(totalFen / step) * step;
  const amounts = [totalFen, up(1_000), up(5_000), up(10_000)].filter((a) => a > 0);
  return [...new Set(amounts)].sort((a, b) => a - b);
}
