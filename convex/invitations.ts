import { v } from "convex/values";
import { mutation, query } from "./_generated/server";
import { requireUser } from "./model/access";
import { invitationsOf, setDismissed, vMyInvitation } from "./model/myInvitations";
import { isUserDeleted } from "./model/users";

/**
 * The caller's pending team invitations, matched on their verified email addresses only
 * ([] when signed out); dismissed ones included, marked.
 */
export const mine = query({
  args: {},
  returns: v.array(vMyInvitation),
  handler: async (ctx) => {
    const identity = await ctx.auth.getUserIdentity();
    if (identity === null || (await isUserDeleted(ctx, identity.subject))) return [];
    return await invitationsOf(ctx, identity);
  },
});

/** Hides one of the caller's invitations here (`dismissed: false` shows it again); Clerk keeps it. */
export const dismiss = mutation({
  args: { invitationId: v.string(), dismissed: v.optional(v.boolean()) },
  returns: v.null(),
  handler: async (ctx, { invitationId, dismissed }) => {
    const identity = await requireUser(ctx);
    await setDismissed(ctx, identity, invitationId, dismissed ?? true);
    return null;
  },
});
