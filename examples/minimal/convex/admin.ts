// The operator API behind the app's own authorization, as the component's README shows it.
import { ConvexError } from "convex/values";
import { mutation, query, type QueryCtx } from "./_generated/server";
import { clerk } from "./clerk";

/** Your rule. Here: Clerk public metadata `{ "operator": true }` (users cannot set their own). */
async function requireOperator(ctx: QueryCtx) {
  const user = await clerk.getAuthUser(ctx);
  const metadata = user === null || user.deleted ? {} : (JSON.parse(user.publicMetadata) as { operator?: unknown });
  if (user === null || metadata.operator !== true) throw new ConvexError({ code: "NOT_AN_OPERATOR" });
  return user;
}

export const syncHealth = query({
  args: {},
  handler: async (ctx) => {
    await requireOperator(ctx);
    return await clerk.syncHealth(ctx);
  },
});

export const startBackfill = mutation({
  args: {},
  handler: async (ctx) => {
    const operator = await requireOperator(ctx);
    await clerk.storeHandles(ctx); // the hooks the run calls, in case no webhook stored them yet
    return await clerk.startSync(ctx, { mode: "backfill", startedBy: operator.clerkId });
  },
});
