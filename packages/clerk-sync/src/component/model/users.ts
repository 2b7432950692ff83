import type { UserIdentity } from "convex/server";
import { v, type Infer } from "convex/values";
import type { Doc } from "../_generated/dataModel.js";
import type { MutationCtx, QueryCtx } from "../_generated/server.js";
import { addressesOf, MAX_VERIFIED_EMAILS } from "../lib/addresses.js";
import { encodeMetadata } from "../lib/metadata.js";
import { arr, obj, requireString, str, type JsonObject } from "../lib/payload.js";
import { scheduleWork } from "../lib/queue.js";
import { clerkUserFields } from "../schema.js";
import { eventVersion, type ClerkEvent, type EventHandler, type HandlerResult } from "../webhooks/envelope.js";
import { followUser, MEMBER_SEARCH_INLINE } from "./memberships.js";
import {
  deleteSynced,
  findByClerkId,
  findTombstone,
  writeSynced,
  type SnapshotSource,
  type SyncResult,
} from "./sync.js";

export const USER_KIND = "user";

/** A user's fields as Clerk reports them. */
export const vClerkUser = v.object(clerkUserFields);
export type ClerkUser = Infer<typeof vClerkUser>;

/** The address whose id is `primaryId` in a list of Clerk email or phone objects, else the first. */
function primaryOf(list: unknown[], primaryId: string | null, key: string): string | null {
  const primary = primaryId === null ? undefined : list.find((item) => str(item, "id") === primaryId);
  return str(primary, key) ?? (list.length > 0 ? str(list[0], key) : null);
}

/** The addresses of a list of Clerk email objects whose verification Clerk completed, in lower case. */
function verifiedEmailsOf(list: unknown[]): string[] {
  const verified = new Set<string>();
  for (const item of list) {
    const address = str(item, "email_address");
    if (address !== null && str(obj(item, "verification"), "status") === "verified")
      verified.add(address.trim().toLowerCase());
    if (verified.size >= MAX_VERIFIED_EMAILS) break;
  }
  return [...verified];
}

/**
 * A Clerk `user` object (webhook `data`, or a Backend API user) as Roster stores it. Null-safe:
 * email-only, phone-only and username-only users, empty address lists and null names all work.
 * `private_metadata` and `unsafe_metadata` are never read.
 */
export function readClerkUser(data: JsonObject): { clerkId: string; fields: ClerkUser } {
  const clerkId = requireString(data, "id", "user");
  return {
    clerkId,
    fields: {
      email: primaryOf(arr(data, "email_addresses"), str(data, "primary_email_address_id"), "email_address"),
      phone: primaryOf(arr(data, "phone_numbers"), str(data, "primary_phone_number_id"), "phone_number"),
      username: str(data, "username"),
      firstName: str(data, "first_name"),
      lastName: str(data, "last_name"),
      imageUrl: str(data, "image_url") ?? str(data, "profile_image_url"),
      publicMetadata: encodeMetadata(obj(data, "public_metadata")),
      verifiedEmails: verifiedEmailsOf(arr(data, "email_addresses")),
    },
  };
}

/** The user's fields known from their sign-in token, before Clerk's webhook has arrived. */
export function userFromIdentity(identity: UserIdentity): ClerkUser {
  const claim = (value: unknown) => (typeof value === "string" && value.length > 0 ? value : null);
  return {
    email: claim(identity.email),
    phone: claim(identity.phoneNumber),
    username: claim(identity.nickname),
    firstName: claim(identity.givenName),
    lastName: claim(identity.familyName),
    imageUrl: claim(identity.pictureUrl),
    publicMetadata: "{}",
  };
}

/** The live user row for a Clerk user id, or null. */
export async function getUserByClerkId(ctx: QueryCtx, clerkId: string): Promise<Doc<"users"> | null> {
  return await findByClerkId(ctx, "users", clerkId);
}

/** True once `user.deleted` has arrived for this Clerk user id. */
export async function isUserDeleted(ctx: QueryCtx, clerkId: string): Promise<boolean> {
  return (await findTombstone(ctx, USER_KIND, clerkId)) !== null;
}

/**
 * Applies a Clerk user snapshot through newer-wins; a deleted user stays deleted (one a reconcile
 * removed comes back as `keepsOut` in model/sync.ts says, for the snapshot's `source`). Used by the webhook, by backfill and by fetch-missing. When it changes the user, the
 * member search follows: their memberships get the new name and email (the first
 * MEMBER_SEARCH_INLINE at once, the rest in scheduled batches).
 */
export async function applyClerkUser(
  ctx: MutationCtx,
  data: JsonObject,
  version: number,
  source: SnapshotSource = "webhook",
): Promise<SyncResult> {
  const { clerkId, fields } = readClerkUser(data);
  const { result, changed } = await writeSynced(ctx, "users", USER_KIND, clerkId, version, fields, { source });
  if (changed) {
    const page = await followUser(ctx, clerkId, null, MEMBER_SEARCH_INLINE, fields);
    // The rest a page a transaction, each tried again while the app's hook refuses it (lib/queue.ts).
    if (!page.isDone) await scheduleWork(ctx, { kind: "followUser", userId: clerkId, cursor: page.continueCursor });
  }
  return result;
}

/**
 * Deletes a user (tombstone) and schedules, in bounded batches, the removal of their memberships
 * and sessions and the erasure of their personal data elsewhere (by id, and by the email and
 * phone read from their row before it is deleted).
 */
export async function deleteClerkUser(ctx: MutationCtx, clerkId: string, version: number): Promise<SyncResult> {
  const { result, removed } = await deleteSynced(ctx, "users", USER_KIND, clerkId, version);
  if (result === "applied") {
    const addresses = addressesOf(removed);
    // In batches, each tried again while the app's hook refuses it (lib/queue.ts).
    await scheduleWork(ctx, {
      kind: "cascade",
      parent: "user",
      clerkId,
      ...(addresses.length > 0 ? { addresses } : {}),
    });
  }
  return result;
}

async function onUserSnapshot(ctx: MutationCtx, event: ClerkEvent): Promise<HandlerResult> {
  const outcome = await applyClerkUser(ctx, event.data, eventVersion(event, Date.now()));
  return { outcome, clerkIds: [requireString(event.data, "id", event.type)] };
}

/** `user.deleted` carries only `{ id, object, deleted }`. */
async function onUserDeleted(ctx: MutationCtx, event: ClerkEvent): Promise<HandlerResult> {
  const clerkId = requireString(event.data, "id", event.type);
  const outcome = await deleteClerkUser(ctx, clerkId, eventVersion(event, Date.now()));
  return { outcome, clerkIds: [clerkId] };
}

export const userEventHandlers: Record<string, EventHandler> = {
  "user.created": onUserSnapshot,
  "user.updated": onUserSnapshot,
  "user.deleted": onUserDeleted,
};
