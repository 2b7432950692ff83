/**
 * A small durable queue for the scheduled work that changes synced rows outside a webhook or a run:
 * a deleted user's or organization's rows (cascades), a renamed user's membership pages, a fetch of
 * what an event named but Convex never saw. Each calls the app's change hook, so each can fail with
 * it (a hook that throws, or CLERK_SYNC_NOT_CONFIGURED); a plain scheduled mutation that fails is
 * never tried again, and a deleted user's membership would stay for good.
 *
 * So scheduling writes one `pendingWork` row (the same work scheduled twice shares it: its key) and
 * schedules `run`, an action that runs the work's mutation and catches what it throws:
 * - success deletes the row in the work's own transaction (a success cannot be lost), or, when
 *   there is more (the next batch or page), schedules the next run: one row write per batch;
 * - failure records the error and schedules the next try after a backoff (1 s, 10 s, 1 min, 10 min,
 *   1 h); after MAX_WORK_ATTEMPTS the row is `stalled`: sync health shows it, an operator resumes
 *   it (`operator:resumeWork`), and the hourly sweep (crons.ts) gives each stalled row one more try.
 */
import { v } from "convex/values";
import { internal } from "./_generated/api.js";
import type { Doc, Id } from "./_generated/dataModel.js";
import { internalAction, internalQuery, type MutationCtx, type QueryCtx } from "./_generated/server.js";
import { removeChildrenBatch, CASCADE_BATCH_SIZE } from "./cascades.js";
import { ClerkRateLimitError } from "./clerk/api.js";
import { fetchMissing } from "./clerk/fetchMissing.js";
import { clampCount } from "./lib/bounded.js";
import { internalMutation, type ChangeSource, type SourceWithCause } from "./lib/hooks.js";
import { followUser, MEMBER_SEARCH_BATCH } from "./model/memberships.js";
import { sameValue } from "./model/sync.js";
import { MAX_ERASED_ADDRESSES } from "./model/users.js";
import { storableText } from "./webhooks/ingest.js";
import { vWork, type Work } from "./workSchema.js";

/** The waits before the 2nd, 3rd, … try of failed work; after the last try fails the work is stalled. */
export const WORK_BACKOFF_MS = [1_000, 10_000, 60_000, 10 * 60_000, 60 * 60_000] as const;
/** Tries before failed work stalls (the first, then one after each wait). */
export const MAX_WORK_ATTEMPTS = WORK_BACKOFF_MS.length + 1;
/** Rows one resume or sweep transaction restarts; the rest in the next (scheduled). */
export const RESUME_BATCH = 100;
/** A pending row this late whose scheduled run is no longer waiting or running lost its run (the sweep restarts it). */
export const LOST_RUN_AFTER_MS = 15 * 60_000;
/** Stored errors are cut to this length. */
const MAX_ERROR_LENGTH = 1_000;

type Row = Doc<"pendingWork">;
export type WorkId = Id<"pendingWork">;

/** The key two schedules of the same work share. */
export function workKey(work: Work): string {
  switch (work.kind) {
    case "cascade":
      return `cascade:${work.parent}:${work.clerkId}`;
    case "followUser":
      return `followUser:${work.userId}`;
    case "fetch":
      return `fetch:${work.object}:${work.clerkId}`;
  }
}

/**
 * The same work scheduled again, over what the row holds: a cascade erases the addresses of both;
 * a user's memberships are followed again from the newer schedule's cursor (pages past it were
 * followed with the older name).
 */
function merged(old: Work, next: Work): Work {
  if (old.kind === "cascade" && next.kind === "cascade") {
    const addresses = [...new Set([...(old.addresses ?? []), ...(next.addresses ?? [])])].slice(
      0,
      MAX_ERASED_ADDRESSES,
    );
    return { ...old, ...(addresses.length > 0 ? { addresses } : {}) };
  }
  return next;
}

