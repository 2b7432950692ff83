/**
 * Scheduled work that changes synced rows outside a webhook or a run: a deleted user's or
 * organization's rows (cascades), a renamed user's membership pages, a fetch of what an event named
 * but Convex never saw. Each calls the app's change hook, so each can fail with it (a hook that
 * throws, or CLERK_SYNC_NOT_CONFIGURED); a plain scheduled mutation that fails is never tried again,
 * and a deleted user's membership would stay for good.
 *
 * A cascade or a user's membership pages costs no queue write while it succeeds: `attempt`, a
 * scheduled mutation carrying the work in its arguments, runs one batch (or page) in a
 * sub-transaction (`step`) and catches what it throws. Its writes are rolled back and the failure
 * is kept as a durable `pendingWork` row (lib/queue.ts `keepFailed`); success with more to do
 * schedules the next attempt with the next work. Scheduled mutations run exactly once, so nothing
 * is lost between the schedule and the attempt.
 *
 * A row (a failed attempt, or a fetch, which runs in an action and is never retried if it dies) is
 * run by `run`, an action that runs the work (`perform`, or the fetch) and catches what it throws:
 * - success deletes the row in the work's own transaction (a success cannot be lost), or, when
 *   there is more (the next batch or page), schedules the next run: one row write per batch;
 * - failure records the error and schedules the next try after a backoff (1 s, 10 s, 1 min, 10 min,
 *   1 h); after MAX_WORK_ATTEMPTS the row is `stalled`: sync health shows it, an operator resumes
 *   it (`operator:resumeWork`), and the hourly sweep (crons.ts) gives each stalled row one more try.
 *
 * A step that reads past a transaction limit fails catchably: it runs under the transaction's
 * limits less what keeping its failure needs (FAILURE_HEADROOM), and a write limit it exceeds goes
 * back with its writes. What no try/catch sees — the attempt running out of execution time, a throw
 * while it keeps its failure — fails the scheduled attempt itself, which Convex does not retry: the
 * hourly sweep finds such failed attempts among the component's scheduled functions
 * (LOST_ATTEMPT_WINDOW_MS back) and keeps each as a row. Batches are bounded (CASCADE_BATCH_SIZE,
 * MEMBER_SEARCH_BATCH) well below every limit, leaving the app's hook room.
 */
import type { TransactionLimits } from "convex/server";
import { v } from "convex/values";
import { internal } from "./_generated/api.js";
import { internalAction, internalQuery, type MutationCtx } from "./_generated/server.js";
import { removeChildrenBatch, CASCADE_BATCH_SIZE } from "./cascades.js";
import { ClerkRateLimitError } from "./clerk/api.js";
import { fetchMissing } from "./clerk/fetchMissing.js";
import { clampCount } from "./lib/bounded.js";
import { internalMutation, type ChangeSource, type SourceWithCause } from "./lib/hooks.js";
import {
  finishWork,
  keepFailed,
  LOST_RUN_AFTER_MS,
  MAX_WORK_ATTEMPTS,
  RESUME_BATCH,
  restart,
  resumeStalled,
  WORK_BACKOFF_MS,
  workKey,
} from "./lib/queue.js";
import { followUser, MEMBER_SEARCH_BATCH } from "./model/memberships.js";
import { MAX_ERROR_LENGTH, storableText } from "./webhooks/ingest.js";
import { vWork, type Work } from "./workSchema.js";

/**
 * The hook's `source` for the changes a batch or page makes (and, for a cascade, whose deletion they
 * follow from). A fetch changes rows in its own mutation (clerk/fetchMissing.ts), never here.
 */
function sourceOf(work: Work): ChangeSource | SourceWithCause {
  return work.kind === "cascade"
    ? { source: "cascade", cause: { kind: work.parent, clerkId: work.clerkId } }
    : "cascade";
}

/** How far back the hourly sweep looks for attempts that failed where their own catch could not keep them. */
export const LOST_ATTEMPT_WINDOW_MS = 2 * 60 * 60_000;
/** The component's scheduled functions one sweep reads looking for them (its attempts, runs and crons). */
export const LOST_ATTEMPT_SCAN = 2_000;

/**
 * Attempts (`work:attempt`) scheduled in the last LOST_ATTEMPT_WINDOW_MS that failed for good, each
 * kept as a row (merged into the work's row when it has one). A window two sweeps wide can find one
 * twice: its work then joins its row, or, when that row already finished, runs once more (a batch
 * or page does only what is left to do).
 */
async function keepLostAttempts(ctx: MutationCtx, now: number): Promise<number> {
  const jobs = await ctx.db.system
    .query("_scheduled_functions")
    .withIndex("by_creation_time", (q) => q.gt("_creationTime", now - LOST_ATTEMPT_WINDOW_MS))
    .take(LOST_ATTEMPT_SCAN);
  let kept = 0;
  for (const job of jobs) {
    // A deployment may name it by its module's file ("work.js:attempt"; not seen here); convex-test without the extension.
    if (job.state.kind !== "failed" || job.name.replace(".js:", ":") !== "work:attempt") continue;
    const { work } = job.args[0] as { work: Work };
    const error = `the attempt failed where it could not keep itself: ${job.state.error ?? "no error recorded"}`;
    await keepFailed(ctx, work, storableText(error, MAX_ERROR_LENGTH));
    kept += 1;
  }
  return kept;
}

