import { v } from "convex/values";
import { mutation, query } from "./_generated/server";
import { clerk } from "./clerk";
import { isAppAdmin, requireAuthUser, requireIdentity } from "./model/access";
import { getProfile, profileOf, updateOwnProfile, vProfile } from "./model/profileView";

/**
 * The caller's profile, or null when signed out (or the account was deleted): Clerk's fields from
 * the clerkSync component (their token's claims before `user.created` lands; one component call),
 * Roster's own fields from `profiles`, and the app admin flag from their public metadata.
 */
export const me = query({
  args: {},
  returns: v.union(vProfile, v.null()),
  handler: async (ctx) => {
    const identity = await ctx.auth.getUserIdentity();
    if (identity === null) return null;
    const user = await clerk.getAuthUser(ctx);
    if (user === null || user.deleted) return null;
    return profileOf(user, await getProfile(ctx, user.clerkId), identity, isAppAdmin(user));
  },
});

/**
 * Saves Roster's own profile fields (bio, country, birthday) for the caller. An absent field is
 * unchanged and "" clears it. Works before Clerk's `user.created` has arrived. One component call.
 */
export const updateProfile = mutation({
  args: { bio: v.optional(v.string()), country: v.optional(v.string()), birthday: v.optional(v.string()) },
  returns: v.null(),
  handler: async (ctx, args) => {
    await requireAuthUser(ctx);
    await updateOwnProfile(ctx, await requireIdentity(ctx), args);
    return null;
  },
});
