/**
 * The durable work queue's stored rows (schema.ts `pendingWork`): validators only, so the schema
 * can import them without importing the functions of work.ts.
 */
import { v, type Infer } from "convex/values";

/**
 * One unit of scheduled work that changes synced rows outside a webhook or a run, so it calls the
 * app's change hook and can fail with it:
 * - `cascade`: the rows of a deleted user or organization (cascades.ts), in batches;
 * - `followUser`: a renamed user's memberships from `cursor` on (model/memberships.ts), a page at a time;
 * - `fetch`: a user or organization an event named but Convex never saw, read from Clerk (clerk/fetchMissing.ts).
 */
export const vWork = v.union(
  v.object({
    kind: v.literal("cascade"),
    parent: v.union(v.literal("organization"), v.literal("user")),
    clerkId: v.string(),
    /** A deleted user's addresses, whose copies are erased (cascades.ts). */
    addresses: v.optional(v.array(v.string())),
    batchSize: v.optional(v.number()),
  }),
  v.object({
    kind: v.literal("followUser"),
    userId: v.string(),
    cursor: v.union(v.string(), v.null()),
  }),
  v.object({
    kind: v.literal("fetch"),
    object: v.union(v.literal("user"), v.literal("organization")),
    clerkId: v.string(),
  }),
);
export type Work = Infer<typeof vWork>;

/** `pending`: a run is scheduled (at `nextAttemptAt`); `stalled`: out of attempts, waiting for an operator's resume or the hourly retry. */
export const vWorkStatus = v.union(v.literal("pending"), v.literal("stalled"));

export const pendingWorkFields = {
  /** The same work scheduled twice shares this row: `cascade:user:user_…`, `followUser:user_…`, `fetch:user:user_…`. */
  key: v.string(),
  work: vWork,
  status: vWorkStatus,
  /** Failed attempts since it was scheduled or last resumed. */
  attempts: v.number(),
  /** Pending: when its run is due (ms). Stalled: when it stalled. */
  nextAttemptAt: v.number(),
  /** Why the last attempt failed (cut to a bounded length). */
  lastError: v.optional(v.string()),
  /** The scheduled run of a pending row, so the hourly sweep can tell a lost run from a waiting one. */
  scheduledId: v.optional(v.id("_scheduled_functions")),
};
