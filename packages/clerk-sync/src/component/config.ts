/**
 * The app's handles as functions: `config:get` and `config:store` (the helpers behind them, which
 * the hooks and ingestion use too, are lib/handles.ts: a module without functions, so anything may
 * import it without registering these).
 */
import { v } from "convex/values";
import { query } from "./_generated/server.js";
import { readHandles, storeHandles } from "./lib/handles.js";
import { mutation } from "./lib/hooks.js";
import { vHandles } from "./schema.js";

export { NOT_CONFIGURED, readHandles, requireHandles, sameHandles, storeHandles } from "./lib/handles.js";

/** The handles the component holds, or null before the app stored any. */
export const get = query({
  args: {},
  returns: v.union(vHandles, v.null()),
  handler: async (ctx) => await readHandles(ctx),
});

/** Stores the app's handles (a write only when they changed); true when it wrote. */
export const store = mutation({
  args: { handles: vHandles },
  returns: v.boolean(),
  // Writes only the config row, never a synced one.
  source: null,
  handler: async (ctx, { handles }) => await storeHandles(ctx, handles),
});
