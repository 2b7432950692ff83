import { defineSchema, defineTable } from "convex/server";
import { v, type Infer } from "convex/values";

/**
 * The app's function handles (`createFunctionHandle` strings: function paths, never secrets) that
 * the component calls. The app's client class passes them with each call; the component keeps the
 * last ones so its scheduled work and crons, which no app call starts, find them too.
 */
export const vHandles = v.object({
  /** The app's change dispatcher, a mutation: called once per change of a synced row, in the same transaction. */
  onChange: v.string(),
  /** The app's Clerk Backend API action (it reads the app's env): what backfill and reconcile schedule. */
  clerkApi: v.string(),
});
export type Handles = Infer<typeof vHandles>;

export default defineSchema({
  /** One row: the app's handles. Written by config.ts (only when they differ); read by the component's own work. */
  config: defineTable({ handles: vHandles }),
});
