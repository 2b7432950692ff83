import type { PaginationOptions, PaginationResult } from "convex/server";
import { v, type Infer } from "convex/values";
import type { Doc } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { clampCount } from "../lib/bounded";
import { vActivityKind } from "../schema";
import { activityView } from "./activity";
import { ADMIN_ROLE, type MemberAccess } from "./access";
import { countMembers } from "./memberCount";
import { memberName } from "./memberships";
import { getOrganizationByClerkId } from "./organizations";
import { roleStanding } from "./roles";
import { hasActiveSession } from "./sessions";
import { displayName, getUserByClerkId, personName } from "./users";

const nullableString = v.union(v.string(), v.null());

/** The most a page, list or feed returns at once. */
export const MAX_PAGE_SIZE = 100;

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

/** The organizations a user belongs to, with their role; organizations not (or no longer) synced are left out. */
export async function organizationsOf(ctx: QueryCtx, userId: string): Promise<Array<Infer<typeof vMyOrganization>>> {
  const memberships = await ctx.db
    .query("memberships")
    .withIndex("by_user", (q) => q.eq("userId", userId))
    .take(MAX_PAGE_SIZE);
  const result = [];
  for (const membership of memberships) {
    const organization = await getOrganizationByClerkId(ctx, membership.organizationId);
    if (organization === null) continue;
    result.push({
      organizationId: organization.clerkId,
      name: organization.name,
      slug: organization.slug,
      imageUrl: organization.imageUrl,
      membersCount: await countMembers(ctx, organization.clerkId),
      role: membership.role,
      roleName: membership.roleName,
      isAdmin: membership.role === "org:admin",
    });
  }
  return result.sort((a, b) => a.name.localeCompare(b.name));
}

/** An organization as its member sees it, with what they may do there, or null when its row has not synced. */
export async function organizationDetails(
  ctx: QueryCtx,
  viewer: Doc<"memberships">,
  access: MemberAccess,
): Promise<Infer<typeof vOrganizationDetails> | null> {
  const organization = await getOrganizationByClerkId(ctx, viewer.organizationId);
  if (organization === null) return null;
  return {
    organizationId: organization.clerkId,
    name: organization.name,
    slug: organization.slug,
    imageUrl: organization.imageUrl,
    membersCount: await countMembers(ctx, organization.clerkId),
    publicMetadata: organization.publicMetadata,
    viewer: {
      userId: viewer.userId,
      role: viewer.role,
      roleName: viewer.roleName,
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

/**
 * A member as the members list shows them: their synced user row when there is one, else the
 * membership's public data. `roleUnknown`: their role key names no role Clerk has (`roleStanding`).
 */
export async function memberView(ctx: QueryCtx, membership: Doc<"memberships">, roleUnknown: boolean): Promise<Member> {
  const user = await getUserByClerkId(ctx, membership.userId);
  return {
    membershipId: membership.clerkId,
    userId: membership.userId,
    name: user ? displayName(user, memberName(membership)) : memberName(membership),
    identifier: user?.email ?? user?.phone ?? user?.username ?? membership.publicUserData.identifier,
    imageUrl: user?.imageUrl ?? membership.publicUserData.imageUrl,
    role: membership.role,
    roleName: membership.roleName,
    roleUnknown,
    isActive: await hasActiveSession(ctx, membership.userId, Date.now()),
  };
}

/**
 * One page of an organization's members: reads the page's memberships and, per member, one user
 * row and one session — O(page size), whatever the organization's size — and each role key of the
 * page once.
 */
export async function membersPage(
  ctx: QueryCtx,
  organizationId: string,
  paginationOpts: PaginationOptions,
  search: string | undefined,
): Promise<PaginationResult<Member>> {
  const opts = { ...paginationOpts, numItems: clampCount(paginationOpts.numItems, 1, MAX_PAGE_SIZE) };
  const term = search?.trim().toLowerCase() ?? "";
  const page =
    term === ""
      ? await ctx.db
          .query("memberships")
          .withIndex("by_organization_and_user", (q) => q.eq("organizationId", organizationId))
          .paginate(opts)
      : await ctx.db
          .query("memberships")
          .withSearchIndex("search_members", (q) => q.search("searchText", term).eq("organizationId", organizationId))
          .paginate(opts);
  // `org:admin` grants everything, whatever Clerk lists (model/access.ts): never unknown.
  const unknownRoles = new Map<string, boolean>([[ADMIN_ROLE, false]]);
  const members = [];
  for (const membership of page.page) {
    if (!unknownRoles.has(membership.role))
      unknownRoles.set(membership.role, (await roleStanding(ctx, membership.role)).unknown);
    members.push(await memberView(ctx, membership, unknownRoles.get(membership.role) === true));
  }
  return { ...page, page: members };
}

/** Pending invitations, newest first. */
export async function pendingInvitations(
  ctx: QueryCtx,
  organizationId: string,
): Promise<Array<Infer<typeof vInvitation>>> {
  const rows = await ctx.db
    .query("organizationInvitations")
    .withIndex("by_organization_and_status", (q) => q.eq("organizationId", organizationId).eq("status", "pending"))
    .take(MAX_PAGE_SIZE);
  return rows
    .map((row) => ({
      invitationId: row.clerkId,
      emailAddress: row.emailAddress,
      role: row.role,
      roleName: row.roleName,
      status: row.status,
      invitedAt: row.clerkVersion,
    }))
    .sort((a, b) => b.invitedAt - a.invitedAt);
}

/** The organization's domains, by name. */
export async function organizationDomains(
  ctx: QueryCtx,
  organizationId: string,
): Promise<Array<Infer<typeof vDomain>>> {
  const rows = await ctx.db
    .query("organizationDomains")
    .withIndex("by_organization", (q) => q.eq("organizationId", organizationId))
    .take(MAX_PAGE_SIZE);
  return rows
    .map((row) => ({
      domainId: row.clerkId,
      name: row.name,
      enrollmentMode: row.enrollmentMode,
      verificationStatus: row.verificationStatus,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The newest `limit` activity entries (default 20, at most 100): invitees' addresses only for
 * `canSeeAddresses` (members who may manage members), never a member's address.
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
  // Each actor's name once (their user row now: a rename shows, a deleted account does not).
  const actors = new Map<string, string>();
  const entries = [];
  for (const row of rows) {
    const { actorId, ...entry } = activityView(row, canSeeAddresses);
    if (actorId !== null && !actors.has(actorId)) {
      const user = await getUserByClerkId(ctx, actorId);
      // A name only, never an address (the feed shows no member's address).
      actors.set(actorId, (user === null ? null : (personName(user) ?? user.username)) ?? ANOTHER_MEMBER);
    }
    entries.push({ ...entry, actor: actorId === null ? null : (actors.get(actorId) ?? ANOTHER_MEMBER) });
  }
  return entries;
}

/** An actor Roster cannot name (no user row: not synced yet, or the account is deleted). */
const ANOTHER_MEMBER = "another member";
