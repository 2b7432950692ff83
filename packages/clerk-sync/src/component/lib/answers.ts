/**
 * What some of the component's reads answer (reads.ts), as validators: the app returns these
 * answers from its own functions, so the client exports them for the app's `returns` (none holds
 * an id, so they cross the boundary as they are).
 */
import { v } from "convex/values";

const nullableString = v.union(v.string(), v.null());

/** An organization a user belongs to, with their role there (`organizationsOf`). */
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

/** A pending invitation of an organization (`pendingInvitations`). */
export const vInvitation = v.object({
  invitationId: v.string(),
  emailAddress: nullableString,
  role: nullableString,
  roleName: nullableString,
  status: v.string(),
  invitedAt: v.number(),
});

/** A domain of an organization (`domains`). */
export const vDomain = v.object({
  domainId: v.string(),
  name: v.string(),
  enrollmentMode: nullableString,
  verificationStatus: nullableString,
});

/** An invitation made out to one of a user's verified addresses (`invitationsFor`). */
export const vUserInvitation = v.object({
  invitationId: v.string(),
  organizationId: v.string(),
  /** The team's name, or null while it has not synced. */
  organizationName: nullableString,
  organizationImageUrl: nullableString,
  emailAddress: v.string(),
  role: nullableString,
  roleName: nullableString,
  invitedAt: v.number(),
});

/** What a member may do in their organization, decided from their role as it is now (`access`). */
export const vMemberAccess = v.object({
  permissions: v.array(v.string()),
  isAdmin: v.boolean(),
  canReadMembers: v.boolean(),
  canManageMembers: v.boolean(),
  canReadDomains: v.boolean(),
  canManageDomains: v.boolean(),
  canManageProfile: v.boolean(),
  canDeleteTeam: v.boolean(),
});

/** An organization as its members see it (`organization`). */
export const vOrganization = v.object({
  organizationId: v.string(),
  name: v.string(),
  slug: nullableString,
  imageUrl: nullableString,
  /** The exact count (model/memberCount.ts). */
  membersCount: v.union(v.number(), v.null()),
  /** Public metadata as JSON text (keys Convex forbids survive). */
  publicMetadata: v.string(),
});
