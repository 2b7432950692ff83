import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

// The app's own data. Clerk's users, organizations and memberships live in the clerkSync component.
export default defineSchema({
  /** One per Clerk user, kept by the change hook in convex/clerk.ts; read by the app. */
  accounts: defineTable({
    clerkId: v.string(),
    /** What first synced the user: a webhook, a backfill, … */
    createdFrom: v.string(),
  }).index("by_clerkId", ["clerkId"]),
  /** One line per organization joined, written by the per-event hook in convex/clerk.ts. */
  joins: defineTable({ organizationId: v.string(), userId: v.string(), role: v.string() }),
});
