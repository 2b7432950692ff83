import type { PaginationOptions, PaginationResult } from "convex/server";
import { v, type Infer } from "convex/values";
import type { QueryCtx } from "../_generated/server";
import { clampCount } from "../lib/bounded";
import { vOutcome, type Outcome } from "../schema";
import { pinnedInstance, vPinnedInstance } from "../webhooks/instance";
import { MAX_PAGE_SIZE } from "./teams";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Failure counts stop at this many (the view shows "1000+"); the log's failed rows are read through an index. */
export const FAILURE_COUNT_CAP = 1000;

export const vLoggedEvent = v.object({
  id: v.string(),
  svixId: v.string(),
  type: v.string(),
  outcome: vOutcome,
  clerkIds: v.array(v.string()),
  timestamp: v.union(v.number(), v.null()),
  receivedAt: v.number(),
  attempts: v.number(),
  error: v.union(v.string(), v.null()),
});
export type LoggedEvent = Infer<typeof vLoggedEvent>;

export const vSyncHealth = v.object({
  lastEventAt: v.union(v.number(), v.null()),
  failedLast24h: v.number(),
  failedTotal: v.number(),
  /** The Clerk instance events must come from, or null until the first verified event pins one. */
  instance: vPinnedInstance,
  /** Events from another Clerk instance in the log (not applied): a warning (capped like the failures). */
  foreignTotal: v.number(),
  /** The newest of them: which instance sent it, and when. */
  lastForeign: v.union(v.null(), v.object({ instanceId: v.union(v.string(), v.null()), at: v.number() })),
});

export const vCommunication = v.object({
  id: v.string(),
  channel: v.union(v.literal("email"), v.literal("sms")),
  recipient: v.union(v.string(), v.null()),
  subject: v.union(v.string(), v.null()),
  template: v.union(v.string(), v.null()),
  status: v.union(v.string(), v.null()),
  at: v.number(),
});

/** One page of the webhook event log, newest first; no payload is read or returned. */
export async function eventLogPage(
  ctx: QueryCtx,
  paginationOpts: PaginationOptions,
  outcome: Outcome | undefined,
): Promise<PaginationResult<LoggedEvent>> {
  const opts = { ...paginationOpts, numItems: clampCount(paginationOpts.numItems, 1, MAX_PAGE_SIZE) };
  const rows =
    outcome === undefined
      ? ctx.db.query("webhookEvents").order("desc")
      : ctx.db
          .query("webhookEvents")
          .withIndex("by_outcome_and_receivedAt", (q) => q.eq("outcome", outcome))
          .order("desc");
  const page = await rows.paginate(opts);
  return {
    ...page,
    page: page.page.map((row) => ({
      id: row._id,
      svixId: row.svixId,
      type: row.type,
      outcome: row.outcome,
      clerkIds: row.clerkIds,
      timestamp: row.timestamp,
      receivedAt: row.receivedAt,
      attempts: row.attempts,
      error: row.error ?? null,
    })),
  };
}

/**
 * When the newest event arrived, how many events are failed (in the last 24 h, and in all), the
 * pinned Clerk instance and the events from others. Reads log rows only (failed payloads live in
 * their own table): at most 3 × FAILURE_COUNT_CAP small rows.
 */
export async function computeSyncHealth(ctx: QueryCtx, now: number): Promise<Infer<typeof vSyncHealth>> {
  const newest = await ctx.db.query("webhookEvents").order("desc").first();
  const failedRecently = await ctx.db
    .query("webhookEvents")
    .withIndex("by_outcome_and_receivedAt", (q) => q.eq("outcome", "failed").gt("receivedAt", now - DAY_MS))
    .take(FAILURE_COUNT_CAP);
  const failedAll = await ctx.db
    .query("webhookEvents")
    .withIndex("by_outcome_and_receivedAt", (q) => q.eq("outcome", "failed"))
    .take(FAILURE_COUNT_CAP);
  const foreign = await ctx.db
    .query("webhookEvents")
    .withIndex("by_outcome_and_receivedAt", (q) => q.eq("outcome", "foreign"))
    .order("desc")
    .take(FAILURE_COUNT_CAP);
  const newestForeign = foreign[0];
  return {
    lastEventAt: newest?.receivedAt ?? null,
    failedLast24h: failedRecently.length,
    failedTotal: failedAll.length,
    instance: await pinnedInstance(ctx),
    foreignTotal: foreign.length,
    lastForeign:
      newestForeign === undefined
        ? null
        : { instanceId: newestForeign.instanceId ?? null, at: newestForeign.receivedAt },
  };
}

/** The newest emails and text messages Clerk sent for the app. */
export async function recentCommunications(ctx: QueryCtx, limit = 20): Promise<Array<Infer<typeof vCommunication>>> {
  const rows = await ctx.db
    .query("communications")
    .order("desc")
    .take(clampCount(limit, 20, MAX_PAGE_SIZE));
  return rows.map((row) => ({
    id: row._id,
    channel: row.channel,
    recipient: row.recipient,
    subject: row.subject,
    template: row.template,
    status: row.status,
    at: row.clerkVersion,
  }));
}
