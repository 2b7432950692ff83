import { v, type Infer } from "convex/values";
import type { Doc } from "../_generated/dataModel.js";
import type { MutationCtx, QueryCtx } from "../_generated/server.js";
import { pageAfter } from "../lib/cursor.js";
import { arr, num, obj, PayloadError, requireString, str, type JsonObject } from "../lib/payload.js";
import { withChangeCause } from "../lib/hooks.js";
import { clerkMembershipFields } from "../schema.js";
import { eventVersion, type ClerkEvent, type EventHandler, type HandlerResult } from "../webhooks/envelope.js";
import { applyClerkOrganization, ORGANIZATION_KIND } from "./organizations.js";
import { countMembership } from "./memberCount.js";
import {
  deleteSynced,
  findByClerkId,
  holdsFields,
  isFinal,
  keepsOut,
  parentGone,
  sameValue,
  tombstoneOf,
  type SnapshotSource,
  type SyncResult,
} from "./sync.js";
import { getUserByClerkId, USER_KIND, type ClerkUser } from "./users.js";
import { fetchMissingLater } from "../clerk/missing.js";

export const MEMBERSHIP_KIND = "organizationMembership";

export const vClerkMembership = v.object(clerkMembershipFields);
/** A membership's fields as Clerk reports them. */
export type ClerkMembership = Infer<typeof vClerkMembership>;

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
      searchText: memberSearchText(publicUserData),
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

/** The organization a membership event carries, when it is this membership's, at its own `updated_at`. */
function embeddedOrganization(organization: JsonObject | null, organizationId: string) {
  if (organization === null || str(organization, "id") !== organizationId) return null;
  // Without `updated_at`, only to create a missing row, at version 0, which any real snapshot replaces.
  return { data: organization, version: num(organization, "updated_at") ?? 0 };
}

/**
 * Applies a Clerk membership snapshot: newer wins, deletes are final (the membership's, its
 * organization's and its user's), one row per (organization, user), and a snapshot that changes
 * nothing writes nothing. A new row is added to its organization's members count (a replaced one
 * taken off). When it applies, so does the organization it carries, at its own `updated_at` and
 * without its members count (an unchanged copy writes nothing, so joins and leaves never write the
 * organization's row; a copy of another organization is left alone). The app's hook hears the
 * change (a join as a create, a role change as an update).
 *
 * What a reconcile removed gives way as `keepsOut` (model/sync.ts) says: a webhook's membership of
 * a removed organization or user is stale until that parent is back (a copy of the organization
 * newer than the removed one brings it back with the membership), and the membership itself needs
 * a snapshot newer than the removed row. A fresh read from Clerk (`source` "clerkRead") shows them
 * alive.
 */
export async function applyClerkMembership(
  ctx: MutationCtx,
  data: JsonObject,
  version: number,
  source: SnapshotSource,
): Promise<SyncResult> {
  return await applyMembershipSnapshot(ctx, readClerkMembership(data), version, source);
}

async function applyMembershipSnapshot(
  ctx: MutationCtx,
  snapshot: ReturnType<typeof readClerkMembership>,
  version: number,
  source: SnapshotSource,
): Promise<SyncResult> {
  const { clerkId } = snapshot;
  let { fields } = snapshot;
  const embedded = embeddedOrganization(snapshot.organization, fields.organizationId);
  const organization = { kind: ORGANIZATION_KIND, clerkId: fields.organizationId } as const;
  const organizationRemoval = await tombstoneOf(ctx, organization.kind, organization.clerkId);
  const organizationReturns = embedded !== null && !keepsOut(organizationRemoval, embedded.version, source);
  if (!organizationReturns && (await parentGone(ctx, organizationRemoval, organization, source))) return "stale";
  const member = { kind: USER_KIND, clerkId: fields.userId } as const;
  if (await parentGone(ctx, await tombstoneOf(ctx, member.kind, member.clerkId), member, source)) return "stale";
  const removal = await tombstoneOf(ctx, MEMBERSHIP_KIND, clerkId);
  if (isFinal(removal)) return "stale";
  // The member's name and email as their user row has them (newer-wins on the user's own version),
  // so a membership event raised before a rename never brings the old name back to the search.
  const user = await getUserByClerkId(ctx, fields.userId);
  if (user) {
    const publicUserData = publicDataOf(user, fields.publicUserData);
    fields = { ...fields, publicUserData, searchText: memberSearchText(publicUserData) };
  }

  const existing = await findByClerkId(ctx, "memberships", clerkId);
  if (existing === null && keepsOut(removal, version, source)) return "stale";
  if (existing && existing.clerkVersion > version) return "stale";
  if (existing && existing.clerkVersion === version && holdsFields(existing, fields)) return "applied";
  const found = await findMembership(ctx, fields.organizationId, fields.userId);
  const twin = found !== null && found.clerkId !== clerkId ? found : null;
  if (twin !== null) {
    // Another membership for the same person in the same organization: the newer one stands. The
    // app's hook hears the twin's delete and this row's write as one replacement (each names the other).
    if (twin.clerkVersion > version) return "stale";
    await withChangeCause(ctx, { kind: "membership", clerkId }, () => ctx.db.delete("memberships", twin._id));
    await countMembership(ctx, twin, -1);
  }

  const write = async () => {
    if (existing) {
      await ctx.db.patch("memberships", existing._id, { ...fields, clerkVersion: version });
    } else {
      await ctx.db.insert("memberships", { ...fields, clerkId, clerkVersion: version, counted: true });
      await countMembership(ctx, { organizationId: fields.organizationId, clerkId, counted: true }, 1);
    }
  };
  if (twin === null) await write();
  else await withChangeCause(ctx, { kind: "membership", clerkId: twin.clerkId }, write);
  // The membership is back: the removal a reconcile inferred is undone.
  if (removal !== null) await ctx.db.delete("tombstones", removal._id);
  if (embedded !== null) {
    await applyClerkOrganization(ctx, embedded.data, embedded.version, {
      embedded: true,
      tombstone: organizationRemoval,
      source,
    });
  }
  return "applied";
}

