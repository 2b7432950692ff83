/**
 * The plain upsert: one indexed look-up of the user by Clerk id, then an insert or a patch (or a
 * delete for `user.deleted`). No event log, no dedupe, no version check: a redelivery writes again,
 * and a late, older snapshot overwrites a newer one.
 */
import { internalMutationGeneric, type DataModelFromSchemaDefinition, type MutationBuilder } from "convex/server";
import { v } from "convex/values";

import type schema from "./schema";

/** The builder convex codegen would generate for this schema (the plain app has no generated code). */
const internalMutation = internalMutationGeneric as MutationBuilder<
  DataModelFromSchemaDefinition<typeof schema>,
  "internal"
>;

const vUser = v.object({
  clerkId: v.string(),
  email: v.union(v.string(), v.null()),
  firstName: v.union(v.string(), v.null()),
  lastName: v.union(v.string(), v.null()),
  imageUrl: v.union(v.string(), v.null()),
});

export const upsert = internalMutation({
  args: { user: vUser },
  returns: v.null(),
  handler: async (ctx, { user }) => {
    const existing = await ctx.db
      .query("users")
      .withIndex("by_clerkId", (q) => q.eq("clerkId", user.clerkId))
      .unique();
    if (existing === null) await ctx.db.insert("users", user);
    else await ctx.db.patch("users", existing._id, user);
    return null;
  },
});

export const remove = internalMutation({
  args: { clerkId: v.string() },
  returns: v.null(),
  handler: async (ctx, { clerkId }) => {
    const existing = await ctx.db
      .query("users")
      .withIndex("by_clerkId", (q) => q.eq("clerkId", clerkId))
      .unique();
    if (existing !== null) await ctx.db.delete("users", existing._id);
    return null;
  },
});
