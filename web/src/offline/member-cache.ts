import { shortHash } from '@posface/protocol';
import type { Member } from '@posface/protocol/api';
import type { CachedMember, PosDb } from './db.js';

/** A member not seen on this till for this long is forgotten (docs/decisions.md, "the offline member cache"). */
export const MEMBER_CACHE_MAX_AGE_MS = 7 * 86_400_000;

/**
 * Members seen recently on this till, so a face recognised while the server is unreachable can still be
 * greeted with their level, member prices and points as last known. An entry is keyed by protocol's
 * shortHash of the openid (the openid itself is never stored: the SDK hands it over at each face step) and
 * holds only what the till shows (the server's Member answer: id, nickname, masked phone, level, points).
 */
export class MemberCache {
  constructor(
    private readonly db: Promise<PosDb>,
    private readonly maxAgeMs = MEMBER_CACHE_MAX_AGE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  async remember(openid: string, { id, nickname, phone, level, points }: Member): Promise<void> {
    // Field by field: whatever else an answer carried is not kept.
    const entry: CachedMember = { key: shortHash(openid), member: { id, nickname, phone, level, points }, seenAt: this.now() };
    await (await this.db).put('members', entry);
  }

  /** The member with this openid if seen within the age limit (seen again now), else null. */
  async recall(openid: string): Promise<Member | null> {
    const db = await this.db;
    const key = shortHash(openid);
    const entry = await db.get('members', key);
    if (!entry) return null;
    if (entry.seenAt < this.now() - this.maxAgeMs) {
      await db.delete('members', key);
      return null;
    }
    await db.put('members', { ...entry, seenAt: this.now() });
    return entry.member;
  }

  /** After a sale the server's balance is the last known one. */
  async updatePoints(memberId: string, points: number): Promise<void> {
    const tx = (await this.db).transaction('members', 'readwrite');
    for await (const cursor of tx.store.index('memberId').iterate(memberId)) {
      await cursor.update({ ...cursor.value, member: { ...cursor.value.member, points } });
    }
    await tx.done;
  }

  /** Forgets every member not seen within the age limit; returns how many. */
  async purge(): Promise<number> {
    const tx = (await this.db).transaction('members', 'readwrite');
    let removed = 0;
    for await (const cursor of tx.store.index('seenAt').iterate(IDBKeyRange.upperBound(this.now() - this.maxAgeMs, true))) {
      await cursor.delete();
      removed += 1;
    }
    await tx.done;
    return removed;
  }

  /** Unpairing forgets everyone this till saw. */
  async clear(): Promise<void> {
    await (await this.db).clear('members');
  }
}
