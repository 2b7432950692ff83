import { v, type Infer } from "convex/values";
import type { Doc } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { arr, num, obj, PayloadError, requireString, str, type JsonObject } from "../lib/payload";
import { clerkMembershipFields } from "../schema";
import { eventVersion, type ClerkEvent, type EventHandler, type HandlerResult } from "../webhooks/envelope";
import { recordActivity } from "./activity";
import { applyClerkOrganization, isOrganizationDeleted } from "./organizations";
import { deleteSynced, findByClerkId, findTombstone, type SyncResult } from "./sync";
import { displayName, isUserDeleted, personName, USER_KIND } from "./users";
import { fetchMissingLater } from "../clerk/missing";

export const MEMBERSHIP_KIND = "organizationMembership";

export const vClerkMembership = v.object(clerkMembershipFields);
/** A membership's fields as Clerk reports them. */
export type ClerkMembership = Infer<typeof vClerkMembership>;

/** The name to show for a member from the public user data their membership carries. */
export function memberName(m: Pick<ClerkMembership, "publicUserData">): string {
  const { firstName, lastName, identifier } = m.publicUserData;
  return displayName({ firstName, lastName, username: null, email: identifier, phone: null });
}

/**
 * A Clerk `organization_membership` object as Roster stores it, with the organization it embeds.
 * Throws a PayloadError when it names no organization or no user.
 */
export function readClerkMembership(data: JsonObject): {
  clerkId: string;
  fields: ClerkMembership;
  organization: JsonObject | null;
} {
  const clerkId = requireString(data, "id", "organizationMembership");
  const organization = obj(data, "organization");
  const userData = obj(data, "public_user_data");
  const organizationId = str(organization, "id") ?? str(data, "organization_id");
  const userId = str(userData, "user_id") ?? str(data, "user_id");
  if (organizationId === null) throw new PayloadError(`organizationMembership ${clerkId}: no organization id`);
  if (userId === null) throw new PayloadError(`organizationMembership ${clerkId}: no public_user_data.user_id`);
  const publicUserData = {
    firstName: str(userData, "first_name"),
    lastName: str(userData, "last_name"),
    imageUrl: str(userData, "image_url") ?? str(userData, "profile_image_url"),
    identifier: str(userData, "identifier"),
  };
  return {
    clerkId,
    organization,
    fields: {
      organizationId,
      userId,
      role: str(data, "role") ?? "org:member",
      roleName: str(data, "role_name"),
      permissions: arr(data, "permissions").filter((p): p is string => typeof p === "string"),
      publicUserData,
      searchText: [publicUserData.firstName, publicUserData.lastName, publicUserData.identifier]
        .filter((part) => part !== null)
        .join(" ")
        .toLowerCase(),
    },
  };
}

/** The caller's membership in an organization, or null. */
export async function findMembership(
  ctx: QueryCtx,
  organizationId: string,
  userId: string,
): Promise<Doc<"memberships"> | null> {
  return await ctx.db
    .query("memberships")
    .withIndex("by_organization_and_user", (q) => q.eq("organizationId", organizationId).eq("userId", userId))
    .first();
}

/**
 * Applies the organization a membership event carries, at its own `updated_at`; its members count
 * (which already counts this join or leave) as of `countedAt`, when the event was raised. It goes
 * through newer-wins, so it never brings back a deleted organization. An embedded organization
 * that is not this membership's (or has no id) is left alone.
 */
async function applyEmbeddedOrganization(
  ctx: MutationCtx,
  organization: JsonObject | null,
  organizationId: string,
  countedAt: number,
) {
  if (organization === null || str(organization, "id") !== organizationId) return;
  await applyClerkOrganization(ctx, organization, num(organization, "updated_at") ?? countedAt, countedAt);
}

/**
 * Applies a Clerk membership snapshot: newer wins, deletes are final (the membership's, its
 * organization's and its user's), one row per (organization, user). When it applies, so does the
 * organization it carries, with its members count as of `observedAt` (when the event was raised;
 * default `version`). Adds "joined" or "role changed" to the activity feed when it changes
 * something.
 */
