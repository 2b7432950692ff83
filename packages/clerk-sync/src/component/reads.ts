/**
 * The component's read API: what an app asks of Clerk's synced data, each question one call. None
 * of these reads `ctx.auth` (a component cannot): the app passes who is asking (the identity's
 * subject and claims, or a user id it took from them). Who may see what is the app's decision;
 * these answer membership, role and live permissions so it can decide in the same call.
 *
 * Refusals come back as values (`{ refused: { code, message } }`), not throws, so the app's client
 * turns them into its own ConvexError with the codes its UI already knows.
 */
import { v, type Infer } from "convex/values";
import type { Doc } from "./_generated/dataModel.js";
import { query, type QueryCtx } from "./_generated/server.js";
import { memberAccess, type AccessCheck, type MemberAccess } from "./model/access.js";
import { keeperStanding, wouldOrphan } from "./model/keepers.js";
import { countMembers } from "./model/memberCount.js";
import { findMembership } from "./model/memberships.js";
import { getOrganizationByClerkId, isOrganizationDeleted } from "./model/organizations.js";
import { roleStanding } from "./model/roles.js";
import { hasActiveSession } from "./model/sessions.js";
import { displayName, getUserByClerkId, isUserDeleted, MAX_VERIFIED_EMAILS, userFromIdentity } from "./model/users.js";
import { clerkUserFields } from "./schema.js";

const nullableString = v.union(v.string(), v.null());

/** The most ids, rows or addresses one read takes or returns (a page, a list). */
export const MAX_BATCH = 100;
/** The most pending invitations listed for one user. */
export const MAX_MY_INVITATIONS = 50;
/** The most addresses one "already a member?" check takes (the invite form's batch). */
export const MAX_CHECKED_ADDRESSES = 20;

// ---- Shapes ----

/** The identity claims the app hands over (from `ctx.auth.getUserIdentity()`), for the fallback. */
export const vClaims = v.object({
  email: v.optional(v.string()),
  emailVerified: v.optional(v.boolean()),
  phoneNumber: v.optional(v.string()),
  nickname: v.optional(v.string()),
  givenName: v.optional(v.string()),
  familyName: v.optional(v.string()),
  pictureUrl: v.optional(v.string()),
  name: v.optional(v.string()),
});
export type Claims = Infer<typeof vClaims>;

const { verifiedEmails: _verifiedEmails, ...userFields } = clerkUserFields;

/** A user as the component has them (no Convex ids). */
export const vUser = v.object({ clerkId: v.string(), ...userFields });

/** The signed-in user: their synced row, or (before `user.created` lands) what their token says. */
export const vAuthUser = v.object({
  clerkId: v.string(),
  ...userFields,
  /** The addresses Clerk verified (from the row; before it, the token's address when the token says verified). */
  verifiedEmails: v.array(v.string()),
  /** True once Clerk's user has arrived (a row at a real version). */
  synced: v.boolean(),
  /** `user.deleted` has arrived: the token outlives it by up to a minute; treat them as gone. */
  deleted: v.boolean(),
});
export type AuthUser = Infer<typeof vAuthUser>;

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

/** Which of the member's abilities a read needs (model/access.ts `AccessCheck`). */
export const vPermission = v.union(
  v.literal("canReadMembers"),
  v.literal("canManageMembers"),
  v.literal("canReadDomains"),
);

/** The caller's membership as `access` answers it. */
export const vMembership = v.object({
  membershipId: v.string(),
  organizationId: v.string(),
  userId: v.string(),
  role: v.string(),
  roleName: nullableString,
});

export const vRefusal = v.object({
  code: v.union(v.literal("USER_DELETED"), v.literal("NOT_A_MEMBER"), v.literal("NOT_AN_ADMIN")),
  message: v.string(),
});
export type Refusal = Infer<typeof vRefusal>;

/** A refusal, or what was asked for with the caller's membership and access. */
function orRefusal<T extends ReturnType<typeof v.object>>(answer: T) {
  return v.union(v.object({ refused: vRefusal }), answer);
}

export const vAccess = v.object({ membership: vMembership, access: vMemberAccess });

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

/** What the members list shows of one member beyond their membership. */
export const vMemberDetails = v.object({
  userId: v.string(),
  /** Their name as their synced user row gives it, or null (no row yet, or nothing to name them by). */
  name: nullableString,
  identifier: nullableString,
  imageUrl: nullableString,
  isActive: v.boolean(),
});

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

export const vKeeperStanding = v.object({
  keeperRoles: v.array(v.string()),
  soleKeeperId: nullableString,
  orphaned: v.boolean(),
});

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

// ---- Helpers ----

