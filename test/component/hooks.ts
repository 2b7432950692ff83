/**
 * Test-only change hooks for the component-root backend (test/component/backend.ts), standing in
 * for an app's `onChange`: `record` writes each change to the test schema's `hookCalls` table (in
 * the same transaction, so a rolled-back change leaves no call behind), `reject` throws.
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

export const reject = internalMutationGeneric({
  args: vChange,
  returns: v.null(),
  handler: () => Promise.reject(new Error(HOOK_REFUSED)),
});
