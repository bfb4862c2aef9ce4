import { computed, ref, watch, type Ref } from 'vue';
import { isTenderProblem, quickCashAmounts, settleTender, type Tender, type TenderMethod } from '@posface/protocol';
import { parseYuan } from '../money.js';

/** Why the tender cannot be confirmed yet: the amount typed is not money, or less than the total. */
export type TenderIssue = 'format' | 'too_little' | null;

/**
 * The tender step's behaviour: the method, the amount received (cash; empty = exactly the total), the
 * change and quick amounts, settled by protocol's rule (the server settles it again against its total).
 * `locked`: a tender already sent whose answer was lost; only it may be sent again.
 */
export function useTender(totalFen: Ref<number>, locked: Ref<Tender | null>) {
  const method = ref<TenderMethod>(locked.value?.method ?? 'cash');
  const receivedText = ref(locked.value?.received_fen !== undefined ? (locked.value.received_fen / 100).toFixed(2) : '');

  watch(locked, (tender) => {
    if (tender === null) return;
    method.value = tender.method;
    receivedText.value = tender.received_fen !== undefined ? (tender.received_fen / 100).toFixed(2) : '';
  });

  /** Cash received in fen (empty: exactly the total), or null when what was typed is not an amount. */
  const receivedFen = computed(() => (receivedText.value.trim() === '' ? totalFen.value : parseYuan(receivedText.value)));
  const settled = computed(() => {
    if (method.value !== 'cash') return settleTender({ method: method.value }, totalFen.value);
    if (receivedFen.value === null) return null;
    return settleTender({ method: 'cash', received_fen: receivedFen.value }, totalFen.value);
  });
  const tender = computed<Tender | null>(() => (settled.value === null || isTenderProblem(settled.value) ? null : settled.value));
  const issue = computed<TenderIssue>(() => {
    if (settled.value === null) return 'format';
    return isTenderProblem(settled.value) ? 'too_little' : null;
  });
  const changeFen = computed(() => tender.value?.change_fen ?? null);
  const quickAmounts = computed(() => quickCashAmounts(totalFen.value));

  function choose(next: TenderMethod): void {
    if (locked.value === null) method.value = next;
  }

  function setReceived(fen: number): void {
    if (locked.value === null) receivedText.value = (fen / 100).toFixed(2);
  }

  return { method, receivedText, receivedFen, tender, issue, changeFen, quickAmounts, choose, setReceived };
}
