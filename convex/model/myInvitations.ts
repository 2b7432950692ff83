import { ConvexError, v, type Infer } from "convex/values";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { clerk } from "../clerk";

/** A team invitation made out to one of the caller's verified addresses. */
export const vMyInvitation = v.object({
  invitationId: v.string(),
  organizationId: v.string(),
  /** The team's name, or null while Roster has not synced the team. */
  organizationName: v.union(v.string(), v.null()),
  organizationImageUrl: v.union(v.string(), v.null()),
  emailAddress: v.string(),
  role: v.union(v.string(), v.null()),
  roleName: v.union(v.string(), v.null()),
  invitedAt: v.number(),
  /** The caller hid it here (Clerk has no call to decline an invitation). */
  dismissed: v.boolean(),
});
export type MyInvitation = Infer<typeof vMyInvitation>;

async function isDismissed(ctx: QueryCtx, userId: string, invitationId: string): Promise<boolean> {
  const found = await ctx.db
    .query("invitationDismissals")
    .withIndex("by_user_and_invitation", (q) => q.eq("userId", userId).eq("invitationId", invitationId))
    .first();
  return found !== null;
}

/**
 * The signed-in caller's pending team invitations, newest first: made out to one of their verified
 * addresses (Clerk's verified addresses; before Clerk's user arrives, the token's address only if
 * the token says it is verified), to a team they are not in yet (and not deleted), with whether
 * they dismissed each. [] when signed out or deleted. One component call.
 */
export async function invitationsOf(ctx: QueryCtx, userId: string): Promise<MyInvitation[]> {
  const invitations: MyInvitation[] = [];
  for (const invitation of await clerk.invitationsFor(ctx))
    invitations.push({ ...invitation, dismissed: await isDismissed(ctx, userId, invitation.invitationId) });
  return invitations;
}

/**
 * Hides (or, with `dismissed: false`, shows again) one of the caller's invitations on Roster's
 * pages. Only an invitation the caller is shown may be dismissed. Clerk still has it: the person
 * can still join from Clerk's email.
 */
export async function setDismissed(
  ctx: MutationCtx,
  userId: string,
  invitationId: string,
  dismissed: boolean,
): Promise<void> {
  const mine = await clerk.invitationsFor(ctx);
  if (!mine.some((invitation) => invitation.invitationId === invitationId))
    throw new ConvexError({
      code: "NOT_YOUR_INVITATION",
      message: "This invitation is not yours, or no longer pending.",
    });
  const existing = await ctx.db
    .query("invitationDismissals")
    .withIndex("by_user_and_invitation", (q) => q.eq("userId", userId).eq("invitationId", invitationId))
    .first();
  if (dismissed && existing === null) await ctx.db.insert("invitationDismissals", { userId, invitationId });
  if (!dismissed && existing !== null) await ctx.db.delete("invitationDismissals", existing._id);
}

/** The most addresses one "already a member?" check takes (the invite form's batch; the component's bound too). */
export const MAX_CHECKED_ADDRESSES = 20;
