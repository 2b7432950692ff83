import { v } from "convex/values";
import { internal } from "./_generated/api";
import { internalMutation } from "./_generated/server";
import { clampCount } from "./lib/bounded";
import { countUncounted } from "./model/memberCount";
import { followUser as followUserPage, MEMBER_SEARCH_BATCH } from "./model/memberships";

/** Memberships one `countExisting` batch counts at most (one read and one write each, plus ≤ 16 shard writes per organization). */
const COUNT_BATCH_SIZE = 500;

/**
 * Counts the memberships written before members counts existed, in batches that schedule the next:
 * run once after deploying this version (`npx convex run memberships:countExisting`). Running it
 * again changes nothing.
 */
export const countExisting = internalMutation({
  args: { cursor: v.optional(v.union(v.string(), v.null())), batchSize: v.optional(v.number()) },
  returns: v.object({ counted: v.number(), isDone: v.boolean() }),
  handler: async (ctx, { cursor, batchSize }) => {
    const size = clampCount(batchSize, COUNT_BATCH_SIZE, COUNT_BATCH_SIZE);
    const { counted, continueCursor, isDone } = await countUncounted(ctx, cursor ?? null, size);
    if (!isDone) {
      await ctx.scheduler.runAfter(0, internal.memberships.countExisting, { cursor: continueCursor, batchSize: size });
    }
    return { counted, isDone };
  },
});

/** Scheduled by user.* events: the next page of a user's memberships follows their new name and email. */
export const followUser = internalMutation({
  args: { userId: v.string(), cursor: v.string() },
  returns: v.object({ updated: v.number(), isDone: v.boolean() }),
  handler: async (ctx, { userId, cursor }) => await followUserPage(ctx, userId, cursor, MEMBER_SEARCH_BATCH),
});
