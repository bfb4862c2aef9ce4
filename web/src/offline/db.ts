import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { ErrorCode } from '@posface/protocol';
import type { CreateOrderRequest, Member, Order, Product, TerminalInfo } from '@posface/protocol/api';

/**
 * The POS's own data in the browser (IndexedDB, through `idb`): what lets the till sell while the server is
 * unreachable, and survive a reload or a closed browser meanwhile. The service worker caches only the app's
 * files; every piece of data lives here, owned by one module each:
 *   meta      terminal-cache.ts (whom this browser is paired as), authinfo-keeper.ts, catalogue-cache.ts (when refreshed)
 *   products  catalogue-cache.ts: the whole catalogue with member prices, refreshed in the background
 *   members   member-cache.ts: members seen recently on this till, keyed by the short hash of their openid
 *   outbox    outbox.ts: completed sales not booked by the server yet, oldest first
 *   synced    outbox.ts: what the server answered for each synced sale (a few days, for the cashier)
 */

export const POS_DB_NAME = 'posface-pos';
const VERSION = 1;

/** What the till showed for a sale, kept beside it to compare with the server's answer. No personal data. */
export interface LocalSale {
  total_fen: number;
  item_count: number;
  /** 'member': a known member's sale; 'pending': a face recognised only at sync; 'none': no member. */
  customer: 'member' | 'pending' | 'none';
  /** Points the till expected (a known member's sale; pending ones learn theirs at sync). */
  points_expected: number;
}

export interface SaleError {
  code: ErrorCode;
  message: string;
}

/** A completed sale waiting for the server. `request` may hold a customer_openid: it goes when the sale syncs. */
export interface OutboxSale {
  /** FIFO order (auto-increment), absent before the first write. */
  seq?: number;
  /** The Idempotency-Key: the server books one sale per key, however often it is sent. */
  key: string;
  request: CreateOrderRequest;
  /** The terminal the sale was made on (a browser paired again as another terminal must not book it there). */
  terminal: { store_id: string; device_id: string };
  local: LocalSale;
  /** Page clock, ms. */
  soldAt: number;
  attempts: number;
  lastError: SaleError | null;
  /** Refused for good (a 4xx): kept aside for the cashier, never dropped; the queue goes on without it. */
  held: boolean;
}

export interface SyncedSale {
  seq: number;
  key: string;
  order: Order;
  local: LocalSale;
  soldAt: number;
  syncedAt: number;
}

export interface CachedMember {
  /** protocol's shortHash(openid): the openid itself is never stored here. */
  key: string;
  member: Member;
  /** Last seen on this till (page clock, ms): purged after MEMBER_CACHE_MAX_AGE_MS. */
  seenAt: number;
}

export interface KeptAuthinfo {
  authinfo: string;
  /** Page clock, ms. */
  expiresAt: number;
}

export interface CatalogueInfo {
  refreshedAt: number;
  count: number;
}

/** The meta store's entries by key. */
export interface MetaValues {
  terminal: TerminalInfo;
  authinfo: KeptAuthinfo;
  catalogue: CatalogueInfo;
}

export interface PosSchema extends DBSchema {
  meta: { key: keyof MetaValues; value: MetaValues[keyof MetaValues] };
  products: { key: string; value: Product; indexes: { barcode: string; name: string } };
  members: { key: string; value: CachedMember; indexes: { seenAt: number; memberId: string } };
  outbox: { key: number; value: OutboxSale };
  synced: { key: number; value: SyncedSale; indexes: { syncedAt: number } };
}

export type PosDb = IDBPDatabase<PosSchema>;

export function openPosDb(name = POS_DB_NAME): Promise<PosDb> {
  return openDB<PosSchema>(name, VERSION, {
    upgrade(db) {
      db.createObjectStore('meta');
      const products = db.createObjectStore('products', { keyPath: 'id' });
      products.createIndex('barcode', 'barcode');
      products.createIndex('name', 'name');
      const members = db.createObjectStore('members', { keyPath: 'key' });
      members.createIndex('seenAt', 'seenAt');
      members.createIndex('memberId', 'member.id');
      db.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
      const synced = db.createObjectStore('synced', { keyPath: 'seq' });
      synced.createIndex('syncedAt', 'syncedAt');
    },
  });
}

/** Typed access to the meta store. */
export async function readMeta<K extends keyof MetaValues>(db: Promise<PosDb>, key: K): Promise<MetaValues[K] | undefined> {
  return (await (await db).get('meta', key)) as MetaValues[K] | undefined;
}

export async function writeMeta<K extends keyof MetaValues>(db: Promise<PosDb>, key: K, value: MetaValues[K]): Promise<void> {
  await (await db).put('meta', value, key);
}

export async function deleteMeta(db: Promise<PosDb>, key: keyof MetaValues): Promise<void> {
  await (await db).delete('meta', key);
}
