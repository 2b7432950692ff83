/**
 * Fetching one user or organization an event named but Convex has never seen (queued by
 * `fetchMissingLater` in missing.ts, run by work.ts), and applying it newer-wins like a webhook would.
 */
import { v } from "convex/values";
import { internal } from "../_generated/api.js";
import type { Id } from "../_generated/dataModel.js";
import { internalQuery, type ActionCtx } from "../_generated/server.js";
import { internalMutation } from "../lib/hooks.js";
import { clerkApiUrl, clerkSecretKey } from "../env.js";
import { isObject } from "../lib/payload.js";
import { finishWork } from "../lib/queue.js";
import { ClerkApi, ClerkApiError, ClerkRateLimitError } from "./api.js";
import { applyClerkObjects } from "./apply.js";
import { FETCHABLE, isMissing, type FetchableKind } from "./missing.js";

const vFetchableKind = v.union(v.literal("user"), v.literal("organization"));

export const stillMissing = internalQuery({
  args: { kind: vFetchableKind, clerkId: v.string() },
  returns: v.boolean(),
  handler: async (ctx, { kind, clerkId }) => await isMissing(ctx, kind, clerkId),
});

/** Applies what Clerk answered; `workId`: the queued fetch it ends, in the same transaction. */
export const applyFetched = internalMutation({
  args: { kind: vFetchableKind, data: v.string(), workId: v.optional(v.id("pendingWork")) },
  returns: v.union(v.literal("applied"), v.literal("stale"), v.literal("invalid")),
  source: "fetch",
  handler: async (ctx, { kind, data, workId }) => {
    if (workId !== undefined) await finishWork(ctx, workId);
    const parsed: unknown = JSON.parse(data);
    if (!isObject(parsed)) return "invalid";
    const tally = await applyClerkObjects(ctx, FETCHABLE[kind], [parsed]);
    return tally.invalid > 0 ? "invalid" : tally.stale > 0 ? "stale" : "applied";
  },
});

/** What one queued fetch came to. */
export type FetchOutcome = "disabled" | "present" | "gone" | "applied" | "stale" | "invalid" | "failed";

/**
 * The queued fetch `workId` (work.ts): fetches one user or organization from Clerk, if it is still
 * missing, and applies it newer-wins, ending the work in the same transaction. What Clerk refuses for
 * good ends the work too (a backfill fills the hole). Throws what is worth another try — a rate
 * limit, a transient failure, the app's hook refusing the change — for the queue's backoff.
 */
export async function fetchMissing(
  ctx: ActionCtx,
  workId: Id<"pendingWork">,
  { object: kind, clerkId }: { object: FetchableKind; clerkId: string },
): Promise<FetchOutcome> {
  const settle = async (outcome: FetchOutcome) => {
    await ctx.runMutation(internal.work.settle, { workId });
    return outcome;
  };
  const secretKey = clerkSecretKey();
  if (secretKey === null) return await settle("disabled");
  if (!(await ctx.runQuery(internal.clerk.fetchMissing.stillMissing, { kind, clerkId })))
    return await settle("present");
  let data: unknown;
  try {
    data = await new ClerkApi({ secretKey, baseUrl: clerkApiUrl() }).getOne(FETCHABLE[kind], clerkId);
  } catch (error) {
    if (error instanceof ClerkRateLimitError || (error instanceof ClerkApiError && error.transient)) throw error;
    const message = error instanceof Error ? error.message : String(error);
    console.error(`Could not fetch Clerk ${kind} ${clerkId}: ${message}. A backfill will fill it in.`);
    return await settle("failed");
  }
  // Gone from Clerk too: its delete event leaves the tombstone.
  if (data === null) return await settle("gone");
  return await ctx.runMutation(internal.clerk.fetchMissing.applyFetched, {
    kind,
    data: JSON.stringify(data),
    workId,
  });
}
