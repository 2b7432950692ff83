import type { MutationCtx, QueryCtx } from "../_generated/server";
import { arr, requireString, str, type JsonObject } from "../lib/payload";
import { eventVersion, type EventHandler } from "../webhooks/envelope";
import { deletedHandler, snapshotHandler, type SyncedFamily } from "./families";
import { deleteSynced, upsertSynced, type SyncResult } from "./sync";

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
 * through newer-wins; a deleted role stays deleted. For backfill.
 */
export async function applyClerkRole(ctx: MutationCtx, data: JsonObject, version: number): Promise<SyncResult> {
  const { clerkId, fields } = roles.read(data);
  return await upsertSynced(ctx, "roles", ROLE_KIND, clerkId, version, fields);
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
 * The permissions the role `key` holds now: its live role's, `[]` when the role was deleted (and
 * none lives under its key), or null when Roster has never seen a role with that key (then the
 * membership's copy decides). At most a handful of index reads.
 */
export async function currentRolePermissions(ctx: QueryCtx, key: string): Promise<string[] | null> {
  const live = await ctx.db
    .query("roles")
    .withIndex("by_key", (q) => q.eq("key", key))
    .order("desc")
    .take(ROLE_ROWS_PER_KEY);
  if (live.length > 0) {
    return live.reduce((newest, row) => (row.clerkVersion > newest.clerkVersion ? row : newest)).permissions;
  }
  const deleted = await ctx.db
    .query("deletedRoles")
    .withIndex("by_key", (q) => q.eq("key", key))
    .first();
  return deleted === null ? null : [];
}

export const roleEventHandlers: Record<string, EventHandler> = {
  "role.created": snapshotHandler(roles),
  "role.updated": snapshotHandler(roles),
  "role.deleted": async (ctx, event) => {
    const clerkId = requireString(event.data, "id", event.type);
    return { outcome: await deleteClerkRole(ctx, clerkId, eventVersion(event, Date.now())), clerkIds: [clerkId] };
  },
  "permission.created": snapshotHandler(permissions),
  "permission.updated": snapshotHandler(permissions),
  "permission.deleted": deletedHandler(permissions),
};
