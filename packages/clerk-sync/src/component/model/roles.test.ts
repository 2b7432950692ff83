import { describe, expect, test } from "vitest";
import { newBackend, type Backend } from "../../../../../test/component/backend.js";
import type { MutationCtx } from "../_generated/server.js";
import type { ClerkEvent } from "../webhooks/envelope.js";
import {
  applyClerkRole,
  currentRolePermissions,
  deleteClerkRole,
  recordRolesListed,
  roleEventHandlers,
  roleStanding,
} from "./roles.js";

const V = 1_700_000_000_000;

function event(type: string, data: Record<string, unknown>, timestamp: number | null = V): ClerkEvent {
  return { type, data: data, timestamp, instanceId: null };
}

function role(overrides: Record<string, unknown> = {}) {
  return {
    object: "role",
    id: "role_aud",
    key: "org:auditor",
    name: "Auditor",
    description: "Reads the reports",
    permissions: [{ object: "permission", id: "perm_rep", key: "org:reports:read" }],
    updated_at: V,
    ...overrides,
  };
}

async function insertRole(ctx: MutationCtx, clerkId: string, key: string, clerkVersion: number, permissions: string[]) {
  await ctx.db.insert("roles", { clerkId, clerkVersion, key, name: null, description: null, permissions });
}

async function permissionsOf(t: Backend, key: string) {
  return await t.run(async (ctx) => await currentRolePermissions(ctx, key));
}

describe("role events", () => {
  test("role.created keeps the key, name, description and the keys of its permissions", async () => {
    const t = await newBackend();
    const result = await t.run(
      async (ctx) => await roleEventHandlers["role.created"]!(ctx, event("role.created", role())),
    );
    expect(result).toEqual({ outcome: "applied", clerkIds: ["role_aud"] });
    const rows = await t.run(async (ctx) => await ctx.db.query("roles").collect());
    expect(rows).toMatchObject([
      {
        clerkId: "role_aud",
        clerkVersion: V,
        key: "org:auditor",
        name: "Auditor",
        description: "Reads the reports",
        permissions: ["org:reports:read"],
      },
    ]);
  });

  test("a role's permissions may be keys or objects; anything else carries no permission", async () => {
    const t = await newBackend();
    const permissions = ["org:a:read", { key: "org:b:read" }, { id: "perm_nokey" }, 7, null, { key: 3 }];
    await t.run(async (ctx) => await applyClerkRole(ctx, role({ permissions }), V));
    expect(await permissionsOf(t, "org:auditor")).toEqual(["org:a:read", "org:b:read"]);
  });

  test("role.updated changes the permissions, an older snapshot does not", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => await applyClerkRole(ctx, role(), V));
    const newer = role({ permissions: ["org:x:manage"], updated_at: V + 10 });
    expect(
      await t.run(async (ctx) => (await roleEventHandlers["role.updated"]!(ctx, event("role.updated", newer))).outcome),
    ).toBe("applied");
    expect(await t.run(async (ctx) => await applyClerkRole(ctx, role({ permissions: [] }), V + 5))).toBe("stale");
    expect(await permissionsOf(t, "org:auditor")).toEqual(["org:x:manage"]);
  });

  test("a role without a key is refused, naming the role", async () => {
    const t = await newBackend();
    await expect(
      t.run(
        async (ctx) => await roleEventHandlers["role.created"]!(ctx, event("role.created", role({ key: undefined }))),
      ),
    ).rejects.toThrow('role role_aud: "key" is missing or not a string');
    await expect(
      t.run(async (ctx) => await roleEventHandlers["role.created"]!(ctx, event("role.created", role({ id: 5 })))),
    ).rejects.toThrow('role: "id" is missing or not a string');
  });

  test("role.deleted removes the role and remembers its key with the envelope time", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => await applyClerkRole(ctx, role(), V));
    const result = await t.run(
      async (ctx) =>
        await roleEventHandlers["role.deleted"]!(
          ctx,
          event("role.deleted", { object: "role", id: "role_aud", deleted: true }, V + 99),
        ),
    );
    expect(result).toEqual({ outcome: "applied", clerkIds: ["role_aud"] });
    const state = await t.run(async (ctx) => ({
      roles: await ctx.db.query("roles").collect(),
      deleted: (await ctx.db.query("deletedRoles").collect()).map(({ roleId, key, deletedAt }) => ({
        roleId,
        key,
        deletedAt,
      })),
    }));
    expect(state.roles).toEqual([]);
    expect(state.deleted).toEqual([{ roleId: "role_aud", key: "org:auditor", deletedAt: V + 99 }]);
    expect(await permissionsOf(t, "org:auditor")).toEqual([]);
  });

  test("role.deleted without an id is refused, naming the event type", async () => {
    const t = await newBackend();
    await expect(
      t.run(async (ctx) => await roleEventHandlers["role.deleted"]!(ctx, event("role.deleted", { object: "role" }))),
    ).rejects.toThrow('role.deleted: "id" is missing or not a string');
  });

  test("deleting a role Roster never had leaves no key behind; a second delete is stale", async () => {
    const t = await newBackend();
    expect(await t.run(async (ctx) => await deleteClerkRole(ctx, "role_unknown", V))).toBe("applied");
    expect(await t.run(async (ctx) => await ctx.db.query("deletedRoles").collect())).toEqual([]);
    expect(await t.run(async (ctx) => await deleteClerkRole(ctx, "role_unknown", V + 1))).toBe("stale");
  });
});