function authUserOf(subject: string, row: Doc<"users"> | null, claims: Claims, deleted: boolean): AuthUser {
  const fallback = userFromIdentity({ tokenIdentifier: "", subject, issuer: "", ...claims });
  const fields = row === null ? fallback : row;
  return {
    clerkId: subject,
    email: fields.email,
    phone: fields.phone,
    username: fields.username,
    firstName: fields.firstName,
    lastName: fields.lastName,
    imageUrl: fields.imageUrl,
    publicMetadata: fields.publicMetadata,
    verifiedEmails: verifiedAddresses(row, claims),
    synced: row !== null && row.clerkVersion > 0,
    deleted,
  };
}

/**
 * The addresses an invitation may be matched on (an unverified address could be anyone's): from
 * Clerk's user when it has arrived; before that, the token's address only if the token says Clerk
 * verified it.
 */
function verifiedAddresses(row: Doc<"users"> | null, claims: Claims): string[] {
  if (row !== null && row.verifiedEmails !== undefined) return row.verifiedEmails.slice(0, MAX_VERIFIED_EMAILS);
  if (claims.emailVerified === true && typeof claims.email === "string" && claims.email.trim() !== "")
    return [claims.email.trim().toLowerCase()];
  return [];
}

const REFUSAL: Record<AccessCheck, string> = {
  canReadMembers: "Your role in this team may not see its members.",
  canManageMembers: "Only members who may manage this team's members can see this.",
  canReadDomains: "Only members who may read this team's domains can see this.",
};

type Granted = { membership: Doc<"memberships">; access: MemberAccess };

/**
 * The one place a read decides membership: the user not deleted, a membership in a live
 * organization, and (when asked) the ability `permission` from the role's permissions now. A few
 * index reads: the user's tombstone, the membership, the organization's tombstone, the role key.
 */
async function grant(
  ctx: QueryCtx,
  userId: string,
  organizationId: string,
  permission?: AccessCheck,
): Promise<Granted | { refused: Refusal }> {
  if (await isUserDeleted(ctx, userId))
    return { refused: { code: "USER_DELETED", message: "This account has been deleted." } };
  const membership = await findMembership(ctx, organizationId, userId);
  if (membership === null || (await isOrganizationDeleted(ctx, organizationId)))
    return { refused: { code: "NOT_A_MEMBER", message: "You are not a member of this team." } };
  const access = await memberAccess(ctx, membership);
  if (permission !== undefined && !access[permission])
    return { refused: { code: "NOT_AN_ADMIN", message: REFUSAL[permission] } };
  return { membership, access };
}

function accessView({ membership, access }: Granted): Infer<typeof vAccess> {
  return {
    membership: {
      membershipId: membership.clerkId,
      organizationId: membership.organizationId,
      userId: membership.userId,
      role: membership.role,
      roleName: membership.roleName,
    },
    access: { ...access, permissions: [...access.permissions] },
  };
}

function userView(row: Doc<"users">): Infer<typeof vUser> {
  return {
    clerkId: row.clerkId,
    email: row.email,
    phone: row.phone,
    username: row.username,
    firstName: row.firstName,
    lastName: row.lastName,
    imageUrl: row.imageUrl,
    publicMetadata: row.publicMetadata,
  };
}

/** Distinct, at most MAX_BATCH. */
function bounded(ids: string[], max = MAX_BATCH): string[] {
  return [...new Set(ids)].slice(0, max);
}

// ---- Public reads ----

/**
 * The signed-in user: their row, or, before Clerk's `user.created` lands, the fields their token's
 * claims give (`synced: false`); `deleted` once `user.deleted` has arrived. Two index reads.
 */
export const getAuthUser = query({
  args: { subject: v.string(), claims: vClaims },
  returns: vAuthUser,
  handler: async (ctx, { subject, claims }) => {
    const deleted = await isUserDeleted(ctx, subject);
    const row = deleted ? null : await getUserByClerkId(ctx, subject);
    return authUserOf(subject, row, claims, deleted);
  },
});

/**
 * Whether `userId` is a member of `organizationId` (not deleted, the organization not deleted),
 * with their role and what it lets them do now; with `permission`, refused (NOT_AN_ADMIN) unless
 * it allows that.
 */
export const access = query({
  args: { userId: v.string(), organizationId: v.string(), permission: v.optional(vPermission) },
  returns: orRefusal(vAccess),
  handler: async (ctx, { userId, organizationId, permission }) => {
    const granted = await grant(ctx, userId, organizationId, permission);
    return "refused" in granted ? granted : accessView(granted);
  },
});

