/**
 * The plain upsert's schema: what a Convex + Clerk guide's webhook code keeps — one users table,
 * looked up by Clerk id. (Issue 17 compares Roster's path through the component with it.)
 */
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  users: defineTable({
    clerkId: v.string(),
    email: v.union(v.string(), v.null()),
    firstName: v.union(v.string(), v.null()),
    lastName: v.union(v.string(), v.null()),
    imageUrl: v.union(v.string(), v.null()),
  }).index("by_clerkId", ["clerkId"]),
});
