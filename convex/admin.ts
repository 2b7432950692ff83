import { paginationOptsValidator, paginationResultValidator } from "convex/server";
import { ConvexError, v } from "convex/values";
import { internal } from "./_generated/api";
import { mutation, query } from "./_generated/server";
import { requireAppAdmin } from "./model/access";
import {
  computeSyncHealth,
  eventLogPage,
  recentCommunications,
  vCommunication,
  vLoggedEvent,
  vSyncHealth,
} from "./model/eventLog";
import { latestRetryRun, retryableEvent, startRetryRun, vRetryRun } from "./model/retries";
import { clerkSecretKey } from "./env";
import { vOutcome } from "./schema";
import { correctPin } from "./webhooks/instance";
import { storableText } from "./webhooks/ingest";

/**
 * The webhook event log, newest first, optionally one outcome and/or one event family
 * (`organizationMembership`), with user and organization names; app admins only.
 */
export const eventLog = query({
  args: { paginationOpts: paginationOptsValidator, outcome: v.optional(vOutcome), family: v.optional(v.string()) },
  returns: paginationResultValidator(vLoggedEvent),
  handler: async (ctx, { paginationOpts, outcome, family }) => {
    await requireAppAdmin(ctx);
    return await eventLogPage(ctx, paginationOpts, outcome, family?.slice(0, 200));
  },
});

/** When the last event arrived and how many failed; app admins only. */
export const syncHealth = query({
  args: {},
  returns: vSyncHealth,
  handler: async (ctx) => {
    await requireAppAdmin(ctx);
    return await computeSyncHealth(ctx, Date.now());
  },
});

/** The emails and text messages Clerk delivered for the app, newest first (never their contents); app admins only. */
export const communications = query({
  args: { limit: v.optional(v.number()) },
  returns: v.array(vCommunication),
  handler: async (ctx, { limit }) => {
    await requireAppAdmin(ctx);
    return await recentCommunications(ctx, limit);
  },
});

/** The newest retry of the failed events, with its live progress, or null; app admins only. */
export const retryRun = query({
  args: {},
  returns: v.union(vRetryRun, v.null()),
  handler: async (ctx) => {
    await requireAppAdmin(ctx);
    return await latestRetryRun(ctx);
  },
});

/**
 * Starts re-applying every failed event, in scheduled batches whose progress `retryRun` shows;
 * app admins only. A ConvexError RETRY_RUNNING while one is going.
 */
export const retryFailed = mutation({
  args: {},
  returns: v.id("webhookRetryRuns"),
  handler: async (ctx) => {
    const identity = await requireAppAdmin(ctx);
    const runId = await startRetryRun(ctx, identity.subject, Date.now());
    const run = await ctx.db.get("webhookRetryRuns", runId);
    if (run?.status === "running") await ctx.scheduler.runAfter(0, internal.webhooks.log.retryBatch, { runId });
    return runId;
  },
});

/** Re-applies one failed event from the log now (its row shows the outcome); app admins only. */
export const retryEvent = mutation({
  args: { eventId: v.id("webhookEvents") },
  returns: v.null(),
  handler: async (ctx, { eventId }) => {
    await requireAppAdmin(ctx);
    const row = await retryableEvent(ctx, eventId);
    await ctx.scheduler.runAfter(0, internal.webhooks.log.retryOne, { svixId: row.svixId });
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
    if (clerkSecretKey() !== null) {
      await ctx.scheduler.runAfter(0, internal.webhooks.instance.repin, {});
      return "scheduled" as const;
    }
    if (instanceId === undefined)
      throw new ConvexError({
        code: "NAME_THE_INSTANCE",
        message: "No CLERK_SECRET_KEY is set: choose which of the foreign instances seen is yours.",
      });
    await correctPin(ctx, storableText(instanceId, 200), "operator", Date.now());
    return "pinned" as const;
  },
});
