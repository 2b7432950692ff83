import { v } from "convex/values";
import { internal } from "../_generated/api";
import { internalAction, internalMutation, internalQuery, type MutationCtx } from "../_generated/server";
import { webhookLogRetentionDays } from "../env";
import { clampCount, deleteRows, removeWithin } from "../lib/bounded";
import type { Outcome } from "../schema";
import { deliver } from "./handler";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Rows one prune mutation deletes at most; the rest go to the next, scheduled at once. */
export const PRUNE_BATCH_SIZE = 500;
/** Failed events are kept until they apply: nothing verified is lost to retention. */
const PRUNED_OUTCOMES: Outcome[] = ["applied", "duplicate", "stale", "ignored"];

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
  handler: async (ctx, { batchSize }) => {
    const size = clampCount(batchSize, PRUNE_BATCH_SIZE, PRUNE_BATCH_SIZE);
    const result = await pruneEventLog(ctx, Date.now(), size);
    if (result.more) await ctx.scheduler.runAfter(0, internal.webhooks.log.prune, { batchSize: size });
    return result;
  },
});

export const failedEvents = internalQuery({
  args: { limit: v.number() },
  returns: v.array(v.object({ svixId: v.string(), payload: v.string() })),
  handler: async (ctx, { limit }) => {
    const rows = await ctx.db
      .query("webhookEvents")
      .withIndex("by_outcome_and_receivedAt", (q) => q.eq("outcome", "failed"))
      .take(limit);
    return rows.flatMap((row) => (row.payload === undefined ? [] : [{ svixId: row.svixId, payload: row.payload }]));
  },
});

/**
 * Applies failed events again from their stored payloads, oldest first, through the same path
 * as a delivery: `npx convex run webhooks/log:retryFailed` (optionally `'{"limit": 50}'`).
 */
export const retryFailed = internalAction({
  args: { limit: v.optional(v.number()) },
  returns: v.object({ retried: v.number(), applied: v.number(), stillFailing: v.number() }),
  handler: async (ctx, { limit }): Promise<{ retried: number; applied: number; stillFailing: number }> => {
    const events: Array<{ svixId: string; payload: string }> = await ctx.runQuery(internal.webhooks.log.failedEvents, {
      limit: clampCount(limit, 100, 500),
    });
    let stillFailing = 0;
    for (const { svixId, payload } of events) {
      const { outcome } = await deliver(ctx, svixId, payload);
      if (outcome === "failed") stillFailing += 1;
    }
    return { retried: events.length, applied: events.length - stillFailing, stillFailing };
  },
});
