import { ClerkSync, vChange } from "convex-clerk-sync";
import { v } from "convex/values";
import { components, internal } from "./_generated/api";
import { internalMutation } from "./_generated/server";
import { applyChange, MAX_ERASED_ADDRESSES } from "./model/changes";
import { eraseTeamBatch, eraseUserBatch } from "./model/erasure";

/**
 * Roster's use of the clerkSync component: the one client every Roster function reads Clerk's data
 * through, and the change hook the component calls, in the same transaction, for every change of a
 * synced row (webhook, retry, backfill, reconcile, cascade, retention, fetch, migration).
 */
export const clerk: ClerkSync = new ClerkSync(components.clerkSync, { onChange: internal.clerk.onChange });

/**
 * Keeps Roster's own data (members projection, activity feed, erasure) in step with each change
 * (model/changes.ts). A throw rolls the component's change back: the event is kept as failed.
 */
export const onChange = internalMutation({
  args: vChange.fields,
  returns: v.null(),
  handler: async (ctx, change) => {
    await applyChange(ctx, change);
    return null;
  },
});

/**
 * Scheduled by the hook when Clerk's user is deleted: erases Roster's data about them (feed
 * entries about them or their `addresses`, their profile, their dismissals) in bounded runs, each
 * scheduling the next until nothing is left.
 */
export const eraseUser = internalMutation({
  args: { userId: v.string(), addresses: v.optional(v.array(v.string())) },
  returns: v.object({ erased: v.number(), more: v.boolean() }),
  handler: async (ctx, { userId, addresses }) => {
    const erase = (addresses ?? []).slice(0, MAX_ERASED_ADDRESSES);
    const result = await eraseUserBatch(ctx, userId, erase);
    if (result.more)
      await ctx.scheduler.runAfter(0, internal.clerk.eraseUser, {
        userId,
        ...(erase.length > 0 ? { addresses: erase } : {}),
      });
    return result;
  },
});

/**
 * Scheduled by the hook when a Clerk organization is deleted: its feed and departure notes go, in
 * bounded runs (its members' projection rows go with the component's membership deletes).
 */
export const eraseTeam = internalMutation({
  args: { organizationId: v.string() },
  returns: v.object({ erased: v.number(), more: v.boolean() }),
  handler: async (ctx, { organizationId }) => {
    const result = await eraseTeamBatch(ctx, organizationId);
    if (result.more) await ctx.scheduler.runAfter(0, internal.clerk.eraseTeam, { organizationId });
    return result;
  },
});
