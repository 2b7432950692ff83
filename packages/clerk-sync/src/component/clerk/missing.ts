/**
 * Filling holes: when an event names a user or organization Convex has never seen (its
 * `user.created` was missed, or came before the webhook endpoint existed), fetch it from Clerk's
 * Backend API instead of leaving, say, a membership without its user. Only when CLERK_SECRET_KEY
 * is set. Event handlers call `fetchMissingLater`; the fetching itself is in fetchMissing.ts.
 */
import { internal } from "../_generated/api.js";
import type { MutationCtx, QueryCtx } from "../_generated/server.js";
import { clerkSecretKey } from "../env.js";
import { findByClerkId, findTombstone } from "../model/sync.js";

/**
 * Fetches wait this long, then look again: events of one change arrive within seconds of each
 * other in any order, so the missing object usually lands by webhook first and no request is made.
 */
export const FETCH_MISSING_DELAY_MS = 10_000;

/** The Clerk objects that can be fetched, by tombstone kind (Clerk's object name), with their table. */
export const FETCHABLE = { user: "users", organization: "organizations" } as const;
export type FetchableKind = keyof typeof FETCHABLE;

/** True when Convex has neither a row nor a tombstone for this Clerk object. */
export async function isMissing(ctx: QueryCtx, kind: FetchableKind, clerkId: string): Promise<boolean> {
  if (await findTombstone(ctx, kind, clerkId)) return false;
  return (await findByClerkId(ctx, FETCHABLE[kind], clerkId)) === null;
}

/**
 * Schedules a fetch from Clerk for each referenced user or organization Convex has neither a row
 * nor a tombstone for; other kinds and null ids are skipped, so a handler can pass every Clerk
 * object its event names (e.g. the `parents` of model/sync.ts). Does nothing without
 * CLERK_SECRET_KEY. Returns how many fetches it scheduled.
 */
export async function fetchMissingLater(
  ctx: MutationCtx,
  refs: ReadonlyArray<{ kind: string; clerkId: string | null }>,
): Promise<number> {
  if (clerkSecretKey() === null) return 0;
  const seen = new Set<string>();
  let scheduled = 0;
  for (const { kind, clerkId } of refs) {
    if (!(kind in FETCHABLE) || !clerkId || seen.has(`${kind}:${clerkId}`)) continue;
    seen.add(`${kind}:${clerkId}`);
    const fetchable = kind as FetchableKind;
    if (!(await isMissing(ctx, fetchable, clerkId))) continue;
    await ctx.scheduler.runAfter(FETCH_MISSING_DELAY_MS, internal.clerk.fetchMissing.fetchOne, {
      kind: fetchable,
      clerkId,
      attempt: 1,
    });
    scheduled += 1;
  }
  return scheduled;
}
