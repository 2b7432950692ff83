import { v } from "convex/values";
import { internal } from "../_generated/api.js";
import { internalAction, internalQuery, type ActionCtx, type MutationCtx } from "../_generated/server.js";
import { internalMutation } from "../lib/hooks.js";
import { failedEventRetentionDays, webhookLogRetentionDays } from "../env.js";
import { clampCount, deleteRows, removeWithin } from "../lib/bounded.js";
import { pageAfter } from "../lib/cursor.js";
import { eventFamily } from "../model/eventLog.js";
import {
  failRetryRun,
  nextRetryBatch,
  recordRetryBatch,
  vRetryProgress,
  type RetryProgress,
} from "../model/retries.js";
import type { Outcome } from "../schema.js";
import type { Doc } from "../_generated/dataModel.js";
import { deliver, OWN_DELIVERY } from "./deliver.js";
import { MAX_ERROR_LENGTH, retainablePayload, storableText } from "./ingest.js";
import { dropKeptPayload, keepPayload, keptPayloadOf } from "./kept.js";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Rows one prune mutation deletes at most; the rest go to the next, scheduled at once. */
export const PRUNE_BATCH_SIZE = 500;
/**
 * Failed events one prune mutation removes at most. Each has a payload of up to 256 KiB, so 32
 * of them stay at 8 MiB, half of what one Convex function may read.
 */
export const FAILED_PRUNE_BATCH_SIZE = 32;
/** Failed and foreign events are kept until they apply or FAILED_EVENT_RETENTION_DAYS pass (pruneFailed). */
const PRUNED_OUTCOMES: Outcome[] = ["applied", "duplicate", "stale", "ignored"];
/** Outcomes whose payload is kept: retention counts from their first failure (`firstFailedAt`). */
const KEPT_OUTCOMES = ["failed", "foreign"] as const;

/**
 * Deletes up to `batchSize` settled event-log rows last delivered before the retention period and returns
 * how many it deleted; `more` says a full batch was taken, so another may be due.
 */
export async function pruneEventLog(
  ctx: MutationCtx,
  now: number,
  batchSize: number,
): Promise<{ deleted: number; more: boolean }> {
  const cutoff = now - webhookLogRetentionDays() * DAY_MS;
  return await removeWithin(
    batchSize,
    PRUNED_OUTCOMES.map((outcome) => async (limit) => {
      const rows = await ctx.db
        .query("webhookEvents")
        .withIndex("by_outcome_and_receivedAt", (q) => q.eq("outcome", outcome).lt("receivedAt", cutoff))
        .take(limit);
      return await deleteRows(ctx, "webhookEvents", rows);
    }),
  ).then(({ removed, more }) => ({ deleted: removed, more }));
}

/** Run daily by crons.ts; reschedules itself until no old rows are left. */
export const prune = internalMutation({
  args: { batchSize: v.optional(v.number()) },
  returns: v.object({ deleted: v.number(), more: v.boolean() }),
  source: null,
  handler: async (ctx, { batchSize }) => {
    const size = clampCount(batchSize, PRUNE_BATCH_SIZE, PRUNE_BATCH_SIZE);
    const result = await pruneEventLog(ctx, Date.now(), size);
    if (result.more) await ctx.scheduler.runAfter(0, internal.webhooks.log.prune, { batchSize: size });
    return result;
  },
});

/**
 * Deletes up to `batchSize` failed and foreign events first kept more than
 * FAILED_EVENT_RETENTION_DAYS ago (however often retried since), with their kept payloads, and
 * says in the log which are gone.
 */
export async function pruneFailedEvents(
  ctx: MutationCtx,
  now: number,
  batchSize: number,
): Promise<{ deleted: number; more: boolean }> {
  const days = failedEventRetentionDays();
  const cutoff = now - days * DAY_MS;
  const rows: Array<Doc<"webhookEvents">> = [];
  for (const outcome of KEPT_OUTCOMES) {
    rows.push(
      ...(await ctx.db
        .query("webhookEvents")
        // Rows without a first-failure time (older ones, until webhooks/log:movePayloads runs) are left alone.
        .withIndex("by_outcome_and_firstFailedAt", (q) =>
          q.eq("outcome", outcome).gte("firstFailedAt", 0).lt("firstFailedAt", cutoff),
        )
        .take(batchSize - rows.length)),
    );
  }
  for (const row of rows) {
    await dropKeptPayload(ctx, row.svixId);
    await ctx.db.delete("webhookEvents", row._id);
  }
  if (rows.length > 0) {
    const named = rows.slice(0, 10).map((row) => `${row.svixId} (${row.type || "no type"}, ${row.outcome})`);
    console.warn(
      `Pruned ${rows.length} failed or foreign webhook event(s) that never applied within ${days} days ` +
        `(FAILED_EVENT_RETENTION_DAYS); they and their payloads are deleted and can no longer be retried: ` +
        `${named.join(", ")}${rows.length > named.length ? ", …" : ""}`,
    );
  }
  return { deleted: rows.length, more: rows.length >= batchSize };
}

