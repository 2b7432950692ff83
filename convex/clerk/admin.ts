/**
 * The admin view's controls for backfill and reconcile (the same runs as
 * `npx convex run clerk/sync:…`). Every function checks the caller is an app admin
 * (`requireAppAdmin`: public metadata `"rosterAdmin": true` in Clerk).
 */
import { v } from "convex/values";
import { mutation, query } from "../_generated/server";
import { clerkSecretKey } from "../env";
import { requireAppAdmin } from "../model/access";
import { cancelRun, confirmRun, findRun, latestRuns, resumeRun, startRun, vRunView } from "./runs";
import { vSyncMode } from "./schema";

/** Live progress of the latest runs, and whether CLERK_SECRET_KEY is set (without it nothing can start). */
export const syncStatus = query({
  args: {},
  returns: v.object({ configured: v.boolean(), runs: v.array(vRunView) }),
  handler: async (ctx) => {
    await requireAppAdmin(ctx);
    return { configured: clerkSecretKey() !== null, runs: await latestRuns(ctx, 5) };
  },
});

/** Starts a backfill or a reconcile; a ConvexError when one is running or CLERK_SECRET_KEY is missing. */
export const startSync = mutation({
  args: { mode: vSyncMode },
  returns: v.id("clerkSyncRuns"),
  handler: async (ctx, { mode }) => {
    const admin = await requireAppAdmin(ctx);
    return await startRun(ctx, mode, admin.subject);
  },
});

/** Continues a failed, cancelled or stalled run from where it stopped. */
export const resumeSync = mutation({
  args: { runId: v.id("clerkSyncRuns") },
  returns: v.null(),
  handler: async (ctx, { runId }) => {
    await requireAppAdmin(ctx);
    await resumeRun(ctx, await findRun(ctx, runId));
    return null;
  },
});

/**
 * Stops a running run; it can be resumed. A reconcile waiting for a confirmation is cancelled for
 * good: it removes nothing.
 */
export const cancelSync = mutation({
  args: { runId: v.id("clerkSyncRuns") },
  returns: v.null(),
  handler: async (ctx, { runId }) => {
    const admin = await requireAppAdmin(ctx);
    await cancelRun(ctx, await findRun(ctx, runId), admin.subject);
    return null;
  },
});

/**
 * Confirms the removals of a reconcile that stopped at its cap (it shows how many rows of each kind
 * it would remove); the run goes on and removes them, asking Clerk about each one again.
 */
export const confirmSync = mutation({
  args: { runId: v.id("clerkSyncRuns") },
  returns: v.null(),
  handler: async (ctx, { runId }) => {
    const admin = await requireAppAdmin(ctx);
    await confirmRun(ctx, await findRun(ctx, runId), admin.subject);
    return null;
  },
});
