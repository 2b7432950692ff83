import type { UserIdentity } from "convex/server";
import { ConvexError } from "convex/values";
import type { Doc } from "../_generated/dataModel.js";
import type { QueryCtx } from "../_generated/server.js";
import { decodeMetadata } from "../lib/metadata.js";
import { findMembership } from "./memberships.js";
import { isOrganizationDeleted } from "./organizations.js";
import { currentRolePermissions } from "./roles.js";
import { getUserByClerkId, isUserDeleted } from "./users.js";

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

export const ADMIN_ROLE = "org:admin";
/** The Clerk system permissions Roster honours, as Clerk's own components do. */
export const PERMISSION = {
  readMembers: "org:sys_memberships:read",
  manageMembers: "org:sys_memberships:manage",
  readDomains: "org:sys_domains:read",
  manageDomains: "org:sys_domains:manage",
  manageProfile: "org:sys_profile:manage",
  deleteProfile: "org:sys_profile:delete",
} as const;

/** What a member may do in their organization, decided from their role as it is now. */
export type MemberAccess = {
  /** The permission keys the member's role grants (for `org:admin`, whatever Clerk lists). */
  permissions: string[];
  /** `org:admin`: every permission, whatever the role lists. */
  isAdmin: boolean;
  /** See the members list (`org:sys_memberships:read` or `:manage`). */
  canReadMembers: boolean;
  /** See and manage memberships and invitations, and invitees' addresses (`org:sys_memberships:manage`). */
  canManageMembers: boolean;
  /** See the domains (`org:sys_domains:read` or `:manage`). */
  canReadDomains: boolean;
  /** Add, verify, change and remove domains (`org:sys_domains:manage`). */
  canManageDomains: boolean;
  /** Rename the team, change its slug and logo (`org:sys_profile:manage`). */
  canManageProfile: boolean;
  /** Delete the team (`org:sys_profile:delete`; Clerk also asks that the instance allow it). */
  canDeleteTeam: boolean;
};
export type AccessCheck = "canReadMembers" | "canManageMembers" | "canReadDomains";

/**
 * The one place that decides what a member may do: the permissions their role holds now (kept by
 * `role.*` events, so a change applies at once to every holder); none from a key that names no
 * role Clerk has (a deleted role's, a key a role changed away from, or, once a backfill has listed
 * Clerk's roles, any key Roster does not know); the membership's copy only for a key Roster has
 * never seen before any listing. `org:admin` may do everything. Reads one role key (a few rows).
 */
export async function memberAccess(ctx: QueryCtx, membership: Doc<"memberships">): Promise<MemberAccess> {
  const permissions = (await currentRolePermissions(ctx, membership.role)) ?? membership.permissions;
  const isAdmin = membership.role === ADMIN_ROLE;
  const has = (...keys: string[]) => isAdmin || keys.some((key) => permissions.includes(key));
  return {
    permissions,
    isAdmin,
    canReadMembers: has(PERMISSION.readMembers, PERMISSION.manageMembers),
    canManageMembers: has(PERMISSION.manageMembers),
    canReadDomains: has(PERMISSION.readDomains, PERMISSION.manageDomains),
    canManageDomains: has(PERMISSION.manageDomains),
    canManageProfile: has(PERMISSION.manageProfile),
    canDeleteTeam: has(PERMISSION.deleteProfile),
  };
}

/**
 * The signed-in caller, whose account must not have been deleted (their token outlives
 * `user.deleted` by up to a minute, and their rows until the cascade has run): else a ConvexError
 * `{ code: "NOT_SIGNED_IN" }` or `{ code: "USER_DELETED" }`.
 */
export async function requireUser(ctx: QueryCtx): Promise<UserIdentity> {
  const identity = await requireIdentity(ctx);
  if (await isUserDeleted(ctx, identity.subject)) {
    throw new ConvexError({ code: "USER_DELETED", message: "This account has been deleted." });
  }
  return identity;
}

/**
 * The caller's membership in `organizationId` (Clerk's `org_…` id). Anyone else — signed out, not a
 * member, deleted, or the organization deleted — gets a ConvexError, never an empty answer. A
 * delete counts from the moment it is applied, before the cascade removes the rows.
 */
export async function requireMember(ctx: QueryCtx, organizationId: string): Promise<Doc<"memberships">> {
  const identity = await requireUser(ctx);
  const membership = await findMembership(ctx, organizationId, identity.subject);
  if (membership === null || (await isOrganizationDeleted(ctx, organizationId))) {
    throw new ConvexError({ code: "NOT_A_MEMBER", message: "You are not a member of this team." });
  }
  return membership;
}

const REFUSAL: Record<AccessCheck, string> = {
  canReadMembers: "Your role in this team may not see its members.",
  canManageMembers: "Only members who may manage this team's members can see this.",
  canReadDomains: "Only members who may read this team's domains can see this.",
};

/**
 * The caller's membership and access, which must allow `check`; else a ConvexError
 * `{ code: "NOT_AN_ADMIN" }` (or NOT_A_MEMBER / USER_DELETED from `requireMember`).
 */
export async function requireOrgAccess(
  ctx: QueryCtx,
  organizationId: string,
  check: AccessCheck,
): Promise<{ membership: Doc<"memberships">; access: MemberAccess }> {
  const membership = await requireMember(ctx, organizationId);
  const access = await memberAccess(ctx, membership);
  if (!access[check]) throw new ConvexError({ code: "NOT_AN_ADMIN", message: REFUSAL[check] });
  return { membership, access };
}
