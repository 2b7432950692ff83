import type { UserIdentity } from "convex/server";
import { ConvexError, v, type Infer } from "convex/values";
import type { Doc } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { findMembership } from "./memberships";
import { getOrganizationByClerkId, isOrganizationDeleted } from "./organizations";
import { getUserByClerkId, MAX_VERIFIED_EMAILS } from "./users";

/** The most pending invitations listed for one user. */
export const MAX_MY_INVITATIONS = 50;

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

/**
 * The caller's addresses that Clerk has verified, the only ones an invitation may be matched on (an
 * unverified address could be anyone's: matching on it would show them someone else's
 * invitations). From Clerk's user when it has arrived; before that, the sign-in token's address
 * only if the token says Clerk verified it.
 */
export async function verifiedAddressesOf(ctx: QueryCtx, identity: UserIdentity): Promise<string[]> {
  const row = await getUserByClerkId(ctx, identity.subject);
  if (row !== null && row.verifiedEmails !== undefined) return row.verifiedEmails.slice(0, MAX_VERIFIED_EMAILS);
  if (identity.emailVerified === true && typeof identity.email === "string" && identity.email.trim() !== "")
    return [identity.email.trim().toLowerCase()];
  return [];
}

async function isDismissed(ctx: QueryCtx, userId: string, invitationId: string): Promise<boolean> {
  const found = await ctx.db
    .query("invitationDismissals")
    .withIndex("by_user_and_invitation", (q) => q.eq("userId", userId).eq("invitationId", invitationId))
    .first();
  return found !== null;
}

/** Pending invitation rows made out to `addresses`, each once. */
async function pendingFor(ctx: QueryCtx, addresses: string[]): Promise<Array<Doc<"organizationInvitations">>> {
  const rows = new Map<string, Doc<"organizationInvitations">>();
  for (const address of addresses) {
    const found = await ctx.db
      .query("organizationInvitations")
      .withIndex("by_emailAddress_and_status", (q) => q.eq("emailAddress", address).eq("status", "pending"))
      .take(MAX_MY_INVITATIONS);
    for (const row of found) rows.set(row.clerkId, row);
    if (rows.size >= MAX_MY_INVITATIONS) break;
  }
  return [...rows.values()].slice(0, MAX_MY_INVITATIONS);
}

/**
 * The caller's pending team invitations, newest first: made out to one of their verified addresses,
 * to a team they are not in yet (and not deleted), with whether they dismissed each.
 */
export async function invitationsOf(ctx: QueryCtx, identity: UserIdentity): Promise<MyInvitation[]> {
  const userId = identity.subject;
  const invitations: MyInvitation[] = [];
  for (const row of await pendingFor(ctx, await verifiedAddressesOf(ctx, identity))) {
    if ((await findMembership(ctx, row.organizationId, userId)) !== null) continue;
    if (await isOrganizationDeleted(ctx, row.organizationId)) continue;
    const organization = await getOrganizationByClerkId(ctx, row.organizationId);
    invitations.push({
      invitationId: row.clerkId,
      organizationId: row.organizationId,
      organizationName: organization?.name ?? null,
      organizationImageUrl: organization?.imageUrl ?? null,
      emailAddress: row.emailAddress ?? "",
      role: row.role,
      roleName: row.roleName,
      invitedAt: row.clerkVersion,
      dismissed: await isDismissed(ctx, userId, row.clerkId),
    });
  }
  return invitations.sort((a, b) => b.invitedAt - a.invitedAt);
}

/**
 * Hides (or, with `dismissed: false`, shows again) one of the caller's invitations on Roster's
 * pages. Only an invitation the caller is shown may be dismissed. Clerk still has it: the person
 * can still join from Clerk's email.
 */
export async function setDismissed(
  ctx: MutationCtx,
  identity: UserIdentity,
  invitationId: string,
  dismissed: boolean,
): Promise<void> {
  const mine = await invitationsOf(ctx, identity);
  if (!mine.some((invitation) => invitation.invitationId === invitationId))
    throw new ConvexError({
      code: "NOT_YOUR_INVITATION",
      message: "This invitation is not yours, or no longer pending.",
    });
  const existing = await ctx.db
    .query("invitationDismissals")
    .withIndex("by_user_and_invitation", (q) => q.eq("userId", identity.subject).eq("invitationId", invitationId))
    .first();
  if (dismissed && existing === null)
    await ctx.db.insert("invitationDismissals", { userId: identity.subject, invitationId });
  if (!dismissed && existing !== null) await ctx.db.delete("invitationDismissals", existing._id);
}

/** user.deleted erasure: removes up to `limit` of the deleted user's dismissals. Returns how many. */
export async function eraseInvitationDismissals(ctx: MutationCtx, userId: string, limit: number): Promise<number> {
  const rows = await ctx.db
    .query("invitationDismissals")
    .withIndex("by_user_and_invitation", (q) => q.eq("userId", userId))
    .take(limit);
  for (const row of rows) await ctx.db.delete("invitationDismissals", row._id);
  return rows.length;
}

/** The most addresses one "already a member?" check takes (the invite form's batch). */
export const MAX_CHECKED_ADDRESSES = 20;

/**
 * Which of `addresses` (lower case) belong to a member of `organizationId`, by the members' primary
 * addresses as Roster has them. Clerk refuses the others it knows (another of a member's addresses)
 * itself, and the form shows Clerk's words.
 */
export async function memberAddresses(ctx: QueryCtx, organizationId: string, addresses: string[]): Promise<string[]> {
  const members: string[] = [];
  for (const address of new Set(addresses.slice(0, MAX_CHECKED_ADDRESSES).map((a) => a.trim().toLowerCase()))) {
    const users = await ctx.db
      .query("users")
      .withIndex("by_email", (q) => q.eq("email", address))
      .take(10);
    for (const user of users)
      if ((await findMembership(ctx, organizationId, user.clerkId)) !== null) {
        members.push(address);
        break;
      }
  }
  return members;
}
