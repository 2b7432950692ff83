/**
 * The operator's API: what an app's admin view shows and starts (backfill and reconcile runs,
 * retries of failed events and of stalled scheduled work, the event log, sync health, Clerk's
 * communications, the instance pin).
 *
 * None of these authorize: a component cannot read `ctx.auth`, so the app decides who is an
 * operator and checks it BEFORE calling (Roster: `requireAppAdmin`), passing who acted where the
 * run records it. The same work runs from the CLI (`npx convex run --component clerkSync …`) through
 * the internal functions of clerk/sync.ts, webhooks/log.ts and webhooks/instance.ts.
 */
import { ConvexError, v } from "convex/values";
import { internal } from "./_generated/api.js";
import { query } from "./_generated/server.js";
import { cancelRun, confirmRun, findRun, latestRuns, resumeRun, startRun, vRunView } from "./clerk/runs.js";
import { vSyncMode } from "./clerk/schema.js";
import { clerkSecretKey } from "./env.js";
import { storeHandles } from "./lib/handles.js";
import { mutation } from "./lib/hooks.js";
import {
  computeSyncHealth,
  eventLogPage,
  MAX_PAGE_SIZE,
  recentCommunications,
  vCommunication,
  vLoggedEvent,
  vSyncHealth,
} from "./model/eventLog.js";
import { latestRetryRun, retryableEvent, startRetryRun, vRetryRun } from "./model/retries.js";
import { vHandles, vOutcome, type Handles } from "./schema.js";
import { correctPin } from "./webhooks/instance.js";
import { storableText } from "./webhooks/ingest.js";
import { clampCount } from "./lib/bounded.js";
import { resumeStalled } from "./lib/queue.js";

const vRunId = v.id("clerkSyncRuns");
/** Who acted, as the run records it (a Clerk user id, "cli", …); cut to this length. */
const MAX_ACTOR_LENGTH = 200;

// ---- Backfill and reconcile ----

/**
 * Operator work calls the app's hooks (a backfill's rows, a retried event's): the client passes the
 * app's handles with each such call, stored here when they changed, so a deployment no webhook has
 * reached yet can still backfill instead of failing with CLERK_SYNC_NOT_CONFIGURED.
 */
async function storeGivenHandles(ctx: Parameters<typeof storeHandles>[0], handles: Handles | undefined): Promise<void> {
  if (handles !== undefined) await storeHandles(ctx, handles);
}

/** Live progress of the latest runs (at most 50, default 5), and whether CLERK_SECRET_KEY is set (without it nothing can start). */
export const syncStatus = query({
  args: { limit: v.optional(v.number()) },
  returns: v.object({ configured: v.boolean(), runs: v.array(vRunView) }),
  handler: async (ctx, { limit }) => ({
    configured: clerkSecretKey() !== null,
    runs: await latestRuns(ctx, clampCount(limit, 5, 50)),
  }),
});

/** Starts a backfill or a reconcile, recorded as started by `startedBy`; a ConvexError when one is running or CLERK_SECRET_KEY is missing. */
export const startSync = mutation({
  args: { handles: v.optional(vHandles), mode: vSyncMode, startedBy: v.string() },
  returns: vRunId,
  source: (_ctx, { mode }) => mode,
  handler: async (ctx, { handles, mode, startedBy }) => {
    await storeGivenHandles(ctx, handles);
    return await startRun(ctx, mode, storableText(startedBy, MAX_ACTOR_LENGTH));
  },
});

/** Continues a failed, cancelled or stalled run from where it stopped. */
export const resumeSync = mutation({
  args: { handles: v.optional(vHandles), runId: vRunId },
  returns: v.null(),
  source: async (ctx, { runId }) =>
    (await ctx.db.get("clerkSyncRuns", runId))?.mode === "reconcile" ? "reconcile" : "backfill",
  handler: async (ctx, { handles, runId }) => {
    await storeGivenHandles(ctx, handles);
    await resumeRun(ctx, await findRun(ctx, runId));
    return null;
  },
});

/** Stops a running run (it can be resumed); a reconcile waiting for a confirmation is cancelled for good. */
export const cancelSync = mutation({
  args: { runId: vRunId, by: v.string() },
  returns: v.null(),
  source: async (ctx, { runId }) =>
    (await ctx.db.get("clerkSyncRuns", runId))?.mode === "reconcile" ? "reconcile" : "backfill",
  handler: async (ctx, { runId, by }) => {
    await cancelRun(ctx, await findRun(ctx, runId), storableText(by, MAX_ACTOR_LENGTH));
    return null;
  },
});

/** Confirms the removals of a reconcile that stopped at its cap; the run goes on and removes them. */
export const confirmSync = mutation({
  args: { handles: v.optional(vHandles), runId: vRunId, by: v.string() },
  returns: v.null(),
  source: "reconcile",
  handler: async (ctx, { handles, runId, by }) => {
    await storeGivenHandles(ctx, handles);
    await confirmRun(ctx, await findRun(ctx, runId), storableText(by, MAX_ACTOR_LENGTH));
    return null;
  },
});

// ---- Failed events ----