/** Run daily by crons.ts; reschedules itself until no expired failed events are left. */
export const pruneFailed = internalMutation({
  args: { batchSize: v.optional(v.number()) },
  returns: v.object({ deleted: v.number(), more: v.boolean() }),
  source: null,
  handler: async (ctx, { batchSize }) => {
    const size = clampCount(batchSize, FAILED_PRUNE_BATCH_SIZE, FAILED_PRUNE_BATCH_SIZE);
    const result = await pruneFailedEvents(ctx, Date.now(), size);
    if (result.more) await ctx.scheduler.runAfter(0, internal.webhooks.log.pruneFailed, { batchSize: size });
    return result;
  },
});

/** The Svix ids of failed events, oldest attempt first (log rows only: no payload is read). */
export const failedEventIds = internalQuery({
  args: { limit: v.number() },
  returns: v.array(v.string()),
  handler: async (ctx, { limit }) => {
    const rows = await ctx.db
      .query("webhookEvents")
      .withIndex("by_outcome_and_receivedAt", (q) => q.eq("outcome", "failed"))
      .take(clampCount(limit, 100, 500));
    return rows.map((row) => row.svixId);
  },
});

/** The payload kept for a failed event (one at a time: each may be 256 KiB), or null. */
export const failedPayload = internalQuery({
  args: { svixId: v.string() },
  returns: v.union(v.string(), v.null()),
  handler: async (ctx, { svixId }) => {
    const kept = await keptPayloadOf(ctx, svixId);
    if (kept) return kept.payload;
    // Failed before payloads had a table of their own (until webhooks/log:movePayloads moves it).
    const legacy = await ctx.db
      .query("webhookEvents")
      .withIndex("by_svixId", (q) => q.eq("svixId", svixId))
      .first();
    return legacy?.outcome === "failed" ? (legacy.payload ?? null) : null;
  },
});

/**
 * Applies failed events again from their kept payloads, oldest first, through the same path
 * as a delivery: `npx convex run --component clerkSync webhooks/log:retryFailed` (optionally `'{"limit": 50}'`).
 */
export const retryFailed = internalAction({
  args: { limit: v.optional(v.number()) },
  returns: v.object({ retried: v.number(), applied: v.number(), stillFailing: v.number(), foreign: v.number() }),
  handler: async (
    ctx,
    { limit },
  ): Promise<{ retried: number; applied: number; stillFailing: number; foreign: number }> => {
    const svixIds: string[] = await ctx.runQuery(internal.webhooks.log.failedEventIds, {
      limit: clampCount(limit, 100, 500),
    });
    const { retried, applied, stillFailing, foreign } = await retryEach(ctx, svixIds);
    return { retried, applied, stillFailing, foreign };
  },
});

/**
 * Re-applies each failed event from its kept payload (read one at a time), through `deliver`. One
 * from another Clerk instance than the pinned one becomes "foreign" (kept), counted apart.
 */
async function retryEach(ctx: Pick<ActionCtx, "runQuery" | "runMutation">, svixIds: string[]): Promise<RetryProgress> {
  const progress: RetryProgress = { retried: 0, applied: 0, stillFailing: 0, skipped: 0, foreign: 0 };
  for (const svixId of svixIds) {
    const payload: string | null = await ctx.runQuery(internal.webhooks.log.failedPayload, { svixId });
    if (payload === null) {
      progress.skipped += 1;
      continue;
    }
    progress.retried += 1;
    const { outcome } = await deliver(ctx, OWN_DELIVERY, svixId, payload, { retry: true });
    if (outcome === "failed") progress.stillFailing += 1;
    else if (outcome === "foreign") progress.foreign += 1;
    else progress.applied += 1;
  }
  return progress;
}

/** The next batch of a retry run (see model/retries.ts). */
export const retryBatchIds = internalQuery({
  args: { runId: v.id("webhookRetryRuns") },
  returns: v.object({
    running: v.boolean(),
    svixIds: v.array(v.string()),
    cursor: v.union(v.string(), v.null()),
    isDone: v.boolean(),
  }),
  handler: async (ctx, { runId }) => await nextRetryBatch(ctx, runId),
});

/** Records a batch's results on the run and schedules the next batch, in one transaction. */
export const recordRetryProgress = internalMutation({
  args: {
    runId: v.id("webhookRetryRuns"),
    progress: vRetryProgress,
    cursor: v.union(v.string(), v.null()),
    isDone: v.boolean(),
  },
  returns: v.null(),
  source: null,
  handler: async (ctx, { runId, progress, cursor, isDone }) => {
    const more = await recordRetryBatch(ctx, runId, progress, cursor, isDone, Date.now());
    if (more) await ctx.scheduler.runAfter(0, internal.webhooks.log.retryBatch, { runId });
    return null;
  },
});

export const failRetry = internalMutation({
  args: { runId: v.id("webhookRetryRuns"), error: v.string() },
  returns: v.null(),
  source: null,
  handler: async (ctx, { runId, error }) => {
    await failRetryRun(ctx, runId, storableText(error, MAX_ERROR_LENGTH), Date.now());
    return null;
  },
});