describe("tombstone kinds", () => {
  // The kind is the key deployed tombstones are stored under: renaming it would let a deleted role
  // or permission come back from a late snapshot after a deploy.
  test('a deleted role is kept as kind "role", a deleted permission as kind "permission"', async () => {
    const t = await newBackend();
    await t.run(async (ctx) => {
      await roleEventHandlers["role.deleted"]!(
        ctx,
        event("role.deleted", { object: "role", id: "role_aud", deleted: true }),
      );
      await roleEventHandlers["permission.deleted"]!(
        ctx,
        event("permission.deleted", { object: "permission", id: "perm_rep", deleted: true }),
      );
    });
    const kinds = await t.run(async (ctx) =>
      (await ctx.db.query("tombstones").collect()).map(({ kind, clerkId }) => ({ kind, clerkId })),
    );
    expect(kinds).toEqual([
      { kind: "role", clerkId: "role_aud" },
      { kind: "permission", clerkId: "perm_rep" },
    ]);
  });
});

describe("permission events", () => {
  const permission = {
    object: "permission",
    id: "perm_rep",
    key: "org:reports:read",
    name: "Read reports",
    description: "See the reports",
    type: "user",
    updated_at: V,
  };

  test("permission.created and .updated keep key, name, description and type; .deleted removes it", async () => {
    const t = await newBackend();
    await t.run(
      async (ctx) => await roleEventHandlers["permission.created"]!(ctx, event("permission.created", permission)),
    );
    await t.run(
      async (ctx) =>
        await roleEventHandlers["permission.updated"]!(
          ctx,
          event("permission.updated", { ...permission, name: "Read all reports", updated_at: V + 1 }),
        ),
    );
    const rows = await t.run(async (ctx) => await ctx.db.query("permissions").collect());
    expect(rows).toMatchObject([
      {
        clerkId: "perm_rep",
        key: "org:reports:read",
        name: "Read all reports",
        description: "See the reports",
        type: "user",
      },
    ]);
    await t.run(
      async (ctx) =>
        await roleEventHandlers["permission.deleted"]!(
          ctx,
          event("permission.deleted", { object: "permission", id: "perm_rep", deleted: true }),
        ),
    );
    expect(await t.run(async (ctx) => await ctx.db.query("permissions").collect())).toEqual([]);
  });

  test("a permission without a key or id is refused, naming it", async () => {
    const t = await newBackend();
    await expect(
      t.run(
        async (ctx) =>
          await roleEventHandlers["permission.created"]!(
            ctx,
            event("permission.created", { ...permission, key: null }),
          ),
      ),
    ).rejects.toThrow('permission perm_rep: "key" is missing or not a string');
    await expect(
      t.run(
        async (ctx) =>
          await roleEventHandlers["permission.created"]!(ctx, event("permission.created", { ...permission, id: null })),
      ),
    ).rejects.toThrow('permission: "id" is missing or not a string');
  });
});

