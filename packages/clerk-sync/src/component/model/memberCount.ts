/**
 * An organization's members count, without a hot row.
 *
 * One counter document per organization would be written by every join and leave: a burst of
 * membership events (a bulk invite, an SSO domain enrolling a company) would conflict on it on
 * Convex, and events would fail after Convex's retries. So the count is split over
 * MEMBER_COUNT_SHARDS documents: a membership adds 1 to (and its removal takes 1 from) the shard its
 * Clerk id hashes to, in the same transaction as the membership row, so the count is exact, rolls
 * back with the row, and a burst of N events writes each shard in about N / 16 of them. Reading sums
 * the shards (at most 16 documents, whatever the organization's size).
 *
 * Why not `@convex-dev/sharded-counter` or `@convex-dev/aggregate`: they shard the same way, but in a
 * component whose writes the bench's counting `ctx.db` cannot see, and Roster needs nothing more
 * than a sum. Why not count the memberships index: an organization of 50,000 members would read
 * 50,000 documents per view, beyond Convex's per-transaction limit.
 */
import type { Doc } from "../_generated/dataModel.js";
import type { MutationCtx, QueryCtx } from "../_generated/server.js";
import { pageAfter } from "../lib/cursor.js";

/** How many documents one organization's count is split over. */
export const MEMBER_COUNT_SHARDS = 16;

/** The shard a membership counts in: FNV-1a of its Clerk id, so the same membership always picks the same one. */
export function shardOf(membershipClerkId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < membershipClerkId.length; i++) {
    hash ^= membershipClerkId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % MEMBER_COUNT_SHARDS;
}

/** Adds `delta` to one shard of an organization's count (creating the shard when it has none). */
export async function addToShard(
  ctx: MutationCtx,
  organizationId: string,
  shard: number,
  delta: number,
): Promise<void> {
  if (delta === 0) return;
  const row = await ctx.db
    .query("memberCountShards")
    .withIndex("by_organization_and_shard", (q) => q.eq("organizationId", organizationId).eq("shard", shard))
    .unique();
  if (row) await ctx.db.patch("memberCountShards", row._id, { count: row.count + delta });
  else await ctx.db.insert("memberCountShards", { organizationId, shard, count: delta });
}

/** Counts a membership row just inserted (+1) or just deleted (-1, only if it was counted). */
export async function countMembership(
  ctx: MutationCtx,
  membership: Pick<Doc<"memberships">, "organizationId" | "clerkId" | "counted">,
  delta: 1 | -1,
): Promise<void> {
  if (delta === -1 && membership.counted !== true) return;
  await addToShard(ctx, membership.organizationId, shardOf(membership.clerkId), delta);
}

/** The exact number of members of an organization. */
export async function countMembers(ctx: QueryCtx, organizationId: string): Promise<number> {
  const shards = await ctx.db
    .query("memberCountShards")
    .withIndex("by_organization_and_shard", (q) => q.eq("organizationId", organizationId))
    .take(MEMBER_COUNT_SHARDS);
  return shards.reduce((total, shard) => total + shard.count, 0);
}

/**
 * Counts up to `limit` memberships written before the count existed (no `counted` mark), from
 * `cursor` on: marks each counted and adds them to their shards, one write per shard touched.
 * Safe beside live events (a row is counted and marked in one transaction) and when run again.
 */
export async function countUncounted(
  ctx: MutationCtx,
  cursor: string | null,
  limit: number,
): Promise<{ counted: number; continueCursor: string | null; isDone: boolean }> {
  const page = await pageAfter(ctx.db, { table: "memberships", index: "by_clerkId", cursor, numItems: limit });
  const deltas = new Map<string, { organizationId: string; shard: number; delta: number }>();
  let counted = 0;
  for (const membership of page.page) {
    if (membership.counted === true) continue;
    await ctx.db.patch("memberships", membership._id, { counted: true });
    const shard = shardOf(membership.clerkId);
    const key = `${shard}:${membership.organizationId}`;
    const entry = deltas.get(key) ?? { organizationId: membership.organizationId, shard, delta: 0 };
    entry.delta += 1;
    deltas.set(key, entry);
    counted += 1;
  }
  for (const { organizationId, shard, delta } of deltas.values()) await addToShard(ctx, organizationId, shard, delta);
  return { counted, continueCursor: page.continueCursor, isDone: page.isDone };
}