export async function applyClerkMembership(
  ctx: MutationCtx,
  data: JsonObject,
  version: number,
  observedAt = version,
): Promise<SyncResult> {
  const { clerkId, fields, organization } = readClerkMembership(data);
  if (await isOrganizationDeleted(ctx, fields.organizationId)) return "stale";
  if (await isUserDeleted(ctx, fields.userId)) return "stale";
  if (await findTombstone(ctx, MEMBERSHIP_KIND, clerkId)) return "stale";

  const existing = await findByClerkId(ctx, "memberships", clerkId);
  if (existing && existing.clerkVersion > version) return "stale";
  const twin = await findMembership(ctx, fields.organizationId, fields.userId);
  if (twin && twin.clerkId !== clerkId) {
    // Another membership for the same person in the same organization: the newer one stands.
    if (twin.clerkVersion > version) return "stale";
    await ctx.db.delete("memberships", twin._id);
  }

  if (existing) {
    await ctx.db.patch("memberships", existing._id, { ...fields, clerkVersion: version });
  } else {
    await ctx.db.insert("memberships", { ...fields, clerkId, clerkVersion: version });
  }
  await applyEmbeddedOrganization(ctx, organization, fields.organizationId, observedAt);
  const base = {
    organizationId: fields.organizationId,
    userId: fields.userId,
    name: personName(fields.publicUserData),
    at: version,
  };
  if (!existing && !twin) {
    await recordActivity(ctx, { ...base, kind: "member_joined", role: fields.roleName ?? fields.role });
  } else if (existing && existing.role !== fields.role) {
    await recordActivity(ctx, { ...base, kind: "role_changed", role: fields.roleName ?? fields.role });
  }
  return "applied";
}

/** Removes a membership (tombstone), and says the member left in the activity feed. */
export async function deleteClerkMembership(ctx: MutationCtx, clerkId: string, version: number): Promise<SyncResult> {
  const { result, removed } = await deleteSynced(ctx, "memberships", MEMBERSHIP_KIND, clerkId, version);
  if (removed) await recordMemberLeft(ctx, removed, version);
  return result;
}

/** Adds "left" to the activity feed for a removed membership, unless its organization is gone. */
export async function recordMemberLeft(ctx: MutationCtx, membership: Doc<"memberships">, at: number): Promise<void> {
  if (await isOrganizationDeleted(ctx, membership.organizationId)) return;
  await recordActivity(ctx, {
    organizationId: membership.organizationId,
    kind: "member_left",
    userId: membership.userId,
    name: personName(membership.publicUserData),
    role: membership.roleName ?? membership.role,
    at,
  });
}

async function onMembershipSnapshot(ctx: MutationCtx, event: ClerkEvent): Promise<HandlerResult> {
  const { clerkId, fields } = readClerkMembership(event.data);
  const version = eventVersion(event, Date.now());
  const outcome = await applyClerkMembership(ctx, event.data, version, event.timestamp ?? version);
  // The member's user.created may have been missed: fetch them from Clerk, when configured.
  if (outcome === "applied") await fetchMissingLater(ctx, [{ kind: USER_KIND, clerkId: fields.userId }]);
  return { outcome, clerkIds: [clerkId, fields.organizationId, fields.userId] };
}

/** organizationMembership.deleted carries the whole membership, with the same updated_at as its last update. */
async function onMembershipDeleted(ctx: MutationCtx, event: ClerkEvent): Promise<HandlerResult> {
  const clerkId = requireString(event.data, "id", event.type);
  const version = eventVersion(event, Date.now());
  const outcome = await deleteClerkMembership(ctx, clerkId, version);
  const organization = obj(event.data, "organization");
  const organizationId = str(organization, "id");
  // The organization it carries counts the member as gone.
  if (outcome === "applied" && organizationId !== null && !(await isOrganizationDeleted(ctx, organizationId))) {
    await applyEmbeddedOrganization(ctx, organization, organizationId, event.timestamp ?? version);
  }
  const related = [organizationId, str(obj(event.data, "public_user_data"), "user_id")];
  return { outcome, clerkIds: [clerkId, ...related.filter((id) => id !== null)] };
}

export const membershipEventHandlers: Record<string, EventHandler> = {
  "organizationMembership.created": onMembershipSnapshot,
  "organizationMembership.updated": onMembershipSnapshot,
  "organizationMembership.deleted": onMembershipDeleted,
};
