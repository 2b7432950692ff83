import { paginationOptsValidator, paginationResultValidator } from "convex/server";
import { ConvexError, v } from "convex/values";
import { query } from "./_generated/server";
import { clerk } from "./clerk";
import { requireIdentity } from "./model/access";
import { MAX_CHECKED_ADDRESSES } from "./model/myInvitations";
import {
  membersPage,
  organizationActivity,
  organizationDetails,
  vActivityEntry,
  vDomain,
  vInvitation,
  vMember,
  vMyOrganization,
  vOrganizationDetails,
} from "./model/teams";

// Each query reads Clerk's data in at most two clerkSync calls, the access check folded into the
// data call (a refusal is the ConvexError NOT_SIGNED_IN, USER_DELETED, NOT_A_MEMBER or NOT_AN_ADMIN).

/** The organizations the caller belongs to, with the caller's role ([] when signed out or deleted). One component call. */
export const listMine = query({
  args: {},
  returns: v.array(vMyOrganization),
  handler: async (ctx) => {
    const identity = await ctx.auth.getUserIdentity();
    if (identity === null) return [];
    return await clerk.organizationsOf(ctx, { userId: identity.subject });
  },
});

/** One organization, for its members only. One component call. */
export const get = query({
  args: { organizationId: v.string() },
  returns: vOrganizationDetails,
  handler: async (ctx, { organizationId }) => {
    const identity = await requireIdentity(ctx);
    const details = await organizationDetails(ctx, identity.subject, organizationId);
    if (details === null)
      throw new ConvexError({ code: "NOT_FOUND", message: "This organization has not synced from Clerk yet." });
    return details;
  },
});

/**
 * One page of an organization's members, optionally searched by name or email; for members who
 * may read members. Roster's own `teamMembers` page, then one component call for its details.
 */
export const members = query({
  args: { organizationId: v.string(), paginationOpts: paginationOptsValidator, search: v.optional(v.string()) },
  returns: paginationResultValidator(vMember),
  handler: async (ctx, { organizationId, paginationOpts, search }) => {
    const identity = await requireIdentity(ctx);
    return await membersPage(ctx, identity.subject, organizationId, paginationOpts, search);
  },
});

/** The organization's pending invitations; for members who may manage memberships. One component call. */
export const invitations = query({
  args: { organizationId: v.string() },
  returns: v.array(vInvitation),
  handler: async (ctx, { organizationId }) => {
    const identity = await requireIdentity(ctx);
    return await clerk.pendingInvitations(ctx, { userId: identity.subject, organizationId });
  },
});

/**
 * Which of `emailAddresses` already belong to a member (by their primary address), for the invite
 * form; for members who may manage memberships. At most MAX_CHECKED_ADDRESSES addresses. One component call.
 */
export const memberAddressesAmong = query({
  args: { organizationId: v.string(), emailAddresses: v.array(v.string()) },
  returns: v.array(v.string()),
  handler: async (ctx, { organizationId, emailAddresses }) => {
    const identity = await requireIdentity(ctx);
    if (emailAddresses.length > MAX_CHECKED_ADDRESSES) {
      // Who may ask is decided first, as before: a refusal, then the size.
      await clerk.access(ctx, { userId: identity.subject, organizationId, permission: "canManageMembers" });
      throw new ConvexError({
        code: "TOO_MANY_ADDRESSES",
        message: `Check at most ${MAX_CHECKED_ADDRESSES} addresses at once.`,
      });
    }
    return await clerk.memberAddresses(ctx, { userId: identity.subject, organizationId, emailAddresses });
  },
});

/** The organization's domains; for members who may read domains. One component call. */
export const domains = query({
  args: { organizationId: v.string() },
  returns: v.array(vDomain),
  handler: async (ctx, { organizationId }) => {
    const identity = await requireIdentity(ctx);
    return await clerk.domains(ctx, { userId: identity.subject, organizationId });
  },
});

/**
 * The organization's recent activity, newest first; members only, invitees' addresses for those
 * who may manage members. Two component calls: the access check, the actors' names.
 */
export const activity = query({
  args: { organizationId: v.string(), limit: v.optional(v.number()) },
  returns: v.array(vActivityEntry),
  handler: async (ctx, { organizationId, limit }) => {
    const identity = await requireIdentity(ctx);
    const { access } = await clerk.access(ctx, { userId: identity.subject, organizationId });
    return await organizationActivity(ctx, organizationId, limit, access.canManageMembers);
  },
});

/**
 * Who keeps the team (the component's model/keepers.ts): the roles that carry the permissions
 * Clerk insists someone keeps, and the sole holder when there is one — named to members who may
 * read members, and to that holder themselves; members only. One component call.
 */
export const keepers = query({
  args: { organizationId: v.string() },
  returns: v.object({
    keeperRoles: v.array(v.string()),
    soleKeeperId: v.union(v.string(), v.null()),
    orphaned: v.boolean(),
  }),
  handler: async (ctx, { organizationId }) => {
    const identity = await requireIdentity(ctx);
    const { membership, access, standing } = await clerk.keepers(ctx, { userId: identity.subject, organizationId });
    const shown = access.canReadMembers || standing.soleKeeperId === membership.userId;
    return { ...standing, soleKeeperId: shown ? standing.soleKeeperId : null };
  },
});