/**
 * One batch of a retry run (started by `admin.retryFailed`): re-applies up to RETRY_BATCH_SIZE
 * failed events, then records the progress, which schedules the next batch until none are left.
 */
export const retryBatch = internalAction({
  args: { runId: v.id("webhookRetryRuns") },
  returns: v.null(),
  handler: async (ctx, { runId }) => {
    try {
      const batch = await ctx.runQuery(internal.webhooks.log.retryBatchIds, { runId });
      if (!batch.running) return null;
      const progress = await retryEach(ctx, batch.svixIds);
      await ctx.runMutation(internal.webhooks.log.recordRetryProgress, {
        runId,
        progress,
        cursor: batch.cursor,
        isDone: batch.isDone,
      });
    } catch (thrown) {
      const error = thrown instanceof Error ? thrown.message : String(thrown);
      console.error(`Retry run ${runId} stopped: ${error}`);
      await ctx.runMutation(internal.webhooks.log.failRetry, { runId, error });
    }
    return null;
  },
});

/** Re-applies one failed event now (the event log's per-event retry): its outcome shows on its log row. */
export const retryOne = internalAction({
  args: { svixId: v.string() },
  returns: vRetryProgress,
  handler: async (ctx, { svixId }): Promise<RetryProgress> => await retryEach(ctx, [svixId]),
});

/** Log rows one backfillFamily mutation reads at most (small rows: no payload lives on them). */
export const FAMILY_BACKFILL_BATCH_SIZE = 500;

/**
 * Stores `family` on event-log rows logged before it existed, so the admin page's family filter
 * finds them too: `npx convex run --component clerkSync webhooks/log:backfillFamily` once after deploying. Goes through
 * the log in batches, each scheduling the next; rows that have it are left alone.
 */
export const backfillFamily = internalMutation({
  args: { cursor: v.optional(v.union(v.string(), v.null())) },
  returns: v.object({ updated: v.number(), isDone: v.boolean() }),
  source: null,
  handler: async (ctx, { cursor }) => {
    const page = await pageAfter(ctx.db, {
      table: "webhookEvents",
      index: "by_creation_time",
      cursor: cursor ?? null,
      numItems: FAMILY_BACKFILL_BATCH_SIZE,
    });
    let updated = 0;
    for (const row of page.page) {
      if (row.family !== undefined) continue;
      await ctx.db.patch("webhookEvents", row._id, { family: eventFamily(row.type) });
      updated += 1;
    }
    if (!page.isDone)
      await ctx.scheduler.runAfter(0, internal.webhooks.log.backfillFamily, { cursor: page.continueCursor });
    return { updated, isDone: page.isDone };
  },
});

/**
 * Legacy rows one movePayloads mutation migrates at most. Each may carry a payload of up to
 * 256 KiB, read by the query and again by the patch that clears it, and written once to
 * failedPayloads: 16 stay at 8 MiB read and 4 MiB written, half of Convex's limits or less.
 */
export const MOVE_PAYLOADS_BATCH_SIZE = 16;

/**
 * Migrates failed and foreign rows logged before payloads had a table of their own and before
 * retention counted from a first failure: a payload still on a failed row moves to failedPayloads
 * (less private and unsafe metadata, with the users it names), and each row gets `firstFailedAt`
 * (its last attempt: the best this log knows). `npx convex run --component clerkSync webhooks/log:movePayloads` once
 * after deploying; batches schedule the next until no such row is left (a migrated row leaves the
 * index range it is found by, so no cursor is needed). Until then sync health reads those payloads.
 */
export const movePayloads = internalMutation({
  args: { batchSize: v.optional(v.number()) },
  returns: v.object({ migrated: v.number(), moved: v.number(), isDone: v.boolean() }),
  source: null,
  handler: async (ctx, { batchSize }) => {
    const size = clampCount(batchSize, MOVE_PAYLOADS_BATCH_SIZE, MOVE_PAYLOADS_BATCH_SIZE);
    let migrated = 0;
    let moved = 0;
    for (const outcome of KEPT_OUTCOMES) {
      const rows = await ctx.db
        .query("webhookEvents")
        .withIndex("by_outcome_and_firstFailedAt", (q) => q.eq("outcome", outcome).eq("firstFailedAt", undefined))
        .take(size - migrated);
      for (const row of rows) {
        if (row.payload !== undefined) {
          if ((await keptPayloadOf(ctx, row.svixId)) === null) {
            const kept = retainablePayload(row.payload);
            await keepPayload(ctx, row.svixId, kept.payload, kept.subjects);
          }
          moved += 1;
        }
        await ctx.db.patch("webhookEvents", row._id, { payload: undefined, firstFailedAt: row.receivedAt });
        migrated += 1;
      }
    }
    const isDone = migrated < size;
    if (!isDone) await ctx.scheduler.runAfter(0, internal.webhooks.log.movePayloads, { batchSize: size });
    if (migrated > 0) console.info(`movePayloads: ${migrated} row(s) migrated, ${moved} payload(s) moved.`);
    return { migrated, moved, isDone };
  },
});
