import { clerkEvents } from "convex-clerk-sync";
import { internal } from "./_generated/api";
import type { DataModel } from "./_generated/dataModel";

/**
 * Clerk's events Roster acts on beyond the rows they change. `user.deleted` erases Roster's data
 * about the user by their id even when the component never had their row (their user.created
 * failed or never came, yet they saved a profile or dismissed an invitation): no row, no change
 * hook. When there was a row, the change hook has scheduled the same erasure with their addresses;
 * this run then finds what is left by id (nothing, or what it erases first). Same transaction as
 * the sync: a throw keeps the event failed.
 */
export const onEvent = clerkEvents<DataModel>({
  "user.deleted": async (ctx, event) => {
    const userId = event.data.id;
    if (typeof userId === "string" && userId !== "")
      await ctx.scheduler.runAfter(0, internal.clerk.eraseUser, { userId });
  },
});
