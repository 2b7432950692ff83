/**
 * The durable work queue's rows (schema.ts `pendingWork`): scheduling, ending, resuming and counting
 * queued work. The functions that run it are in work.ts; this module imports no engine module, so
 * event handlers, cascades and fetches can queue work without import cycles.
 *
 * A row is written only when it is needed: a cascade or a user's membership pages is scheduled as a
 * mutation (`work:attempt`) carrying the work in its arguments, and gets a row only when a batch
 * fails (`keepFailed`); a fetch, run in an action that is never retried if it dies, gets its row
 * when it is scheduled.
 */
import { internal } from "../_generated/api.js";
import type { Doc, Id } from "../_generated/dataModel.js";
import type { MutationCtx, QueryCtx } from "../_generated/server.js";
import { sameValue } from "../model/sync.js";
import type { Work } from "../workSchema.js";

/** The waits before the 2nd, 3rd, … try of failed work; after the last try fails the work is stalled. */
export const WORK_BACKOFF_MS = [1_000, 10_000, 60_000, 10 * 60_000, 60 * 60_000] as const;
/** Tries before failed work stalls (the first, then one after each wait). */
export const MAX_WORK_ATTEMPTS = WORK_BACKOFF_MS.length + 1;
/** Rows one resume or sweep transaction restarts; the rest in the next (scheduled). */
export const RESUME_BATCH = 100;
/** A pending row this late whose scheduled run is no longer waiting or running lost its run (the sweep restarts it). */
export const LOST_RUN_AFTER_MS = 15 * 60_000;

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
 * The same work scheduled again, over what the row holds: a cascade keeps the addresses it has (a
 * later delete of the same user finds no row to read them from). A user's memberships at another
 * cursor are followed again from the first page: two chains of one user's pages (a rename while an
 * older one's row waits) each stand at their own cursor, and a cursor does not say which chain is
 * behind, so taking either could leave pages with the older name.
 */
function merged(old: Work, next: Work): Work {
  // Only a cascade holds addresses, only a user's pages a cursor (one key, one kind of work).
  const kept = (old as { addresses?: string[] }).addresses ?? [];
  if (kept.length > 0) return old;
  const cursorOf = (work: Work) => (work as { cursor?: string | null }).cursor;
  return cursorOf(old) === cursorOf(next) ? next : ({ ...next, cursor: null } as Work);
}

async function byKey(ctx: QueryCtx, key: string): Promise<Row | null> {
  return await ctx.db
    .query("pendingWork")
    .withIndex("by_key", (q) => q.eq("key", key))
    .unique();
}

/**
 * Schedules `work` to run after `delayMs`. When the same work is already queued, the row it shares
 * takes it (a stalled one starts again, with every try). Otherwise a cascade or a user's membership
 * pages is one scheduled `work:attempt` with the work in its arguments, and no write (a row appears
 * only if it fails); a fetch gets its row and its run (`work:run`, an action).
 */
export async function scheduleWork(ctx: MutationCtx, work: Work, delayMs = 0): Promise<void> {
  const existing = await byKey(ctx, workKey(work));
  if (existing !== null) return await requeue(ctx, existing, work);
  if (work.kind === "fetch") await insertRow(ctx, work, 0, undefined, delayMs);
  else await ctx.scheduler.runAfter(delayMs, internal.work.attempt, { work });
}

/**
 * Keeps a failed attempt of `work` (a cascade batch or a membership page, rolled back) as a row with
 * one try used and its error, its next try (`work:run`) after the first backoff; from there it is
 * retried, stalls and is resumed as any row. A row of the same work queued meanwhile takes it instead.
 */
export async function keepFailed(ctx: MutationCtx, work: Work, lastError: string): Promise<void> {
  const existing = await byKey(ctx, workKey(work));
  if (existing !== null) return await requeue(ctx, existing, work);
  await insertRow(ctx, work, 1, lastError, WORK_BACKOFF_MS[0]);
}

/** The same work over a row that holds it: merged, and a stalled row started again with every try. */
async function requeue(ctx: MutationCtx, existing: Row, work: Work): Promise<void> {
  const next = merged(existing.work, work);
  if (existing.status === "stalled") await restart(ctx, existing, 0, next);
  else if (!sameValue(existing.work, next)) await ctx.db.patch("pendingWork", existing._id, { work: next });
}

/** A new pending row for `work` and its run after `delayMs` (the row needs its id to name it, then the run's). */
async function insertRow(
  ctx: MutationCtx,
  work: Work,
  attempts: number,
  lastError: string | undefined,
  delayMs: number,
): Promise<void> {
  const workId = await ctx.db.insert("pendingWork", {
    key: workKey(work),
    work,
    status: "pending",
    attempts,
    nextAttemptAt: Date.now() + delayMs,
    // Undefined (none yet) is no field: Convex leaves it out.
    lastError,
  });
  const scheduledId = await ctx.scheduler.runAfter(delayMs, internal.work.run, { workId });
  await ctx.db.patch("pendingWork", workId, { scheduledId });
}

/** Schedules a run of `row` now, as pending with `attempts` tries used (and `work` when it changed). */
export async function restart(ctx: MutationCtx, row: Row, attempts: number, work?: Work): Promise<void> {
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
