import { v } from "convex/values";
import { mutation, query } from "./_generated/server";
import { isAppAdmin, requireIdentity } from "./model/access";
import { getUserByClerkId, isUserDeleted, profileOf, updateOwnProfile, vProfile } from "./model/users";

/** The caller's profile, or null when signed out (or the account was deleted). */
export const me = query({
  args: {},
  returns: v.union(vProfile, v.null()),
  handler: async (ctx) => {
    const identity = await ctx.auth.getUserIdentity();
    if (identity === null) return null;
    if (await isUserDeleted(ctx, identity.subject)) return null;
    const row = await getUserByClerkId(ctx, identity.subject);
    return profileOf(identity.subject, row, identity, isAppAdmin(row));
  },
});

/**
 * Saves Roster's own profile fields (bio, country, birthday) for the caller. An absent field is
 * unchanged and "" clears it. Works before Clerk's `user.created` has arrived.
 */
export const updateProfile = mutation({
  args: { bio: v.optional(v.string()), country: v.optional(v.string()), birthday: v.optional(v.string()) },
  returns: v.null(),
  handler: async (ctx, args) => {
    const identity = await requireIdentity(ctx);
    await updateOwnProfile(ctx, identity, args);
    return null;
  },
});
