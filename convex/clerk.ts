import { ClerkSync, vChange } from "convex-clerk-sync";
import { v } from "convex/values";
import { components, internal } from "./_generated/api";
import { internalMutation } from "./_generated/server";
import { applyChange } from "./model/changes";

/**
 * Roster's use of the clerkSync component: the one client every Roster function reads Clerk's data
 * through, and the change hook the component calls, in the same transaction, for every change of a
 * synced row (webhook, retry, backfill, reconcile, cascade, retention, fetch, migration).
 */
export const clerk = new ClerkSync(components.clerkSync, { onChange: internal.clerk.onChange });

/** Keeps Roster's own data (members projection, activity feed, profile erasure) in step with each change. */
export const onChange = internalMutation({
  args: vChange.fields,
  returns: v.null(),
  handler: async (ctx, change) => {
    await applyChange(ctx, change);
    return null;
  },
});
