/**
 * Clerk events for the bench's stream, from the payload catalog in test/clerkEvents.ts (so they
 * are shaped as Clerk sends them), with the ids, roles and versions the stream needs.
 */
import {
  clerkOrganization,
  clerkUser,
  membershipEvent,
  organizationDeleted,
  organizationEvent,
  primaryEmail,
  publicUserData,
  sessionEvent,
  DAY,
  userDeleted,
  userEvent,
  type ClerkEnvelope,
  type MembershipEventType,
  type SessionEventType,
} from "../../test/clerkEvents";

export type MembershipRef = { membershipId: string; orgId: string; userId: string; role: string };

export interface EventBuilders {
  user(type: "user.created" | "user.updated", userId: string, version: number): ClerkEnvelope;
  userDeleted(userId: string, version: number): ClerkEnvelope;
  organization(
    type: "organization.created" | "organization.updated",
    orgId: string,
    createdBy: string | null,
    version: number,
  ): ClerkEnvelope;
  organizationDeleted(orgId: string, version: number): ClerkEnvelope;
  /**
   * A membership event. `organization` is the embedded organization's own version and members
   * count (as Clerk sends them: the count moves with every join and leave, the version does not);
   * without it the embedded copy has version 0.
   */
  membership(
    type: MembershipEventType,
    member: MembershipRef,
    version: number,
    organization?: { version: number; membersCount: number },
  ): ClerkEnvelope;
  session(type: SessionEventType, sessionId: string, userId: string, version: number): ClerkEnvelope;
}

/** A user's data: distinct, searchable names and email from the id (`user_bench0000001` → "Member bench0000001"). */
function userData(userId: string, version: number) {
  return {
    id: userId,
    first_name: "Member",
    last_name: userId.replace(/^user_/, ""),
    ...primaryEmail(`${userId}@example.com`, userId),
    updated_at: version,
  };
}

/** An organization's data, named from its id. */
function organizationData(orgId: string, version: number) {
  const suffix = orgId.replace(/^org_/, "");
  return { id: orgId, name: `Team ${suffix}`, slug: `team-${suffix}`, updated_at: version };
}

export const catalogBuilders: EventBuilders = {
  user: (type, userId, version) => userEvent(type, userData(userId, version)),
  userDeleted: (userId, version) => userDeleted(userId, version),
  organization: (type, orgId, createdBy, version) =>
    organizationEvent(type, {
      ...organizationData(orgId, version),
      ...(createdBy === null ? {} : { created_by: createdBy }),
    }),
  organizationDeleted: (orgId, version) =>
    organizationDeleted(orgId, version, { slug: `team-${orgId.replace(/^org_/, "")}` }),
  membership: (type, { membershipId, orgId, userId, role }, version, organization) =>
    membershipEvent(
      type,
      {
        id: membershipId,
        role,
        // The organization as Clerk embeds it: its own version, not the membership's.
        organization: clerkOrganization({
          ...organizationData(orgId, organization?.version ?? 0),
          members_count: organization?.membersCount ?? 1,
        }),
        public_user_data: publicUserData(clerkUser(userData(userId, version))),
        updated_at: version,
      },
      { timestamp: version },
    ),
  session: (type, sessionId, userId, version) =>
    sessionEvent(
      type,
      {
        id: sessionId,
        user_id: userId,
        updated_at: version,
        last_active_at: version,
        // Live sessions: the sample world's clock is in the past, and Roster stores a session whose
        // expire_at has passed as expired, so the members list would read no session at all.
        expire_at: Math.max(version, Date.now()) + 7 * DAY,
      },
      { timestamp: version },
    ),
};
