import { v } from "convex/values";
import { internal } from "./_generated/api";
import { internalMutation, type MutationCtx } from "./_generated/server";
import { clampCount, deleteRows, removeWithin, type RemovalStep } from "./lib/bounded";
import { countMembership } from "./model/memberCount";
import { recordMemberLeft } from "./model/memberships";
import { pruneSessions } from "./model/sessions";

/**
 * Rows one cascade mutation removes at most. Each removal is one read and one write (for a
 * membership of a deleted user, also its "left" activity entry and one shard of its organization's
 * members count: at most 3 reads and 3 writes), far below Convex's
 * per-transaction limits, so an organization of 50,000 members is removed in 250 small mutations.
 */
export const CASCADE_BATCH_SIZE = 200;

const vParent = v.union(v.literal("organization"), v.literal("user"));

function childSteps(ctx: MutationCtx, parent: "organization" | "user", clerkId: string, now: number): RemovalStep[] {
  if (parent === "organization") {
    return [
      async (n) =>
        deleteRows(
          ctx,
          "memberships",
          await ctx.db
            .query("memberships")
            .withIndex("by_organization_and_user", (q) => q.eq("organizationId", clerkId))
            .take(n),
        ),
      async (n) =>
        deleteRows(
          ctx,
          "organizationInvitations",
          await ctx.db
            .query("organizationInvitations")
            .withIndex("by_organization_and_status", (q) => q.eq("organizationId", clerkId))
            .take(n),
        ),
      async (n) =>
        deleteRows(
          ctx,
          "organizationDomains",
          await ctx.db
            .query("organizationDomains")
            .withIndex("by_organization", (q) => q.eq("organizationId", clerkId))
            .take(n),
        ),
      async (n) =>
        deleteRows(
          ctx,
          "activity",
          await ctx.db
            .query("activity")
            .withIndex("by_organization_and_at", (q) => q.eq("organizationId", clerkId))
            .take(n),
        ),
      // The members count goes last: until every membership is gone, a user's cascade may still take one off.
      async (n) =>
        deleteRows(
          ctx,
          "memberCountShards",
          await ctx.db
            .query("memberCountShards")
            .withIndex("by_organization_and_shard", (q) => q.eq("organizationId", clerkId))
            .take(n),
        ),
    ];
  }
  return [
    // A deleted user leaves each of their organizations: one member fewer, and "left" in each activity feed.
    async (n) =>
      deleteRows(
        ctx,
        "memberships",
        await ctx.db
          .query("memberships")
          .withIndex("by_user", (q) => q.eq("userId", clerkId))
          .take(n),
        async (row) => {
          await countMembership(ctx, row, -1);
          await recordMemberLeft(ctx, row, now);
        },
      ),
    async (n) =>
      deleteRows(
        ctx,
        "sessions",
        await ctx.db
          .query("sessions")
          .withIndex("by_user_and_status", (q) => q.eq("userId", clerkId))
          .take(n),
      ),
  ];
}

/**
 * Removes up to `batchSize` rows that belonged to a deleted organization or user. The parent's
 * tombstone already makes late events for these rows stale, so they need none of their own.
 */
export async function removeChildrenBatch(
  ctx: MutationCtx,
  parent: "organization" | "user",
  clerkId: string,
  batchSize: number,
): Promise<{ removed: number; more: boolean }> {
  return await removeWithin(batchSize, childSteps(ctx, parent, clerkId, Date.now()));
}

/** Scheduled by organization.deleted and user.deleted; reschedules itself until nothing is left. */
export const removeChildren = internalMutation({
  args: { parent: vParent, clerkId: v.string(), batchSize: v.optional(v.number()) },
  returns: v.object({ removed: v.number(), more: v.boolean() }),
  handler: async (ctx, { parent, clerkId, batchSize }) => {
    const size = clampCount(batchSize, CASCADE_BATCH_SIZE, CASCADE_BATCH_SIZE);
    const result = await removeChildrenBatch(ctx, parent, clerkId, size);
    if (result.more)
      await ctx.scheduler.runAfter(0, internal.cascades.removeChildren, { parent, clerkId, batchSize: size });
    return result;
  },
});

/** Run hourly by crons.ts: drops ended sessions (kept 7 days for late events) in bounded batches. */
export const pruneEndedSessions = internalMutation({
  args: {},
  returns: v.object({ deleted: v.number() }),
  handler: async (ctx) => {
    const deleted = await pruneSessions(ctx, Date.now(), CASCADE_BATCH_SIZE);
    if (deleted >= CASCADE_BATCH_SIZE) await ctx.scheduler.runAfter(0, internal.cascades.pruneEndedSessions, {});
    return { deleted };
  },
});
