import { v, type Infer } from "convex/values";
import { internal } from "../_generated/api.js";
import type { Doc } from "../_generated/dataModel.js";
import type { MutationCtx, QueryCtx } from "../_generated/server.js";
import { encodeMetadata } from "../lib/metadata.js";
import { num, obj, requireString, str, type JsonObject } from "../lib/payload.js";
import { clerkOrganizationFields } from "../schema.js";
import { eventVersion, type ClerkEvent, type EventHandler, type HandlerResult } from "../webhooks/envelope.js";
import {
  deleteSynced,
  findByClerkId,
  findTombstone,
  upsertSynced,
  writeSynced,
  type SnapshotSource,
  type SyncResult,
} from "./sync.js";

export const ORGANIZATION_KIND = "organization";

export const vClerkOrganization = v.object(clerkOrganizationFields);
/** An organization's fields as Clerk reports them. */
export type ClerkOrganization = Infer<typeof vClerkOrganization>;

/** A Clerk `organization` object (webhook `data`, a membership's `organization`, or a Backend API organization). */
export function readClerkOrganization(data: JsonObject): { clerkId: string; fields: ClerkOrganization } {
  const clerkId = requireString(data, "id", "organization");
  return {
    clerkId,
    fields: {
      // An organization always has a name in Clerk; a payload without one still shows as something.
      name: str(data, "name") ?? str(data, "slug") ?? clerkId,
      slug: str(data, "slug"),
      imageUrl: str(data, "image_url") ?? str(data, "logo_url"),
      membersCount: num(data, "members_count"),
      publicMetadata: encodeMetadata(obj(data, "public_metadata")),
      createdBy: str(data, "created_by"),
    },
  };
}

/** The live organization row for a Clerk organization id, or null. */
export async function getOrganizationByClerkId(ctx: QueryCtx, clerkId: string): Promise<Doc<"organizations"> | null> {
  return await findByClerkId(ctx, "organizations", clerkId);
}

/** True once `organization.deleted` has arrived for this organization. */
export async function isOrganizationDeleted(ctx: QueryCtx, clerkId: string): Promise<boolean> {
  return (await findTombstone(ctx, ORGANIZATION_KIND, clerkId)) !== null;
}

/**
 * Applies a Clerk organization snapshot through newer-wins; a deleted organization stays deleted,
 * and a snapshot that changes nothing writes nothing. Used by the webhook, by membership events
 * (their embedded organization) and by backfill.
 *
 * `embedded`: the copy a membership event carries. Clerk moves its `members_count` with every join
 * and leave without moving its `updated_at`, so that count is left out (the views show the exact
 * count of model/memberCount.ts): a burst of joins then never writes the organization's row. The
 * caller has already read the organization's tombstone (`tombstone`). `source`: a webhook's snapshot
 * (the default) or a fresh read from Clerk (see `keepsOut` in model/sync.ts).
 */
export async function applyClerkOrganization(
  ctx: MutationCtx,
  data: JsonObject,
  version: number,
  {
    embedded = false,
    tombstone = null,
    source = "webhook",
  }: { embedded?: boolean; tombstone?: Doc<"tombstones"> | null; source?: SnapshotSource } = {},
): Promise<SyncResult> {
  const { clerkId, fields } = readClerkOrganization(data);
  if (!embedded) return await upsertSynced(ctx, "organizations", ORGANIZATION_KIND, clerkId, version, fields, source);
  const { membersCount: _clerkCount, ...own } = fields;
  const { result } = await writeSynced(ctx, "organizations", ORGANIZATION_KIND, clerkId, version, own, {
    onInsert: { membersCount: null },
    tombstone,
    source,
  });
  return result;
}

/**
 * Deletes an organization (tombstone) and schedules the removal of its memberships, invitations,
 * domains and activity in bounded batches.
 */
export async function deleteClerkOrganization(ctx: MutationCtx, clerkId: string, version: number): Promise<SyncResult> {
  const { result } = await deleteSynced(ctx, "organizations", ORGANIZATION_KIND, clerkId, version);
  if (result === "applied") {
    await ctx.scheduler.runAfter(0, internal.cascades.removeChildren, { parent: "organization", clerkId });
  }
  return result;
}

async function onOrganizationSnapshot(ctx: MutationCtx, event: ClerkEvent): Promise<HandlerResult> {
  const outcome = await applyClerkOrganization(ctx, event.data, eventVersion(event, Date.now()));
  return { outcome, clerkIds: [requireString(event.data, "id", event.type)] };
}

async function onOrganizationDeleted(ctx: MutationCtx, event: ClerkEvent): Promise<HandlerResult> {
  const clerkId = requireString(event.data, "id", event.type);
  const outcome = await deleteClerkOrganization(ctx, clerkId, eventVersion(event, Date.now()));
  return { outcome, clerkIds: [clerkId] };
}

export const organizationEventHandlers: Record<string, EventHandler> = {
  "organization.created": onOrganizationSnapshot,
  "organization.updated": onOrganizationSnapshot,
  "organization.deleted": onOrganizationDeleted,
};
