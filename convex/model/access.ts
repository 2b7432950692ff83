import type { UserIdentity } from "convex/server";
import { ConvexError } from "convex/values";
import type { Doc } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { decodeMetadata } from "../lib/metadata";
import { findMembership } from "./memberships";
import { isOrganizationDeleted } from "./organizations";
import { getUserByClerkId } from "./users";

/**
 * App admins (who may read the webhook event log and sync health) are Clerk users whose public
 * metadata holds `"rosterAdmin": true`. Only Clerk's dashboard or Backend API can set public
 * metadata, so users cannot make themselves admins.
 */
export const APP_ADMIN_METADATA_KEY = "rosterAdmin";

/** The signed-in caller's identity, or a ConvexError `{ code: "NOT_SIGNED_IN" }`. */
export async function requireIdentity(ctx: Pick<QueryCtx, "auth">): Promise<UserIdentity> {
  const identity = await ctx.auth.getUserIdentity();
  if (identity === null) throw new ConvexError({ code: "NOT_SIGNED_IN", message: "Sign in first." });
  return identity;
}

/** True for a user row whose public metadata marks them an app admin. */
export function isAppAdmin(user: Doc<"users"> | null): boolean {
  return user !== null && decodeMetadata(user.publicMetadata)[APP_ADMIN_METADATA_KEY] === true;
}

/** The caller, who must be an app admin; else a ConvexError `{ code: "NOT_AN_ADMIN" }`. */
export async function requireAppAdmin(ctx: QueryCtx): Promise<UserIdentity> {
  const identity = await requireIdentity(ctx);
  if (!isAppAdmin(await getUserByClerkId(ctx, identity.subject))) {
    throw new ConvexError({ code: "NOT_AN_ADMIN", message: "Only Roster's administrators can see this." });
  }
  return identity;
}

/** May this member see and manage the organization's memberships and invitations? */
export function canManageMembers(membership: Doc<"memberships">): boolean {
  return membership.role === "org:admin" || membership.permissions.includes("org:sys_memberships:manage");
}

/** May this member see the organization's domains? */
export function canReadDomains(membership: Doc<"memberships">): boolean {
  return (
    membership.role === "org:admin" ||
    membership.permissions.includes("org:sys_domains:read") ||
    membership.permissions.includes("org:sys_domains:manage")
  );
}

/**
 * The caller's membership in `organizationId` (Clerk's `org_…` id). Anyone else — signed out, not a
 * member, or the organization deleted — gets a ConvexError, never an empty answer.
 */
export async function requireMember(ctx: QueryCtx, organizationId: string): Promise<Doc<"memberships">> {
  const identity = await requireIdentity(ctx);
  const membership = await findMembership(ctx, organizationId, identity.subject);
  if (membership === null || (await isOrganizationDeleted(ctx, organizationId))) {
    throw new ConvexError({ code: "NOT_A_MEMBER", message: "You are not a member of this organization." });
  }
  return membership;
}

/** The caller's membership, which must pass `allowed`; else a ConvexError `{ code: "NOT_AN_ADMIN" }`. */
export async function requireOrgPermission(
  ctx: QueryCtx,
  organizationId: string,
  allowed: (membership: Doc<"memberships">) => boolean,
): Promise<Doc<"memberships">> {
  const membership = await requireMember(ctx, organizationId);
  if (!allowed(membership)) {
    throw new ConvexError({ code: "NOT_AN_ADMIN", message: "Only this organization's admins can see this." });
  }
  return membership;
}