/** The newest retry of the failed events, with its live progress, or null. */
export const retryRun = query({
  args: {},
  returns: v.union(vRetryRun, v.null()),
  handler: async (ctx) => await latestRetryRun(ctx),
});

/**
 * Starts re-applying every failed event, in scheduled batches whose progress `retryRun` shows
 * (recorded as started by `startedBy`). A ConvexError RETRY_RUNNING while one is going.
 */
export const retryFailed = mutation({
  args: { handles: v.optional(vHandles), startedBy: v.string() },
  returns: v.id("webhookRetryRuns"),
  source: "retry",
  handler: async (ctx, { handles, startedBy }) => {
    await storeGivenHandles(ctx, handles);
    const runId = await startRetryRun(ctx, storableText(startedBy, MAX_ACTOR_LENGTH), Date.now());
    const run = await ctx.db.get("webhookRetryRuns", runId);
    if (run?.status === "running") await ctx.scheduler.runAfter(0, internal.webhooks.log.retryBatch, { runId });
    return runId;
  },
});

/** Re-applies one failed (or foreign) event of the log now; its row shows the outcome. A ConvexError NOT_RETRYABLE says why not. */
export const retryEvent = mutation({
  args: { handles: v.optional(vHandles), eventId: v.id("webhookEvents") },
  returns: v.null(),
  source: "retry",
  handler: async (ctx, { handles, eventId }) => {
    await storeGivenHandles(ctx, handles);
    const row = await retryableEvent(ctx, eventId);
    await ctx.scheduler.runAfter(0, internal.webhooks.log.retryOne, { svixId: row.svixId });
    return null;
  },
});

// ---- Stalled scheduled work ----

/**
 * Tries every stalled scheduled work again (work.ts: a cascade, a user's membership pages, a fetch
 * that failed every try, usually on the app's hook), each with all its tries and backoff; sync
 * health shows what stalls again. Restarts RESUME_BATCH at once and schedules the rest. Returns how
 * many it restarted now, and whether more follow.
 */
export const resumeWork = mutation({
  args: { handles: v.optional(vHandles) },
  returns: v.object({ resumed: v.number(), more: v.boolean() }),
  source: "retry",
  handler: async (ctx, { handles }) => {
    await storeGivenHandles(ctx, handles);
    const now = Date.now();
    const result = await resumeStalled(ctx, now + 1, 0);
    if (result.more)
      await ctx.scheduler.runAfter(0, internal.work.resumeStalledBatch, { before: now + 1, attempts: 0 });
    return result;
  },
});

// ---- What the admin view reads ----

/**
 * One page of the webhook event log, newest first (at most MAX_PAGE_SIZE rows), optionally one
 * outcome and/or one event family, with user and organization names. `cursor`: null for the first
 * page, then the previous page's `continueCursor`. `endCursor`: this page's own earlier
 * `continueCursor` once a later page continues from it; the page then holds every row up to it
 * (however many arrived meanwhile, at most MAX_BOUNDED_PAGE_SIZE) instead of `numItems`.
 */
export const eventLog = query({
  args: {
    cursor: v.union(v.string(), v.null()),
    numItems: v.number(),
    endCursor: v.optional(v.union(v.string(), v.null())),
    outcome: v.optional(vOutcome),
    family: v.optional(v.string()),
  },
  returns: v.object({ page: v.array(vLoggedEvent), continueCursor: v.string(), isDone: v.boolean() }),
  handler: async (ctx, { cursor, numItems, endCursor, outcome, family }) => {
    const { page, continueCursor, isDone } = await eventLogPage(
      ctx,
      { cursor, numItems: clampCount(numItems, 1, MAX_PAGE_SIZE), endCursor },
      outcome,
      family === undefined ? undefined : storableText(family, 200),
    );
    return { page, continueCursor, isDone };
  },
});

/** When the last event arrived, how many failed, the instance pin and what disagrees with it, and what the drift watch found. */
export const syncHealth = query({
  args: {},
  returns: vSyncHealth,
  handler: async (ctx) => await computeSyncHealth(ctx, Date.now()),
});

/** The emails and text messages Clerk delivered for the app, newest first (never their contents). */
export const communications = query({
  args: { limit: v.optional(v.number()) },
  returns: v.array(vCommunication),
  handler: async (ctx, { limit }) => await recentCommunications(ctx, limit),
});

// ---- The instance pin ----

/**
 * Corrects the Clerk instance webhooks are pinned to. With CLERK_SECRET_KEY set, the pin follows
 * the key (a scheduled check asks Clerk, then pins; `instanceId` is not taken): "scheduled".
 * Without one, `instanceId` must be one of the foreign instances seen (UNKNOWN_INSTANCE otherwise,
 * NAME_THE_INSTANCE when missing): "pinned". The events kept as foreign from the new pin then apply.
 */
export const correctInstancePin = mutation({
  args: { handles: v.optional(vHandles), instanceId: v.optional(v.string()) },
  returns: v.union(v.literal("scheduled"), v.literal("pinned")),
  source: "retry",
  handler: async (ctx, { handles, instanceId }) => {
    await storeGivenHandles(ctx, handles);
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
