import type { Storage } from '../db/storage.js';
import { DEMO_DEVICE_ID, DEMO_MEMBERS, DEMO_PRODUCTS, DEMO_STORE } from './demo-data.js';

export interface SeedResult {
  token: string;
  terminal_id: string;
  store_id: string;
  device_id: string;
  members: number;
  products: number;
}

/**
 * Writes the demo data; safe to run again: products are updated, existing members kept, and the
 * demo terminal re-issued (the old token revoked) since a token cannot be shown twice.
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
  await storage.terminals.revoke({ deviceId: DEMO_DEVICE_ID, storeId: DEMO_STORE.id });
  const { terminal, token } = await storage.terminals.add({ storeId: DEMO_STORE.id, storeName: DEMO_STORE.name, deviceId: DEMO_DEVICE_ID });
  return { token, terminal_id: terminal.id, store_id: DEMO_STORE.id, device_id: DEMO_DEVICE_ID, members, products: DEMO_PRODUCTS.length };
}
