import type { Doc } from "../_generated/dataModel.js";
import type { QueryCtx } from "../_generated/server.js";
import { findMembership } from "./memberships.js";
import { isOrganizationDeleted } from "./organizations.js";
import { currentRolePermissions } from "./roles.js";
import { isUserDeleted } from "./users.js";

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

/** Why a member check refused: the codes apps show (their client throws them as a ConvexError). */
export type Refusal = { code: "USER_DELETED" | "NOT_A_MEMBER" | "NOT_AN_ADMIN"; message: string };
/** A member check that passed: the membership and what its role allows now. */
export type Granted = { membership: Doc<"memberships">; access: MemberAccess };

const REFUSAL: Record<AccessCheck, string> = {
  canReadMembers: "Your role in this team may not see its members.",
  canManageMembers: "Only members who may manage this team's members can see this.",
  canReadDomains: "Only members who may read this team's domains can see this.",
};

/**
 * `userId`'s membership in `organizationId` (Clerk's `org_…` id), or why not: the user deleted
 * (USER_DELETED), no membership, or the organization deleted (NOT_A_MEMBER). A delete counts from
 * the moment it is applied, before the cascade removes the rows. Three index reads.
 */
export async function membershipOf(
  ctx: QueryCtx,
  userId: string,
  organizationId: string,
): Promise<Doc<"memberships"> | { refused: Refusal }> {
  if (await isUserDeleted(ctx, userId))
    return { refused: { code: "USER_DELETED", message: "This account has been deleted." } };
  const membership = await findMembership(ctx, organizationId, userId);
  if (membership === null || (await isOrganizationDeleted(ctx, organizationId)))
    return { refused: { code: "NOT_A_MEMBER", message: "You are not a member of this team." } };
  return membership;
}

/**
 * The one member check (the app hands over who asks: a component cannot read `ctx.auth`):
 * `userId`'s membership and what their role allows now, which must allow `check` when given (else
 * NOT_AN_ADMIN); or `membershipOf`'s refusal.
 */
export async function memberStanding(
  ctx: QueryCtx,
  userId: string,
  organizationId: string,
  check?: AccessCheck,
): Promise<Granted | { refused: Refusal }> {
  const membership = await membershipOf(ctx, userId, organizationId);
  if ("refused" in membership) return membership;
  const access = await memberAccess(ctx, membership);
  if (check !== undefined && !access[check]) return { refused: { code: "NOT_AN_ADMIN", message: REFUSAL[check] } };
  return { membership, access };
}
