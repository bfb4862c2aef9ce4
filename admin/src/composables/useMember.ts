import type { AdminOrder, MemberDetail, UpdateMemberRequest } from '@posface/protocol/admin-api';
import { ref, shallowRef } from 'vue';
import { api } from '@/api/admin-client';
import { useErrorText } from './useErrorText';

/** One member's page: the member (points, ledger), their orders page by page, and the level/phone edit. */
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

  /** Saves the change; answers the error text, or null when saved. */
  async function save(change: UpdateMemberRequest): Promise<string | null> {
    saving.value = true;
    try {
      await api().updateMember(id(), change);
      await load();
      return null;
    } catch (e) {
      return errorText(e);
    } finally {
      saving.value = false;
    }
  }

  return { member, orders, ordersTotal, ordersPage, error, saving, load, save };
}
