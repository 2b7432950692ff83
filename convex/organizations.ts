import { paginationOptsValidator, paginationResultValidator } from "convex/server";
import { ConvexError, v } from "convex/values";
import { query } from "./_generated/server";
import { memberAccess, requireMember, requireOrgAccess } from "./model/access";
import { keeperStanding } from "./model/keepers";
import { isUserDeleted } from "./model/users";
import { MAX_CHECKED_ADDRESSES, memberAddresses } from "./model/myInvitations";
import {
  membersPage,
  organizationActivity,
  organizationDomains,
  pendingInvitations,
  vActivityEntry,
  vDomain,
  vInvitation,
  vMember,
  vMyOrganization,
  vOrganizationDetails,
  organizationsOf,
  organizationDetails,
} from "./model/teams";

/** The organizations the caller belongs to, with the caller's role ([] when signed out). */
export const listMine = query({
  args: {},
  returns: v.array(vMyOrganization),
  handler: async (ctx) => {
    const identity = await ctx.auth.getUserIdentity();
    if (identity === null || (await isUserDeleted(ctx, identity.subject))) return [];
    return await organizationsOf(ctx, identity.subject);
  },
});

/** One organization, for its members only. */
export const get = query({
  args: { organizationId: v.string() },
  returns: vOrganizationDetails,
  handler: async (ctx, { organizationId }) => {
    const membership = await requireMember(ctx, organizationId);
    const details = await organizationDetails(ctx, membership, await memberAccess(ctx, membership));
    if (details === null)
      throw new ConvexError({ code: "NOT_FOUND", message: "This organization has not synced from Clerk yet." });
    return details;
  },
});

/** One page of an organization's members, optionally searched by name or email; for members who may read members. */
export const members = query({
  args: { organizationId: v.string(), paginationOpts: paginationOptsValidator, search: v.optional(v.string()) },
  returns: paginationResultValidator(vMember),
  handler: async (ctx, { organizationId, paginationOpts, search }) => {
    await requireOrgAccess(ctx, organizationId, "canReadMembers");
    return await membersPage(ctx, organizationId, paginationOpts, search);
  },
});

/** The organization's pending invitations; for members who may manage memberships. */
export const invitations = query({
  args: { organizationId: v.string() },
  returns: v.array(vInvitation),
  handler: async (ctx, { organizationId }) => {
    await requireOrgAccess(ctx, organizationId, "canManageMembers");
    return await pendingInvitations(ctx, organizationId);
  },
});

/**
 * Which of `emailAddresses` already belong to a member (by their primary address), for the invite
 * form; for members who may manage memberships. At most MAX_CHECKED_ADDRESSES addresses.
 */
export const memberAddressesAmong = query({
  args: { organizationId: v.string(), emailAddresses: v.array(v.string()) },
  returns: v.array(v.string()),
  handler: async (ctx, { organizationId, emailAddresses }) => {
    await requireOrgAccess(ctx, organizationId, "canManageMembers");
    if (emailAddresses.length > MAX_CHECKED_ADDRESSES)
      throw new ConvexError({
        code: "TOO_MANY_ADDRESSES",
        message: `Check at most ${MAX_CHECKED_ADDRESSES} addresses at once.`,
      });
    return await memberAddresses(ctx, organizationId, emailAddresses);
  },
});

/** The organization's domains; for members who may read domains. */
export const domains = query({
  args: { organizationId: v.string() },
  returns: v.array(vDomain),
  handler: async (ctx, { organizationId }) => {
    await requireOrgAccess(ctx, organizationId, "canReadDomains");
    return await organizationDomains(ctx, organizationId);
  },
});

/** The organization's recent activity, newest first; members only, invitees' addresses for those who may manage members. */
export const activity = query({
  args: { organizationId: v.string(), limit: v.optional(v.number()) },
  returns: v.array(vActivityEntry),
  handler: async (ctx, { organizationId, limit }) => {
    const membership = await requireMember(ctx, organizationId);
    const { canManageMembers } = await memberAccess(ctx, membership);
    return await organizationActivity(ctx, organizationId, limit, canManageMembers);
  },
});

/**
 * Who keeps the team (model/keepers.ts): the roles that carry the permissions Clerk insists someone
 * keeps, and the sole holder when there is one — named to members who may read members, and to
 * that holder themselves; members only.
 */
export const keepers = query({
  args: { organizationId: v.string() },
  returns: v.object({
    keeperRoles: v.array(v.string()),
    soleKeeperId: v.union(v.string(), v.null()),
    orphaned: v.boolean(),
  }),
  handler: async (ctx, { organizationId }) => {
    const membership = await requireMember(ctx, organizationId);
    const { canReadMembers } = await memberAccess(ctx, membership);
    const standing = await keeperStanding(ctx, organizationId);
    const shown = canReadMembers || standing.soleKeeperId === membership.userId;
    return { ...standing, soleKeeperId: shown ? standing.soleKeeperId : null };
  },
});
