import { query } from "./_generated/server";
import { clerk } from "./clerk";

/** The signed-in user as Clerk last said (from the token's claims until `user.created` lands); null when signed out. */
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
