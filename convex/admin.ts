/**
 * The admin view's reads and controls over the sync engine (the clerkSync component's operator
 * API). The component does not authorize: every function here checks the caller is an app admin
 * first (`requireAppAdmin`: public metadata `"rosterAdmin": true` in Clerk) — one component call —
 * then makes one more.
 */
import { paginationOptsValidator } from "convex/server";
import { v } from "convex/values";
import { mutation, query } from "./_generated/server";
import { clerk } from "./clerk";
import { requireAppAdmin } from "./model/access";
import { vCommunication, vLoggedEvent, vOutcome, vRetryRun, vSyncHealth } from "convex-clerk-sync";

/**
 * The webhook event log, newest first, optionally one outcome and/or one event family
 * (`organizationMembership`), with user and organization names; app admins only. Pages with the
 * component's explicit cursor (`paginationOpts.cursor`: null, then the last page's `continueCursor`).
 */
export const eventLog = query({
  args: { paginationOpts: paginationOptsValidator, outcome: v.optional(vOutcome), family: v.optional(v.string()) },
  returns: v.object({ page: v.array(vLoggedEvent), continueCursor: v.string(), isDone: v.boolean() }),
  handler: async (ctx, { paginationOpts, outcome, family }) => {
    await requireAppAdmin(ctx);
    return await clerk.eventLog(ctx, {
      cursor: paginationOpts.cursor,
      numItems: paginationOpts.numItems,
      ...(outcome === undefined ? {} : { outcome }),
      ...(family === undefined ? {} : { family }),
    });
  },
});

/** When the last event arrived and how many failed; app admins only. */
export const syncHealth = query({
  args: {},
  returns: vSyncHealth,
  handler: async (ctx) => {
    await requireAppAdmin(ctx);
    return await clerk.syncHealth(ctx);
  },
});

/** The emails and text messages Clerk delivered for the app, newest first (never their contents); app admins only. */
export const communications = query({
  args: { limit: v.optional(v.number()) },
  returns: v.array(vCommunication),
  handler: async (ctx, { limit }) => {
    await requireAppAdmin(ctx);
    return await clerk.communications(ctx, limit === undefined ? {} : { limit });
  },
});

/** The newest retry of the failed events, with its live progress, or null; app admins only. */
export const retryRun = query({
  args: {},
  returns: v.union(vRetryRun, v.null()),
  handler: async (ctx) => {
    await requireAppAdmin(ctx);
    return await clerk.retryRun(ctx);
  },
});

/**
 * Starts re-applying every failed event, in scheduled batches whose progress `retryRun` shows;
 * app admins only. A ConvexError RETRY_RUNNING while one is going. Returns the run's id.
 */
export const retryFailed = mutation({
  args: {},
  returns: v.string(),
  handler: async (ctx) => {
    const admin = await requireAppAdmin(ctx);
    return await clerk.retryFailed(ctx, { startedBy: admin.clerkId });
  },
});

/** Re-applies one failed event from the log now (its row shows the outcome); app admins only. */
export const retryEvent = mutation({
  args: { eventId: v.string() },
  returns: v.null(),
  handler: async (ctx, { eventId }) => {
    await requireAppAdmin(ctx);
    await clerk.retryEvent(ctx, { eventId });
    return null;
  },
});

/**
 * Corrects the Clerk instance webhooks are pinned to; app admins only. With CLERK_SECRET_KEY set,
 * the pin follows the key (the check asks Clerk, then pins; `instanceId` is not taken); without
 * one, `instanceId` must be one of the foreign instances seen (a ConvexError UNKNOWN_INSTANCE
 * otherwise). The events kept as foreign from the new pin then apply, in scheduled batches.
 */
export const correctInstancePin = mutation({
  args: { instanceId: v.optional(v.string()) },
  returns: v.union(v.literal("scheduled"), v.literal("pinned")),
  handler: async (ctx, { instanceId }) => {
    await requireAppAdmin(ctx);
    return await clerk.correctInstancePin(ctx, instanceId === undefined ? {} : { instanceId });
  },
});
