import { FaceError, formatPairingCode } from '@posface/protocol';
import type { Storage } from '@posface/server';
import { DEMO_DEVICE_ID, DEMO_HISTORY, DEMO_MEMBERS, DEMO_PRODUCTS, DEMO_STORE } from './data.js';

export interface SeedResult {
  /** ABCD-EFGH: one use, 10 minutes; type it on the POS's pairing screen. */
  pairing_code: string;
  expires_at: string;
  terminal_id: string;
  store_id: string;
  device_id: string;
  members: number;
  products: number;
  /** Past sales written (only on the first run, with the members). */
  orders: number;
}

/**
 * Writes the demo data; safe to run again: products are updated, existing members (and the sales
 * history written with them) kept, the demo terminal kept, and a new pairing code issued for it (a code
 * cannot be shown twice; the previous one stops working).
 */
export async function seed(storage: Storage): Promise<SeedResult> {
  for (const p of DEMO_PRODUCTS) await storage.products.upsert(p);
  let members = 0;
  for (const m of DEMO_MEMBERS) {
    if ((await storage.members.byOpenid(m.openid)) !== null) continue;
    const { unionid, ...rest } = m;
    await storage.members.create({ ...rest, ...(unionid !== null ? { unionid } : {}) });
    members += 1;
  }
  const demo = { deviceId: DEMO_DEVICE_ID, storeId: DEMO_STORE.id };
  const existing = await storage.terminals.findActive(demo).catch((error: unknown) => {
    if (error instanceof FaceError && error.code === 'NOT_FOUND') return null;
    throw error;
  });
  const { terminal, pairing } =
    existing === null
      ? await storage.terminals.provision({ ...demo, storeName: DEMO_STORE.name })
      : await storage.terminals.issuePairingCode({ id: existing.id });
  let orders = 0;
  if (members === DEMO_MEMBERS.length) {
    const ctx = { terminalId: terminal.id, storeId: DEMO_STORE.id, idempotencyKey: null };
    for (const sale of DEMO_HISTORY) {
      const lines = sale.lines.map(([product_id, quantity]) => ({ product_id, quantity }));
      await storage.orders.create({ member_id: sale.member_id, lines }, ctx, new Date(Date.now() - sale.daysAgo * 86_400_000));
      orders += 1;
    }
  }
  return {
    pairing_code: formatPairingCode(pairing.code),
    expires_at: pairing.expires_at,
    terminal_id: terminal.id,
    store_id: DEMO_STORE.id,
    device_id: DEMO_DEVICE_ID,
    members,
    products: DEMO_PRODUCTS.length,
    orders,
  };
}
