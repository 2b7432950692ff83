import type { MutationCtx, QueryCtx } from "../_generated/server.js";
import { arr, requireString, str, type JsonObject } from "../lib/payload.js";
import { eventVersion, type ClerkEvent, type EventHandler, type HandlerResult } from "../webhooks/envelope.js";
import { deletedHandler, snapshotHandler, type SyncedFamily } from "./families.js";
import { deleteSynced, findByClerkId, upsertSynced, type SyncResult } from "./sync.js";

export const ROLE_KIND = "role";
/**
 * Live roles read per key: Clerk keys are unique among live roles, but a role deleted and created
 * again under its key may briefly have two rows while the delete is in flight.
 */
const ROLE_ROWS_PER_KEY = 4;

/** A role's permissions arrive as permission objects (or, from some sources, their keys). */
function permissionKeys(list: unknown[]): string[] {
  return list.flatMap((p) => {
    const key = typeof p === "string" ? p : str(p, "key");
    return key === null ? [] : [key];
  });
}

/** Clerk `role` objects → `roles`. */
const roles: SyncedFamily<"roles"> = {
  table: "roles",
  kind: ROLE_KIND,
  read: (data) => {
    const clerkId = requireString(data, "id", "role");
    return {
      clerkId,
      parents: [],
      fields: {
        key: requireString(data, "key", `role ${clerkId}`),
        name: str(data, "name"),
        description: str(data, "description"),
        permissions: permissionKeys(arr(data, "permissions")),
      },
    };
  },
};

/** Clerk `permission` objects → `permissions`. */
const permissions: SyncedFamily<"permissions"> = {
  table: "permissions",
  kind: "permission",
  read: (data) => {
    const clerkId = requireString(data, "id", "permission");
    return {
      clerkId,
      parents: [],
      fields: {
        key: requireString(data, "key", `permission ${clerkId}`),
        name: str(data, "name"),
        description: str(data, "description"),
        type: str(data, "type"),
      },
    };
  },
};

/**
 * Applies a Clerk role (webhook `data`, or a Backend API role from `GET /v1/organization_roles`)
 * through newer-wins; a deleted role stays deleted. Clerk's API lets a role's key change: its
 * holders keep the old key until their memberships change, so the old key is recorded in
 * `deletedRoles` and grants nothing (a live role under it still decides).
 */
export async function applyClerkRole(ctx: MutationCtx, data: JsonObject, version: number): Promise<SyncResult> {
  const { clerkId, fields } = roles.read(data);
  const before = await findByClerkId(ctx, "roles", clerkId);
  const result = await upsertSynced(ctx, "roles", ROLE_KIND, clerkId, version, fields);
  if (result === "applied" && before !== null && before.key !== fields.key) {
    await ctx.db.insert("deletedRoles", { roleId: clerkId, key: before.key, deletedAt: version });
  }
  return result;
}

/**
 * Deletes a role: a tombstone by id as for every object and, since `role.deleted` carries only
 * the id while permission checks look roles up by key, the key it had in `deletedRoles`.
 */
export async function deleteClerkRole(ctx: MutationCtx, clerkId: string, version: number): Promise<SyncResult> {
  const { result, removed } = await deleteSynced(ctx, "roles", ROLE_KIND, clerkId, version);
  if (removed) await ctx.db.insert("deletedRoles", { roleId: clerkId, key: removed.key, deletedAt: version });
  return result;
}

/**
 * Records that a backfill has listed every role Clerk has (`count` of them, at least one: Clerk
 * always has its default roles, so an empty list proves nothing and is not recorded). From then on
 * a role key no role row holds grants nothing. One row, replaced by each listing.
 */
export async function recordRolesListed(ctx: MutationCtx, count: number, now: number): Promise<void> {
  if (count < 1) return;
  const previous = await latestRoleListing(ctx);
  if (previous === null) await ctx.db.insert("roleListings", { listedAt: now, roles: count });
  else await ctx.db.replace("roleListings", previous._id, { listedAt: now, roles: count });
}

/** The record of the last listing of Clerk's roles, or null before any. */
async function latestRoleListing(ctx: QueryCtx) {
  // One row at most (recordRolesListed replaces it).
  return await ctx.db.query("roleListings").withIndex("by_listedAt").first();
}

/** What a role key grants now, and whether it names no role Clerk has. */
export type RoleStanding = {
  /** The role's permissions now; null when Roster cannot tell (then the membership's copy decides). */
  permissions: string[] | null;
  /** The key names no role Clerk has: deleted, changed away from, or missing from Clerk's listing. */
  unknown: boolean;
};

/**
 * What the role `key` grants now: its live role's permissions; none when the key names no role
 * Clerk has — a deleted role's key (and none lives under it), a key a role changed away from, or,
 * once a backfill has listed Clerk's roles, any key no role row holds (fail closed). Before any
 * listing, a key Roster has never seen grants what the membership copied (`permissions` null), so
 * no one is locked out by a missed `role.created`. At most a handful of index reads.
 */
export async function roleStanding(ctx: QueryCtx, key: string): Promise<RoleStanding> {
  const live = await ctx.db
    .query("roles")
    .withIndex("by_key", (q) => q.eq("key", key))
    .order("desc")
    .take(ROLE_ROWS_PER_KEY);
  if (live.length > 0) {
    const newest = live.reduce((newest, row) => (row.clerkVersion > newest.clerkVersion ? row : newest));
    return { permissions: newest.permissions, unknown: false };
  }
  const deleted = await ctx.db
    .query("deletedRoles")
    .withIndex("by_key", (q) => q.eq("key", key))
    .first();
  if (deleted !== null || (await latestRoleListing(ctx)) !== null) {
    return { permissions: [], unknown: true };
  }
  return { permissions: null, unknown: false };
}

/** The permissions the role `key` holds now, or null when the membership's copy decides (`roleStanding`). */
export async function currentRolePermissions(ctx: QueryCtx, key: string): Promise<string[] | null> {
  return (await roleStanding(ctx, key)).permissions;
}

/** role.created / role.updated: the role's snapshot (`applyClerkRole`). */
async function onRoleSnapshot(ctx: MutationCtx, event: ClerkEvent): Promise<HandlerResult> {
  const { clerkId } = roles.read(event.data);
  return { outcome: await applyClerkRole(ctx, event.data, eventVersion(event, Date.now())), clerkIds: [clerkId] };
}

export const roleEventHandlers: Record<string, EventHandler> = {
  "role.created": onRoleSnapshot,
  "role.updated": onRoleSnapshot,
  "role.deleted": async (ctx, event) => {
    const clerkId = requireString(event.data, "id", event.type);
    return { outcome: await deleteClerkRole(ctx, clerkId, eventVersion(event, Date.now())), clerkIds: [clerkId] };
  },
  "permission.created": snapshotHandler(permissions),
  "permission.updated": snapshotHandler(permissions),
  "permission.deleted": deletedHandler(permissions),
};
