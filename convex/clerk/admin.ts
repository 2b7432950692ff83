/**
 * The admin view's controls for backfill and reconcile (the same runs as
 * `npx convex run --component clerkSync clerk/sync:…`). The component does not authorize: every
 * function checks the caller is an app admin first (`requireAppAdmin`: public metadata
 * `"rosterAdmin": true` in Clerk), then makes one component call.
 */
import { v } from "convex/values";
import { mutation, query } from "../_generated/server";
import { clerk } from "../clerk";
import { requireAppAdmin } from "../model/access";
import { vRunView, vSyncMode } from "convex-clerk-sync";

/** Live progress of the latest runs, and whether CLERK_SECRET_KEY is set (without it nothing can start). */
export const syncStatus = query({
  args: {},
  returns: v.object({ configured: v.boolean(), runs: v.array(vRunView) }),
  handler: async (ctx) => {
    await requireAppAdmin(ctx);
    return await clerk.syncStatus(ctx, { limit: 5 });
  },
});

/** Starts a backfill or a reconcile; a ConvexError when one is running or CLERK_SECRET_KEY is missing. Returns the run's id. */
export const startSync = mutation({
  args: { mode: vSyncMode },
  returns: v.string(),
  handler: async (ctx, { mode }) => {
    const admin = await requireAppAdmin(ctx);
    return await clerk.startSync(ctx, { mode, startedBy: admin.clerkId });
  },
});

/** Continues a failed, cancelled or stalled run from where it stopped. */
export const resumeSync = mutation({
  args: { runId: v.string() },
  returns: v.null(),
  handler: async (ctx, { runId }) => {
    await requireAppAdmin(ctx);
    await clerk.resumeSync(ctx, { runId });
    return null;
  },
});

/**
 * Stops a running run; it can be resumed. A reconcile waiting for a confirmation is cancelled for
 * good: it removes nothing.
 */
export const cancelSync = mutation({
  args: { runId: v.string() },
  returns: v.null(),
  handler: async (ctx, { runId }) => {
    const admin = await requireAppAdmin(ctx);
    await clerk.cancelSync(ctx, { runId, by: admin.clerkId });
    return null;
  },
});

/**
 * Confirms the removals of a reconcile that stopped at its cap (it shows how many rows of each kind
 * it would remove); the run goes on and removes them, asking Clerk about each one again.
 */
export const confirmSync = mutation({
  args: { runId: v.string() },
  returns: v.null(),
  handler: async (ctx, { runId }) => {
    const admin = await requireAppAdmin(ctx);
    await clerk.confirmSync(ctx, { runId, by: admin.clerkId });
    return null;
  },
});