describe("currentRolePermissions", () => {
  test("null for a key Roster has never seen", async () => {
    expect(await permissionsOf(await newBackend(), "org:never")).toBeNull();
  });

  test("of two live rows under one key, the newer Clerk version decides, whichever was written last", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => {
      await insertRole(ctx, "role_new", "org:k", V + 50, ["org:new"]);
      await insertRole(ctx, "role_old", "org:k", V, ["org:old"]);
    });
    expect(await permissionsOf(t, "org:k")).toEqual(["org:new"]);
    const t2 = await newBackend();
    await t2.run(async (ctx) => {
      await insertRole(ctx, "role_old", "org:k", V, ["org:old"]);
      await insertRole(ctx, "role_new", "org:k", V + 50, ["org:new"]);
    });
    expect(await permissionsOf(t2, "org:k")).toEqual(["org:new"]);
  });

  test("of two live rows of one key at the same version, the one written last decides", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => {
      await insertRole(ctx, "role_first", "org:k", V, ["org:first"]);
      await insertRole(ctx, "role_second", "org:k", V, ["org:second"]);
    });
    expect(await permissionsOf(t, "org:k")).toEqual(["org:second"]);
  });

  test("reads the most recently written rows of a key first", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => {
      for (let i = 0; i < 6; i++) await insertRole(ctx, `role_${i}`, "org:k", V + i, [`org:p${i}`]);
    });
    expect(await permissionsOf(t, "org:k")).toEqual(["org:p5"]);
  });

  test("a live role under a deleted role's key wins over the deletion; another key's rows do not count", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => {
      await ctx.db.insert("deletedRoles", { roleId: "role_gone", key: "org:k", deletedAt: V });
      await insertRole(ctx, "role_other", "org:other", V, ["org:other:read"]);
    });
    expect(await permissionsOf(t, "org:k")).toEqual([]);
    await t.run(async (ctx) => await insertRole(ctx, "role_again", "org:k", V + 1, ["org:again"]));
    expect(await permissionsOf(t, "org:k")).toEqual(["org:again"]);
    expect(await permissionsOf(t, "org:other")).toEqual(["org:other:read"]);
  });
});

describe("roleStanding: whether a key names a role Clerk has", () => {
  const standing = (t: Backend, key: string) => t.run(async (ctx) => await roleStanding(ctx, key));

  test("a live role's key: its permissions; a deleted role's key: none, and unknown", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => {
      await insertRole(ctx, "role_live", "org:live", V, ["org:p"]);
      await ctx.db.insert("deletedRoles", { roleId: "role_gone", key: "org:gone", deletedAt: V });
    });
    expect(await standing(t, "org:live")).toEqual({ permissions: ["org:p"], unknown: false });
    expect(await standing(t, "org:gone")).toEqual({ permissions: [], unknown: true });
  });

  test("a key never seen: the membership's copy decides until Clerk's roles are listed, then nothing", async () => {
    const t = await newBackend();
    expect(await standing(t, "org:never")).toEqual({ permissions: null, unknown: false });
    await t.run(async (ctx) => await recordRolesListed(ctx, 2, V));
    expect(await standing(t, "org:never")).toEqual({ permissions: [], unknown: true });
    expect(await permissionsOf(t, "org:never")).toEqual([]);
  });

  test("recordRolesListed keeps one row, the latest listing's; an empty listing is not recorded", async () => {
    const t = await newBackend();
    const listings = () =>
      t.run(async (ctx) =>
        (await ctx.db.query("roleListings").collect()).map(({ listedAt, roles }) => [listedAt, roles]),
      );
    await t.run(async (ctx) => await recordRolesListed(ctx, 0, V));
    expect(await listings()).toEqual([]);
    await t.run(async (ctx) => await recordRolesListed(ctx, 1, V));
    expect(await listings()).toEqual([[V, 1]]);
    await t.run(async (ctx) => await recordRolesListed(ctx, 3, V + 10));
    expect(await listings()).toEqual([[V + 10, 3]]);
    await t.run(async (ctx) => await recordRolesListed(ctx, 0, V + 20));
    expect(await listings()).toEqual([[V + 10, 3]]);
  });

  test("a key change records the old key, at the snapshot's version, for the role's id", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => await applyClerkRole(ctx, role(), V));
    expect(
      await t.run(async (ctx) => await applyClerkRole(ctx, role({ key: "org:inspector", updated_at: V + 1 }), V + 1)),
    ).toBe("applied");
    const deleted = await t.run(async (ctx) =>
      (await ctx.db.query("deletedRoles").collect()).map(({ roleId, key, deletedAt }) => ({ roleId, key, deletedAt })),
    );
    expect(deleted).toEqual([{ roleId: "role_aud", key: "org:auditor", deletedAt: V + 1 }]);
    expect(await t.run(async (ctx) => await roleStanding(ctx, "org:auditor"))).toEqual({
      permissions: [],
      unknown: true,
    });
    expect(await t.run(async (ctx) => await roleStanding(ctx, "org:inspector"))).toEqual({
      permissions: ["org:reports:read"],
      unknown: false,
    });
  });
});
