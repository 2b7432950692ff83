import { v } from "convex/values";
import { query } from "./_generated/server";
import { clerk } from "./clerk";

/**
 * The signed-in user as Clerk last said: their synced row, or what their token's claims say until
 * `user.created` lands (`synced: false`). Null when signed out.
 */
export const me = query({
  args: {},
  handler: async (ctx) => await clerk.getAuthUser(ctx),
});

/** The signed-in user's organizations, each with their role. */
export const myOrganizations = query({
  args: {},
  handler: async (ctx) => {
    const identity = await ctx.auth.getUserIdentity();
    if (identity === null) return [];
    return await clerk.organizationsOf(ctx, { userId: identity.subject });
  },
});

/**
 * The signed-in user's membership in one organization and what their role lets them do now;
 * a ConvexError (NOT_A_MEMBER, USER_DELETED) for anyone else.
 */
export const myAccess = query({
  args: { organizationId: v.string() },
  handler: async (ctx, { organizationId }) => {
    const identity = await ctx.auth.getUserIdentity();
    if (identity === null) return null;
    return await clerk.access(ctx, { userId: identity.subject, organizationId });
  },
});
