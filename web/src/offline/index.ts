import { CatalogueCache } from './catalogue-cache.js';
import { openPosDb, type PosDb } from './db.js';
import { MemberCache } from './member-cache.js';
import { Outbox } from './outbox.js';
import { TerminalCache } from './terminal-cache.js';

/** The POS's data kept in the browser for selling offline (db.ts says what lives where). */
export interface OfflineData {
  db: Promise<PosDb>;
  terminal: TerminalCache;
  catalogue: CatalogueCache;
  members: MemberCache;
  outbox: Outbox;
}

/** Opens the database once; every part shares it. `name`: tests use a fresh one each. */
export function openOfflineData(name?: string): OfflineData {
  const db = openPosDb(name);
  return { db, terminal: new TerminalCache(db), catalogue: new CatalogueCache(db), members: new MemberCache(db), outbox: new Outbox(db) };
}
