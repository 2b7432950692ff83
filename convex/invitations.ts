import { v } from "convex/values";
import { mutation, query } from "./_generated/server";
import { requireAuthUser } from "./model/access";
import { invitationsOf, setDismissed, vMyInvitation } from "./model/myInvitations";

/**
 * The caller's pending team invitations, matched on their verified email addresses only
 * ([] when signed out or deleted); dismissed ones included, marked. One component call.
 */
export const mine = query({
  args: {},
  returns: v.array(vMyInvitation),
  handler: async (ctx) => {
    const identity = await ctx.auth.getUserIdentity();
    if (identity === null) return [];
    return await invitationsOf(ctx, identity.subject);
  },
});

/**
 * Hides one of the caller's invitations here (`dismissed: false` shows it again); Clerk keeps it.
 * Two component calls: the caller (signed in, not deleted), their invitations.
 */
export const dismiss = mutation({
  args: { invitationId: v.string(), dismissed: v.optional(v.boolean()) },
  returns: v.null(),
  handler: async (ctx, { invitationId, dismissed }) => {
    const user = await requireAuthUser(ctx);
    await setDismissed(ctx, user.clerkId, invitationId, dismissed ?? true);
    return null;
  },
});