/** The hook's `source` for the changes a work makes (and, for a cascade, whose deletion they follow from). */
function sourceOf(work: Work | undefined): ChangeSource | SourceWithCause {
  if (work === undefined) return "cascade";
  switch (work.kind) {
    case "cascade":
      return { source: "cascade", cause: { kind: work.parent, clerkId: work.clerkId } };
    case "followUser":
      return "cascade";
    case "fetch":
      return "fetch";
  }
}

async function byKey(ctx: QueryCtx, key: string): Promise<Row | null> {
  return await ctx.db
    .query("pendingWork")
    .withIndex("by_key", (q) => q.eq("key", key))
    .unique();
}

/**
 * Schedules `work` to run after `delayMs`: one new row and its run, or, when the same work is
 * already queued, the row it shares (a stalled one starts again, with every try). Returns the row.
 */
export async function scheduleWork(ctx: MutationCtx, work: Work, delayMs = 0): Promise<WorkId> {
  const existing = await byKey(ctx, workKey(work));
  if (existing === null) {
    const at = Date.now() + delayMs;
    const workId = await ctx.db.insert("pendingWork", {
      key: workKey(work),
      work,
      status: "pending",
      attempts: 0,
      nextAttemptAt: at,
    });
    const scheduledId = await ctx.scheduler.runAfter(delayMs, internal.work.run, { workId });
    await ctx.db.patch("pendingWork", workId, { scheduledId });
    return workId;
  }
  const next = merged(existing.work, work);
  if (existing.status === "stalled") await restart(ctx, existing, 0, next);
  else if (!sameValue(existing.work, next)) await ctx.db.patch("pendingWork", existing._id, { work: next });
  return existing._id;
}

/** Schedules a run of `row` now, as pending with `attempts` tries used (and `work` when it changed). */
async function restart(ctx: MutationCtx, row: Row, attempts: number, work?: Work): Promise<void> {
  const scheduledId = await ctx.scheduler.runAfter(0, internal.work.run, { workId: row._id });
  await ctx.db.patch("pendingWork", row._id, {
    status: "pending",
    attempts,
    nextAttemptAt: Date.now(),
    scheduledId,
    ...(work === undefined ? {} : { work }),
  });
}

/** Ends the work `workId` (in the transaction that did it): its row goes. */
export async function finishWork(ctx: MutationCtx, workId: WorkId): Promise<void> {
  if ((await ctx.db.get("pendingWork", workId)) !== null) await ctx.db.delete("pendingWork", workId);
}

