import { arr, requireString, str } from "../lib/payload";
import type { EventHandler } from "../webhooks/envelope";
import { deletedHandler, snapshotHandler, type SyncedFamily } from "./families";

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
  kind: "role",
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

export const roleEventHandlers: Record<string, EventHandler> = {
  "role.created": snapshotHandler(roles),
  "role.updated": snapshotHandler(roles),
  "role.deleted": deletedHandler(roles),
  "permission.created": snapshotHandler(permissions),
  "permission.updated": snapshotHandler(permissions),
  "permission.deleted": deletedHandler(permissions),
};
