import type { AdminOrder, MemberDetail, UpdateMemberRequest } from '@posface/protocol/admin-api';
import { ref, shallowRef } from 'vue';
import { api } from '@/api/admin-client';
import { useErrorText } from './useErrorText';

/** One member's page: the member (points, ledger), their orders page by page, the level/phone edit, points adjustments and merges. */
export function useMember(id: () => string) {
  const errorText = useErrorText();
  const member = ref<MemberDetail | null>(null);
  const orders = shallowRef<AdminOrder[]>([]);
  const ordersTotal = ref(0);
  const ordersPage = ref(1);
  const error = ref<string | null>(null);
  const saving = ref(false);

  async function load(): Promise<void> {
    try {
      const [detail, page] = await Promise.all([api().member(id()), api().memberOrders(id(), ordersPage.value)]);
      member.value = detail;
      orders.value = page.items;
      ordersTotal.value = page.total;
      error.value = null;
    } catch (e) {
      error.value = errorText(e);
    }
  }

  /** Runs a change, then reloads the page; answers the error text, or null when done. */
  async function change(run: () => Promise<unknown>): Promise<string | null> {
    saving.value = true;
    try {
      await run();
      await load();
      return null;
    } catch (e) {
      return errorText(e);
    } finally {
      saving.value = false;
    }
  }

  const save = (update: UpdateMemberRequest) => change(() => api().updateMember(id(), update));
  /** Credits (+) or debits (−) points with a reason: a row of the ledger. */
  const adjust = (points: number, reason: string) => change(() => api().adjustPoints(id(), points, reason));
  /** What the last merge moved. */
  const merged = ref<{ points: number; orders: number } | null>(null);
  /** Merges the duplicate into this member: its orders and points move here, it is closed. */
  const merge = (duplicateId: string) =>
    change(async () => {
      const done = await api().mergeMember(id(), duplicateId);
      merged.value = { points: done.moved_points, orders: done.moved_orders };
    });

  return { member, orders, ordersTotal, ordersPage, error, saving, load, save, adjust, merge, merged };
}