/** The synced users among `clerkIds` (at most MAX_BATCH, each once), in order; an id with no row is left out. */
export const getUsers = query({
  args: { clerkIds: v.array(v.string()) },
  returns: v.array(vUser),
  handler: async (ctx, { clerkIds }) => {
    const users = [];
    for (const clerkId of bounded(clerkIds)) {
      const row = await getUserByClerkId(ctx, clerkId);
      if (row !== null) users.push(userView(row));
    }
    return users;
  },
});

/**
 * The organizations `userId` belongs to (at most MAX_BATCH), with their role and the exact member
 * count, by name; organizations not (or no longer) synced are left out; [] for a deleted user.
 */
export const organizationsOf = query({
  args: { userId: v.string() },
  returns: v.array(vMyOrganization),
  handler: async (ctx, { userId }) => {
    if (await isUserDeleted(ctx, userId)) return [];
    const memberships = await ctx.db
      .query("memberships")
      .withIndex("by_user", (q) => q.eq("userId", userId))
      .take(MAX_BATCH);
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
  },
});

/** One organization for its member `userId`: their access, and the organization (null until it syncs). */
export const organization = query({
  args: { userId: v.string(), organizationId: v.string() },
  returns: orRefusal(v.object({ ...vAccess.fields, organization: v.union(vOrganization, v.null()) })),
  handler: async (ctx, { userId, organizationId }) => {
    const granted = await grant(ctx, userId, organizationId);
    if ("refused" in granted) return granted;
    const row = await getOrganizationByClerkId(ctx, organizationId);
    return {
      ...accessView(granted),
      organization:
        row === null
          ? null
          : {
              organizationId: row.clerkId,
              name: row.name,
              slug: row.slug,
              imageUrl: row.imageUrl,
              membersCount: await countMembers(ctx, row.clerkId),
              publicMetadata: row.publicMetadata,
            },
    };
  },
});

/**
 * What the members list shows of a page of members (the app pages its own projection): per
 * `members` entry (at most MAX_BATCH) the user row's name, identifier and image and whether they
 * have an active session (a user read and at most three session index reads each), and which of
 * the page's role keys name no role Clerk has (each key once). For `userId` who may read members.
 */
export const memberDetails = query({
  args: {
    userId: v.string(),
    organizationId: v.string(),
    members: v.array(v.object({ userId: v.string(), role: v.string() })),
  },
  returns: orRefusal(
    v.object({ ...vAccess.fields, members: v.array(vMemberDetails), unknownRoles: v.array(v.string()) }),
  ),
  handler: async (ctx, { userId, organizationId, members }) => {
    const granted = await grant(ctx, userId, organizationId, "canReadMembers");
    if ("refused" in granted) return granted;
    const now = Date.now();
    const details = [];
    for (const memberId of bounded(members.map((member) => member.userId))) {
      const user = await getUserByClerkId(ctx, memberId);
      details.push({
        userId: memberId,
        name: user === null ? null : displayName(user, "") || null,
        identifier: user === null ? null : (user.email ?? user.phone ?? user.username),
        imageUrl: user?.imageUrl ?? null,
        isActive: await hasActiveSession(ctx, memberId, now),
      });
    }
    // `org:admin` grants everything, whatever Clerk lists (model/access.ts): never unknown.
    const unknownRoles = [];
    for (const role of bounded(members.map((member) => member.role)))
      if (role !== "org:admin" && (await roleStanding(ctx, role)).unknown) unknownRoles.push(role);
    return { ...accessView(granted), members: details, unknownRoles };
  },
});

/** The organization's pending invitations, newest first (at most MAX_BATCH); for `userId` who may manage members. */
export const pendingInvitations = query({
  args: { userId: v.string(), organizationId: v.string() },
  returns: orRefusal(v.object({ invitations: v.array(vInvitation) })),
  handler: async (ctx, { userId, organizationId }) => {
    const granted = await grant(ctx, userId, organizationId, "canManageMembers");
    if ("refused" in granted) return granted;
    const rows = await ctx.db
      .query("organizationInvitations")
      .withIndex("by_organization_and_status", (q) => q.eq("organizationId", organizationId).eq("status", "pending"))
      .take(MAX_BATCH);
    const invitations = rows
      .map((row) => ({
        invitationId: row.clerkId,
        emailAddress: row.emailAddress,
        role: row.role,
        roleName: row.roleName,
        status: row.status,
        invitedAt: row.clerkVersion,
      }))
      .sort((a, b) => b.invitedAt - a.invitedAt);
    return { invitations };
  },
});

