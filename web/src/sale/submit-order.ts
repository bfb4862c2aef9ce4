import type { CreateOrderRequest, Order } from '@posface/protocol/api';
import { services } from '../services.js';

/**
 * How a finished sale reaches the server: the one call the checkout makes. Its content (lines, member,
 * tender) is the cart's; how it travels (today: straight to POST /api/v1/orders, the key making a retry
 * safe) is decided here alone.
 */
export function submitOrder(request: CreateOrderRequest, idempotencyKey: string): Promise<Order> {
  return services().api.createOrder(request, idempotencyKey);
}
