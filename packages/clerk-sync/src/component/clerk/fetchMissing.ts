/**
 * Fetching one user or organization an event named but Convex has never seen (scheduled by
 * `fetchMissingLater` in missing.ts), and applying it newer-wins like a webhook would.
 */
import { v, type Infer } from "convex/values";
import { internal } from "../_generated/api.js";
import { internalAction, internalQuery } from "../_generated/server.js";
import { internalMutation } from "../lib/hooks.js";
import { clerkApiUrl, clerkSecretKey } from "../env.js";
import { isObject } from "../lib/payload.js";
import { ClerkApi, ClerkApiError, ClerkRateLimitError } from "./api.js";
import { applyClerkObjects } from "./apply.js";
import { FETCHABLE, isMissing } from "./missing.js";

/** Tries per object (rate limits and transient failures); then the hole waits for a backfill. */
export const MAX_FETCH_ATTEMPTS = 5;

const vFetchableKind = v.union(v.literal("user"), v.literal("organization"));

export const stillMissing = internalQuery({
  args: { kind: vFetchableKind, clerkId: v.string() },
  returns: v.boolean(),
  handler: async (ctx, { kind, clerkId }) => await isMissing(ctx, kind, clerkId),
});

export const applyFetched = internalMutation({
  args: { kind: vFetchableKind, data: v.string() },
  returns: v.union(v.literal("applied"), v.literal("stale"), v.literal("invalid")),
  source: "fetch",
  handler: async (ctx, { kind, data }) => {
    const parsed: unknown = JSON.parse(data);
    if (!isObject(parsed)) return "invalid";
    const tally = await applyClerkObjects(ctx, FETCHABLE[kind], [parsed]);
    return tally.invalid > 0 ? "invalid" : tally.stale > 0 ? "stale" : "applied";
  },
});

const vFetchOutcome = v.union(
  v.literal("disabled"),
  v.literal("present"),
  v.literal("gone"),
  v.literal("applied"),
  v.literal("stale"),
  v.literal("invalid"),
  v.literal("retrying"),
  v.literal("failed"),
);

/** Fetches one user or organization from Clerk, if it is still missing, and applies it newer-wins. */
export const fetchOne = internalAction({
  args: { kind: vFetchableKind, clerkId: v.string(), attempt: v.number() },
  returns: vFetchOutcome,
  handler: async (ctx, { kind, clerkId, attempt }): Promise<Infer<typeof vFetchOutcome>> => {
    const secretKey = clerkSecretKey();
    if (secretKey === null) return "disabled";
    if (!(await ctx.runQuery(internal.clerk.fetchMissing.stillMissing, { kind, clerkId }))) return "present";
    try {
      const data = await new ClerkApi({ secretKey, baseUrl: clerkApiUrl() }).getOne(FETCHABLE[kind], clerkId);
      // Gone from Clerk too: its delete event leaves the tombstone.
      if (data === null) return "gone";
      return await ctx.runMutation(internal.clerk.fetchMissing.applyFetched, { kind, data: JSON.stringify(data) });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const retryable = error instanceof ClerkRateLimitError || (error instanceof ClerkApiError && error.transient);
      if (!retryable || attempt >= MAX_FETCH_ATTEMPTS) {
        console.error(
          `Could not fetch Clerk ${kind} ${clerkId} (attempt ${attempt}): ${message}. A backfill will fill it in.`,
        );
        return "failed";
      }
      const delay = error instanceof ClerkRateLimitError ? error.retryAfterMs : 2 ** attempt * 1000;
      await ctx.scheduler.runAfter(delay, internal.clerk.fetchMissing.fetchOne, {
        kind,
        clerkId,
        attempt: attempt + 1,
      });
      return "retrying";
    }
  },
});