/** What a caught throw says. */
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Does one batch or page of a cascade or a user's memberships; the work left (the next batch or page), or null when done. */
async function nextWork(ctx: MutationCtx, work: Work): Promise<Work | null> {
  switch (work.kind) {
    case "cascade": {
      const size = clampCount(work.batchSize, CASCADE_BATCH_SIZE, CASCADE_BATCH_SIZE);
      return (await removeChildrenBatch(ctx, work.parent, work.clerkId, size, work.addresses)).more ? work : null;
    }
    case "followUser": {
      const page = await followUser(ctx, work.userId, work.cursor, MEMBER_SEARCH_BATCH);
      return page.isDone ? null : { ...work, cursor: page.continueCursor };
    }
    case "fetch":
      throw new Error("clerkSync: a fetch runs in work:run (an action), not in a mutation.");
  }
}

/** One batch or page of `work`, in a transaction of its own (`attempt` runs it as a sub-transaction); the work left, or null. */
export const step = internalMutation({
  args: { work: vWork },
  returns: v.union(vWork, v.null()),
  source: (_ctx, { work }) => sourceOf(work),
  handler: async (ctx, { work }) => await nextWork(ctx, work),
});

/**
 * What `attempt` keeps back from its step's reads (a step's reads count even when it is rolled
 * back), so a step that reads past a transaction limit fails alone, catchable, and the attempt can
 * still read the queue row it keeps the failure in (one index lookup, one row of a few KiB).
 */
const FAILURE_HEADROOM = { documentsRead: 16, databaseQueries: 16, bytesRead: 1 << 20 } as const;

/** The step's read limits: what the transaction has left, less FAILURE_HEADROOM. */
async function stepLimits(ctx: MutationCtx): Promise<TransactionLimits> {
  const metrics = await ctx.meta.getTransactionMetrics();
  const left = (key: keyof typeof FAILURE_HEADROOM) => Math.max(0, metrics[key].remaining - FAILURE_HEADROOM[key]);
  return {
    documentsRead: left("documentsRead"),
    databaseQueries: left("databaseQueries"),
    bytesRead: left("bytesRead"),
  };
}

/**
 * One scheduled try of a cascade batch or a membership page that has no row: the step runs as a
 * sub-transaction; done, nothing is written; more, the next attempt is scheduled with the next work;
 * a throw rolls the step back and the work is kept as a row (lib/queue.ts `keepFailed`), retried by `run`.
 */
export const attempt = internalMutation({
  args: { work: vWork },
  returns: v.union(v.literal("done"), v.literal("more"), v.literal("failed")),
  // Changes no synced row itself: its step does, in a sub-transaction, with the work's source.
  source: null,
  handler: async (ctx, { work }) => {
    let next: Work | null;
    try {
      next = await ctx.runMutation(internal.work.step, { work }, { transactionLimits: await stepLimits(ctx) });
    } catch (error) {
      const message = messageOf(error);
      console.error(`clerkSync: ${workKey(work)} failed: ${message}. It is tried again later.`);
      await keepFailed(ctx, work, storableText(message, MAX_ERROR_LENGTH));
      return "failed";
    }
    if (next === null) return "done";
    await ctx.scheduler.runAfter(0, internal.work.attempt, { work: next });
    return "more";
  },
});

/** The work of a pending row, or null when it is done (or stalled meanwhile): what `run` does. */
export const due = internalQuery({
  args: { workId: v.id("pendingWork") },
  returns: v.union(vWork, v.null()),
  handler: async (ctx, { workId }) => {
    const row = await ctx.db.get("pendingWork", workId);
    return row?.status === "pending" ? row.work : null;
  },
});

/**
 * One batch of a cascade or one page of a user's memberships of a row, in the transaction of its
 * changes: done, the row goes; more, the row takes the next work and the next run is scheduled
 * (the row's one write for the batch).
 */
export const perform = internalMutation({
  args: { workId: v.id("pendingWork") },
  returns: v.union(v.literal("done"), v.literal("more"), v.literal("absent")),
  // Asked at the first change, which only a pending row's work makes.
  source: async (ctx, { workId }) => sourceOf((await ctx.db.get("pendingWork", workId))!.work),
  handler: async (ctx, { workId }) => {
    const row = await ctx.db.get("pendingWork", workId);
    if (row === null || row.status !== "pending") return "absent";
    const next = await nextWork(ctx, row.work);
    if (next === null) {
      await ctx.db.delete("pendingWork", workId);
      return "done";
    }
    const scheduledId = await ctx.scheduler.runAfter(0, internal.work.run, { workId });
    await ctx.db.patch("pendingWork", workId, {
      work: next,
      attempts: 0,
      nextAttemptAt: Date.now(),
      scheduledId,
      lastError: undefined,
    });
    return "more";
  },
});