/** One batch or page of a cascade or a user's memberships; true when there is more. */
async function step(ctx: MutationCtx, work: Work): Promise<boolean> {
  switch (work.kind) {
    case "cascade": {
      const size = clampCount(work.batchSize, CASCADE_BATCH_SIZE, CASCADE_BATCH_SIZE);
      const erase = (work.addresses ?? []).slice(0, MAX_ERASED_ADDRESSES);
      return (await removeChildrenBatch(ctx, work.parent, work.clerkId, size, erase)).more;
    }
    case "followUser":
      // Not done: followUser moved the row's cursor on (scheduleWork of the same key).
      return !(await followUser(ctx, work.userId, work.cursor, MEMBER_SEARCH_BATCH)).isDone;
    case "fetch":
      throw new Error("clerkSync: a fetch runs in work:run (an action), not in work:perform.");
  }
}

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
 * One batch of a cascade or one page of a user's memberships, in the transaction of its changes:
 * done, the row goes; more, the next run is scheduled (the row's one write for the batch).
 */
export const perform = internalMutation({
  args: { workId: v.id("pendingWork") },
  returns: v.union(v.literal("done"), v.literal("more"), v.literal("absent")),
  source: async (ctx, { workId }) => sourceOf((await ctx.db.get("pendingWork", workId))?.work),
  handler: async (ctx, { workId }) => {
    const row = await ctx.db.get("pendingWork", workId);
    if (row === null || row.status !== "pending") return "absent";
    if (!(await step(ctx, row.work))) {
      await ctx.db.delete("pendingWork", workId);
      return "done";
    }
    const scheduledId = await ctx.scheduler.runAfter(0, internal.work.run, { workId });
    await ctx.db.patch("pendingWork", workId, {
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
  // Writes no synced row (so calls no hook); named like the work it records.
  source: async (ctx, { workId }) => sourceOf((await ctx.db.get("pendingWork", workId))?.work),
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
    const wait = Math.max(WORK_BACKOFF_MS[attempts - 1] ?? WORK_BACKOFF_MS.at(-1)!, retryAfterMs ?? 0);
    const scheduledId = await ctx.scheduler.runAfter(wait, internal.work.run, { workId });
    await ctx.db.patch("pendingWork", workId, { attempts, lastError, nextAttemptAt: now + wait, scheduledId });
    return "retrying";
  },
});

/** Ends a work that needs no write of a synced row (a fetch whose object is present, gone, or cannot be fetched). */
export const settle = internalMutation({
  args: { workId: v.id("pendingWork") },
  returns: v.null(),
  source: "fetch",
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
      const message = error instanceof Error ? error.message : String(error);
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

/**
 * Restarts up to RESUME_BATCH rows that stalled before `before`, with `attempts` tries used (0:
 * every try again; MAX_WORK_ATTEMPTS - 1: one try). Rows that stall again meanwhile are later than
 * `before`, so a resume never loops. `more`: rows are left.
 */
export async function resumeStalled(
  ctx: MutationCtx,
  before: number,
  attempts: number,
): Promise<{ resumed: number; more: boolean }> {
  const rows = await ctx.db
    .query("pendingWork")
    .withIndex("by_status_and_nextAttemptAt", (q) => q.eq("status", "stalled").lt("nextAttemptAt", before))
    .take(RESUME_BATCH + 1);
  const batch = rows.slice(0, RESUME_BATCH);
  for (const row of batch) await restart(ctx, row, attempts);
  return { resumed: batch.length, more: rows.length > RESUME_BATCH };
}

/** Restarts the stalled work (from `before` back), a batch a transaction; scheduled by `operator:resumeWork` and the sweep. */
export const resumeStalledBatch = internalMutation({
  args: { before: v.number(), attempts: v.number() },
  returns: v.null(),
  source: "retry",
  handler: async (ctx, { before, attempts }) => {
    const { more } = await resumeStalled(ctx, before, attempts);
    if (more) await ctx.scheduler.runAfter(0, internal.work.resumeStalledBatch, { before, attempts });
    return null;
  },
});

/**
 * Run hourly by crons.ts: each stalled work gets one more try (a hook fixed since, the app's handles
 * stored at last), and a pending work whose run was lost (an action stopped mid-way) is restarted.
 */
export const sweep = internalMutation({
  args: {},
  returns: v.object({ resumed: v.number(), restarted: v.number() }),
  source: "retry",
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
      const job = row.scheduledId === undefined ? null : await ctx.db.system.get(row.scheduledId);
      if (job?.state.kind === "pending" || job?.state.kind === "inProgress") continue;
      await restart(ctx, row, row.attempts);
      restarted += 1;
    }
    return { resumed, restarted };
  },
});

/** Stalled work for sync health: how many (counted up to `cap`), and the oldest's error and when it stalled. */
export async function stalledWork(
  ctx: QueryCtx,
  cap: number,
): Promise<{ count: number; firstError: string | null; since: number | null }> {
  const rows = await ctx.db
    .query("pendingWork")
    .withIndex("by_status_and_nextAttemptAt", (q) => q.eq("status", "stalled"))
    .take(cap);
  const first = rows[0];
  return {
    count: rows.length,
    firstError: first?.lastError ?? null,
    since: first?.nextAttemptAt ?? null,
  };
}