/** The organization's domains by name (at most MAX_BATCH); for `userId` who may read domains. */
export const domains = query({
  args: { userId: v.string(), organizationId: v.string() },
  returns: orRefusal(v.object({ domains: v.array(vDomain) })),
  handler: async (ctx, { userId, organizationId }) => {
    const granted = await grant(ctx, userId, organizationId, "canReadDomains");
    if ("refused" in granted) return granted;
    const rows = await ctx.db
      .query("organizationDomains")
      .withIndex("by_organization", (q) => q.eq("organizationId", organizationId))
      .take(MAX_BATCH);
    const domains = rows
      .map((row) => ({
        domainId: row.clerkId,
        name: row.name,
        enrollmentMode: row.enrollmentMode,
        verificationStatus: row.verificationStatus,
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
    return { domains };
  },
});

/**
 * Who keeps the team (model/keepers.ts): its keeper roles and the sole holder when there is one,
 * with the caller's access (the app decides whom to name the holder to); members only.
 */
export const keepers = query({
  args: { userId: v.string(), organizationId: v.string() },
  returns: orRefusal(v.object({ ...vAccess.fields, standing: vKeeperStanding })),
  handler: async (ctx, { userId, organizationId }) => {
    const granted = await grant(ctx, userId, organizationId);
    if ("refused" in granted) return granted;
    return { ...accessView(granted), standing: await keeperStanding(ctx, organizationId) };
  },
});

/**
 * Before the app asks Clerk to remove `targetUserId` (or let the caller leave): the caller's
 * access, whether the target is a member, and whether their going would leave the team without a
 * keeper (the change Clerk refuses).
 */
export const departure = query({
  args: { userId: v.string(), organizationId: v.string(), targetUserId: v.string() },
  returns: orRefusal(v.object({ ...vAccess.fields, targetIsMember: v.boolean(), wouldOrphan: v.boolean() })),
  handler: async (ctx, { userId, organizationId, targetUserId }) => {
    const granted = await grant(ctx, userId, organizationId);
    if ("refused" in granted) return granted;
    const target =
      targetUserId === userId ? granted.membership : await findMembership(ctx, organizationId, targetUserId);
    return {
      ...accessView(granted),
      targetIsMember: target !== null,
      wouldOrphan: target !== null && (await wouldOrphan(ctx, organizationId, targetUserId)),
    };
  },
});

/**
 * Which of `emailAddresses` (at most MAX_CHECKED_ADDRESSES; compared in lower case) belong to a
 * member of the organization by the members' primary addresses; for `userId` who may manage members.
 */
export const memberAddresses = query({
  args: { userId: v.string(), organizationId: v.string(), emailAddresses: v.array(v.string()) },
  returns: orRefusal(v.object({ addresses: v.array(v.string()) })),
  handler: async (ctx, { userId, organizationId, emailAddresses }) => {
    const granted = await grant(ctx, userId, organizationId, "canManageMembers");
    if ("refused" in granted) return granted;
    const addresses: string[] = [];
    const wanted = new Set(emailAddresses.slice(0, MAX_CHECKED_ADDRESSES).map((a) => a.trim().toLowerCase()));
    for (const address of wanted) {
      const users = await ctx.db
        .query("users")
        .withIndex("by_email", (q) => q.eq("email", address))
        .take(10);
      for (const user of users)
        if ((await findMembership(ctx, organizationId, user.clerkId)) !== null) {
          addresses.push(address);
          break;
        }
    }
    return { addresses };
  },
});

/**
 * The signed-in user's pending team invitations, newest first (at most MAX_MY_INVITATIONS): made
 * out to one of their verified addresses (`getAuthUser`'s rule), to a team they are not in yet and
 * that is not deleted. [] for a deleted user.
 */
export const invitationsFor = query({
  args: { subject: v.string(), claims: vClaims },
  returns: v.array(vUserInvitation),
  handler: async (ctx, { subject, claims }) => {
    if (await isUserDeleted(ctx, subject)) return [];
    const addresses = verifiedAddresses(await getUserByClerkId(ctx, subject), claims);
    const rows = new Map<string, Doc<"organizationInvitations">>();
    for (const address of addresses) {
      const found = await ctx.db
        .query("organizationInvitations")
        .withIndex("by_emailAddress_and_status", (q) => q.eq("emailAddress", address).eq("status", "pending"))
        .take(MAX_MY_INVITATIONS);
      for (const row of found) rows.set(row.clerkId, row);
      if (rows.size >= MAX_MY_INVITATIONS) break;
    }
    const invitations = [];
    for (const row of [...rows.values()].slice(0, MAX_MY_INVITATIONS)) {
      if ((await findMembership(ctx, row.organizationId, subject)) !== null) continue;
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
      });
    }
    return invitations.sort((a, b) => b.invitedAt - a.invitedAt);
  },
});
