/**
 * The team page's reads, Roster's side: what each query returns, shaped from the clerkSync
 * component's answers (one call per query for Clerk's data) and Roster's own tables (the
 * `teamMembers` projection the members list pages and searches, the activity feed).
 */
import type { PaginationOptions, PaginationResult } from "convex/server";
import { v, type Infer } from "convex/values";
import type { Doc } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { clerk } from "../clerk";
import { vActivityKind } from "../schema";
import { activityView } from "./activity";

const nullableString = v.union(v.string(), v.null());

/** The most a page, list or feed returns at once. */
export const MAX_PAGE_SIZE = 100;

/** `n` clamped to 1 … max (a missing or non-finite one is `fallback`). */
function clampCount(value: number | undefined, fallback: number, max: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.max(1, Math.min(Math.floor(value), max));
}

export const vMyOrganization = v.object({
  organizationId: v.string(),
  name: v.string(),
  slug: nullableString,
  imageUrl: nullableString,
  membersCount: v.union(v.number(), v.null()),
  role: v.string(),
  roleName: nullableString,
  isAdmin: v.boolean(),
});

export const vOrganizationDetails = v.object({
  organizationId: v.string(),
  name: v.string(),
  slug: nullableString,
  imageUrl: nullableString,
  membersCount: v.union(v.number(), v.null()),
  /** Public metadata as JSON text (keys Convex forbids survive). */
  publicMetadata: v.string(),
  viewer: v.object({
    /** The caller's Clerk user id (so a list can mark their own row). */
    userId: v.string(),
    role: v.string(),
    roleName: nullableString,
    permissions: v.array(v.string()),
    isAdmin: v.boolean(),
    canReadMembers: v.boolean(),
    canManageMembers: v.boolean(),
    canReadDomains: v.boolean(),
    canManageDomains: v.boolean(),
    canManageProfile: v.boolean(),
    canDeleteTeam: v.boolean(),
  }),
});
export type OrganizationDetails = Infer<typeof vOrganizationDetails>;

export const vMember = v.object({
  membershipId: v.string(),
  userId: v.string(),
  name: v.string(),
  identifier: nullableString,
  imageUrl: nullableString,
  role: v.string(),
  roleName: nullableString,
  /** The role key names no role Clerk has (deleted, renamed, or not in Clerk's list): it grants nothing. */
  roleUnknown: v.boolean(),
  isActive: v.boolean(),
});
export type Member = Infer<typeof vMember>;

export const vInvitation = v.object({
  invitationId: v.string(),
  emailAddress: nullableString,
  role: nullableString,
  roleName: nullableString,
  status: v.string(),
  invitedAt: v.number(),
});

export const vDomain = v.object({
  domainId: v.string(),
  name: v.string(),
  enrollmentMode: nullableString,
  verificationStatus: nullableString,
});

export const vActivityEntry = v.object({
  id: v.string(),
  kind: vActivityKind,
  userId: nullableString,
  subject: v.string(),
  role: nullableString,
  at: v.number(),
  /** Who acted, by name, when Roster knows and it was not the member (a removal). */
  actor: nullableString,
});

/** An organization as its member sees it, with what they may do there, or null when its row has not synced (one component call). */
export async function organizationDetails(
  ctx: QueryCtx,
  userId: string,
  organizationId: string,
): Promise<OrganizationDetails | null> {
  const { membership, access, organization } = await clerk.organization(ctx, { userId, organizationId });
  if (organization === null) return null;
  return {
    ...organization,
    viewer: {
      userId: membership.userId,
      role: membership.role,
      roleName: membership.roleName,
      permissions: access.permissions,
      isAdmin: access.isAdmin,
      canReadMembers: access.canReadMembers,
      canManageMembers: access.canManageMembers,
      canReadDomains: access.canReadDomains,
      canManageDomains: access.canManageDomains,
      canManageProfile: access.canManageProfile,
      canDeleteTeam: access.canDeleteTeam,
    },
  };
}

