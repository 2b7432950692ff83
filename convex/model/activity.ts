import type { MutationCtx } from "../_generated/server";
import type { ActivityKind } from "../schema";

/** Adds an entry to an organization's activity feed. `at` is Clerk's time for the change. */
export async function recordActivity(
  ctx: MutationCtx,
  entry: {
    organizationId: string;
    kind: ActivityKind;
    userId: string | null;
    subject: string;
    role: string | null;
    at: number;
  },
): Promise<void> {
  await ctx.db.insert("activity", entry);
}
