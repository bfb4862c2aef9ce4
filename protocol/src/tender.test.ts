import { describe, expect, it } from 'vitest';
import { isTenderProblem, quickCashAmounts, settleTender } from './tender.js';

describe('settleTender', () => {
  it('cash: the change is received − total, computed here', () => {
    expect(settleTender({ method: 'cash', received_fen: 10_000 }, 7_350)).toEqual({ method: 'cash', received_fen: 10_000, change_fen: 2_650 });
    expect(settleTender({ method: 'cash', received_fen: 7_350, change_fen: 0 }, 7_350)).toEqual({ method: 'cash', received_fen: 7_350, change_fen: 0 });
  });

  it('cash: too little, none at all, or a change that does not add up is a problem naming the field', () => {
    const short = settleTender({ method: 'cash', received_fen: 5_000 }, 7_350);
    expect(isTenderProblem(short) && short).toMatchObject({ field: 'received_fen', reason: 'too_little' });
    expect(settleTender({ method: 'cash' }, 100)).toMatchObject({ field: 'received_fen', reason: 'missing' });
    const wrong = settleTender({ method: 'cash', received_fen: 10_000, change_fen: 3_000 }, 7_350);
    expect(wrong).toMatchObject({ field: 'change_fen', reason: 'wrong_change' });
    expect(isTenderProblem(wrong) && wrong.message).toContain('2650');
  });

  it('other methods settle the total exactly and carry no amounts', () => {
    expect(settleTender({ method: 'wechat_pay' }, 7_350)).toEqual({ method: 'wechat_pay' });
    expect(settleTender({ method: 'bank_card', received_fen: 7_350 }, 7_350)).toMatchObject({ field: 'received_fen', reason: 'not_allowed' });
    expect(settleTender({ method: 'alipay', change_fen: 0 }, 7_350)).toMatchObject({ field: 'change_fen', reason: 'not_allowed' });
  });
});

describe('quickCashAmounts', () => {
  it('the exact sum, then the next 10, 50 and 100 yuan, without repeats', () => {
    expect(quickCashAmounts(7_350)).toEqual([7_350, 8_000, 10_000]);
    expect(quickCashAmounts(600)).toEqual([600, 1_000, 5_000, 10_000]);
    expect(quickCashAmounts(5_000)).toEqual([5_000, 10_000]);
    expect(quickCashAmounts(12_340)).toEqual([12_340, 13_000, 15_000, 20_000]);
  });
});
