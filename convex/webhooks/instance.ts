import { v } from "convex/values";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { internalQuery } from "../_generated/server";
import { clerkInstanceId } from "../env";

export const vPinnedInstance = v.union(
  v.null(),
  v.object({
    instanceId: v.string(),
    /** "env": CLERK_INSTANCE_ID; "first_event": pinned by the first verified event. */
    source: v.union(v.literal("env"), v.literal("first_event")),
    /** When the first event pinned it (null for CLERK_INSTANCE_ID). */
    pinnedAt: v.union(v.number(), v.null()),
  }),
);

/** The Clerk instance events must come from: CLERK_INSTANCE_ID, else the pinned one, else null (none yet). */
export async function pinnedInstance(ctx: QueryCtx) {
  const fromEnv = clerkInstanceId();
  if (fromEnv !== null) return { instanceId: fromEnv, source: "env" as const, pinnedAt: null };
  // The one row (an index read, not a scan, though there is only ever one).
  const row = await ctx.db.query("clerkInstance").withIndex("by_instanceId").first();
  return row === null ? null : { instanceId: row.instanceId, source: "first_event" as const, pinnedAt: row.pinnedAt };
}

/**
 * Checks a verified event's `instance_id` against the pinned instance, pinning it when none is
 * yet (the singleton row is written once, by the first event, and only read after that: no hot
 * row; two first events racing conflict and Convex retries one, which then sees the pin).
 * An event without an `instance_id` cannot be checked and passes (Clerk always sends one).
 * Returns the pinned instance id when the event comes from another instance, else null.
 */
export async function foreignInstance(
  ctx: MutationCtx,
  instanceId: string | null,
  svixId: string,
  now: number,
): Promise<string | null> {
  if (instanceId === null) return null;
  const pinned = await pinnedInstance(ctx);
  if (pinned === null) {
    await ctx.db.insert("clerkInstance", { instanceId, pinnedAt: now, svixId });
    console.info(
      `Pinned Clerk instance ${instanceId} (first verified event ${svixId}); events from others are not applied.`,
    );
    return null;
  }
  return pinned.instanceId === instanceId ? null : pinned.instanceId;
}

/** The pinned Clerk instance, for `npm run doctor` (`npx convex run webhooks/instance:pinned`). */
export const pinned = internalQuery({
  args: {},
  returns: vPinnedInstance,
  handler: async (ctx) => await pinnedInstance(ctx),
});