/** A member's name from their membership's public data (shown before their user row syncs). */
export function memberName(member: Pick<Doc<"teamMembers">, "publicUserData">): string {
  const { firstName, lastName, identifier } = member.publicUserData;
  const full = [firstName, lastName].filter((part) => part !== null && part.trim() !== "").join(" ");
  return full || identifier || "Unnamed user";
}

/**
 * One page of an organization's members, for `userId` who may read members: a page of Roster's
 * `teamMembers` projection (searched by name or email when `search` is given), then ONE component
 * call for the page's user rows, active sessions and role standing (a user read and ≤ 3 session
 * reads per member, each role key once) that also checks the caller's access.
 */
export async function membersPage(
  ctx: QueryCtx,
  userId: string,
  organizationId: string,
  paginationOpts: PaginationOptions,
  search: string | undefined,
): Promise<PaginationResult<Member>> {
  const opts = { ...paginationOpts, numItems: clampCount(paginationOpts.numItems, 1, MAX_PAGE_SIZE) };
  const term = search?.trim().toLowerCase() ?? "";
  const page =
    term === ""
      ? await ctx.db
          .query("teamMembers")
          .withIndex("by_organization_and_user", (q) => q.eq("organizationId", organizationId))
          .paginate(opts)
      : await ctx.db
          .query("teamMembers")
          .withSearchIndex("search_members", (q) => q.search("searchText", term).eq("organizationId", organizationId))
          .paginate(opts);
  const { members, unknownRoles } = await clerk.memberDetails(ctx, {
    userId,
    organizationId,
    members: page.page.map((member) => ({ userId: member.userId, role: member.role })),
  });
  const details = new Map(members.map((member) => [member.userId, member]));
  const unknown = new Set(unknownRoles);
  return {
    ...page,
    page: page.page.map((member) => {
      const found = details.get(member.userId);
      return {
        membershipId: member.membershipId,
        userId: member.userId,
        name: found?.name ?? memberName(member),
        identifier: found?.identifier ?? member.publicUserData.identifier,
        imageUrl: found?.imageUrl ?? member.publicUserData.imageUrl,
        role: member.role,
        roleName: member.roleName,
        roleUnknown: unknown.has(member.role),
        isActive: found?.isActive ?? false,
      };
    }),
  };
}

/** An actor Roster cannot name (no user row: not synced yet, or the account is deleted). */
const ANOTHER_MEMBER = "another member";

/**
 * The newest `limit` activity entries (default 20, at most 100): invitees' addresses only for
 * `canSeeAddresses` (members who may manage members), never a member's address. Actors are named
 * from their user rows now (a rename shows, a deleted account does not) in ONE component call.
 */
export async function organizationActivity(
  ctx: QueryCtx,
  organizationId: string,
  limit: number | undefined,
  canSeeAddresses: boolean,
): Promise<Array<Infer<typeof vActivityEntry>>> {
  const rows = await ctx.db
    .query("activity")
    .withIndex("by_organization_and_at", (q) => q.eq("organizationId", organizationId))
    .order("desc")
    .take(clampCount(limit, 20, MAX_PAGE_SIZE));
  const views = rows.map((row) => activityView(row, canSeeAddresses));
  const actorIds = [...new Set(views.flatMap(({ actorId }) => (actorId === null ? [] : [actorId])))];
  const actors = new Map<string, string>();
  if (actorIds.length > 0)
    for (const user of await clerk.getUsers(ctx, { clerkIds: actorIds })) {
      // A name only, never an address (the feed shows no member's address).
      const full = [user.firstName, user.lastName].filter((part) => part !== null && part.trim() !== "").join(" ");
      actors.set(user.clerkId, full || user.username || ANOTHER_MEMBER);
    }
  return views.map(({ actorId, ...entry }) => ({
    ...entry,
    actor: actorId === null ? null : (actors.get(actorId) ?? ANOTHER_MEMBER),
  }));
}
