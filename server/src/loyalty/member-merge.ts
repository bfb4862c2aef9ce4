import { balanceLots, FaceError, higherLevel } from '@posface/protocol';
import type { Selectable } from 'kysely';
import type { Executor } from '../admin/staff-store.js';
import { safeInt } from '../db/integers.js';
import type { MembersTable } from '../db/schema.js';
import type { Loyalty } from './loyalty.js';
import { grantedLevel } from './member-tiers.js';
import type { Posting } from './points-ledger.js';

export interface MergeResult {
  movedPoints: number;
  movedOrders: number;
}

/**
 * Merges a duplicate member into a survivor, in the caller's transaction. Ledger rows are never rewritten,
 * so the points move as rows: `merge_out` takes the duplicate's balance to 0, and the survivor gets one
 * `merge_in` per batch of points the balance is made of, each keeping the time it was earned (so expiry
 * treats them as before). Orders and their refunds move to the survivor (its spend, its history); members
 * merged into the duplicate earlier now point at the survivor. The survivor takes the duplicate's face
 * (openid) and phone when it has none; otherwise the closed duplicate keeps them, and a face lookup of
 * it is answered with the survivor. The duplicate is closed, never found by a phone lookup again.
 */
export async function mergeMembers(trx: Executor, loyalty: Loyalty, survivorId: string, duplicateId: string, actor: string, now = new Date()): Promise<MergeResult> {
  if (survivorId === duplicateId) throw new FaceError('INVALID_REQUEST', 'body.duplicate_id: a member cannot be merged into itself', { details: { field: 'body.duplicate_id' } });
  // Locks in id order, so two merges of the same pair cannot wait on each other.
  const [first, second] = [survivorId, duplicateId].sort();
  const rows = new Map<string, Selectable<MembersTable> | undefined>();
  for (const id of [first, second] as string[]) rows.set(id, await loyalty.ledger.lockMember(trx, id));
  const survivor = rows.get(survivorId);
  const duplicate = rows.get(duplicateId);
  if (survivor === undefined) throw new FaceError('NOT_FOUND', `no member ${survivorId}`);
  if (duplicate === undefined) throw new FaceError('NOT_FOUND', `no member ${duplicateId}`, { details: { field: 'body.duplicate_id' } });
  for (const m of [survivor, duplicate]) {
    if (m.closed_at !== null) throw new FaceError('CONFLICT', `member ${m.id} was merged into ${m.merged_into ?? '?'} already`, { details: { member_id: m.id, merged_into: m.merged_into } });
  }

  const points = safeInt(duplicate.points, 'members.points');
  const lots = balanceLots(await loyalty.ledger.creditsNewestFirst(trx, duplicateId), points).reverse();
  await loyalty.ledger.post(trx, duplicate, [{ kind: 'merge_out', points: -points, relatedMemberId: survivorId, actor, reason: `merged into ${survivorId}` }], { now });
  const moved = await trx.updateTable('orders').set({ member_id: survivorId }).where('member_id', '=', duplicateId).executeTakeFirst();
  await trx.updateTable('refunds').set({ member_id: survivorId }).where('member_id', '=', duplicateId).execute();
  await trx.updateTable('members').set({ merged_into: survivorId }).where('merged_into', '=', duplicateId).execute();

  const face = survivor.openid === null && duplicate.openid !== null;
  await trx
    .updateTable('members')
    .set({ closed_at: now.toISOString(), merged_into: survivorId, ...(face ? { openid: null, sub_openid: null, unionid: null } : {}) })
    .where('id', '=', duplicateId)
    .execute();
  // The higher of the levels staff granted either record.
  const granted = grantedLevel(duplicate) === null ? grantedLevel(survivor) : higherLevel(grantedLevel(duplicate) ?? 'standard', grantedLevel(survivor));
  await trx
    .updateTable('members')
    .set({
      level_granted: granted,
      ...(face ? { openid: duplicate.openid, sub_openid: duplicate.sub_openid, unionid: duplicate.unionid } : {}),
      ...(survivor.phone === null && duplicate.phone !== null ? { phone: duplicate.phone } : {}),
    })
    .where('id', '=', survivorId)
    .execute();

  const postings: Posting[] = lots.map((lot) => ({ kind: 'merge_in', points: lot.points, earnedAt: lot.earned_at, relatedMemberId: duplicateId, actor, reason: `merged from ${duplicateId}` }));
  if (postings.length === 0) postings.push({ kind: 'merge_in', points: 0, relatedMemberId: duplicateId, actor, reason: `merged from ${duplicateId}` });
  // The survivor's tier now counts the moved orders.
  const tier = await loyalty.tiers.of({ id: survivorId, level_granted: granted }, await loyalty.settings.rules(trx), now, trx);
  await loyalty.ledger.post(trx, survivor, postings, { now, level: tier.level });
  return { movedPoints: points, movedOrders: Number(moved.numUpdatedRows) };
}