/** Removes a membership (tombstone) and its place in the members count; the app's hook hears the delete. */
export async function deleteClerkMembership(ctx: MutationCtx, clerkId: string, version: number): Promise<SyncResult> {
  const { result, removed } = await deleteSynced(ctx, "memberships", MEMBERSHIP_KIND, clerkId, version);
  if (removed) await countMembership(ctx, removed, -1);
  return result;
}

/** How many of a user's memberships `user.updated` refreshes at once; the rest go in scheduled batches. */
export const MEMBER_SEARCH_INLINE = 16;
/** How many memberships one scheduled batch refreshes. */
export const MEMBER_SEARCH_BATCH = 200;

/** The lower-case text the member search matches: names and identifier. */
export function memberSearchText(
  data: Pick<ClerkMembership["publicUserData"], "firstName" | "lastName" | "identifier">,
) {
  return [data.firstName, data.lastName, data.identifier]
    .filter((part) => part !== null)
    .join(" ")
    .toLowerCase();
}

/** A member's public data from their user row; what the row lacks (image, identifier) stays as it was. */
function publicDataOf(user: ClerkUser, old: ClerkMembership["publicUserData"]): ClerkMembership["publicUserData"] {
  return {
    firstName: user.firstName,
    lastName: user.lastName,
    imageUrl: user.imageUrl ?? old.imageUrl,
    identifier: user.email ?? user.phone ?? user.username ?? old.identifier,
  };
}

/**
 * Brings the public data and search text of up to `limit` of a user's memberships (from `cursor`)
 * in line with their user row, writing only those that differ. `isDone` false: the rest is from
 * `continueCursor` on (its caller queues it: work.ts). Later pages read the user row afresh, so
 * pages of an older update running late never bring an old name back; `known` is the row's fields
 * when the caller has just written them.
 */
export async function followUser(
  ctx: MutationCtx,
  userId: string,
  cursor: string | null,
  limit: number,
  known?: ClerkUser,
): Promise<{ updated: number; isDone: boolean; continueCursor: string | null }> {
  const user = known ?? (await getUserByClerkId(ctx, userId));
  if (user === null) return { updated: 0, isDone: true, continueCursor: null };
  const page = await pageAfter(ctx.db, {
    table: "memberships",
    index: "by_user",
    prefix: [userId],
    cursor,
    numItems: limit,
  });
  let updated = 0;
  for (const membership of page.page) {
    const publicUserData = publicDataOf(user, membership.publicUserData);
    const searchText = memberSearchText(publicUserData);
    if (sameValue(membership.publicUserData, publicUserData) && membership.searchText === searchText) continue;
    await ctx.db.patch("memberships", membership._id, { publicUserData, searchText });
    updated += 1;
  }
  return { updated, isDone: page.isDone, continueCursor: page.isDone ? null : page.continueCursor };
}

async function onMembershipSnapshot(ctx: MutationCtx, event: ClerkEvent): Promise<HandlerResult> {
  const membership = readClerkMembership(event.data);
  const { clerkId, fields } = membership;
  const outcome = await applyMembershipSnapshot(ctx, membership, eventVersion(event, Date.now()), "webhook");
  // The member's user.created may have been missed: fetch them from Clerk, when configured.
  if (outcome === "applied") await fetchMissingLater(ctx, [{ kind: USER_KIND, clerkId: fields.userId }]);
  return { outcome, clerkIds: [clerkId, fields.organizationId, fields.userId] };
}

/**
 * organizationMembership.deleted carries the whole membership, with the same updated_at as its last
 * update. The organization it carries only differs from the row by its members count, so it is not
 * applied: the leave writes the membership's rows, not the organization's.
 */
async function onMembershipDeleted(ctx: MutationCtx, event: ClerkEvent): Promise<HandlerResult> {
  const clerkId = requireString(event.data, "id", event.type);
  const outcome = await deleteClerkMembership(ctx, clerkId, eventVersion(event, Date.now()));
  const related = [str(obj(event.data, "organization"), "id"), str(obj(event.data, "public_user_data"), "user_id")];
  return { outcome, clerkIds: [clerkId, ...related.filter((id) => id !== null)] };
}

export const membershipEventHandlers: Record<string, EventHandler> = {
  "organizationMembership.created": onMembershipSnapshot,
  "organizationMembership.updated": onMembershipSnapshot,
  "organizationMembership.deleted": onMembershipDeleted,
};
