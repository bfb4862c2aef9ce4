import type { DatabaseConfig } from '../config.js';
import { Loyalty } from '../loyalty/loyalty.js';
import { RefundStore } from '../loyalty/refund-store.js';
import { MemberStore } from '../members/member-store.js';
import { OrderStore } from '../orders/order-store.js';
import { ProductStore } from '../products/product-store.js';
import { SessionStore } from '../terminals/session-store.js';
import { TerminalStore } from '../terminals/terminal-store.js';
import { openDatabase, type Db } from './connect.js';

/** Every table's access object over one connection (pool). */
export interface Storage {
  db: Db;
  terminals: TerminalStore;
  /** The POS's browser sessions (pairing codes redeemed). */
  sessions: SessionStore;
  members: MemberStore;
  products: ProductStore;
  orders: OrderStore;
  /** The loyalty rules, the points ledger, tiers and tier prices. */
  loyalty: Loyalty;
  refunds: RefundStore;
  close(): Promise<void>;
}

export async function openStorage(config: DatabaseConfig): Promise<Storage> {
  const db = await openDatabase(config);
  const terminals = new TerminalStore(db);
  const loyalty = new Loyalty(db);
  return {
    db,
    terminals,
    sessions: new SessionStore(db, terminals),
    members: new MemberStore(db, loyalty),
    products: new ProductStore(db),
    orders: new OrderStore(db, loyalty),
    loyalty,
    refunds: new RefundStore(db, loyalty),
    close: () => db.close(),
  };
}
