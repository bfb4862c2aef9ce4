import type { CreateOrderRequest } from '@posface/protocol/api';
import type { LocalSale } from '../offline/db.js';
import { useOutboxStore, type SubmitResult } from '../stores/outbox.js';

/**
 * How a finished sale reaches the server: the one call the checkout makes. Its content (lines, member,
 * tender) is the cart's; how it travels is decided here alone: through the outbox (offline/outbox.ts), booked
 * now when the server answers, kept in IndexedDB and synced in order when it cannot be reached.
 */
export function submitOrder(request: CreateOrderRequest, idempotencyKey: string, local: LocalSale): Promise<SubmitResult> {
  return useOutboxStore().submit(request, idempotencyKey, local);
}