/** A failed try: the error is kept, and the next try scheduled after its wait, or the work stalls. */
export const failed = internalMutation({
  args: { workId: v.id("pendingWork"), error: v.string(), retryAfterMs: v.optional(v.number()) },
  returns: v.union(v.literal("retrying"), v.literal("stalled"), v.literal("absent")),
  source: null,
  handler: async (ctx, { workId, error, retryAfterMs }) => {
    const row = await ctx.db.get("pendingWork", workId);
    if (row === null || row.status !== "pending") return "absent";
    const attempts = row.attempts + 1;
    const lastError = storableText(error, MAX_ERROR_LENGTH);
    const now = Date.now();
    if (attempts >= MAX_WORK_ATTEMPTS) {
      await ctx.db.patch("pendingWork", workId, {
        status: "stalled",
        attempts,
        lastError,
        nextAttemptAt: now,
        scheduledId: undefined,
      });
      return "stalled";
    }
    // attempts < MAX_WORK_ATTEMPTS: a wait of the table's.
    const wait = Math.max(WORK_BACKOFF_MS[attempts - 1]!, retryAfterMs ?? 0);
    const scheduledId = await ctx.scheduler.runAfter(wait, internal.work.run, { workId });
    await ctx.db.patch("pendingWork", workId, { attempts, lastError, nextAttemptAt: now + wait, scheduledId });
    return "retrying";
  },
});

/** Ends a work that needs no write of a synced row (a fetch whose object is present, gone, or cannot be fetched). */
export const settle = internalMutation({
  args: { workId: v.id("pendingWork") },
  returns: v.null(),
  source: null,
  handler: async (ctx, { workId }) => {
    await finishWork(ctx, workId);
    return null;
  },
});

/**
 * Runs one try of a queued work and catches what it throws (a refusing hook, no config yet, Clerk
 * unreachable): the failure is recorded and tried again later, never lost.
 */
export const run = internalAction({
  args: { workId: v.id("pendingWork") },
  returns: v.union(v.literal("ran"), v.literal("failed"), v.literal("absent")),
  handler: async (ctx, { workId }) => {
    const work = await ctx.runQuery(internal.work.due, { workId });
    if (work === null) return "absent";
    try {
      if (work.kind === "fetch") await fetchMissing(ctx, workId, work);
      else await ctx.runMutation(internal.work.perform, { workId });
      return "ran";
    } catch (error) {
      const message = messageOf(error);
      console.error(`clerkSync: ${workKey(work)} failed: ${message}. It is tried again later.`);
      await ctx.runMutation(internal.work.failed, {
        workId,
        error: message,
        ...(error instanceof ClerkRateLimitError ? { retryAfterMs: error.retryAfterMs } : {}),
      });
      return "failed";
    }
  },
});

/** Restarts the stalled work (from `before` back), a batch a transaction; scheduled by `operator:resumeWork` and the sweep. */
export const resumeStalledBatch = internalMutation({
  args: { before: v.number(), attempts: v.number() },
  returns: v.null(),
  source: null,
  handler: async (ctx, { before, attempts }) => {
    const { more } = await resumeStalled(ctx, before, attempts);
    if (more) await ctx.scheduler.runAfter(0, internal.work.resumeStalledBatch, { before, attempts });
    return null;
  },
});

/**
 * Run hourly by crons.ts: each stalled work gets one more try (a hook fixed since, the app's handles
 * stored at last), a pending work whose run was lost (an action stopped mid-way) is restarted, and an
 * attempt that failed where its own catch could not keep it is kept as a row.
 */
export const sweep = internalMutation({
  args: {},
  returns: v.object({ resumed: v.number(), restarted: v.number(), kept: v.number() }),
  source: null,
  handler: async (ctx) => {
    const now = Date.now();
    const { resumed, more } = await resumeStalled(ctx, now, MAX_WORK_ATTEMPTS - 1);
    if (more)
      await ctx.scheduler.runAfter(0, internal.work.resumeStalledBatch, {
        before: now,
        attempts: MAX_WORK_ATTEMPTS - 1,
      });
    const late = await ctx.db
      .query("pendingWork")
      .withIndex("by_status_and_nextAttemptAt", (q) =>
        q.eq("status", "pending").lt("nextAttemptAt", now - LOST_RUN_AFTER_MS),
      )
      .take(RESUME_BATCH);
    let restarted = 0;
    for (const row of late) {
      const job =
        row.scheduledId === undefined ? null : await ctx.db.system.get("_scheduled_functions", row.scheduledId);
      if (job?.state.kind === "pending" || job?.state.kind === "inProgress") continue;
      await restart(ctx, row, row.attempts);
      restarted += 1;
    }
    return { resumed, restarted, kept: await keepLostAttempts(ctx, now) };
  },
});
