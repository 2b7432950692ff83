/**
 * Test-only change hooks for the component-root backend (test/component/backend.ts), standing in
 * for an app's `onChange`: `record` writes each change to the test schema's `hookCalls` table (in
 * the same transaction, so a rolled-back change leaves no call behind), `reject` throws, `refuseMarked`
 * records each change but throws on a row whose Clerk id contains REFUSED_MARK (to fail a batch midway).
 */
import { internalMutationGeneric } from "convex/server";
import { v } from "convex/values";
import { vChange } from "../../packages/clerk-sync/src/component/lib/hooks";

/** The message `reject` throws with. */
export const HOOK_REFUSED = "the app's hook refused this change";

export const record = internalMutationGeneric({
  args: vChange,
  returns: v.null(),
  handler: async (ctx, change) => {
    await ctx.db.insert("hookCalls", { change });
    return null;
  },
});

/** Part of a Clerk id that `refuseMarked` refuses the changes of. */
export const REFUSED_MARK = "refused";

export const refuseMarked = internalMutationGeneric({
  args: vChange,
  returns: v.null(),
  handler: async (ctx, change) => {
    const row = (change.before ?? change.after) as { clerkId?: unknown } | null;
    if (typeof row?.clerkId === "string" && row.clerkId.includes(REFUSED_MARK)) throw new Error(HOOK_REFUSED);
    await ctx.db.insert("hookCalls", { change });
    return null;
  },
});

export const reject = internalMutationGeneric({
  args: vChange,
  returns: v.null(),
  handler: () => Promise.reject(new Error(HOOK_REFUSED)),
});
