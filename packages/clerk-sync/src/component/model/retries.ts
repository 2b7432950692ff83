import { ConvexError, v, type Infer } from "convex/values";
import type { Doc, Id } from "../_generated/dataModel.js";
import type { MutationCtx, QueryCtx } from "../_generated/server.js";
import { pageAfter } from "../lib/cursor.js";
import { retryRunFields } from "../schema.js";
import { FAILURE_COUNT_CAP } from "./eventLog.js";

/**
 * Failed events one retry batch re-applies at most. Each is read (up to 256 KiB) and applied in
 * a query and a mutation of its own, so a batch stays short; the next batch is scheduled at once.
 */
export const RETRY_BATCH_SIZE = 20;
/** A run whose batches have not reported for this long lost its step (a crash, a redeploy): a new one may start. */
export const RETRY_STALL_MS = 10 * 60 * 1000;

// The cursor and cutoff steer the batches and stay on the server.
const { cursor: _cursor, cutoff: _cutoff, ...shownRetryRunFields } = retryRunFields;
export const vRetryRun = v.object({ id: v.id("webhookRetryRuns"), ...shownRetryRunFields, foreign: v.number() });
export type RetryRun = Infer<typeof vRetryRun>;

export const vRetryProgress = v.object({
  retried: v.number(),
  applied: v.number(),
  stillFailing: v.number(),
  skipped: v.number(),
  /** Failed events that came from another Clerk instance than the pinned one: now "foreign", kept. */
  foreign: v.number(),
});
export type RetryProgress = Infer<typeof vRetryProgress>;

function runView(run: Doc<"webhookRetryRuns">): RetryRun {
  return {
    id: run._id,
    status: run.status,
    startedBy: run.startedBy,
    startedAt: run.startedAt,
    updatedAt: run.updatedAt,
    finishedAt: run.finishedAt,
    total: run.total,
    totalCapped: run.totalCapped,
    retried: run.retried,
    applied: run.applied,
    stillFailing: run.stillFailing,
    skipped: run.skipped,
    foreign: run.foreign ?? 0,
    error: run.error,
  };
}

/** The newest retry run (one read), or null when none has run. */
export async function latestRetryRun(ctx: QueryCtx): Promise<RetryRun | null> {
  const run = await ctx.db.query("webhookRetryRuns").order("desc").first();
  return run === null ? null : runView(run);
}

/**
 * Starts retrying every failed event now waiting, oldest first, as a run whose progress the admin
 * page watches. One run at a time: a running one answers RETRY_RUNNING (unless it stalled, then it
 * is marked failed and a new one starts). Reads at most FAILURE_COUNT_CAP small log rows to count.
 * The caller schedules the first batch.
 */
export async function startRetryRun(ctx: MutationCtx, startedBy: string, now: number): Promise<Id<"webhookRetryRuns">> {
  const running = await ctx.db
    .query("webhookRetryRuns")
    .withIndex("by_status", (q) => q.eq("status", "running"))
    .first();
  if (running !== null) {
    if (now - running.updatedAt < RETRY_STALL_MS)
      throw new ConvexError({
        code: "RETRY_RUNNING",
        message: "A retry of the failed events is already going. Watch its progress, or wait for it to finish.",
      });
    await ctx.db.patch("webhookRetryRuns", running._id, {
      status: "failed",
      finishedAt: now,
      updatedAt: now,
      error: "Its batches stopped reporting (a crash or a redeploy); a new retry took over.",
    });
  }
  const waiting = await ctx.db
    .query("webhookEvents")
    .withIndex("by_outcome_and_receivedAt", (q) => q.eq("outcome", "failed").lt("receivedAt", now))
    .take(FAILURE_COUNT_CAP);
  return await ctx.db.insert("webhookRetryRuns", {
    status: waiting.length === 0 ? "completed" : "running",
    startedBy,
    startedAt: now,
    updatedAt: now,
    finishedAt: waiting.length === 0 ? now : null,
    cutoff: now,
    total: waiting.length,
    totalCapped: waiting.length >= FAILURE_COUNT_CAP,
    retried: 0,
    applied: 0,
    stillFailing: 0,
    skipped: 0,
    foreign: 0,
    cursor: null,
    error: null,
  });
}

/**
 * The Svix ids of the run's next batch of failed events (log rows only: no payload is read).
 * Failed events last attempted before the run started, from its cursor on: an event that applies
 * leaves the failed range, one that fails again moves past the cutoff, so each is tried once.
 */
export async function nextRetryBatch(
  ctx: QueryCtx,
  runId: Id<"webhookRetryRuns">,
): Promise<{ running: boolean; svixIds: string[]; cursor: string | null; isDone: boolean }> {
  const run = await ctx.db.get("webhookRetryRuns", runId);
  if (run === null || run.status !== "running") return { running: false, svixIds: [], cursor: null, isDone: true };
  const page = await pageAfter(ctx.db, {
    table: "webhookEvents",
    index: "by_outcome_and_receivedAt",
    prefix: ["failed"],
    range: { lt: run.cutoff },
    cursor: run.cursor,
    numItems: RETRY_BATCH_SIZE,
  });
  return {
    running: true,
    svixIds: page.page.map((row) => row.svixId),
    cursor: page.continueCursor,
    isDone: page.isDone,
  };
}

/** Adds a batch's results to the run, moves its cursor, and says whether another batch is due. */
export async function recordRetryBatch(
  ctx: MutationCtx,
  runId: Id<"webhookRetryRuns">,
  progress: RetryProgress,
  cursor: string | null,
  isDone: boolean,
  now: number,
): Promise<boolean> {
  const run = await ctx.db.get("webhookRetryRuns", runId);
  if (run === null || run.status !== "running") return false;
  await ctx.db.patch("webhookRetryRuns", runId, {
    retried: run.retried + progress.retried,
    applied: run.applied + progress.applied,
    stillFailing: run.stillFailing + progress.stillFailing,
    skipped: run.skipped + progress.skipped,
    foreign: (run.foreign ?? 0) + progress.foreign,
    cursor,
    updatedAt: now,
    ...(isDone ? { status: "completed" as const, finishedAt: now } : {}),
  });
  return !isDone;
}

/** Marks the run failed with the error that stopped its batch (what it did so far stays counted). */
export async function failRetryRun(ctx: MutationCtx, runId: Id<"webhookRetryRuns">, error: string, now: number) {
  const run = await ctx.db.get("webhookRetryRuns", runId);
  if (run === null || run.status !== "running") return;
  await ctx.db.patch("webhookRetryRuns", runId, { status: "failed", error, finishedAt: now, updatedAt: now });
}

/**
 * The failed or foreign log row `eventId` names, which must still have a payload to re-apply; else
 * a ConvexError NOT_RETRYABLE saying why. (A foreign one applies only once the pin is corrected.)
 */
export async function retryableEvent(ctx: QueryCtx, eventId: Id<"webhookEvents">): Promise<Doc<"webhookEvents">> {
  const row = await ctx.db.get("webhookEvents", eventId);
  if (row === null || (row.outcome !== "failed" && row.outcome !== "foreign"))
    throw new ConvexError({
      code: "NOT_RETRYABLE",
      message: "That event is no longer failed: it applied meanwhile, or it was pruned.",
    });
  const kept = await ctx.db
    .query("failedPayloads")
    .withIndex("by_svixId", (q) => q.eq("svixId", row.svixId))
    .first();
  if (kept === null && row.payload === undefined)
    throw new ConvexError({
      code: "NOT_RETRYABLE",
      message: "No payload was kept for that event: it cannot be re-applied.",
    });
  return row;
}
